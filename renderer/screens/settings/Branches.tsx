import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { FormButtons } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { TimeZoneField } from '../../components/TimeZoneField';
import { useLoad } from '../../components/useLoad';

type Branch = ApiOutput<'branches.save'>;

const validZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

function BranchForm({ branch, onSave, onCancel }: { branch: Branch | null; onSave(b: Omit<Branch, 'id'> & { id?: string }): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const code = f.required('code', 20);
    const name = f.required('name', 200);
    const timeZone = f.required('timeZone', 64);
    if (timeZone && !validZone(timeZone)) f.fail('timeZone', t('branches.badZone'));
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave({ ...(branch ? { id: branch.id } : {}), code, name, timeZone });
    } catch (err) {
      setError(asError(err));
    }
  }
  const title = branch ? t('branches.editTitle', { name: branch.name }) : t('branches.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        <Field label={t('branches.code')} name="code" defaultValue={branch?.code ?? ''} required autoComplete="off" autoFocus error={errors.code} />
        <Field label={t('branches.name')} name="name" defaultValue={branch?.name ?? ''} required autoComplete="off" error={errors.name} />
        <TimeZoneField label={t('branches.timeZone')} name="timeZone" defaultValue={branch?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone} required error={errors.timeZone} />
        <Problem error={error} />
        <FormButtons submit={t('branches.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** Settings › Branches: code, name and time zone (due dates and closing times follow it). */
export function BranchesSettings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(() => client.call('branches.list', {}));
  const [editing, setEditing] = useState<{ branch: Branch | null } | null>(null);
  return (
    <section aria-labelledby="branches-title">
      <h2 id="branches-title">{t('branches.title')}</h2>
      <Problem error={error} />
      <table className="matrix">
        <thead>
          <tr>
            <th scope="col">{t('branches.code')}</th>
            <th scope="col">{t('branches.name')}</th>
            <th scope="col">{t('branches.timeZone')}</th>
            <th scope="col">{t('rules.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((b) => (
            <tr key={b.id} data-testid="branch-row">
              <td>{b.code}</td>
              <td>{b.name}</td>
              <td>{b.timeZone}</td>
              <td>
                <button type="button" aria-label={t('branches.editBranch', { name: b.name })} onClick={() => setEditing({ branch: b })}>
                  {t('form.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setEditing({ branch: null })}>
        {t('branches.add')}
      </button>
      {editing ? (
        <BranchForm
          branch={editing.branch}
          onCancel={() => setEditing(null)}
          onSave={async (b) => {
            await client.call('branches.save', b);
            setEditing(null);
            await reload();
          }}
        />
      ) : null}
    </section>
  );
}
