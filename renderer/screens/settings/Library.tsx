import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { Field } from '../../components/Field';
import { moneyInput, type FieldErrors, type FormReader } from '../../components/formReader';
import { CheckField, FormButtons, Options, SelectField, TextAreaField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../state/session';
import { KioskLogoField } from './KioskLogoField';

type Settings = ApiOutput<'settings.get'>;
type BarcodeRule = Settings['barcodes']['patron'];
type DeviceConfig = ApiOutput<'devices.get'>['config'];
type Slips = DeviceConfig['slips'];
type Wedge = DeviceConfig['wedge'];

const LOCALES = ['en-US', 'en-GB', 'en-CA', 'es-ES', 'es-MX', 'es-US', 'es-AR', 'es-CO'];

function BarcodeRuleFields({
  kind,
  rule,
  errors,
}: {
  kind: 'patron' | 'item';
  rule: BarcodeRule;
  errors: FieldErrors;
}) {
  const { t } = useTranslation();
  const n = (k: string) => `${kind}.${k}`;
  return (
    <fieldset>
      <legend>{t(`library.barcodes.${kind}`)}</legend>
      <div className="grid-form">
        <Field
          label={t('library.barcodes.length')}
          name={n('length')}
          defaultValue={rule.length ?? ''}
          inputMode="numeric"
          hint={t('library.barcodes.lengthHint')}
          error={errors[n('length')]}
        />
        <Field
          label={t('library.barcodes.minLength')}
          name={n('minLength')}
          defaultValue={rule.minLength}
          inputMode="numeric"
          error={errors[n('minLength')]}
        />
        <Field
          label={t('library.barcodes.maxLength')}
          name={n('maxLength')}
          defaultValue={rule.maxLength}
          inputMode="numeric"
          error={errors[n('maxLength')]}
        />
        <Field
          label={t('library.barcodes.prefix')}
          name={n('prefix')}
          defaultValue={rule.prefix}
          autoComplete="off"
          hint={t('library.barcodes.prefixHint')}
          error={errors[n('prefix')]}
        />
      </div>
      <CheckField label={t('library.barcodes.numeric')} name={n('numeric')} defaultChecked={rule.numeric} />
      <CheckField label={t('library.barcodes.checkDigit')} name={n('checkDigit')} defaultChecked={rule.checkDigit} />
    </fieldset>
  );
}

function readBarcodeRule(f: FormReader, kind: 'patron' | 'item', t: (k: string) => string): BarcodeRule {
  const n = (k: string) => `${kind}.${k}`;
  const rule = {
    length: f.optInt(n('length'), 1, 64),
    minLength: f.int(n('minLength'), 1, 64),
    maxLength: f.int(n('maxLength'), 1, 64),
    prefix: f.optional(n('prefix'), 10) ?? '',
    numeric: f.bool(n('numeric')),
    checkDigit: f.bool(n('checkDigit')),
  };
  if (f.ok && rule.minLength > rule.maxLength) f.fail(n('maxLength'), t('library.barcodes.minOverMax'));
  return rule;
}

/** A form that saves in place under its own heading: its fields, the station's refusal, a note once saved, and its Save button. */
function SavedInPlaceForm<Value>({
  headingId,
  title,
  submit,
  read,
  onSave,
  children,
}: {
  headingId: string;
  title: string;
  /** The submit button's label. */
  submit: string;
  read(form: FormReader): Value;
  onSave(value: Value): Promise<void>;
  /** The fields, with each one's error by name. */
  children(errors: FieldErrors): ReactNode;
}) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const { errors, error, onSubmit } = useFormSubmit(read, async (value) => {
    await onSave(value);
    setSaved(true);
  });
  return (
    <form
      onSubmit={(e) => {
        setSaved(false);
        onSubmit(e);
      }}
      aria-labelledby={headingId}
      noValidate
    >
      <h2 id={headingId}>{title}</h2>
      {children(errors)}
      <Problem error={error} />
      <p role="status" className="saved">
        {saved ? t('form.saved') : ''}
      </p>
      <FormButtons submit={submit} />
    </form>
  );
}

const CIRC_CONTROLS = ['desk_branch', 'patron_home_branch', 'item_home_branch'] as const;
const CALENDAR_MODES = ['calendar', 'push', 'ignore'] as const;

