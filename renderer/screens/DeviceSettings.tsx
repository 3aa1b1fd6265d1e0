import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { DevicesConfig } from '../../src/api/devices-config';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { CheckField, SelectField, TextAreaField } from '../components/Inputs';
import { Problem } from '../components/Problem';
import { Badge, type Tone } from '../components/ui/Badge';
import { useScans } from '../state/scans';
import {
  CODE_PAGES,
  COLUMNS,
  CONNECTIONS,
  DATA_BITS,
  draftOf,
  errorsOf,
  stationIssueMessage,
  inputOf,
  newPrinter,
  newScanner,
  PAPER_WIDTHS,
  PARITIES,
  SCANNER_KINDS,
  STOP_BITS,
  SUFFIXES,
  type DeviceErrors,
  type DevicesDraft,
  type PrinterDraft,
  type ScannerDraft,
  type SerialDraft,
  type SlipsDraft,
} from './deviceForm';

/** A device's state at a glance: connected is fine, an error is refused work, the rest wants a look. */
const STATUS_TONES: Record<string, Tone> = {
  connected: 'ok',
  error: 'refused',
  disconnected: 'warning',
  unavailable: 'warning',
};

type DevicesView = ApiOutput<'devices.get'>;
const KINDS = ['checkout', 'checkin', 'hold', 'transit', 'payment'] as const;

