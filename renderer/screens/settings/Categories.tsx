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
import { useLoad } from '../../components/useLoad';

type Category = ApiOutput<'categories.save'>;
export const CODE = /^[A-Z0-9_]{1,20}$/;

function CategoryForm({ category, onSave, onCancel }: { category: Category | null; onSave(c: Category): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const code = category?.code ?? f.required('code', 20).toUpperCase();
    if (code && !CODE.test(code)) f.fail('code', t('categories.codeRule'));
    const next = { code, name: f.required('name', 100), cardValidityDays: f.int('cardValidityDays', 1, 36500) };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(next);
    } catch (err) {
      setError(asError(err));
    }
  }
  const title = category ? t('categories.editTitle', { name: category.name }) : t('categories.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        {category ? (
          <p>
            {t('categories.code')}: <strong>{category.code}</strong>
          </p>
        ) : (
          <Field label={t('categories.code')} name="code" required autoComplete="off" autoFocus error={errors.code} hint={t('categories.codeRule')} />
        )}
        <Field label={t('categories.name')} name="name" defaultValue={category?.name ?? ''} required autoComplete="off" autoFocus={!!category} error={errors.name} />
        <Field label={t('categories.validity')} name="cardValidityDays" defaultValue={category?.cardValidityDays ?? 365} inputMode="numeric" required error={errors.cardValidityDays} />
        <Problem error={error} />
        <FormButtons submit={t('form.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** Settings › Patron categories: how long a card is valid for each. */
export function CategoriesSettings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(() => client.call('categories.list', {}));
  const [editing, setEditing] = useState<{ category: Category | null } | null>(null);
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">{t('categories.title')}</h2>
      <Problem error={error} />
      <table className="matrix">
        <thead>
          <tr>
            <th scope="col">{t('categories.code')}</th>
            <th scope="col">{t('categories.name')}</th>
            <th scope="col">{t('categories.validity')}</th>
            <th scope="col">{t('rules.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((c) => (
            <tr key={c.code} data-testid="category-row">
              <td>{c.code}</td>
              <td>{c.name}</td>
              <td>{t('rules.period.days', { count: c.cardValidityDays })}</td>
              <td>
                <button type="button" aria-label={t('categories.editOne', { name: c.name })} onClick={() => setEditing({ category: c })}>
                  {t('form.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setEditing({ category: null })}>
        {t('categories.add')}
      </button>
      {editing ? (
        <CategoryForm
          category={editing.category}
          onCancel={() => setEditing(null)}
          onSave={async (c) => {
            await client.call('categories.save', c);
            setEditing(null);
            await reload();
          }}
        />
      ) : null}
    </section>
  );
}
