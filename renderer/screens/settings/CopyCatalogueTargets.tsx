import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { asError } from '../../api/errors';
import { client } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormButtons, Options, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';

type Target = NonNullable<ApiOutput<'settings.get'>['copyCatalogueTargets']>[number];

const KINDS = ['sru', 'z3950'] as const;
const VERSIONS = ['1.2', '2.0'] as const;
const TARGET_ID = /^[A-Za-z0-9_-]+$/;

function TargetForm({
  target,
  onSave,
  onRemove,
  onCancel,
}: {
  target: Target | null;
  onSave(t: Target): Promise<void>;
  onRemove(): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [removeError, setRemoveError] = useState<ApiErrorBody | null>(null);
  const { errors, error, onSubmit } = useFormSubmit((f) => {
    const id = target?.id ?? f.required('id', 40);
    if (id && !TARGET_ID.test(id)) f.fail('id', t('copyCatalogueTargets.idRule'));
    const kind = f.text('kind') === 'z3950' ? 'z3950' : 'sru';
    const address = f.required('address', 300);
    // The station checks again; said here, under the field, before anything is sent.
    if (address && kind === 'sru' && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(address))
      f.fail('address', t('copyCatalogueTargets.sruAddress'));
    if (address && kind === 'z3950' && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(address))
      f.fail('address', t('copyCatalogueTargets.z3950Address'));
    return {
      id,
      name: f.required('name', 100),
      kind,
      address,
      database: f.optional('database', 100) ?? '',
      sruVersion: f.text('sruVersion') === '2.0' ? '2.0' : '1.2',
    } satisfies Target;
  }, onSave);
  const title = target
    ? t('copyCatalogueTargets.editTitle', { name: target.name })
    : t('copyCatalogueTargets.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        {target ? (
          <p>
            {t('copyCatalogueTargets.id')}: <strong>{target.id}</strong>
          </p>
        ) : (
          <Field
            label={t('copyCatalogueTargets.id')}
            name="id"
            required
            autoComplete="off"
            autoFocus
            error={errors.id}
            hint={t('copyCatalogueTargets.idRule')}
          />
        )}
        <Field
          label={t('copyCatalogueTargets.name')}
          name="name"
          defaultValue={target?.name ?? ''}
          required
          autoComplete="off"
          autoFocus={!!target}
          error={errors.name}
        />
        <SelectField
          label={t('copyCatalogueTargets.kind')}
          name="kind"
          defaultValue={target?.kind ?? 'sru'}
          hint={t('copyCatalogueTargets.kindHint')}
        >
          <Options values={KINDS} label={(k) => t(`copyCatalogueTargets.kinds.${k}`)} />
        </SelectField>
        <Field
          label={t('copyCatalogueTargets.address')}
          name="address"
          defaultValue={target?.address ?? ''}
          required
          autoComplete="off"
          error={errors.address}
          hint={t('copyCatalogueTargets.addressHint')}
        />
        <Field
          label={t('copyCatalogueTargets.database')}
          name="database"
          defaultValue={target?.database ?? ''}
          autoComplete="off"
          error={errors.database}
          hint={t('copyCatalogueTargets.databaseHint')}
        />
        <SelectField
          label={t('copyCatalogueTargets.sruVersion')}
          name="sruVersion"
          defaultValue={target?.sruVersion ?? '1.2'}
        >
          <Options values={VERSIONS} label={(v) => v} />
        </SelectField>
        <Problem error={error} />
        <FormButtons submit={t('form.save')} cancel={t('form.cancel')} onCancel={onCancel} />
        {target ? (
          <button type="button" onClick={() => void onRemove().catch((err: unknown) => setRemoveError(asError(err)))}>
            {t('copyCatalogueTargets.remove', { name: target.name })}
          </button>
        ) : null}
        <Problem error={removeError} />
      </form>
    </Dialog>
  );
}

/** Settings › Copy cataloguing: the other libraries' catalogues (SRU) the Catalogue screen copies records from. */
export function CopyCatalogueTargetsSettings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(() => client.call('settings.get', {}));
  const targets = data?.copyCatalogueTargets ?? [];
  // The targets are one list in the library settings: every change saves the whole list.
  const saveList = (list: Target[]) => client.call('settings.update', { copyCatalogueTargets: list });
  return (
    <SettingsList<Target, Target>
      title={t('copyCatalogueTargets.title')}
      headingId="copy-catalogue-targets-title"
      loadError={error}
      rows={data ? targets : null}
      rowKey={(x) => x.id}
      rowTestId="copy-catalogue-target-row"
      columns={[
        { header: t('copyCatalogueTargets.name'), cell: (x) => x.name },
        { header: t('copyCatalogueTargets.kind'), cell: (x) => t(`copyCatalogueTargets.kinds.${x.kind}`) },
        {
          header: t('copyCatalogueTargets.address'),
          cell: (x) => (x.database ? `${x.address} · ${x.database}` : x.address),
        },
      ]}
      editLabel={(x) => t('copyCatalogueTargets.editOne', { name: x.name })}
      addLabel={t('copyCatalogueTargets.add')}
      save={(target) =>
        saveList(
          targets.some((x) => x.id === target.id)
            ? targets.map((x) => (x.id === target.id ? target : x))
            : [...targets, target],
        )
      }
      reload={reload}
      renderForm={({ row, onSave, onCancel }) => (
        <TargetForm
          target={row}
          onSave={onSave}
          onCancel={onCancel}
          onRemove={async () => {
            await saveList(targets.filter((x) => x.id !== row?.id));
            await reload();
            onCancel();
          }}
        />
      )}
    >
      <p>{t('copyCatalogueTargets.intro')}</p>
    </SettingsList>
  );
}
