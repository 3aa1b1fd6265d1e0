// Device settings: what the settings screen saves and the device manager reads. The shapes the
// station API already knows (src/api/devices-config) are the base; this adds what only the device
// code needs (paper width, code page, printer model) and checks that the parts agree. Every new
// field is optional with a default, so settings saved before still parse.
import { z } from 'zod';
import {
  PrinterConfig as ApiPrinterConfig,
  ScannerConfig as ApiScannerConfig,
  SerialOptions,
  SlipSettings as ApiSlipSettings,
  WedgeSettings,
} from '../api/devices-config';

export { SerialOptions };

export const ScannerConfig = ApiScannerConfig;
export type ScannerConfig = z.infer<typeof ScannerConfig>;

/** Code pages a receipt printer can be set to; "auto" lets the encoder switch per character. */
export const CODE_PAGES = ['auto', 'cp437', 'cp850', 'cp858', 'cp860', 'cp863', 'cp865', 'windows1252'] as const;
export type CodePage = (typeof CODE_PAGES)[number];

/** Which columns fit which paper in font A: 58 mm takes 32; 80 mm takes 48, or 42 on some Epson models. */
export const COLUMNS_FOR_PAPER = { 58: [32], 80: [42, 48] } as const;
export type PaperWidth = keyof typeof COLUMNS_FOR_PAPER;

export const paperWidthFor = (columns: number): PaperWidth => (columns === 32 ? 58 : 80);

export const PrinterConfig = ApiPrinterConfig.extend({
  paperWidth: z.union([z.literal(58), z.literal(80)]).optional(),
  codePage: z.enum(CODE_PAGES).default('auto'),
  /** Code page numbers differ per vendor; the model picks the right table (Epson's by default). */
  model: z.string().min(1).default('epson-tm-t88vi'),
})
  .superRefine((p, ctx) => {
    if (p.paperWidth === undefined) return;
    const allowed: readonly number[] = COLUMNS_FOR_PAPER[p.paperWidth];
    if (!allowed.includes(p.columns)) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: `${p.paperWidth} mm paper takes ${allowed.join(' or ')} columns, not ${p.columns}` });
    }
  })
  .transform((p) => ({ ...p, paperWidth: p.paperWidth ?? paperWidthFor(p.columns) }));
export type PrinterConfig = z.infer<typeof PrinterConfig>;

export const SlipSettings = ApiSlipSettings;
export type SlipSettings = z.infer<typeof SlipSettings>;

const SLIP_DEFAULTS: SlipSettings = { libraryName: 'Library', header: '', footer: '', cardDigits: 4, language: 'en' };

export const DevicesConfig = z
  .object({
    scanners: z.array(ScannerConfig).default([]),
    printers: z.array(PrinterConfig).default([]),
    slips: SlipSettings.default(SLIP_DEFAULTS),
    wedge: WedgeSettings.default({ maxGapMs: 30 }),
  })
  .superRefine((c, ctx) => {
    // Scans and print jobs name their device by id, so ids must be unique across all devices.
    const seen = new Set<string>();
    [...c.scanners.map((s) => s.id), ...c.printers.map((p) => p.id)].forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i < c.scanners.length ? 'scanners' : 'printers'], message: `device id "${id}" is used twice` });
      seen.add(id);
    });
    for (const [i, s] of c.scanners.entries()) {
      if (s.kind === 'hid' && !s.path && (s.vendorId === undefined || s.productId === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['scanners', i], message: 'a USB HID scanner needs a path, or a vendor id and a product id' });
      }
    }
  });
export type DevicesConfig = z.infer<typeof DevicesConfig>;
export type DevicesConfigInput = z.input<typeof DevicesConfig>;
