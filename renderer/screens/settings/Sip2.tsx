import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { SIP2_CAPABILITIES } from '../../../src/domain/sip2-capabilities';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { CheckField, FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';

type Account = ApiOutput<'sip2.saveAccount'>;
type AccountInput = ApiInput<'sip2.saveAccount'>;
type Branch = { id: string; name: string };

/** One SIP2 account: a new one needs a password; removing one stops it logging in. */
export function AccountForm({
  account,
  branches,
  onSave,
  onRemove,
  onCancel,
}: {
  account: Account | null;
  branches: Branch[];
  onSave(input: AccountInput): Promise<void>;
  onRemove(id: string): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [removeError, setRemoveError] = useState<ApiErrorBody | null>(null);
  const { errors, error, onSubmit } = useFormSubmit((f): AccountInput => {
    const login = f.required('login', 64);
    if (login && !/^[A-Za-z0-9._@-]{1,64}$/.test(login)) f.fail('login', t('sip2Settings.loginRule'));
    const password = f.text('password');
    if (!account && !password) f.fail('password', t('sip2Settings.passwordNeeded'));
    else if (password && (password.length < 6 || password.includes('|')))
      f.fail('password', t('sip2Settings.passwordRule'));
    return {
      ...(account ? { id: account.id } : {}),
      login,
      branchId: f.text('branchId'),
      allowed: SIP2_CAPABILITIES.filter((c) => f.bool(`allow-${c}`)),
      requirePin: f.bool('requirePin'),
      errorDetection: f.bool('errorDetection'),
      active: f.bool('active'),
      ...(password ? { password } : {}),
    };
  }, onSave);
  const title = account ? t('sip2Settings.editTitle', { login: account.login }) : t('sip2Settings.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        <Field
          label={t('sip2Settings.login')}
          name="login"
          defaultValue={account?.login ?? ''}
          required
          autoComplete="off"
          autoFocus
          error={errors.login}
        />
        <Field
          label={account ? t('sip2Settings.newPassword') : t('sip2Settings.password')}
          hint={account ? t('sip2Settings.keepPassword') : undefined}
          name="password"
          type="password"
          autoComplete="new-password"
          error={errors.password}
        />
        <SelectField
          label={t('sip2Settings.branch')}
          name="branchId"
          defaultValue={account?.branchId ?? branches[0]?.id ?? ''}
        >
          {branches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend>{t('sip2Settings.allowed')}</legend>
          {SIP2_CAPABILITIES.map((c) => (
            <CheckField
              key={c}
              label={t(`sip2Settings.capability.${c}`)}
              name={`allow-${c}`}
              defaultChecked={account ? account.allowed.includes(c) : c !== 'fees' && c !== 'block' && c !== 'hold'}
            />
          ))}
        </fieldset>
        <CheckField
          label={t('sip2Settings.requirePin')}
          name="requirePin"
          defaultChecked={account?.requirePin ?? false}
        />
        <CheckField
          label={t('sip2Settings.errorDetection')}
          name="errorDetection"
          defaultChecked={account?.errorDetection ?? false}
        />
        <CheckField label={t('sip2Settings.active')} name="active" defaultChecked={account?.active ?? true} />
        <Problem error={error ?? removeError} />
        <FormButtons submit={t('sip2Settings.save')} cancel={t('form.cancel')} onCancel={onCancel} />
        {account?.active ? (
          <button
            type="button"
            onClick={() => {
              onRemove(account.id).catch((e: unknown) => setRemoveError(asError(e)));
            }}
          >
            {t('sip2Settings.remove', { login: account.login })}
          </button>
        ) : null}
      </form>
    </Dialog>
  );
}

/** This station's SIP2 port: on or off, where, and whether it listens now. */
function ListenerForm() {
  const { t } = useTranslation();
  const { data, error: loadError, reload } = useLoad(() => client.call('sip2.settings', {}));
  const [saved, setSaved] = useState('');
  const { errors, error, onSubmit } = useFormSubmit(
    (f): ApiInput<'sip2.saveSettings'> => ({
      enabled: f.bool('enabled'),
      port: f.int('port', 1, 65535),
      host: f.required('host', 253),
    }),
    async (input) => {
      await client.call('sip2.saveSettings', input);
      setSaved(t('sip2Settings.savedListener'));
      await reload();
    },
  );
  if (!data) return <Problem error={loadError} />;
  const state = data.listening
    ? t('sip2Settings.listening', { host: data.host, port: data.listeningPort ?? data.port, count: data.connections })
    : data.error
      ? t('sip2Settings.failed', { error: data.error })
      : data.enabled
        ? t('sip2Settings.waitingForAccount')
        : t('sip2Settings.off');
  return (
    <form onSubmit={onSubmit} aria-labelledby="sip2-listener-title" noValidate>
      <h3 id="sip2-listener-title">{t('sip2Settings.listener')}</h3>
      <p data-testid="sip2-state">{state}</p>
      <CheckField label={t('sip2Settings.enabled')} name="enabled" defaultChecked={data.enabled} />
      <Field
        label={t('sip2Settings.port')}
        name="port"
        inputMode="numeric"
        defaultValue={String(data.port)}
        required
        error={errors.port}
      />
      <Field
        label={t('sip2Settings.host')}
        hint={t('sip2Settings.hostHint')}
        name="host"
        defaultValue={data.host}
        required
        error={errors.host}
      />
      <Problem error={error} />
      <FormButtons submit={t('sip2Settings.saveListener')} />
      <p role="status" className="saved">
        {saved}
      </p>
    </form>
  );
}

/** Settings › SIP2: the self-checks' and sorters' accounts, and this station's SIP2 port (docs/sip2.md). */
export function Sip2Settings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(async () => {
    const [accounts, branches] = await Promise.all([
      client.call('sip2.accounts', {}),
      client.call('branches.list', {}),
    ]);
    return { accounts, branches };
  });
  const [saved, setSaved] = useState('');
  const branchName = (id: string) => data?.branches.find((b) => b.id === id)?.name ?? id;
  return (
    <>
      <SettingsList<Account, AccountInput>
        title={t('sip2Settings.title')}
        headingId="sip2-title"
        loadError={error}
        rows={data?.accounts ?? null}
        rowKey={(a) => a.id}
        rowTestId="sip2-row"
        columns={[
          { header: t('sip2Settings.login'), cell: (a) => a.login },
          { header: t('sip2Settings.branch'), cell: (a) => branchName(a.branchId) },
          {
            header: t('sip2Settings.allowed'),
            cell: (a) => a.allowed.map((c) => t(`sip2Settings.capability.${c}`)).join(', '),
          },
          { header: t('sip2Settings.active'), cell: (a) => (a.active ? t('form.yes') : t('form.no')) },
        ]}
        editLabel={(a) => t('sip2Settings.editAccount', { login: a.login })}
        addLabel={t('sip2Settings.add')}
        save={async (input) => {
          const account = await client.call('sip2.saveAccount', input);
          setSaved(t('sip2Settings.savedAccount', { login: account.login }));
        }}
        reload={reload}
        renderForm={({ row, onSave, onCancel }) => (
          <AccountForm
            account={row}
            branches={data?.branches ?? []}
            onSave={onSave}
            onCancel={onCancel}
            onRemove={async (id) => {
              await client.call('sip2.removeAccount', { id });
              setSaved(t('sip2Settings.removedAccount', { login: row?.login ?? '' }));
              onCancel();
              await reload();
            }}
          />
        )}
      >
        <p role="status" className="saved">
          {saved}
        </p>
      </SettingsList>
      <ListenerForm />
    </>
  );
}
