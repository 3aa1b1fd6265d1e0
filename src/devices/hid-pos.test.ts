import { describe, expect, it } from 'vitest';
import { encodeHidPosReports, HidPosAssembler, parseHidPosReport } from './hid-pos';

// Input reports in the layout a Honeywell scanner sends in HID POS mode (usage page 0x8C): report
// id 2, data length, AIM symbology id, 56 data bytes, vendor symbology byte, reserved byte, and
// the "more reports follow" flag in the last byte. Hand-made to that layout (no scanner was
// attached here); the same bytes a device would give node-hid.
function report(id: number | null, data: string, aim: string, more: boolean): Uint8Array {
  const body = Buffer.alloc(63);
  body[0] = data.length;
  body.write(aim, 1, 'latin1');
  body.write(data, 4, 'latin1');
  body[60] = 0x6a; // vendor's own symbology code: ignored
  body[62] = more ? 1 : 0;
  return id === null ? body : Buffer.concat([Buffer.from([id]), body]);
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('HID POS scanner reports', () => {
  it('reads the barcode and the AIM symbology, with or without the report id byte', () => {
    expect(parseHidPosReport(report(2, 'A31234000000070B', ']F0', false))).toEqual({
      symbology: ']F0',
      data: 'A31234000000070B',
      more: false,
    });
    expect(parseHidPosReport(report(null, '9780306406157', ']E0', false))).toEqual({
      symbology: ']E0',
      data: '9780306406157',
      more: false,
    });
  });

  it('joins a barcode that spans two reports', () => {
    const long = 'ISBN9780306406157-COPY-0001-BRANCH-NORTH-SHELF-A12-LOCATION-3-4-5-6-7';
    const a = new HidPosAssembler();
    expect(a.push(report(2, long.slice(0, 56), ']C0', true))).toBeNull();
    expect(a.push(report(2, long.slice(56), ']C0', false))).toEqual({ barcode: long, symbology: ']C0' });
    // The next barcode starts afresh.
    expect(a.push(report(2, '31234000000070', ']C0', false))).toEqual({ barcode: '31234000000070', symbology: ']C0' });
  });

  it('drops the scanner suffix and ignores empty or malformed reports', () => {
    const a = new HidPosAssembler();
    expect(a.push(report(2, '31234000000070\r', ']C0', false))).toEqual({
      barcode: '31234000000070',
      symbology: ']C0',
    });
    expect(a.push(report(2, '', ']C0', false))).toBeNull();
    expect(a.push(new Uint8Array([3, 0x5d]))).toBeNull();
    expect(a.push(new Uint8Array([60, 0x5d, 0x43, 0x30, 0x31]))).toBeNull(); // length beyond the report
  });

  it('makes the same reports it reads (the fixture writer)', () => {
    const [made] = encodeHidPosReports('31234000000070', ']F0');
    expect(parseHidPosReport(made!)).toEqual({ symbology: ']F0', data: '31234000000070', more: false });
    expect(hex(made!).slice(0, 8)).toBe(hex(report(null, '31234000000070', ']F0', false)).slice(0, 8));
  });
});
