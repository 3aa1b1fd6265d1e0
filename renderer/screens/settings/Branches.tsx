import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormButtons } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { TimeZoneField } from '../../components/TimeZoneField';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';

type Branch = ApiOutput<'branches.save'>;
type BranchInput = Omit<Branch, 'id'> & { id?: string };

const validZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

function BranchForm({
  branch,
  onSave,
  onCancel,
}: {
  branch: Branch | null;
  onSave(b: BranchInput): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { errors, error, onSubmit } = useFormSubmit((f) => {
    const code = f.required('code', 20);
    const name = f.required('name', 200);
    const timeZone = f.required('timeZone', 64);
    if (timeZone && !validZone(timeZone)) f.fail('timeZone', t('branches.badZone'));
    return { ...(branch ? { id: branch.id } : {}), code, name, timeZone };
  }, onSave);
  const title = branch ? t('branches.editTitle', { name: branch.name }) : t('branches.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        <Field
          label={t('branches.code')}
          name="code"
          defaultValue={branch?.code ?? ''}
          required
          autoComplete="off"
          autoFocus
          error={errors.code}
        />
        <Field
          label={t('branches.name')}
          name="name"
          defaultValue={branch?.name ?? ''}
          required
          autoComplete="off"
          error={errors.name}
        />
        <TimeZoneField
          label={t('branches.timeZone')}
          name="timeZone"
          defaultValue={branch?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone}
          required
          error={errors.timeZone}
        />
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
  return (
    <SettingsList<Branch, BranchInput>
      title={t('branches.title')}
      headingId="branches-title"
      loadError={error}
      rows={data ?? []}
      rowKey={(b) => b.id}
      rowTestId="branch-row"
      columns={[
        { header: t('branches.code'), cell: (b) => b.code },
        { header: t('branches.name'), cell: (b) => b.name },
        { header: t('branches.timeZone'), cell: (b) => b.timeZone },
      ]}
      editLabel={(b) => t('branches.editBranch', { name: b.name })}
      addLabel={t('branches.add')}
      save={(b) => client.call('branches.save', b)}
      reload={reload}
      renderForm={({ row, onSave, onCancel }) => <BranchForm branch={row} onSave={onSave} onCancel={onCancel} />}
    />
  );
}
