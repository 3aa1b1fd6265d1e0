import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormButtons } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';

type Category = ApiOutput<'categories.save'>;
export const CODE = /^[A-Z0-9_]{1,20}$/;

function CategoryForm({
  category,
  onSave,
  onCancel,
}: {
  category: Category | null;
  onSave(c: Category): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { errors, error, onSubmit } = useFormSubmit((f) => {
    const code = category?.code ?? f.required('code', 20).toUpperCase();
    if (code && !CODE.test(code)) f.fail('code', t('categories.codeRule'));
    return { code, name: f.required('name', 100), cardValidityDays: f.int('cardValidityDays', 1, 36500) };
  }, onSave);
  const title = category ? t('categories.editTitle', { name: category.name }) : t('categories.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        {category ? (
          <p>
            {t('categories.code')}: <strong>{category.code}</strong>
          </p>
        ) : (
          <Field
            label={t('categories.code')}
            name="code"
            required
            autoComplete="off"
            autoFocus
            error={errors.code}
            hint={t('categories.codeRule')}
          />
        )}
        <Field
          label={t('categories.name')}
          name="name"
          defaultValue={category?.name ?? ''}
          required
          autoComplete="off"
          autoFocus={!!category}
          error={errors.name}
        />
        <Field
          label={t('categories.validity')}
          name="cardValidityDays"
          defaultValue={category?.cardValidityDays ?? 365}
          inputMode="numeric"
          required
          error={errors.cardValidityDays}
        />
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
  return (
    <SettingsList<Category, Category>
      title={t('categories.title')}
      headingId="categories-title"
      loadError={error}
      rows={data ?? []}
      rowKey={(c) => c.code}
      rowTestId="category-row"
      columns={[
        { header: t('categories.code'), cell: (c) => c.code },
        { header: t('categories.name'), cell: (c) => c.name },
        { header: t('categories.validity'), cell: (c) => t('rules.period.days', { count: c.cardValidityDays }) },
      ]}
      editLabel={(c) => t('categories.editOne', { name: c.name })}
      addLabel={t('categories.add')}
      save={(c) => client.call('categories.save', c)}
      reload={reload}
      renderForm={({ row, onSave, onCancel }) => <CategoryForm category={row} onSave={onSave} onCancel={onCancel} />}
    />
  );
}
