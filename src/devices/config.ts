// Device settings: what the settings screen saves and the device manager reads. The shapes and
// their checks (columns that fit the paper, unique ids, a HID scanner that can be found) are the
// station API's (src/api/devices-config), so the desk's form refuses exactly what the station
// would; this adds the paper width that follows from the columns when it is not set. Every field
// is optional with a default, so settings saved before still parse.
import { z } from 'zod';
import {
  checkDevices,
  CODE_PAGES,
  COLUMNS_FOR_PAPER,
  PrinterConfig as ApiPrinterConfig,
  ScannerConfig as ApiScannerConfig,
  SerialOptions,
  SlipSettings as ApiSlipSettings,
  WedgeSettings,
} from '../api/devices-config';

export { CODE_PAGES, COLUMNS_FOR_PAPER, SerialOptions };

export const ScannerConfig = ApiScannerConfig;
export type ScannerConfig = z.infer<typeof ScannerConfig>;

export type CodePage = (typeof CODE_PAGES)[number];
export type PaperWidth = keyof typeof COLUMNS_FOR_PAPER;

export const paperWidthFor = (columns: number): PaperWidth => (columns === 32 ? 58 : 80);

/** The API's printer (columns checked against the paper there), with the paper width filled in from the columns when not set. */
export const PrinterConfig = ApiPrinterConfig.transform((p) => ({
  ...p,
  paperWidth: p.paperWidth ?? paperWidthFor(p.columns),
}));
export type PrinterConfig = z.infer<typeof PrinterConfig>;

export const SlipSettings = ApiSlipSettings;
export type SlipSettings = z.infer<typeof SlipSettings>;

const SLIP_DEFAULTS: SlipSettings = { libraryName: '', header: '', footer: '', cardDigits: 4, language: 'en' };

/** The same checks as the API's DevicesConfig (unique ids, a HID scanner that can be found). */
export const DevicesConfig = z
  .object({
    scanners: z.array(ScannerConfig).default([]),
    printers: z.array(PrinterConfig).default([]),
    slips: SlipSettings.default(SLIP_DEFAULTS),
    wedge: WedgeSettings.default({ maxGapMs: 30 }),
  })
  .superRefine(checkDevices);
export type DevicesConfig = z.infer<typeof DevicesConfig>;
export type DevicesConfigInput = z.input<typeof DevicesConfig>;
