// Device settings, as the settings screen saves them and the station reads them.
import { z } from 'zod';
import { MultiLine, SingleLine } from './schemas';

// Lengths: a device id is a short name; a path or a host name fits the longest the OS allows.
const DeviceId = SingleLine(64).min(1);
const DevicePath = SingleLine(260).min(1);

export const SerialOptions = z.object({
  path: DevicePath,
  baudRate: z.number().int().positive().max(4_000_000).default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
});

export const ScannerConfig = z.discriminatedUnion('kind', [
  SerialOptions.extend({
    kind: z.literal('serial'),
    id: DeviceId,
    suffix: z.enum(['CR', 'LF', 'CRLF', 'TAB']).default('CR'),
  }),
  z.object({
    kind: z.literal('hid'),
    id: DeviceId,
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    path: SingleLine(260).optional(),
  }),
]);

/** Code pages a receipt printer can be set to; "auto" lets the encoder switch per character. */
export const CODE_PAGES = ['auto', 'cp437', 'cp850', 'cp858', 'cp860', 'cp863', 'cp865', 'windows1252'] as const;

/** Which columns fit which paper in font A: 58 mm takes 32; 80 mm takes 48, or 42 on some Epson models. */
export const COLUMNS_FOR_PAPER = { 58: [32], 80: [42, 48] } as const;

/**
 * The checks below carry `params.reason` (and what the message needs) besides the English
 * message, so the desk's settings form can say them in its own language next to the field.
 */
export const PrinterConfig = z
  .object({
    id: DeviceId,
    connection: z.discriminatedUnion('kind', [
      SerialOptions.extend({ kind: z.literal('serial') }),
      z.object({ kind: z.literal('usb-file'), path: DevicePath }),
      z.object({
        kind: z.literal('tcp'),
        host: SingleLine(253).min(1),
        port: z.number().int().min(1).max(65535).default(9100),
      }),
    ]),
    /** 58 mm paper: 32 columns; 80 mm: 48 (42 on some Epson models). */
    columns: z.union([z.literal(32), z.literal(42), z.literal(48)]).default(48),
    /** Paper width in mm, when set, must agree with the columns (see src/devices/config.ts). */
    paperWidth: z.union([z.literal(58), z.literal(80)]).optional(),
    /** The printer's code page for accented text; 'auto' picks a well-supported one per slip. */
    codePage: z.enum(CODE_PAGES).default('auto'),
    /** The encoder's printer model (command dialect and code page numbers). */
    model: SingleLine(64).min(1).default('epson-tm-t88vi'),
    cashDrawer: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.paperWidth === undefined) return;
    const allowed: readonly number[] = COLUMNS_FOR_PAPER[p.paperWidth];
    if (!allowed.includes(p.columns)) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: `${p.paperWidth} mm paper takes ${allowed.join(' or ')} columns, not ${p.columns}`,
        params: { reason: 'paperColumns', paperWidth: p.paperWidth, allowed, columns: p.columns },
      });
    }
  });

export const SlipSettings = z.object({
  /**
   * The name at the head of every slip; empty: the library's own name (Settings › Library), so
   * it is kept in one place. 'Library', the old default, counts as empty: a station set up
   * before printed "Library" and now prints the library's name.
   */
  libraryName: SingleLine(200)
    .trim()
    .default('')
    .transform((name) => (name === 'Library' ? '' : name)),
  /** Printed above and below every slip: a few lines, no control characters (they would reach the printer as commands). */
  header: MultiLine(1000).default(''),
  footer: MultiLine(1000).default(''),
  /** How many trailing digits of the card a slip shows. */
  cardDigits: z.number().int().min(0).max(8).default(4),
  language: z.enum(['en', 'es']).default('en'),
});

/**
 * Keyboard-wedge scanners at this station: the longest usual gap between two keys of one scan.
 * 30 ms suits most scanners; a slow PC, a USB hub or some Zebra models need up to ~100.
 */
export const WedgeSettings = z.object({
  maxGapMs: z.number().int().min(10).max(250).default(30),
});

type DeviceIds = {
  scanners: readonly { id: string; kind: string; path?: string; vendorId?: number; productId?: number }[];
  printers: readonly { id: string }[];
};

/**
 * What holds across devices: ids unique across scanners and printers (scans and print jobs name
 * their device by id; the issue is on the second one's id), and a HID scanner that can be found.
 */
export function checkDevices(c: DeviceIds, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  [...c.scanners.map((s) => s.id), ...c.printers.map((p) => p.id)].forEach((id, i) => {
    const path = i < c.scanners.length ? ['scanners', i, 'id'] : ['printers', i - c.scanners.length, 'id'];
    if (seen.has(id))
      ctx.addIssue({
        code: 'custom',
        path,
        message: `device id "${id}" is used twice`,
        params: { reason: 'duplicateId', id },
      });
    seen.add(id);
  });
  for (const [i, s] of c.scanners.entries()) {
    if (s.kind === 'hid' && !s.path && (s.vendorId === undefined || s.productId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scanners', i],
        message: 'a USB HID scanner needs a path, or a vendor id and a product id',
        params: { reason: 'hidNeedsId' },
      });
    }
  }
}

export const DevicesConfig = z
  .object({
    scanners: z.array(ScannerConfig).max(20).default([]),
    printers: z.array(PrinterConfig).max(20).default([]),
    slips: SlipSettings.default({ libraryName: '', header: '', footer: '', cardDigits: 4, language: 'en' }),
    wedge: WedgeSettings.default({ maxGapMs: 30 }),
  })
  .superRefine(checkDevices);

export type DevicesConfig = z.infer<typeof DevicesConfig>;
export type ScannerConfig = z.infer<typeof ScannerConfig>;
export type PrinterConfig = z.infer<typeof PrinterConfig>;
export type SlipSettings = z.infer<typeof SlipSettings>;
export type WedgeSettings = z.infer<typeof WedgeSettings>;
