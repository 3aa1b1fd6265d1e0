import { describe, expect, it } from 'vitest';
import { DevicesConfig as ApiDevicesConfig } from '../api/devices-config';
import { DevicesConfig } from './config';

const usb = { id: 'p', connection: { kind: 'usb-file', path: '/dev/usb/lp0' } };

describe('device settings', () => {
  it('fills in serial defaults (9600 8N1, CR) and printer defaults (48 columns on 80 mm, auto code page)', () => {
    const c = DevicesConfig.parse({ scanners: [{ kind: 'serial', id: 's', path: '/dev/ttyACM0' }], printers: [usb] });
    expect(c.scanners[0]).toEqual({
      kind: 'serial',
      id: 's',
      path: '/dev/ttyACM0',
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      suffix: 'CR',
    });
    expect(c.printers[0]).toMatchObject({ columns: 48, paperWidth: 80, codePage: 'auto', cashDrawer: false });
    expect(c.slips).toEqual({ libraryName: '', header: '', footer: '', cardDigits: 4, language: 'en' });
  });

  it("reads the old default slip name, 'Library', as none, so slips print the library's own name", () => {
    expect(DevicesConfig.parse({ slips: { libraryName: 'Library' } }).slips.libraryName).toBe('');
    expect(DevicesConfig.parse({ slips: { libraryName: '  Bibliobús ' } }).slips.libraryName).toBe('Bibliobús');
  });

  it('matches columns to the paper: 58 mm takes 32, 80 mm takes 42 or 48', () => {
    expect(DevicesConfig.parse({ printers: [{ ...usb, paperWidth: 58, columns: 32 }] }).printers[0]!.paperWidth).toBe(
      58,
    );
    expect(DevicesConfig.parse({ printers: [{ ...usb, columns: 32 }] }).printers[0]!.paperWidth).toBe(58);
    expect(DevicesConfig.parse({ printers: [{ ...usb, paperWidth: 80, columns: 42 }] }).printers[0]!.columns).toBe(42);
    expect(DevicesConfig.safeParse({ printers: [{ ...usb, paperWidth: 58, columns: 48 }] }).success).toBe(false);
    expect(DevicesConfig.safeParse({ printers: [{ ...usb, paperWidth: 80, columns: 32 }] }).success).toBe(false);
    expect(DevicesConfig.safeParse({ printers: [{ ...usb, columns: 40 }] }).success).toBe(false);
  });

  it('takes a TCP printer on port 9100 unless told otherwise, and serial printer settings', () => {
    const c = DevicesConfig.parse({
      printers: [
        { id: 'net', connection: { kind: 'tcp', host: '10.0.0.7' } },
        {
          id: 'ser',
          connection: {
            kind: 'serial',
            path: '/dev/ttyUSB0',
            baudRate: 19200,
            parity: 'even',
            dataBits: 7,
            stopBits: 2,
          },
          codePage: 'cp858',
          cashDrawer: true,
        },
      ],
    });
    expect(c.printers[0]!.connection).toEqual({ kind: 'tcp', host: '10.0.0.7', port: 9100 });
    expect(c.printers[1]).toMatchObject({
      codePage: 'cp858',
      cashDrawer: true,
      connection: { baudRate: 19200, parity: 'even', dataBits: 7, stopBits: 2 },
    });
  });

  it('refuses what cannot work: an unknown suffix, a HID scanner with nothing to find it by, the same id twice', () => {
    expect(
      DevicesConfig.safeParse({ scanners: [{ kind: 'serial', id: 's', path: '/dev/ttyS0', suffix: 'ETX' }] }).success,
    ).toBe(false);
    expect(DevicesConfig.safeParse({ scanners: [{ kind: 'hid', id: 'h', vendorId: 0x0c2e }] }).success).toBe(false);
    expect(
      DevicesConfig.safeParse({ scanners: [{ kind: 'hid', id: 'h', vendorId: 0x0c2e, productId: 0x0b61 }] }).success,
    ).toBe(true);
    expect(DevicesConfig.safeParse({ scanners: [{ kind: 'hid', id: 'h', path: '/dev/hidraw0' }] }).success).toBe(true);
    expect(
      DevicesConfig.safeParse({
        scanners: [{ kind: 'hid', id: 'x', path: '/dev/hidraw0' }],
        printers: [{ ...usb, id: 'x' }],
      }).success,
    ).toBe(false);
    expect(DevicesConfig.safeParse({ slips: { cardDigits: 12 } }).success).toBe(false);
    expect(DevicesConfig.safeParse({ printers: [{ ...usb, codePage: 'klingon' }] }).success).toBe(false);
  });

  it('names the field each refusal is about, with what the settings screen needs to say it in its own language', () => {
    const issues = (input: unknown) =>
      DevicesConfig.safeParse(input).error?.issues.map((i) => ({
        path: i.path,
        params: 'params' in i ? i.params : undefined,
      }));
    expect(issues({ printers: [{ ...usb, paperWidth: 58, columns: 48 }] })).toEqual([
      {
        path: ['printers', 0, 'columns'],
        params: { reason: 'paperColumns', paperWidth: 58, allowed: [32], columns: 48 },
      },
    ]);
    expect(
      issues({ scanners: [{ kind: 'hid', id: 'x', path: '/dev/hidraw0' }], printers: [usb, { ...usb, id: 'x' }] }),
    ).toEqual([{ path: ['printers', 1, 'id'], params: { reason: 'duplicateId', id: 'x' } }]);
    expect(issues({ scanners: [{ kind: 'hid', id: 'h', productId: 1 }] })).toEqual([
      { path: ['scanners', 0], params: { reason: 'hidNeedsId' } },
    ]);
    // The station API checks the same, so the desk's form and the station refuse alike.
    expect(ApiDevicesConfig.safeParse({ printers: [{ ...usb, paperWidth: 80, columns: 32 }] }).success).toBe(false);
    expect(
      ApiDevicesConfig.safeParse({ scanners: [{ kind: 'hid', id: 'p', path: '/dev/hidraw0' }], printers: [usb] })
        .success,
    ).toBe(false);
  });
});
