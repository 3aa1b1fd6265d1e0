// The Devices screen's form, apart from React: the saved device settings as the fields show them
// (text as typed), the fields back into the settings the station API takes, and the API schema's
// issues as messages in the desk's language, each under the field it names. The same zod schema
// (src/api/devices-config) checks the form and the station, so the form refuses what the station would.
import type { TFunction } from 'i18next';
import type { ApiInput, ApiOutput } from '../../src/api/contract';
import { CODE_PAGES } from '../../src/api/devices-config';

type Config = ApiOutput<'devices.get'>['config'];
export type DevicesInput = ApiInput<'devices.configure'>;

export const SCANNER_KINDS = ['serial', 'hid'] as const;
export const CONNECTIONS = ['serial', 'usb-file', 'tcp'] as const;
export const DATA_BITS = ['8', '7', '6', '5'] as const;
export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const STOP_BITS = ['1', '1.5', '2'] as const;
export const SUFFIXES = ['CR', 'LF', 'CRLF', 'TAB'] as const;
export const COLUMNS = ['32', '42', '48'] as const;
export const PAPER_WIDTHS = ['58', '80'] as const;
export { CODE_PAGES };

/** Serial line settings as typed. */
export type SerialDraft = { baudRate: string; dataBits: string; parity: string; stopBits: string };
/** `key` tells React which scanner is which while they are added and removed; it is never saved. */
export type ScannerDraft = {
  key: string;
  kind: (typeof SCANNER_KINDS)[number];
  id: string;
  path: string;
  serial: SerialDraft;
  suffix: string;
  vendorId: string;
  productId: string;
};
export type PrinterDraft = {
  key: string;
  id: string;
  connection: (typeof CONNECTIONS)[number];
  /** The serial port or the USB device file. */
  path: string;
  host: string;
  port: string;
  serial: SerialDraft;
  columns: string;
  paperWidth: string;
  codePage: string;
  model: string;
  cashDrawer: boolean;
};
export type SlipsDraft = { libraryName: string; header: string; footer: string; cardDigits: string; language: string };
export type DevicesDraft = { scanners: ScannerDraft[]; printers: PrinterDraft[]; slips: SlipsDraft };

const SERIAL_DEFAULTS: SerialDraft = { baudRate: '9600', dataBits: '8', parity: 'none', stopBits: '1' };
let keys = 0;
const nextKey = () => `d${++keys}`;

/** A USB vendor or product id as lsusb and the scanner's manual write it: 0x05e0. */
export const usbIdText = (n: number | undefined): string =>
  n === undefined ? '' : `0x${n.toString(16).padStart(4, '0')}`;

const serialDraft = (s: { baudRate: number; dataBits: number; parity: string; stopBits: number }): SerialDraft => ({
  baudRate: String(s.baudRate),
  dataBits: String(s.dataBits),
  parity: s.parity,
  stopBits: String(s.stopBits),
});

/** The saved settings as the form shows them. */
export function draftOf(config: Config): DevicesDraft {
  return {
    scanners: config.scanners.map((s) =>
      s.kind === 'serial'
        ? {
            key: nextKey(),
            kind: 'serial',
            id: s.id,
            path: s.path,
            serial: serialDraft(s),
            suffix: s.suffix,
            vendorId: '',
            productId: '',
          }
        : {
            key: nextKey(),
            kind: 'hid',
            id: s.id,
            path: s.path ?? '',
            serial: { ...SERIAL_DEFAULTS },
            suffix: 'CR',
            vendorId: usbIdText(s.vendorId),
            productId: usbIdText(s.productId),
          },
    ),
    printers: config.printers.map((p) => {
      const c = p.connection;
      return {
        key: nextKey(),
        id: p.id,
        connection: c.kind,
        path: c.kind === 'tcp' ? '' : c.path,
        host: c.kind === 'tcp' ? c.host : '',
        port: c.kind === 'tcp' ? String(c.port) : '9100',
        serial: c.kind === 'serial' ? serialDraft(c) : { ...SERIAL_DEFAULTS },
        columns: String(p.columns),
        paperWidth: String(p.paperWidth ?? (p.columns === 32 ? 58 : 80)),
        codePage: p.codePage,
        model: p.model,
        cashDrawer: p.cashDrawer,
      };
    }),
    slips: { ...config.slips, cardDigits: String(config.slips.cardDigits) },
  };
}

