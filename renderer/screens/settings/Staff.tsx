import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { CheckField, FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';

export type StaffAccount = ApiOutput<'staff.save'>;
export type StaffInput = ApiInput<'staff.save'>;
type Branch = { id: string; name: string };
const ROLES = ['technician', 'supervisor', 'admin'] as const;

/** The form for one staff account: a new one needs a password; an existing one may get a new one. */
export function StaffForm({
  account,
  branches,
  onSave,
  onCancel,
}: {
  account: StaffAccount | null;
  branches: Branch[];
  onSave(input: StaffInput): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const username = f.required('username', 40).toLowerCase();
    if (username && !/^[a-z0-9._-]{2,40}$/.test(username)) f.fail('username', t('staff.usernameRule'));
    const displayName = f.required('displayName', 100);
    const role = ROLES.find((r) => r === f.text('role')) ?? 'technician';
    const password = f.text('password');
    const confirm = f.text('confirm');
    if (!account && !password) f.fail('password', t('staff.passwordNeeded'));
    else if (password && password.length < 8) f.fail('password', t('staff.passwordShort'));
    else if (password !== confirm) f.fail('confirm', t('staff.passwordMismatch'));
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave({
        ...(account ? { id: account.id } : {}),
        username,
        displayName,
        role,
        branchId: f.text('branchId') || null,
        active: f.bool('active'),
        ...(password ? { password } : {}),
      });
    } catch (err) {
      setError(asError(err));
    }
  }

  const title = account ? t('staff.editTitle', { name: account.displayName }) : t('staff.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        <Field label={t('staff.username')} name="username" defaultValue={account?.username ?? ''} required autoComplete="off" autoFocus error={errors.username} />
        <Field label={t('staff.displayName')} name="displayName" defaultValue={account?.displayName ?? ''} required autoComplete="off" error={errors.displayName} />
        <SelectField label={t('staff.role')} name="role" defaultValue={account?.role ?? 'technician'}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`staff.roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('staff.branch')} name="branchId" defaultValue={account?.branchId ?? branches[0]?.id ?? ''}>
          {branches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <CheckField label={t('staff.active')} name="active" defaultChecked={account?.active ?? true} />
        <Field
          label={account ? t('staff.newPassword') : t('staff.password')}
          hint={account ? t('staff.keepPassword') : undefined}
          name="password"
          type="password"
          autoComplete="new-password"
          error={errors.password}
        />
        <Field label={t('staff.confirm')} name="confirm" type="password" autoComplete="new-password" error={errors.confirm} />
        <Problem error={error} />
        <FormButtons submit={t('staff.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** Settings › Staff accounts. */
export function StaffSettings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(async () => {
    const [staff, branches] = await Promise.all([client.call('staff.list', {}), client.call('branches.list', {})]);
    return { staff, branches };
  });
  const [editing, setEditing] = useState<{ account: StaffAccount | null } | null>(null);
  const [saved, setSaved] = useState('');
  const branchName = (id: string) => data?.branches.find((b) => b.id === id)?.name ?? id;
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{t('staff.title')}</h2>
      <Problem error={error} />
      {data ? (
        <table className="matrix">
          <thead>
            <tr>
              <th scope="col">{t('staff.username')}</th>
              <th scope="col">{t('staff.displayName')}</th>
              <th scope="col">{t('staff.role')}</th>
              <th scope="col">{t('staff.branch')}</th>
              <th scope="col">{t('staff.active')}</th>
              <th scope="col">{t('rules.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.staff.map((s) => (
              <tr key={s.id} data-testid="staff-row">
                <td>{s.username}</td>
                <td>{s.displayName}</td>
                <td>{t(`staff.roles.${s.role}`)}</td>
                <td>{branchName(s.branchId)}</td>
                <td>{s.active ? t('form.yes') : t('form.no')}</td>
                <td>
                  <button type="button" aria-label={t('staff.editAccount', { name: s.username })} onClick={() => setEditing({ account: s })}>
                    {t('form.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" onClick={() => setEditing({ account: null })}>
        {t('staff.add')}
      </button>
      <p role="status" className="saved">
        {saved}
      </p>
      {editing ? (
        <StaffForm
          account={editing.account}
          branches={data?.branches ?? []}
          onCancel={() => setEditing(null)}
          onSave={async (input) => {
            const account = await client.call('staff.save', input);
            setEditing(null);
            setSaved(t('staff.savedAccount', { name: account.username }));
            await reload();
          }}
        />
      ) : null}
    </section>
  );
}
