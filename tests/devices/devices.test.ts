// Scanners and receipt printers through real ports: socat ptys, a TCP listener on 9100's
// behalf, a file standing in for /dev/usb/lp0. The bytes printed are decoded back to the text
// on the paper.
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BARCODE_RULES, classifyBarcode } from '../../src/domain/barcode';
import { DevicesConfig } from '../../src/devices/config';
import { encodeHidPosReports, HidPosAssembler } from '../../src/devices/hid-pos';
import { DeviceManager, type ScanEvent } from '../../src/devices/manager';
import { patronOnSlip, type Slip } from '../../src/devices/slips/types';
import { decodeEscPos } from './escpos-decoder';
import { ptyPair, until, type PtyPair } from './support';
import { itemBarcode, patronCard } from '../support/station';

const classify = (b: string) => classifyBarcode(DEFAULT_BARCODE_RULES, b);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function peerFd(pair: PtyPair): Promise<number> {
  const fd = openSync(pair.peer, 'r+');
  cleanups.push(() => closeSync(fd));
  return fd;
}
const write = (fd: number, s: string | Buffer) => writeFileSync(fd, s);

const holdSlip: Slip = {
  kind: 'hold',
  patron: patronOnSlip('José', patronCard(42), 4),
  pickupBranch: 'Biblioteca Central',
  shelfExpires: '28 nov 2026',
  title: 'Cien años de soledad',
  itemBarcode: itemBarcode(7),
};

describe('a serial scanner', () => {
  it('turns bursts, split reads and CR LF into scans, ignoring noise and empty lines, and comes back after an unplug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-scan-'));
    let pair = await ptyPair(dir);
    const manager = new DeviceManager(
      DevicesConfig.parse({ scanners: [{ kind: 'serial', id: 'desk-scanner', path: pair.device, baudRate: 9600, suffix: 'CRLF' }] }),
      { classify },
    );
    cleanups.push(() => manager.stop(), () => pair.close());
    const scans: ScanEvent[] = [];
    manager.onScan((s) => scans.push(s));
    await manager.start();
    await until(() => manager.list()[0]?.status === 'connected');
    const fd = await peerFd(pair);

    write(fd, `${itemBarcode(1)}\r\n`);
    write(fd, itemBarcode(2).slice(0, 5));
    await new Promise((r) => setTimeout(r, 30));
    write(fd, `${itemBarcode(2).slice(5)}\r\n\r\n`);
    write(fd, Buffer.from([0x00, 0x07, 0x0d, 0x0a])); // line noise
    write(fd, `${patronCard(3)}\r\n`);
    await until(() => scans.length >= 3);
    expect(scans).toEqual([
      { barcode: itemBarcode(1), kind: 'item', deviceId: 'desk-scanner' },
      { barcode: itemBarcode(2), kind: 'item', deviceId: 'desk-scanner' },
      { barcode: patronCard(3), kind: 'patron', deviceId: 'desk-scanner' },
    ]);

    // Unplug: the pty goes away; the state says so. Plug back in on the same path: scans flow again.
    closeSync(fd);
    cleanups.length = 0;
    cleanups.push(() => manager.stop());
    await pair.close();
    await until(() => manager.list()[0]?.status === 'disconnected');
    pair = await ptyPair(dir);
    cleanups.push(() => pair.close());
    await until(() => manager.list()[0]?.status === 'connected', 15_000);
    const fd2 = await peerFd(pair);
    write(fd2, `${itemBarcode(9)}\r\n`);
    await until(() => scans.length === 4);
    expect(scans[3]!.barcode).toBe(itemBarcode(9));
  }, 30_000);
});

describe('a USB HID point-of-sale scanner', () => {
  it('joins multi-report codes and reads the symbology, through the same parser the device path uses', () => {
    const assembler = new HidPosAssembler();
    const long = `${itemBarcode(1)}-`.repeat(5);
    const reports = encodeHidPosReports(long, ']C0');
    expect(reports.length).toBe(2);
    expect(assembler.push(reports[0]!)).toBeNull();
    expect(assembler.push(reports[1]!)).toEqual({ barcode: long, symbology: ']C0' });
    expect(assembler.push(encodeHidPosReports(patronCard(5), ']F0')[0]!)).toEqual({ barcode: patronCard(5), symbology: ']F0' });
    expect(assembler.push(new Uint8Array([0, 0, 0]))).toBeNull();
  });

  it('is a clear status, not a crash, when USB HID support cannot load', async () => {
    const manager = new DeviceManager(DevicesConfig.parse({ scanners: [{ kind: 'hid', id: 'usb-scanner', vendorId: 0x0c2e, productId: 0x0b61 }] }), {
      classify,
      loadHid: async () => {
        throw new Error('libusb-1.0.so.0: cannot open shared object file');
      },
    });
    await manager.start();
    expect(manager.list()).toEqual([{ id: 'usb-scanner', kind: 'scanner', status: 'unavailable', reason: expect.stringContaining('libusb') }]);
  });

  it('reports an absent USB scanner as disconnected with the real node-hid', async () => {
    const manager = new DeviceManager(DevicesConfig.parse({ scanners: [{ kind: 'hid', id: 'usb-scanner', vendorId: 0xfffe, productId: 0xfffe }] }), { classify });
    cleanups.push(() => manager.stop());
    await manager.start();
    expect(manager.list()[0]).toMatchObject({ status: 'disconnected', reason: 'no such USB scanner is plugged in' });
  });
});