export function LibraryForm({ settings, onSave }: { settings: Settings; onSave(s: Partial<Settings>): Promise<void> }) {
  const { t } = useTranslation();
  function read(f: FormReader): Partial<Settings> {
    const currency = f.required('currency', 3).toUpperCase();
    if (currency && !/^[A-Z]{3}$/.test(currency)) f.fail('currency', t('library.currencyRule'));
    return {
      name: f.required('name', 200),
      locale: f.required('locale', 20),
      currency,
      circControl: CIRC_CONTROLS.find((c) => c === f.text('circControl')) ?? settings.circControl,
      calendarMode: CALENDAR_MODES.find((c) => c === f.text('calendarMode')) ?? settings.calendarMode,
      capDueDateAtCardExpiry: f.bool('capDueDateAtCardExpiry'),
      finesSkipClosedDays: f.bool('finesSkipClosedDays'),
      holdShelfSkipsClosedDays: f.bool('holdShelfSkipsClosedDays'),
      maxFeesOwed: f.optMoney('maxFeesOwed', /^[A-Z]{3}$/.test(currency) ? currency : settings.currency),
      // Koha's overdue block: empty for none (docs/circulation.md, "Fines that accrue").
      overdueBlockDays: f.optInt('overdueBlockDays', 0, 3650),
      loanHistoryRetentionDays: f.int('loanHistoryRetentionDays', 0, 36500),
      barcodes: { patron: readBarcodeRule(f, 'patron', t), item: readBarcodeRule(f, 'item', t) },
      kiosk: {
        idleSeconds: f.int('kioskIdleSeconds', 10, 3600),
        warningSeconds: f.int('kioskWarningSeconds', 5, 300),
        logo: f.text('kioskLogo') || null,
        sounds: f.bool('kioskSounds'),
      },
      lockout: { maxFailures: f.int('lockoutFailures', 1, 100), minutes: f.int('lockoutMinutes', 1, 1440) },
    };
  }
  return (
    <SavedInPlaceForm
      headingId="library-title"
      title={t('library.title')}
      submit={t('library.save')}
      read={read}
      onSave={onSave}
    >
      {(errors) => (
        <>
          <div className="grid-form">
            <Field label={t('library.name')} name="name" defaultValue={settings.name} required error={errors.name} />
            <SelectField label={t('library.locale')} name="locale" defaultValue={settings.locale}>
              <Options
                values={[...new Set([settings.locale, ...LOCALES])]}
                label={(l) => `${new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l} (${l})`}
              />
            </SelectField>
            <Field
              label={t('library.currency')}
              name="currency"
              defaultValue={settings.currency}
              required
              maxLength={3}
              autoComplete="off"
              error={errors.currency}
              hint={t('library.currencyRule')}
            />
            <Field
              label={t('library.maxFeesOwed')}
              name="maxFeesOwed"
              defaultValue={moneyInput(settings.maxFeesOwed, settings.currency)}
              inputMode="decimal"
              hint={t('rules.blankNoLimit')}
              error={errors.maxFeesOwed}
            />
            <Field
              label={t('library.overdueBlockDays')}
              name="overdueBlockDays"
              defaultValue={settings.overdueBlockDays ?? ''}
              inputMode="numeric"
              hint={t('library.overdueBlockHint')}
              error={errors.overdueBlockDays}
            />
            <Field
              label={t('library.retention')}
              name="loanHistoryRetentionDays"
              defaultValue={settings.loanHistoryRetentionDays}
              inputMode="numeric"
              hint={t('library.retentionHint')}
              error={errors.loanHistoryRetentionDays}
            />
            <SelectField label={t('library.circControl')} name="circControl" defaultValue={settings.circControl}>
              <Options values={CIRC_CONTROLS} label={(c) => t(`library.circControls.${c}`)} />
            </SelectField>
            <SelectField label={t('library.calendarMode')} name="calendarMode" defaultValue={settings.calendarMode}>
              <Options values={CALENDAR_MODES} label={(c) => t(`library.calendarModes.${c}`)} />
            </SelectField>
          </div>
          <CheckField
            label={t('library.capAtExpiry')}
            name="capDueDateAtCardExpiry"
            defaultChecked={settings.capDueDateAtCardExpiry}
          />
          <CheckField
            label={t('library.finesSkipClosed')}
            name="finesSkipClosedDays"
            defaultChecked={settings.finesSkipClosedDays}
          />
          <CheckField
            label={t('library.shelfSkipsClosed')}
            name="holdShelfSkipsClosedDays"
            defaultChecked={settings.holdShelfSkipsClosedDays}
          />
          <BarcodeRuleFields kind="patron" rule={settings.barcodes.patron} errors={errors} />
          <BarcodeRuleFields kind="item" rule={settings.barcodes.item} errors={errors} />
          <fieldset>
            <legend>{t('library.kiosk')}</legend>
            <div className="grid-form">
              <Field
                label={t('library.kioskIdle')}
                name="kioskIdleSeconds"
                defaultValue={settings.kiosk.idleSeconds}
                inputMode="numeric"
                error={errors.kioskIdleSeconds}
              />
              <Field
                label={t('library.kioskWarning')}
                name="kioskWarningSeconds"
                defaultValue={settings.kiosk.warningSeconds}
                inputMode="numeric"
                error={errors.kioskWarningSeconds}
              />
            </div>
            <CheckField
              label={t('library.kioskSounds')}
              name="kioskSounds"
              defaultChecked={settings.kiosk.sounds !== false}
            />
            <KioskLogoField name="kioskLogo" logo={settings.kiosk.logo ?? null} />
          </fieldset>
          <fieldset>
            <legend>{t('library.lockout')}</legend>
            <div className="grid-form">
              <Field
                label={t('library.lockoutFailures')}
                name="lockoutFailures"
                defaultValue={settings.lockout.maxFailures}
                inputMode="numeric"
                error={errors.lockoutFailures}
              />
              <Field
                label={t('library.lockoutMinutes')}
                name="lockoutMinutes"
                defaultValue={settings.lockout.minutes}
                inputMode="numeric"
                hint={t('library.lockoutHint')}
                error={errors.lockoutMinutes}
              />
            </div>
          </fieldset>
        </>
      )}
    </SavedInPlaceForm>
  );
}

