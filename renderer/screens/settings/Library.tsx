import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { FormReader, moneyInput, type FieldErrors } from '../../components/formReader';
import { CheckField, FormButtons, SelectField, TextAreaField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../state/session';

type Settings = ApiOutput<'settings.get'>;
type BarcodeRule = Settings['barcodes']['patron'];
type Slips = ApiOutput<'devices.get'>['config']['slips'];
type Wedge = ApiOutput<'devices.get'>['config']['wedge'];

const LOCALES = ['en-US', 'en-GB', 'en-CA', 'es-ES', 'es-MX', 'es-US', 'es-AR', 'es-CO'];

function BarcodeRuleFields({ kind, rule, errors }: { kind: 'patron' | 'item'; rule: BarcodeRule; errors: FieldErrors }) {
  const { t } = useTranslation();
  const n = (k: string) => `${kind}.${k}`;
  return (
    <fieldset>
      <legend>{t(`library.barcodes.${kind}`)}</legend>
      <div className="grid-form">
        <Field label={t('library.barcodes.length')} name={n('length')} defaultValue={rule.length ?? ''} inputMode="numeric" hint={t('library.barcodes.lengthHint')} error={errors[n('length')]} />
        <Field label={t('library.barcodes.minLength')} name={n('minLength')} defaultValue={rule.minLength} inputMode="numeric" error={errors[n('minLength')]} />
        <Field label={t('library.barcodes.maxLength')} name={n('maxLength')} defaultValue={rule.maxLength} inputMode="numeric" error={errors[n('maxLength')]} />
        <Field label={t('library.barcodes.prefix')} name={n('prefix')} defaultValue={rule.prefix} autoComplete="off" hint={t('library.barcodes.prefixHint')} error={errors[n('prefix')]} />
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

export function LibraryForm({ settings, onSave }: { settings: Settings; onSave(s: Partial<Settings>): Promise<void> }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const f = new FormReader(e.currentTarget, t);
    const currency = f.required('currency', 3).toUpperCase();
    if (currency && !/^[A-Z]{3}$/.test(currency)) f.fail('currency', t('library.currencyRule'));
    const next: Partial<Settings> = {
      name: f.required('name', 200),
      locale: f.required('locale', 20),
      currency,
      circControl: (['desk_branch', 'patron_home_branch', 'item_home_branch'] as const).find((c) => c === f.text('circControl')) ?? settings.circControl,
      calendarMode: (['calendar', 'push', 'ignore'] as const).find((c) => c === f.text('calendarMode')) ?? settings.calendarMode,
      capDueDateAtCardExpiry: f.bool('capDueDateAtCardExpiry'),
      finesSkipClosedDays: f.bool('finesSkipClosedDays'),
      holdShelfSkipsClosedDays: f.bool('holdShelfSkipsClosedDays'),
      maxFeesOwed: f.optMoney('maxFeesOwed', /^[A-Z]{3}$/.test(currency) ? currency : settings.currency),
      loanHistoryRetentionDays: f.int('loanHistoryRetentionDays', 0, 36500),
      barcodes: { patron: readBarcodeRule(f, 'patron', t), item: readBarcodeRule(f, 'item', t) },
      kiosk: { idleSeconds: f.int('kioskIdleSeconds', 10, 3600), warningSeconds: f.int('kioskWarningSeconds', 5, 300) },
    };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(next);
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="library-title" noValidate>
      <h2 id="library-title">{t('library.title')}</h2>
      <div className="grid-form">
        <Field label={t('library.name')} name="name" defaultValue={settings.name} required error={errors.name} />
        <SelectField label={t('library.locale')} name="locale" defaultValue={settings.locale}>
          {[...new Set([settings.locale, ...LOCALES])].map((l) => (
            <option key={l} value={l}>
              {new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l} ({l})
            </option>
          ))}
        </SelectField>
        <Field label={t('library.currency')} name="currency" defaultValue={settings.currency} required maxLength={3} autoComplete="off" error={errors.currency} hint={t('library.currencyRule')} />
        <Field
          label={t('library.maxFeesOwed')}
          name="maxFeesOwed"
          defaultValue={moneyInput(settings.maxFeesOwed, settings.currency)}
          inputMode="decimal"
          hint={t('rules.blankNoLimit')}
          error={errors.maxFeesOwed}
        />
        <Field label={t('library.retention')} name="loanHistoryRetentionDays" defaultValue={settings.loanHistoryRetentionDays} inputMode="numeric" hint={t('library.retentionHint')} error={errors.loanHistoryRetentionDays} />
        <SelectField label={t('library.circControl')} name="circControl" defaultValue={settings.circControl}>
          {(['desk_branch', 'patron_home_branch', 'item_home_branch'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`library.circControls.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('library.calendarMode')} name="calendarMode" defaultValue={settings.calendarMode}>
          {(['calendar', 'push', 'ignore'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`library.calendarModes.${c}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <CheckField label={t('library.capAtExpiry')} name="capDueDateAtCardExpiry" defaultChecked={settings.capDueDateAtCardExpiry} />
      <CheckField label={t('library.finesSkipClosed')} name="finesSkipClosedDays" defaultChecked={settings.finesSkipClosedDays} />
      <CheckField label={t('library.shelfSkipsClosed')} name="holdShelfSkipsClosedDays" defaultChecked={settings.holdShelfSkipsClosedDays} />
      <BarcodeRuleFields kind="patron" rule={settings.barcodes.patron} errors={errors} />
      <BarcodeRuleFields kind="item" rule={settings.barcodes.item} errors={errors} />
      <fieldset>
        <legend>{t('library.kiosk')}</legend>
        <div className="grid-form">
          <Field label={t('library.kioskIdle')} name="kioskIdleSeconds" defaultValue={settings.kiosk.idleSeconds} inputMode="numeric" error={errors.kioskIdleSeconds} />
          <Field label={t('library.kioskWarning')} name="kioskWarningSeconds" defaultValue={settings.kiosk.warningSeconds} inputMode="numeric" error={errors.kioskWarningSeconds} />
        </div>
      </fieldset>
      <Problem error={error} />
      <p role="status" className="saved">
        {saved ? t('form.saved') : ''}
      </p>
      <FormButtons submit={t('library.save')} />
    </form>
  );
}

function ReceiptForm({ slips, onSave }: { slips: Slips; onSave(s: Slips): Promise<void> }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const f = new FormReader(e.currentTarget, t);
    const next: Slips = {
      libraryName: f.required('slipName', 200),
      header: f.text('header'),
      footer: f.text('footer'),
      cardDigits: f.int('cardDigits', 0, 8),
      language: f.text('language') === 'es' ? 'es' : 'en',
    };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(next);
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="receipt-title" noValidate>
      <h2 id="receipt-title">{t('library.receipts')}</h2>
      <div className="grid-form">
        <Field label={t('library.slipName')} name="slipName" defaultValue={slips.libraryName} required error={errors.slipName} />
        <Field label={t('library.cardDigits')} name="cardDigits" defaultValue={slips.cardDigits} inputMode="numeric" error={errors.cardDigits} />
        <SelectField label={t('library.slipLanguage')} name="language" defaultValue={slips.language}>
          <option value="en">English</option>
          <option value="es">Español</option>
        </SelectField>
      </div>
      <TextAreaField label={t('library.header')} name="header" defaultValue={slips.header} rows={2} cols={48} />
      <TextAreaField label={t('library.footer')} name="footer" defaultValue={slips.footer} rows={2} cols={48} />
      <Problem error={error} />
      <p role="status" className="saved">
        {saved ? t('form.saved') : ''}
      </p>
      <FormButtons submit={t('library.saveReceipts')} />
    </form>
  );
}

/** This station's keyboard-wedge scanners: how far apart the keys of one scan may come (a device setting: it never syncs). */
export function WedgeForm({ wedge, onSave }: { wedge: Wedge; onSave(w: Wedge): Promise<void> }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const f = new FormReader(e.currentTarget, t);
    const next: Wedge = { maxGapMs: f.int('maxGapMs', 10, 250) };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(next);
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="wedge-title" noValidate>
      <h2 id="wedge-title">{t('library.wedge')}</h2>
      <Field label={t('library.wedgeGap')} name="maxGapMs" defaultValue={wedge.maxGapMs} inputMode="numeric" hint={t('library.wedgeGapHint')} error={errors.maxGapMs} />
      <Problem error={error} />
      <p role="status" className="saved">
        {saved ? t('form.saved') : ''}
      </p>
      <FormButtons submit={t('library.saveWedge')} />
    </form>
  );
}

/** Settings › Library: name, language and region, currency, barcode rules, the kiosk, what receipts say, and this station's wedge scanners. */
export function LibrarySettings() {
  const setSetup = useSession((s) => s.setSetup);
  const settings = useLoad(() => client.call('settings.get', {}));
  const devices = useLoad(() => client.call('devices.get', {}));
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
        <ReceiptForm
          slips={devices.data.config.slips}
          onSave={async (slips) => {
            const config = devices.data!.config;
            await client.call('devices.configure', { ...config, slips });
            await devices.reload();
          }}
        />
      ) : null}
      {devices.data ? (
        <WedgeForm
          wedge={devices.data.config.wedge}
          onSave={async (wedge) => {
            const config = devices.data!.config;
            await client.call('devices.configure', { ...config, wedge });
            await devices.reload();
            // The desk's scanner detector reads the gap from the station's set-up facts.
            setSetup(await client.call('setup.status', {}));
          }}
        />
      ) : null}
    </>
  );
}