/** The first of prefix-1, prefix-2 ... that no device uses yet. */
function freeId(prefix: string, draft: DevicesDraft): string {
  const used = new Set([...draft.scanners, ...draft.printers].map((d) => d.id));
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

export const newScanner = (draft: DevicesDraft): ScannerDraft => ({
  key: nextKey(),
  kind: 'serial',
  id: freeId('scanner', draft),
  path: '',
  serial: { ...SERIAL_DEFAULTS },
  suffix: 'CR',
  vendorId: '',
  productId: '',
});

export const newPrinter = (draft: DevicesDraft): PrinterDraft => ({
  key: nextKey(),
  id: freeId('printer', draft),
  connection: 'tcp',
  path: '',
  host: '',
  port: '9100',
  serial: { ...SERIAL_DEFAULTS },
  columns: '48',
  paperWidth: '80',
  codePage: 'auto',
  model: 'epson-tm-t88vi',
  cashDrawer: false,
});

/** A number as typed; anything else goes to the schema as it is, which names what is wrong with it. */
function num(text: string): number | string | undefined {
  const v = text.trim();
  if (!v) return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** A USB id is hexadecimal, with or without 0x (lsusb shows 05e0). */
function usbId(text: string): number | string | undefined {
  const v = text.trim();
  if (!v) return undefined;
  return /^(0x)?[0-9a-f]{1,4}$/i.test(v) ? parseInt(v.replace(/^0x/i, ''), 16) : v;
}

const serialInput = (s: SerialDraft) => ({
  baudRate: num(s.baudRate),
  dataBits: num(s.dataBits),
  parity: s.parity,
  stopBits: num(s.stopBits),
});

/**
 * The fields as the settings the station takes: not yet checked (the schema does that, and its
 * issues' paths are the fields'). The keyboard-scanner gap is not on this form: it is kept as saved.
 */
export function inputOf(draft: DevicesDraft, wedge: Config['wedge']): unknown {
  return {
    scanners: draft.scanners.map((s) =>
      s.kind === 'serial'
        ? { kind: 'serial', id: s.id.trim(), path: s.path.trim(), ...serialInput(s.serial), suffix: s.suffix }
        : {
            kind: 'hid',
            id: s.id.trim(),
            vendorId: usbId(s.vendorId),
            productId: usbId(s.productId),
            path: s.path.trim() || undefined,
          },
    ),
    printers: draft.printers.map((p) => ({
      id: p.id.trim(),
      connection:
        p.connection === 'tcp'
          ? { kind: 'tcp', host: p.host.trim(), port: num(p.port) }
          : p.connection === 'usb-file'
            ? { kind: 'usb-file', path: p.path.trim() }
            : { kind: 'serial', path: p.path.trim(), ...serialInput(p.serial) },
      columns: num(p.columns),
      paperWidth: num(p.paperWidth),
      codePage: p.codePage,
      model: p.model.trim(),
      cashDrawer: p.cashDrawer,
    })),
    slips: { ...draft.slips, cardDigits: num(draft.slips.cardDigits) },
    wedge,
  };
}

/** What a zod issue carries that the messages use (zod 4's issue shapes, loosely). */
export type SchemaIssue = {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
  params?: Record<string, unknown>;
};

/** Field errors, under the issue's path as the form names its fields: "printers.0.connection.port". */
export type DeviceErrors = Record<string, string>;

/** One schema issue in the desk's language. */
export function issueMessage(issue: SchemaIssue, t: TFunction, language: string): string {
  const last = issue.path[issue.path.length - 1];
  const reason = issue.code === 'custom' ? issue.params?.reason : undefined;
  if (reason === 'paperColumns') {
    const allowed = Array.isArray(issue.params?.allowed) ? issue.params.allowed.map(String) : [];
    return t('devices.errors.paperColumns', {
      ...issue.params,
      allowed: new Intl.ListFormat(language, { type: 'disjunction' }).format(allowed),
    });
  }
  if (reason === 'duplicateId' || reason === 'hidNeedsId') return t(`devices.errors.${reason}`, { ...issue.params });
  // The shared text rules of src/api/schemas.ts: control or text-direction characters.
  if (reason === 'controlCharacters') return t('form.controlCharacters');
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string'
        ? t('form.required')
        : t('devices.errors.atLeast', { min: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'string'
        ? t('form.tooLong', { max: Number(issue.maximum) })
        : t('devices.errors.atMost', { max: Number(issue.maximum) });
    case 'invalid_type':
      if (last === 'vendorId' || last === 'productId') return t('devices.errors.usbId');
      if (issue.expected === 'number' || issue.expected === 'int') return t('devices.errors.wholeNumber');
      return t('form.required');
    case 'invalid_value':
    case 'invalid_union':
      return t('devices.errors.choice');
    default:
      return t('devices.errors.invalid');
  }
}

/** What the station says about a field when it refuses what the schema let through (a USB printer path that is not a device file). */
export type StationIssue = { path: string; message: string; reason?: string; params?: Record<string, string | number> };

const FILE_KINDS = ['file', 'directory', 'block', 'fifo', 'socket', 'other'] as const;

/** The station's issue in the desk's language; one without a reason it knows is "not valid". */
export function stationIssueMessage(issue: StationIssue, t: TFunction): string {
  if (issue.reason !== 'notCharacterDevice') return t('devices.errors.invalid');
  const found = FILE_KINDS.find((k) => k === issue.params?.found) ?? 'other';
  const what = t(`devices.fileKinds.${found}`);
  return t('devices.errors.notCharacterDevice', {
    path: String(issue.params?.path ?? ''),
    found: issue.params?.link ? t('devices.fileKinds.linkTo', { kind: what }) : what,
  });
}

/** Every issue under its field; the first issue for a field is the one shown. */
export function errorsOf(issues: readonly SchemaIssue[], t: TFunction, language: string): DeviceErrors {
  const errors: DeviceErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= issueMessage(issue, t, language);
  }
  return errors;
}