function ReceiptForm({ slips, onSave }: { slips: Slips; onSave(s: Slips): Promise<void> }) {
  const { t } = useTranslation();
  const read = (f: FormReader): Slips => ({
    // Empty: the slips print the library's name above, whatever it becomes.
    libraryName: f.optional('slipName', 200) ?? '',
    header: f.multiLine('header', 1000),
    footer: f.multiLine('footer', 1000),
    cardDigits: f.int('cardDigits', 0, 8),
    language: f.text('language') === 'es' ? 'es' : 'en',
  });
  return (
    <SavedInPlaceForm
      headingId="receipt-title"
      title={t('library.receipts')}
      submit={t('library.saveReceipts')}
      read={read}
      onSave={onSave}
    >
      {(errors) => (
        <>
          <div className="grid-form">
            <Field
              label={t('library.slipName')}
              name="slipName"
              defaultValue={slips.libraryName}
              hint={t('library.slipNameHint')}
              error={errors.slipName}
            />
            <Field
              label={t('library.cardDigits')}
              name="cardDigits"
              defaultValue={slips.cardDigits}
              inputMode="numeric"
              error={errors.cardDigits}
            />
            <SelectField label={t('library.slipLanguage')} name="language" defaultValue={slips.language}>
              <option value="en">English</option>
              <option value="es">Español</option>
            </SelectField>
          </div>
          <TextAreaField
            label={t('library.header')}
            name="header"
            defaultValue={slips.header}
            rows={2}
            cols={48}
            error={errors.header}
          />
          <TextAreaField
            label={t('library.footer')}
            name="footer"
            defaultValue={slips.footer}
            rows={2}
            cols={48}
            error={errors.footer}
          />
        </>
      )}
    </SavedInPlaceForm>
  );
}

/** This station's keyboard-wedge scanners: how far apart the keys of one scan may come (a device setting: it never syncs). */
export function WedgeForm({ wedge, onSave }: { wedge: Wedge; onSave(w: Wedge): Promise<void> }) {
  const { t } = useTranslation();
  return (
    <SavedInPlaceForm
      headingId="wedge-title"
      title={t('library.wedge')}
      submit={t('library.saveWedge')}
      read={(f): Wedge => ({ maxGapMs: f.int('maxGapMs', 10, 250) })}
      onSave={onSave}
    >
      {(errors) => (
        <Field
          label={t('library.wedgeGap')}
          name="maxGapMs"
          defaultValue={wedge.maxGapMs}
          inputMode="numeric"
          hint={t('library.wedgeGapHint')}
          error={errors.maxGapMs}
        />
      )}
    </SavedInPlaceForm>
  );
}

/** Settings › Library: name, language and region, currency, barcode rules, the kiosk, what receipts say, and this station's wedge scanners. */
export function LibrarySettings() {
  const setSetup = useSession((s) => s.setSetup);
  const settings = useLoad(() => client.call('settings.get', {}));
  const devices = useLoad(() => client.call('devices.get', {}));
  /** Saves one part of this station's device configuration, the rest as it is. */
  async function configureDevices(change: Partial<DeviceConfig>) {
    await client.call('devices.configure', { ...devices.data!.config, ...change });
    await devices.reload();
  }
  return (
    <>
      <Problem error={settings.error} />
      {settings.data ? (
        <LibraryForm
          settings={settings.data}
          onSave={async (changes) => {
            await client.call('settings.update', changes);
            await settings.reload();
            setSetup(await client.call('setup.status', {}));
          }}
        />
      ) : null}
      <Problem error={devices.error} />
      {devices.data ? (
        <ReceiptForm slips={devices.data.config.slips} onSave={(slips) => configureDevices({ slips })} />
      ) : null}
      {devices.data ? (
        <WedgeForm
          wedge={devices.data.config.wedge}
          onSave={async (wedge) => {
            await configureDevices({ wedge });
            // The desk's scanner detector reads the gap from the station's set-up facts.
            setSetup(await client.call('setup.status', {}));
          }}
        />
      ) : null}
    </>
  );
}
