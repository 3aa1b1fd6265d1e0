// USB HID point-of-sale scanners (usage page 0x8C). Each input report carries the number of data
// bytes, a 3-byte AIM symbology identifier and up to 56 data bytes; the last byte's low bit says
// that more reports of the same barcode follow. Pure: the device path and the tests feed it the
// same bytes.

export const HID_POS_USAGE_PAGE = 0x8c;
const DATA_OFFSET = 4;
const MAX_DATA = 56;

export interface HidPosReport {
  symbology: string;
  data: string;
  more: boolean;
}

/** Parses one report (without the report id byte, as node-hid gives it on Linux when the id is 0; a leading 0x02 id is dropped). */
export function parseHidPosReport(bytes: Uint8Array): HidPosReport | null {
  let b = bytes;
  if (b.length === 64 && b[0] === 0x02 && b[1]! <= MAX_DATA) b = b.subarray(1);
  if (b.length < DATA_OFFSET + 1) return null;
  const length = b[0]!;
  if (length === 0 || length > MAX_DATA || DATA_OFFSET + length > b.length) return null;
  const symbology = String.fromCharCode(b[1]!, b[2]!, b[3]!).replace(/\0/g, '');
  const data = Buffer.from(b.subarray(DATA_OFFSET, DATA_OFFSET + length)).toString('latin1');
  const more = (b[b.length - 1]! & 0x01) === 1;
  return { symbology, data, more };
}

/** Joins multi-report barcodes: feed reports, get a barcode when the last one arrives. */
export class HidPosAssembler {
  private parts: string[] = [];

  push(bytes: Uint8Array): { barcode: string; symbology: string } | null {
    const report = parseHidPosReport(bytes);
    if (!report) return null;
    this.parts.push(report.data);
    if (report.more) return null;
    const barcode = this.parts.join('').replace(/[\r\n\t]+$/, '');
    this.parts = [];
    return barcode ? { barcode, symbology: report.symbology } : null;
  }
}

/** Makes the reports a scanner would send for a barcode: for tests and for recording fixtures. */
export function encodeHidPosReports(barcode: string, symbology = ']C0', reportSize = 63): Uint8Array[] {
  const out: Uint8Array[] = [];
  const bytes = Buffer.from(barcode, 'latin1');
  for (let i = 0; i < bytes.length; i += MAX_DATA) {
    const chunk = bytes.subarray(i, i + MAX_DATA);
    const report = new Uint8Array(reportSize);
    report[0] = chunk.length;
    report.set(Buffer.from(symbology.padEnd(3, '\0').slice(0, 3), 'latin1'), 1);
    report.set(chunk, DATA_OFFSET);
    report[reportSize - 1] = i + MAX_DATA < bytes.length ? 1 : 0;
    out.push(report);
  }
  return out;
}
