import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiInput, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { CheckField, FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
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
  const { errors, error, onSubmit } = useFormSubmit((f): StaffInput => {
    const username = f.required('username', 40).toLowerCase();
    if (username && !/^[a-z0-9._-]{2,40}$/.test(username)) f.fail('username', t('staff.usernameRule'));
    const displayName = f.required('displayName', 100);
    const role = ROLES.find((r) => r === f.text('role')) ?? 'technician';
    const password = f.text('password');
    const confirm = f.text('confirm');
    if (!account && !password) f.fail('password', t('staff.passwordNeeded'));
    else if (password && password.length < 8) f.fail('password', t('staff.passwordShort'));
    else if (password !== confirm) f.fail('confirm', t('staff.passwordMismatch'));
    return {
      ...(account ? { id: account.id } : {}),
      username,
      displayName,
      role,
      branchId: f.text('branchId') || null,
      active: f.bool('active'),
      ...(password ? { password } : {}),
    };
  }, onSave);

  const title = account ? t('staff.editTitle', { name: account.displayName }) : t('staff.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        <Field
          label={t('staff.username')}
          name="username"
          defaultValue={account?.username ?? ''}
          required
          autoComplete="off"
          autoFocus
          error={errors.username}
        />
        <Field
          label={t('staff.displayName')}
          name="displayName"
          defaultValue={account?.displayName ?? ''}
          required
          autoComplete="off"
          error={errors.displayName}
        />
        <SelectField label={t('staff.role')} name="role" defaultValue={account?.role ?? 'technician'}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`staff.roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('staff.branch')}
          name="branchId"
          defaultValue={account?.branchId ?? branches[0]?.id ?? ''}
        >
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
        <Field
          label={t('staff.confirm')}
          name="confirm"
          type="password"
          autoComplete="new-password"
          error={errors.confirm}
        />
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
  const [saved, setSaved] = useState('');
  const branchName = (id: string) => data?.branches.find((b) => b.id === id)?.name ?? id;
  return (
    <SettingsList<StaffAccount, StaffInput>
      title={t('staff.title')}
      headingId="staff-title"
      loadError={error}
      rows={data?.staff ?? null}
      rowKey={(s) => s.id}
      rowTestId="staff-row"
      columns={[
        { header: t('staff.username'), cell: (s) => s.username },
        { header: t('staff.displayName'), cell: (s) => s.displayName },
        { header: t('staff.role'), cell: (s) => t(`staff.roles.${s.role}`) },
        { header: t('staff.branch'), cell: (s) => branchName(s.branchId) },
        { header: t('staff.active'), cell: (s) => (s.active ? t('form.yes') : t('form.no')) },
      ]}
      editLabel={(s) => t('staff.editAccount', { name: s.username })}
      addLabel={t('staff.add')}
      save={async (input) => {
        const account = await client.call('staff.save', input);
        setSaved(t('staff.savedAccount', { name: account.username }));
      }}
      reload={reload}
      renderForm={({ row, onSave, onCancel }) => (
        <StaffForm account={row} branches={data?.branches ?? []} onSave={onSave} onCancel={onCancel} />
      )}
    >
      <p role="status" className="saved">
        {saved}
      </p>
    </SettingsList>
  );
}