/** Baud rate, data bits, parity and stop bits, for a serial scanner or a serial printer; `at` is the settings path of the connection. */
function SerialFields({
  at,
  serial,
  errors,
  onChange,
}: {
  at: string;
  serial: SerialDraft;
  errors: DeviceErrors;
  onChange(s: SerialDraft): void;
}) {
  const { t } = useTranslation();
  const set = (k: keyof SerialDraft) => (e: { target: { value: string } }) =>
    onChange({ ...serial, [k]: e.target.value });
  return (
    <>
      <Field
        label={t('devices.baudRate')}
        hint={t('devices.baudRateHint')}
        inputMode="numeric"
        autoComplete="off"
        value={serial.baudRate}
        onChange={set('baudRate')}
        error={errors[`${at}.baudRate`]}
      />
      <SelectField
        label={t('devices.dataBits')}
        value={serial.dataBits}
        onChange={set('dataBits')}
        error={errors[`${at}.dataBits`]}
      >
        {DATA_BITS.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('devices.parity')}
        value={serial.parity}
        onChange={set('parity')}
        error={errors[`${at}.parity`]}
      >
        {PARITIES.map((p) => (
          <option key={p} value={p}>
            {t(`devices.parities.${p}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('devices.stopBits')}
        value={serial.stopBits}
        onChange={set('stopBits')}
        error={errors[`${at}.stopBits`]}
      >
        {STOP_BITS.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </SelectField>
    </>
  );
}

/** One device's fieldset: its number in the legend, its fields, a problem with the device as a whole, and Remove. */
function DeviceFieldset({
  deviceKey,
  legend,
  problem,
  remove,
  onRemove,
  children,
}: {
  deviceKey: string;
  legend: string;
  problem?: string;
  remove: string;
  onRemove(): void;
  children: ReactNode;
}) {
  return (
    <fieldset data-device={deviceKey} data-testid="device-fieldset">
      <legend>{legend}</legend>
      <div className="grid-form">{children}</div>
      {problem ? <p className="field-error">{problem}</p> : null}
      <button type="button" onClick={onRemove}>
        {remove}
      </button>
    </fieldset>
  );
}

function ScannerFields({
  scanner: s,
  n,
  errors,
  onChange,
  onRemove,
}: {
  scanner: ScannerDraft;
  n: number;
  errors: DeviceErrors;
  onChange(s: ScannerDraft): void;
  onRemove(): void;
}) {
  const { t } = useTranslation();
  const at = `scanners.${n - 1}`;
  const set = (k: 'id' | 'path' | 'suffix' | 'vendorId' | 'productId') => (e: { target: { value: string } }) =>
    onChange({ ...s, [k]: e.target.value });
  return (
    <DeviceFieldset
      deviceKey={s.key}
      legend={t('devices.scanner', { n })}
      problem={errors[at]}
      remove={t('devices.removeScanner', { n })}
      onRemove={onRemove}
    >
      <SelectField
        label={t('devices.scannerKind')}
        value={s.kind}
        onChange={(e) => onChange({ ...s, kind: e.target.value === 'hid' ? 'hid' : 'serial' })}
      >
        {SCANNER_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`devices.scannerKinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('devices.deviceId')}
        hint={t('devices.deviceIdHint')}
        autoComplete="off"
        value={s.id}
        onChange={set('id')}
        error={errors[`${at}.id`]}
      />
      {s.kind === 'serial' ? (
        <>
          <Field
            label={t('devices.serialPath')}
            hint={t('devices.serialPathHint')}
            autoComplete="off"
            spellCheck={false}
            value={s.path}
            onChange={set('path')}
            error={errors[`${at}.path`]}
          />
          <SerialFields at={at} serial={s.serial} errors={errors} onChange={(serial) => onChange({ ...s, serial })} />
          <SelectField
            label={t('devices.suffix')}
            hint={t('devices.suffixHint')}
            value={s.suffix}
            onChange={set('suffix')}
            error={errors[`${at}.suffix`]}
          >
            {SUFFIXES.map((x) => (
              <option key={x} value={x}>
                {t(`devices.suffixes.${x}`)}
              </option>
            ))}
          </SelectField>
        </>
      ) : (
        <>
          <Field
            label={t('devices.vendorId')}
            hint={t('devices.usbIdHint')}
            autoComplete="off"
            spellCheck={false}
            value={s.vendorId}
            onChange={set('vendorId')}
            error={errors[`${at}.vendorId`]}
          />
          <Field
            label={t('devices.productId')}
            hint={t('devices.usbIdHint')}
            autoComplete="off"
            spellCheck={false}
            value={s.productId}
            onChange={set('productId')}
            error={errors[`${at}.productId`]}
          />
          <Field
            label={t('devices.hidPath')}
            hint={t('devices.hidPathHint')}
            autoComplete="off"
            spellCheck={false}
            value={s.path}
            onChange={set('path')}
            error={errors[`${at}.path`]}
          />
        </>
      )}
    </DeviceFieldset>
  );
}

function PrinterFields({
  printer: p,
  n,
  errors,
  onChange,
  onRemove,
}: {
  printer: PrinterDraft;
  n: number;
  errors: DeviceErrors;
  onChange(p: PrinterDraft): void;
  onRemove(): void;
}) {
  const { t } = useTranslation();
  const at = `printers.${n - 1}`;
  const set =
    (k: 'id' | 'path' | 'host' | 'port' | 'columns' | 'paperWidth' | 'codePage' | 'model') =>
    (e: { target: { value: string } }) =>
      onChange({ ...p, [k]: e.target.value });
  return (
    <DeviceFieldset
      deviceKey={p.key}
      legend={t('devices.printer', { n })}
      problem={errors[at]}
      remove={t('devices.removePrinter', { n })}
      onRemove={onRemove}
    >
      <Field
        label={t('devices.deviceId')}
        hint={t('devices.deviceIdHint')}
        autoComplete="off"
        value={p.id}
        onChange={set('id')}
        error={errors[`${at}.id`]}
      />
      <SelectField
        label={t('devices.connection')}
        value={p.connection}
        onChange={(e) => onChange({ ...p, connection: CONNECTIONS.find((c) => c === e.target.value) ?? 'tcp' })}
      >
        {CONNECTIONS.map((c) => (
          <option key={c} value={c}>
            {t(`devices.connections.${c}`)}
          </option>
        ))}
      </SelectField>
      {p.connection === 'tcp' ? (
        <>
          <Field
            label={t('devices.host')}
            hint={t('devices.hostHint')}
            autoComplete="off"
            spellCheck={false}
            value={p.host}
            onChange={set('host')}
            error={errors[`${at}.connection.host`]}
          />
          <Field
            label={t('devices.tcpPort')}
            hint={t('devices.tcpPortHint')}
            inputMode="numeric"
            autoComplete="off"
            value={p.port}
            onChange={set('port')}
            error={errors[`${at}.connection.port`]}
          />
        </>
      ) : p.connection === 'usb-file' ? (
        <Field
          label={t('devices.usbPath')}
          hint={t('devices.usbPathHint')}
          autoComplete="off"
          spellCheck={false}
          value={p.path}
          onChange={set('path')}
          error={errors[`${at}.connection.path`]}
        />
      ) : (
        <>
          <Field
            label={t('devices.serialPath')}
            hint={t('devices.serialPathHint')}
            autoComplete="off"
            spellCheck={false}
            value={p.path}
            onChange={set('path')}
            error={errors[`${at}.connection.path`]}
          />
          <SerialFields
            at={`${at}.connection`}
            serial={p.serial}
            errors={errors}
            onChange={(serial) => onChange({ ...p, serial })}
          />
        </>
      )}
      <SelectField
        label={t('devices.paperWidth')}
        value={p.paperWidth}
        onChange={set('paperWidth')}
        error={errors[`${at}.paperWidth`]}
      >
        {PAPER_WIDTHS.map((w) => (
          <option key={w} value={w}>
            {t('devices.mm', { mm: w })}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('devices.columns')}
        hint={t('devices.columnsHint')}
        value={p.columns}
        onChange={set('columns')}
        error={errors[`${at}.columns`]}
      >
        {COLUMNS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('devices.codePage')}
        hint={t('devices.codePageHint')}
        value={p.codePage}
        onChange={set('codePage')}
        error={errors[`${at}.codePage`]}
      >
        {CODE_PAGES.map((c) => (
          <option key={c} value={c}>
            {c === 'auto' ? t('devices.codePageAuto') : c}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('devices.model')}
        hint={t('devices.modelHint')}
        autoComplete="off"
        spellCheck={false}
        value={p.model}
        onChange={set('model')}
        error={errors[`${at}.model`]}
      />
      <CheckField
        label={t('devices.cashDrawer')}
        checked={p.cashDrawer}
        onChange={(e) => onChange({ ...p, cashDrawer: e.target.checked })}
      />
    </DeviceFieldset>
  );
}

function SlipFields({
  slips,
  errors,
  onChange,
}: {
  slips: SlipsDraft;
  errors: DeviceErrors;
  onChange(s: SlipsDraft): void;
}) {
  const { t } = useTranslation();
  const set = (k: keyof SlipsDraft) => (e: { target: { value: string } }) =>
    onChange({ ...slips, [k]: e.target.value });
  return (
    <section aria-labelledby="dev-receipts">
      <h3 id="dev-receipts">{t('devices.receipts')}</h3>
      <div className="grid-form">
        <Field
          label={t('devices.libraryName')}
          hint={t('devices.libraryNameHint')}
          autoComplete="off"
          value={slips.libraryName}
          onChange={set('libraryName')}
          error={errors['slips.libraryName']}
        />
        <Field
          label={t('devices.cardDigits')}
          hint={t('devices.cardDigitsHint')}
          inputMode="numeric"
          autoComplete="off"
          value={slips.cardDigits}
          onChange={set('cardDigits')}
          error={errors['slips.cardDigits']}
        />
        <SelectField
          label={t('devices.language')}
          value={slips.language}
          onChange={set('language')}
          error={errors['slips.language']}
        >
          <option value="en">English</option>
          <option value="es" lang="es">
            Español
          </option>
        </SelectField>
      </div>
      <TextAreaField
        label={t('devices.header')}
        rows={2}
        cols={48}
        value={slips.header}
        onChange={set('header')}
        error={errors['slips.header']}
      />
      <TextAreaField
        label={t('devices.footer')}
        rows={2}
        cols={48}
        value={slips.footer}
        onChange={set('footer')}
        error={errors['slips.footer']}
      />
    </section>
  );
}

/** The paths the form shows an error at; an issue anywhere else is listed under the form. */
function shownAt(draft: DevicesDraft): (key: string) => boolean {
  const device =
    /^(scanners|printers)\.\d+(\.(id|path|baudRate|dataBits|parity|stopBits|suffix|vendorId|productId|columns|paperWidth|codePage|model|connection\.(host|port|path|baudRate|dataBits|parity|stopBits)))?$/;
  const slips = /^slips\.(libraryName|cardDigits|language|header|footer)$/;
  return (key) => {
    const m = /^(scanners|printers)\.(\d+)/.exec(key);
    if (m) return device.test(key) && Number(m[2]) < draft[m[1] as 'scanners' | 'printers'].length;
    return slips.test(key);
  };
}

/** Settings › Devices: what is connected, a test scan, a test print, the devices and receipts form, and each slip as it will print. */
export function Devices() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<DevicesView | null>(null);
  const [draft, setDraft] = useState<DevicesDraft | null>(null);
  const [errors, setErrors] = useState<DeviceErrors>({});
  const [checked, setChecked] = useState(0);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('hold');
  const [preview, setPreview] = useState<string[]>([]);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saveError, setSaveError] = useState<ApiErrorBody | null>(null);
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState('');
  const [focusDevice, setFocusDevice] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const addScanner = useRef<HTMLButtonElement>(null);
  const addPrinter = useRef<HTMLButtonElement>(null);
  const lastScan = useScans((s) => s.last);

  const [loaded, setLoaded] = useState(0);
  const load = async () => {
    const v = await client.call('devices.get', {});
    setView(v);
    setDraft(draftOf(v.config));
    setLoaded((n) => n + 1);
  };
  useEffect(() => void load().catch((e) => setError(e instanceof ApiError ? e.body : null)), []);
  // A device connecting or going away: its row changes, the form being edited does not.
  useEffect(
    () =>
      client.subscribe((e) => {
        if (e.type !== 'device') return;
        void client
          .call('devices.get', {})
          .then((v) => setView((old) => (old ? { ...old, states: v.states, jobs: v.jobs } : v)))
          .catch(() => undefined);
      }),
    [],
  );
  useEffect(
    () =>
      void client
        .call('devices.preview', { kind })
        .then((p) => setPreview(p.lines))
        .catch(() => setPreview([])),
    [kind, loaded],
  );

  // After a refused save, the first field to correct gets the focus (its error is read with it).
  useEffect(() => {
    if (checked === 0) return;
    const first =
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current
        ?.querySelector<HTMLElement>('.field-error')
        ?.closest('fieldset')
        ?.querySelector<HTMLElement>('input, select');
    first?.focus();
  }, [checked]);
  // A device just added: its first field gets the focus.
  useEffect(() => {
    if (!focusDevice) return;
    form.current?.querySelector(`[data-device="${focusDevice}"]`)?.querySelector<HTMLElement>('input, select')?.focus();
    setFocusDevice(null);
  }, [focusDevice]);

  /**
   * An edit. The field errors stay until the next Save checks again, except when a device is removed:
   * they name devices by position.
   */
  function edit(next: DevicesDraft, { removed = false } = {}) {
    setDraft(next);
    setSaved('');
    if (removed) setErrors({});
  }

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!draft || !view) return;
    setSaveError(null);
    setSaved('');
    const parsed = DevicesConfig.safeParse(inputOf(draft, view.config.wedge));
    if (!parsed.success) {
      setErrors(errorsOf(parsed.error.issues, t, i18n.language));
      setChecked((n) => n + 1);
      return;
    }
    setErrors({});
    try {
      await client.call('devices.configure', parsed.data);
      await load();
      setSaved(t('devices.saved'));
    } catch (err) {
      const body = err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) };
      setSaveError(body);
      // The station checks with the same schema; if it still names fields, show them there.
      if (body.issues?.length) {
        setErrors(Object.fromEntries(body.issues.map((i) => [i.path, stationIssueMessage(i, t)])));
        setChecked((n) => n + 1);
      }
    }
  }

  async function testPrint() {
    setError(null);
    try {
      const r = await client.call('devices.testPrint', {});
      setMessage(t('devices.printQueued', { id: r.jobId }));
    } catch (e) {
      setError(e instanceof ApiError ? e.body : { code: 'INTERNAL', message: String(e) });
    }
  }

  const shown = draft ? shownAt(draft) : () => true;
  const elsewhere = Object.entries(errors).filter(([k]) => !shown(k));
  const invalid = Object.keys(errors).length > 0;

  return (
    <main id="main">
      <h1>{t('devices.title')}</h1>
      <section aria-labelledby="dev-list">
        <h2 id="dev-list">{t('devices.connected')}</h2>
        {(view?.states ?? []).length === 0 ? (
          <p>{t('devices.noDevices')}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('devices.id')}</th>
                <th scope="col">{t('devices.kind')}</th>
                <th scope="col">{t('devices.state')}</th>
                <th scope="col">{t('devices.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {(view?.states ?? []).map((d) => (
                <tr key={String(d.id)} data-testid="device-row">
                  <td>{String(d.id)}</td>
                  <td>{t(d.kind === 'printer' ? 'status.printer' : 'status.scanner')}</td>
                  <td>
                    <Badge tone={STATUS_TONES[String(d.status)] ?? 'warning'}>
                      {t(`devices.status.${String(d.status)}`)}
                    </Badge>
                  </td>
                  <td>{d.reason ? String(d.reason) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p aria-live="polite" data-testid="test-scan">
          {t('devices.testScan')}:{' '}
          {lastScan ? `${lastScan.barcode} (${lastScan.kind}, ${lastScan.source})` : t('devices.noScan')}
        </p>
        <button type="button" onClick={() => void testPrint()}>
          {t('devices.testPrint')}
        </button>
        <p aria-live="polite">{message}</p>
        <Problem error={error} />
      </section>
      {draft ? (
        <form ref={form} onSubmit={(e) => void save(e)} aria-labelledby="dev-config" noValidate>
          <h2 id="dev-config">{t('devices.settings')}</h2>
          <section aria-labelledby="dev-scanners">
            <h3 id="dev-scanners">{t('devices.scanners')}</h3>
            {draft.scanners.length === 0 ? <p>{t('devices.noScanners')}</p> : null}
            {draft.scanners.map((s, i) => (
              <ScannerFields
                key={s.key}
                scanner={s}
                n={i + 1}
                errors={errors}
                onChange={(next) =>
                  edit({ ...draft, scanners: draft.scanners.map((x) => (x.key === s.key ? next : x)) })
                }
                onRemove={() => {
                  edit({ ...draft, scanners: draft.scanners.filter((x) => x.key !== s.key) }, { removed: true });
                  addScanner.current?.focus();
                }}
              />
            ))}
            <button
              type="button"
              ref={addScanner}
              onClick={() => {
                const s = newScanner(draft);
                edit({ ...draft, scanners: [...draft.scanners, s] });
                setFocusDevice(s.key);
              }}
            >
              {t('devices.addScanner')}
            </button>
          </section>
          <section aria-labelledby="dev-printers">
            <h3 id="dev-printers">{t('devices.printers')}</h3>
            {draft.printers.length === 0 ? <p>{t('devices.noPrinters')}</p> : null}
            {draft.printers.map((p, i) => (
              <PrinterFields
                key={p.key}
                printer={p}
                n={i + 1}
                errors={errors}
                onChange={(next) =>
                  edit({ ...draft, printers: draft.printers.map((x) => (x.key === p.key ? next : x)) })
                }
                onRemove={() => {
                  edit({ ...draft, printers: draft.printers.filter((x) => x.key !== p.key) }, { removed: true });
                  addPrinter.current?.focus();
                }}
              />
            ))}
            <button
              type="button"
              ref={addPrinter}
              onClick={() => {
                const p = newPrinter(draft);
                edit({ ...draft, printers: [...draft.printers, p] });
                setFocusDevice(p.key);
              }}
            >
              {t('devices.addPrinter')}
            </button>
          </section>
          <SlipFields slips={draft.slips} errors={errors} onChange={(slips) => edit({ ...draft, slips })} />
          {invalid ? (
            <div role="alert" className="problem" data-testid="devices-invalid">
              <p>{t('devices.fixFields')}</p>
              {elsewhere.length ? (
                <ul>
                  {elsewhere.map(([k, m]) => (
                    <li key={k}>
                      {k}: {m}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <Problem error={invalid ? null : saveError} />
          <p role="status" className="saved">
            {saved}
          </p>
          <div className="form-buttons">
            <button type="submit">{t('devices.save')}</button>
          </div>
        </form>
      ) : null}
      <section aria-labelledby="dev-preview">
        <h2 id="dev-preview">{t('devices.preview')}</h2>
        <label htmlFor="slip-kind">{t('devices.slip')}</label>{' '}
        <select id="slip-kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`devices.slips.${k}`)}
            </option>
          ))}
        </select>
        <pre className="slip-preview" data-testid="slip-preview">
          {preview.join('\n')}
        </pre>
      </section>
    </main>
  );
}