describe('receipt printers', () => {
  it('prints a hold slip on a serial printer: accented names, the barcode, the cut', async () => {
    const pair = await ptyPair();
    cleanups.push(() => pair.close());
    // The printer's end of the cable, read the way the station reads a scanner.
    const received: Buffer[] = [];
    const printerEnd = new SerialPort({ path: pair.peer, baudRate: 115200 });
    printerEnd.on('data', (d: Buffer) => received.push(d));
    await new Promise((r) => printerEnd.once('open', r));
    cleanups.push(() => new Promise<void>((r) => printerEnd.close(() => r())));
    const manager = new DeviceManager(
      DevicesConfig.parse({
        printers: [{ id: 'desk-printer', connection: { kind: 'serial', path: pair.device, baudRate: 115200 }, columns: 32 }],
        slips: { libraryName: 'Biblioteca Municipal', footer: 'Horario: L-V 9-20', language: 'es', cardDigits: 4 },
      }),
      { classify },
    );
    manager.print(holdSlip);
    await manager.idle();
    await until(() => Buffer.concat(received).includes(Buffer.from([0x1d, 0x56])));
    const paper = decodeEscPos(Buffer.concat(received));
    expect(paper.text).toContain('Biblioteca Municipal');
    expect(paper.text).toContain('RESERVA');
    expect(paper.text).toContain(`José *${patronCard(42).slice(-4)}`);
    expect(paper.text).not.toContain(patronCard(42)); // the whole card number never prints
    expect(paper.text).toContain('Cien años de soledad');
    expect(paper.commands).toContainEqual({ cmd: 'barcode', symbology: 73, data: itemBarcode(7) });
    expect(paper.commands.at(-1)).toEqual({ cmd: 'cut' });
  }, 20_000);

  it('prints to a network printer on TCP, queueing while it is down and printing when it comes up', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const manager = new DeviceManager(
      DevicesConfig.parse({ printers: [{ id: 'net', connection: { kind: 'tcp', host: '127.0.0.1', port }, columns: 48, cashDrawer: true }] }),
      { classify },
    );
    const slip: Slip = { kind: 'payment', patron: patronOnSlip('Ana', patronCard(1), 4), at: '22/11/2026 10:00', paid: '$4.00', tendered: '$5.00', change: '$1.00', remaining: '$0.00' };
    const job = manager.print(slip, { kickDrawer: true });
    await until(() => manager.list()[0]?.status === 'disconnected');
    expect(manager.printJobs()[0]).toMatchObject({ id: job.id, status: 'queued' });

    const chunks: Buffer[] = [];
    const server: Server = createServer((socket) => socket.on('data', (d) => chunks.push(d)));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    await manager.idle();
    expect(manager.printJobs()[0]).toMatchObject({ status: 'printed' });
    const paper = decodeEscPos(Buffer.concat(chunks));
    expect(paper.text).toMatch(/Change\s+\$1\.00/);
    expect(paper.commands).toContainEqual({ cmd: 'drawer', pin: 0 });
    expect(manager.list()[0]).toMatchObject({ status: 'connected' });
  }, 30_000);

  it('writes to a USB printer device file, and previews exactly the printed lines', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'circa-lp-')), 'lp0');
    writeFileSync(file, '');
    const manager = new DeviceManager(DevicesConfig.parse({ printers: [{ id: 'usb', connection: { kind: 'usb-file', path: file }, columns: 32 }] }), { classify });
    const transit: Slip = { kind: 'transit', destinationBranch: 'North', title: 'Dune', itemBarcode: itemBarcode(3), at: '2026-11-22' };
    manager.print(transit);
    await manager.idle();
    const paper = decodeEscPos(readFileSync(file));
    const preview = manager.preview(transit);
    const printedText = paper.lines.map((l) => l.trim()).filter((l) => l && !/^[─-]+$/.test(l));
    const previewText = preview.map((l) => l.trim()).filter((l) => l && !/^[-]+$/.test(l) && !l.startsWith('|||'));
    expect(printedText).toEqual(previewText);
    expect(preview.every((l) => l.length <= 32)).toBe(true);
  });

  it('never drops a job for a missing printer silently: it is reported failed after its attempts', async () => {
    const manager = new DeviceManager(
      DevicesConfig.parse({ printers: [{ id: 'gone', connection: { kind: 'usb-file', path: '/nonexistent/usb/lp9' } }] }),
      { classify, maxPrintAttempts: 2 },
    );
    manager.testPrint();
    await manager.idle();
    expect(manager.printJobs()[0]).toMatchObject({ status: 'failed', attempts: 2, lastError: expect.stringContaining('ENOENT') });
    expect(manager.list()[0]).toMatchObject({ status: 'disconnected' });
  });
});
