import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { CheckField, FormButtons } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';
import { CODE } from './Categories';

type ItemType = ApiOutput<'itemTypes.save'>;

function ItemTypeForm({
  itemType,
  onSave,
  onCancel,
}: {
  itemType: ItemType | null;
  onSave(c: ItemType): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { errors, error, onSubmit } = useFormSubmit((f) => {
    const code = itemType?.code ?? f.required('code', 20).toUpperCase();
    if (code && !CODE.test(code)) f.fail('code', t('categories.codeRule'));
    return { code, name: f.required('name', 100), notForLoan: f.bool('notForLoan') };
  }, onSave);
  const title = itemType ? t('itemTypes.editTitle', { name: itemType.name }) : t('itemTypes.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        {itemType ? (
          <p>
            {t('categories.code')}: <strong>{itemType.code}</strong>
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
          defaultValue={itemType?.name ?? ''}
          required
          autoComplete="off"
          autoFocus={!!itemType}
          error={errors.name}
        />
        <CheckField
          label={t('itemTypes.notForLoan')}
          name="notForLoan"
          defaultChecked={itemType?.notForLoan ?? false}
        />
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
  return (
    <SettingsList<ItemType, ItemType>
      title={t('itemTypes.title')}
      headingId="item-types-title"
      loadError={error}
      rows={data ?? []}
      rowKey={(c) => c.code}
      rowTestId="item-type-row"
      columns={[
        { header: t('categories.code'), cell: (c) => c.code },
        { header: t('categories.name'), cell: (c) => c.name },
        { header: t('itemTypes.notForLoan'), cell: (c) => (c.notForLoan ? t('form.yes') : t('form.no')) },
      ]}
      editLabel={(c) => t('itemTypes.editOne', { name: c.name })}
      addLabel={t('itemTypes.add')}
      save={(c) => client.call('itemTypes.save', c)}
      reload={reload}
      renderForm={({ row, onSave, onCancel }) => <ItemTypeForm itemType={row} onSave={onSave} onCancel={onCancel} />}
    />
  );
}
