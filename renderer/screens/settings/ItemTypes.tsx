import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { CheckField, FormButtons } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { CODE } from './Categories';

type ItemType = ApiOutput<'itemTypes.save'>;

function ItemTypeForm({ itemType, onSave, onCancel }: { itemType: ItemType | null; onSave(c: ItemType): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const code = itemType?.code ?? f.required('code', 20).toUpperCase();
    if (code && !CODE.test(code)) f.fail('code', t('categories.codeRule'));
    const next = { code, name: f.required('name', 100), notForLoan: f.bool('notForLoan') };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(next);
    } catch (err) {
      setError(asError(err));
    }
  }
  const title = itemType ? t('itemTypes.editTitle', { name: itemType.name }) : t('itemTypes.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        {itemType ? (
          <p>
            {t('categories.code')}: <strong>{itemType.code}</strong>
          </p>
        ) : (
          <Field label={t('categories.code')} name="code" required autoComplete="off" autoFocus error={errors.code} hint={t('categories.codeRule')} />
        )}
        <Field label={t('categories.name')} name="name" defaultValue={itemType?.name ?? ''} required autoComplete="off" autoFocus={!!itemType} error={errors.name} />
        <CheckField label={t('itemTypes.notForLoan')} name="notForLoan" defaultChecked={itemType?.notForLoan ?? false} />
        <Problem error={error} />
        <FormButtons submit={t('form.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** Settings › Item types: books, DVDs, reference (not for loan)... */
export function ItemTypesSettings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(() => client.call('itemTypes.list', {}));
  const [editing, setEditing] = useState<{ itemType: ItemType | null } | null>(null);
  return (
    <section aria-labelledby="item-types-title">
      <h2 id="item-types-title">{t('itemTypes.title')}</h2>
      <Problem error={error} />
      <table className="matrix">
        <thead>
          <tr>
            <th scope="col">{t('categories.code')}</th>
            <th scope="col">{t('categories.name')}</th>
            <th scope="col">{t('itemTypes.notForLoan')}</th>
            <th scope="col">{t('rules.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((c) => (
            <tr key={c.code} data-testid="item-type-row">
              <td>{c.code}</td>
              <td>{c.name}</td>
              <td>{c.notForLoan ? t('form.yes') : t('form.no')}</td>
              <td>
                <button type="button" aria-label={t('itemTypes.editOne', { name: c.name })} onClick={() => setEditing({ itemType: c })}>
                  {t('form.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setEditing({ itemType: null })}>
        {t('itemTypes.add')}
      </button>
      {editing ? (
        <ItemTypeForm
          itemType={editing.itemType}
          onCancel={() => setEditing(null)}
          onSave={async (c) => {
            await client.call('itemTypes.save', c);
            setEditing(null);
            await reload();
          }}
        />
      ) : null}
    </section>
  );
}
