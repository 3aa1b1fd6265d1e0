// Scanners and receipt printers through real ports: socat ptys, a TCP listener on 9100's
// behalf, a pty standing in for /dev/usb/lp0 (a character device, as a USB printer's is). The bytes printed are decoded back to the text
// on the paper and compared with the preview.
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BARCODE_RULES, classifyBarcode } from '../../src/domain/barcode';
import { DevicesConfig, type DevicesConfigInput } from '../../src/devices/config';
import { encodeHidPosReports } from '../../src/devices/hid-pos';
import { createDeviceManager, type DeviceManagerDeps, type HidModule, type ScanEvent } from '../../src/devices/manager';
import { barcodePreview } from '../../src/devices/slips/render';
import { patronOnSlip, type Slip } from '../../src/devices/slips/types';
import type { DeviceState } from '../../src/devices/state';
import { decodeEscPos, type Decoded } from './escpos-decoder';
import { ptyPair, ptyPrinter, until } from './support';
import { itemBarcode, patronCard } from '../support/station';

const classify = (b: string) => classifyBarcode(DEFAULT_BARCODE_RULES, b);
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function devices(input: DevicesConfigInput, deps: Partial<DeviceManagerDeps> = {}) {
  const logged: string[] = [];
  const d = createDeviceManager(DevicesConfig.parse(input), {
    classify,
    log: (m) => logged.push(m),
    printerCheckMs: 200,
    ...deps,
  });
  cleanups.push(() => d.stop());
  return Object.assign(d, {
    logged,
    state: (id: string): DeviceState | undefined => d.states().find((s) => s.id === id),
  });
}

function tmpDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The paper as the preview shows it: barcodes as their preview line. */
function paperText(paper: Decoded, columns: number): string[] {
  return paper.paper.map((p) => (p.kind === 'barcode' ? barcodePreview(p.value, columns) : p.text));
}

const spanish = {
  libraryName: 'Biblioteca Municipal',
  header: 'Sucursal Norte',
  footer: 'Horario: L-V 9-20',
  language: 'es' as const,
  cardDigits: 4,
};
const card = patronCard(42);
const jose = patronOnSlip('José', card, 4);

const holdSlip: Slip = {
  kind: 'hold',
  patron: jose,
  pickupBranch: 'Biblioteca Central',
  shelfExpires: '28 nov 2026',
  title: 'Cien años de soledad',
  itemBarcode: itemBarcode(7),
};
const allSlips: Slip[] = [
  {
    kind: 'checkout',
    patron: patronOnSlip('Ana', patronCard(1), 4),
    at: '22/11/2026 10:00',
    lines: [
      { title: 'La casa de los espíritus', barcode: itemBarcode(1), detail: '13/12/2026' },
      { title: 'Rayuela', barcode: itemBarcode(2), detail: '13/12/2026' },
    ],
  },
  {
    kind: 'checkin',
    at: '22/11/2026 10:01',
    lines: [{ title: 'Pedro Páramo', barcode: itemBarcode(3), detail: 'Estante' }],
  },
  holdSlip,
  {
    kind: 'transit',
    destinationBranch: 'Peñalara',
    fromBranch: 'Norte',
    title: 'Niebla',
    itemBarcode: itemBarcode(4),
    at: '22/11/2026',
  },
  {
    kind: 'payment',
    patron: patronOnSlip('Inés', patronCard(2), 4),
    at: '22/11/2026 10:02',
    paid: '4,00 €',
    tendered: '5,00 €',
    change: '1,00 €',
    remaining: '0,00 €',
  },
];

describe('a serial scanner', () => {
  it('turns bursts, split reads and CR LF into scans, ignoring noise and empty lines, and comes back after an unplug', async () => {
    const dir = tmpDir('circa-scan-');
    let pair = await ptyPair(dir);
    cleanups.push(() => pair.close());
    const d = devices({
      scanners: [{ kind: 'serial', id: 'desk-scanner', path: pair.device, baudRate: 9600, suffix: 'CRLF' }],
    });
    const scans: ScanEvent[] = [];
    const states: string[] = [];
    d.onScan((s) => scans.push(s));
    d.onState((s) => states.push(s.status));
    await d.start();
    await until(() => d.state('desk-scanner')?.status === 'connected');
    let fd = openSync(pair.peer, 'r+');

    writeFileSync(fd, `${itemBarcode(1)}\r\n${patronCard(1)}\r\n`); // a burst: two scans in one write
    writeFileSync(fd, itemBarcode(2).slice(0, 5));
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(fd, itemBarcode(2).slice(5, 9));
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(fd, `${itemBarcode(2).slice(9)}\r\n\r\n\r\n`);
    writeFileSync(fd, Buffer.from([0x00, 0x07, 0xfe, 0x0d, 0x0a])); // line noise
    writeFileSync(fd, `${patronCard(3)}\r\n`);
    await until(() => scans.length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(scans).toEqual([
      { barcode: itemBarcode(1), kind: 'item', deviceId: 'desk-scanner' },
      { barcode: patronCard(1), kind: 'patron', deviceId: 'desk-scanner' },
      { barcode: itemBarcode(2), kind: 'item', deviceId: 'desk-scanner' },
      { barcode: patronCard(3), kind: 'patron', deviceId: 'desk-scanner' },
    ]);

    // Unplug: socat goes away with both ptys; the state says so, with a reason.
    closeSync(fd);
    await pair.close();
    await until(() => d.state('desk-scanner')?.status === 'disconnected');
    expect(d.state('desk-scanner')!.reason).toBeTruthy();

    // Plug back in on the same path: connected again by itself, and scans flow again.
    pair = await ptyPair(dir);
    await until(() => d.state('desk-scanner')?.status === 'connected', 15_000);
    fd = openSync(pair.peer, 'r+');
    cleanups.push(() => closeSync(fd));
    writeFileSync(fd, `${itemBarcode(9)}\r\n`);
    await until(() => scans.length === 5);
    expect(scans[4]).toEqual({ barcode: itemBarcode(9), kind: 'item', deviceId: 'desk-scanner' });
    expect(states).toEqual(expect.arrayContaining(['connected', 'disconnected']));
    expect(d.logged.join('\n')).toMatch(/scanner desk-scanner: disconnected/);
    expect(d.logged.join('\n')).not.toContain(itemBarcode(1)); // the log never carries what was scanned
  }, 40_000);

  it('says why when the port is not there, and connects once it appears', async () => {
    const dir = tmpDir('circa-scan-late-');
    const d = devices({ scanners: [{ kind: 'serial', id: 's', path: join(dir, 'device'), suffix: 'CR' }] });
    await d.start();
    await until(() => d.state('s')?.reason?.includes('cannot open'));
    expect(d.state('s')).toMatchObject({ status: 'disconnected' });
    const pair = await ptyPair(dir);
    cleanups.push(() => pair.close());
    await until(() => d.state('s')?.status === 'connected', 15_000);
  }, 20_000);
});

/**
 * The node-hid device path with recorded reports. No virtual HID device can be made on this
 * machine (no uhid), so this stand-in plays the USB scanner: it lists one device and hands the
 * manager the reports a scanner sends; everything after that is the code the real device uses.
 */
function recordedHid() {
  const device = Object.assign(new EventEmitter(), { closed: false, close: async () => void (device.closed = true) });
  let plugged = true;
  const hid: HidModule = {
    devices: () => (plugged ? [{ path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c }] : []),
    HIDAsync: { open: async () => device as never },
  };
  return {
    hid,
    device,
    unplug: () => ((plugged = false), device.emit('error', new Error('could not read from HID device'))),
    plug: () => (plugged = true),
  };
}

describe('a USB HID point-of-sale scanner', () => {
  it('turns reports into scans with their symbology and device, joining multi-report codes, and recovers from an unplug', async () => {
    const usb = recordedHid();
    const d = devices(
      { scanners: [{ kind: 'hid', id: 'usb-scanner', vendorId: 0x0c2e, productId: 0x0b61 }] },
      { loadHid: async () => usb.hid },
    );
    const scans: ScanEvent[] = [];
    d.onScan((s) => scans.push(s));
    await d.start();
    expect(d.state('usb-scanner')).toMatchObject({ status: 'connected', reason: null });
    for (const r of encodeHidPosReports(patronCard(5), ']F0')) usb.device.emit('data', Buffer.from(r));
    const long = `${itemBarcode(1)}-`.repeat(5);
    const reports = encodeHidPosReports(long, ']C0');
    expect(reports).toHaveLength(2);
    for (const r of reports) usb.device.emit('data', Buffer.from(r));
    expect(scans).toEqual([
      { barcode: patronCard(5), kind: 'patron', deviceId: 'usb-scanner', symbology: ']F0' },
      { barcode: long, kind: 'unknown', deviceId: 'usb-scanner', symbology: ']C0' },
    ]);

    usb.unplug();
    expect(d.state('usb-scanner')).toMatchObject({
      status: 'disconnected',
      reason: expect.stringContaining('went away'),
    });
    expect(usb.device.closed).toBe(true);
    usb.plug();
    await until(() => d.state('usb-scanner')?.status === 'connected');
  });

  it('is a clear status, not a crash, when USB HID support cannot load', async () => {
    const d = devices(
      { scanners: [{ kind: 'hid', id: 'usb-scanner', vendorId: 0x0c2e, productId: 0x0b61 }] },
      {
        loadHid: async () => {
          throw new Error('libusb-1.0.so.0: cannot open shared object file');
        },
      },
    );
    await d.start();
    expect(d.states()).toEqual([
      { id: 'usb-scanner', kind: 'scanner', status: 'unavailable', reason: expect.stringContaining('libusb-1.0.so.0') },
    ]);
  });

  it('reports an absent USB scanner as disconnected with the real node-hid', async () => {
    const d = devices({ scanners: [{ kind: 'hid', id: 'usb-scanner', vendorId: 0xfffe, productId: 0xfffe }] });
    await d.start();
    expect(d.state('usb-scanner')).toMatchObject({
      status: expect.stringMatching(/disconnected|unavailable/),
      reason: expect.any(String),
    });
  });
});

/** The printer's end of a serial cable: collects what the station sends. */
async function serialPrinterEnd(path: string): Promise<{ bytes: () => Buffer; close: () => Promise<void> }> {
  const received: Buffer[] = [];
  const port = new SerialPort({ path, baudRate: 115200 });
  port.on('data', (d: Buffer) => received.push(d));
  port.on('error', () => undefined);
  await new Promise((r) => port.once('open', r));
  return {
    bytes: () => Buffer.concat(received),
    close: () => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())),
  };
}

describe('receipt printers', () => {
  it('prints a hold slip on a serial printer: the preview line for line, accented names, the barcode, the cut', async () => {
    const pair = await ptyPair();
    cleanups.push(() => pair.close());
    const end = await serialPrinterEnd(pair.peer);
    cleanups.push(() => end.close());
    const d = devices({
      printers: [
        {
          id: 'desk-printer',
          connection: { kind: 'serial', path: pair.device, baudRate: 115200 },
          paperWidth: 58,
          columns: 32,
        },
      ],
      slips: spanish,
    });
    await d.start();
    await until(() => d.state('desk-printer')?.status === 'connected');

    const result = await d.print(holdSlip);
    expect(result).toMatchObject({ status: 'printed', printerId: 'desk-printer', attempts: 1, error: null });
    await until(() => end.bytes().includes(Buffer.from([0x1d, 0x56])));
    const paper = decodeEscPos(end.bytes());

    expect(paperText(paper, 32)).toEqual(d.renderSlipText(holdSlip, 32));
    expect(paper.text).toContain('Biblioteca Municipal');
    expect(paper.paper).toContainEqual({ kind: 'text', text: '    RESERVA', bold: true, big: true });
    expect(paper.text).toContain(`José *${card.slice(-4)}`);
    expect(paper.text).not.toContain(card); // the whole card number never prints
    expect(paper.text).toContain('Cien años de soledad');
    expect(paper.text).toMatch(/Recoger en\s+Biblioteca Central/);
    expect(paper.text).toMatch(/En el estante hasta\s+28 nov 2026/);
    expect(paper.commands).toContainEqual({ cmd: 'barcode', symbology: 73, data: itemBarcode(7) });
    expect(paper.commands.at(-1)).toEqual({ cmd: 'cut' });
    expect(paper.commands).not.toContainEqual(expect.objectContaining({ cmd: 'drawer' }));
  }, 20_000);

  it('holds a job while the serial printer is unplugged and prints it when it is back', async () => {
    const dir = tmpDir('circa-printer-');
    let pair = await ptyPair(dir);
    const d = devices({
      printers: [{ id: 'p', connection: { kind: 'serial', path: pair.device, baudRate: 115200 }, columns: 42 }],
    });
    await d.start();
    await until(() => d.state('p')?.status === 'connected');
    await pair.close();
    await until(() => d.state('p')?.status === 'disconnected');
    expect(d.state('p')!.reason).toContain(pair.device);

    const printed = d.print(allSlips[1]!);
    await until(() => d.jobs()[0]?.attempts);
    expect(d.jobs()[0]).toMatchObject({ status: expect.stringMatching(/queued|printing/), description: 'checkin' });
    expect(d.state('p')?.queued).toBe(1);

    pair = await ptyPair(dir);
    cleanups.push(() => pair.close());
    const end = await serialPrinterEnd(pair.peer);
    cleanups.push(() => end.close());
    expect(await printed).toMatchObject({ status: 'printed' });
    await until(() => end.bytes().includes(Buffer.from([0x1d, 0x56])));
    expect(decodeEscPos(end.bytes()).text).toContain('Pedro Páramo');
    expect(d.state('p')).toMatchObject({ status: 'connected', queued: 0 });
  }, 40_000);

  it('prints to a network printer on TCP, queueing while it is down and printing when it comes up, with the drawer kick', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const d = devices({
      printers: [{ id: 'net', connection: { kind: 'tcp', host: '127.0.0.1', port }, columns: 48, cashDrawer: true }],
    });
    await d.start();
    await until(() => d.state('net')?.reason?.includes('ECONNREFUSED'));
    const payment = allSlips[4]!;
    const printed = d.print(payment, { kickDrawer: true });
    await until(() => d.jobs()[0]?.lastError);
    expect(d.jobs()[0]).toMatchObject({ description: 'payment', status: expect.stringMatching(/queued|printing/) });
    expect(d.state('net')).toMatchObject({ status: 'disconnected', queued: 1 });

    const chunks: Buffer[] = [];
    const server: Server = createServer((socket) => socket.on('data', (c) => chunks.push(c)));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    expect(await printed).toMatchObject({ status: 'printed', error: null });
    await until(() => Buffer.concat(chunks).includes(Buffer.from([0x1b, 0x70])));
    const paper = decodeEscPos(Buffer.concat(chunks));
    expect(paperText(paper, 48)).toEqual(d.renderSlipText(payment, 48));
    expect(paper.text).toMatch(/Cambio\s+1,00 €$|Change\s+1,00 €/m);
    expect(paper.commands.slice(-2)).toEqual([{ cmd: 'cut' }, { cmd: 'drawer', pin: 0, onMs: 100, offMs: 500 }]);
    await until(() => d.state('net')?.status === 'connected');
  }, 30_000);

  it('writes every slip to a USB printer device file, each exactly as previewed', async () => {
    const lp = await ptyPrinter();
    cleanups.push(() => lp.close());
    const d = devices({
      printers: [{ id: 'usb', connection: { kind: 'usb-file', path: lp.path }, paperWidth: 80, columns: 42 }],
      slips: spanish,
    });
    await d.start();
    await until(() => d.state('usb')?.status === 'connected');
    for (const slip of allSlips) {
      expect(await d.print(slip)).toMatchObject({ status: 'printed' });
      const paper = decodeEscPos(await lp.take());
      expect(paperText(paper, 42), slip.kind).toEqual(d.renderSlipText(slip, 42));
      expect(
        paper.commands.filter((c) => c.cmd === 'cut'),
        slip.kind,
      ).toHaveLength(1);
      expect(paper.lines.every((l) => l.length <= 42)).toBe(true);
    }
    // The transit slip: the destination in large type, the item as a barcode.
    await d.print(allSlips[3]!);
    const transit = decodeEscPos(await lp.take());
    expect(transit.paper).toContainEqual({
      kind: 'text',
      text: expect.stringMatching(/^\s+Peñalara$/),
      bold: true,
      big: true,
    });
    expect(transit.commands).toContainEqual({ cmd: 'size', width: 2, height: 2 });
    expect(transit.commands).toContainEqual({ cmd: 'barcode', symbology: 73, data: itemBarcode(4) });
    expect(transit.text).toContain('TRÁNSITO');
    // The checkout receipt: both items with their due dates, and the footer.
    await d.print(allSlips[0]!);
    const checkout = decodeEscPos(await lp.take()).text;
    expect(checkout).toMatch(new RegExp(`${itemBarcode(1)}\\s+Vence 13/12/2026`));
    expect(checkout).toMatch(new RegExp(`${itemBarcode(2)}\\s+Vence 13/12/2026`));
    expect(checkout).toContain('2 ejemplares');
    expect(checkout).toContain('Horario: L-V 9-20');
    expect(checkout).toContain('¡Gracias!');
  });

  it('sets the code page so accented names and the euro print right', async () => {
    const lp = await ptyPrinter();
    cleanups.push(() => lp.close());
    const slip: Slip = {
      kind: 'payment',
      patron: patronOnSlip('Begoña', patronCard(3), 4),
      at: 'sábado',
      paid: '3,50 €',
      tendered: '5,00 €',
      change: '1,50 €',
      remaining: '0,00 €',
    };
    for (const [codePage, n] of [
      ['cp858', 19],
      ['windows1252', 16],
      ['auto', null],
    ] as const) {
      const d = devices({
        printers: [{ id: 'p', connection: { kind: 'usb-file', path: lp.path }, columns: 32, codePage }],
        slips: { ...spanish, footer: 'Muñoz, Íñigo, Güell' },
      });
      await d.print(slip);
      const paper = decodeEscPos(await lp.take());
      if (n !== null) expect(paper.commands).toContainEqual({ cmd: 'codepage', n });
      if (codePage !== 'auto') {
        expect(paper.text).toContain('Begoña');
        expect(paper.text).toContain('Muñoz, Íñigo, Güell');
        expect(paper.text).toMatch(/Pagado\s+3,50 €/);
        expect(paper.text).not.toMatch(/[?\ufffd]/);
      } else {
        // Automatic: the accented names print right whichever tables it picks.
        expect(paper.text).toContain('Begoña');
        expect(paper.text).toContain('Muñoz, Íñigo, Güell');
      }
    }
  });

  it('kicks the cash drawer only on a printer that has one', async () => {
    const lp = await ptyPrinter();
    cleanups.push(() => lp.close());
    const d = devices({
      printers: [
        { id: 'plain', connection: { kind: 'usb-file', path: lp.path } },
        { id: 'till', connection: { kind: 'usb-file', path: lp.path }, cashDrawer: true },
      ],
    });
    expect(await d.kickDrawer('plain')).toMatchObject({
      status: 'failed',
      jobId: null,
      error: expect.stringContaining('no cash drawer'),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(lp.bytes()).toHaveLength(0);
    expect(await d.kickDrawer()).toMatchObject({ status: 'printed', printerId: 'till' });
    const paper = decodeEscPos(await lp.take());
    expect(paper.commands).toContainEqual({ cmd: 'drawer', pin: 0, onMs: 100, offMs: 500 });
    expect(paper.lines.join('')).toBe('');
    // A payment receipt on a printer without a drawer prints, and does not try to kick one.
    await d.print(allSlips[4]!, { printerId: 'plain', kickDrawer: true });
    expect(decodeEscPos(await lp.take()).commands).not.toContainEqual(expect.objectContaining({ cmd: 'drawer' }));
  });

  it('test-prints with the accented letters and the printer id', async () => {
    const lp = await ptyPrinter();
    cleanups.push(() => lp.close());
    const d = devices({
      printers: [{ id: 'front-desk', connection: { kind: 'usb-file', path: lp.path }, columns: 32 }],
      slips: spanish,
    });
    expect(await d.testPrint('front-desk')).toMatchObject({ status: 'printed' });
    const text = decodeEscPos(await lp.take()).text;
    expect(text).toContain('Prueba de impresión');
    expect(text).toContain('front-desk');
    expect(text).toContain('áéíóú ñÑ ¿¡ ü');
    expect(await d.testPrint('nope')).toMatchObject({ status: 'failed', error: 'there is no printer "nope"' });
  });

  it('never drops a job silently: a missing printer fails it after its attempts, with the reason, and it can be printed again', async () => {
    const dir = tmpDir('circa-gone-');
    const path = join(dir, 'lp0');
    const d = devices({ printers: [{ id: 'gone', connection: { kind: 'usb-file', path } }] }, { maxPrintAttempts: 2 });
    const result = await d.print(holdSlip);
    expect(result).toMatchObject({ status: 'failed', attempts: 2, error: expect.stringContaining('ENOENT') });
    expect(d.jobs()[0]).toMatchObject({
      status: 'failed',
      description: 'hold',
      lastError: expect.stringContaining(path),
    });
    expect(d.state('gone')).toMatchObject({ status: 'disconnected' });
    expect(d.logged.join('\n')).toMatch(/print job 1 \(hold\) on gone failed/);
    expect(d.logged.join('\n')).not.toContain('José');

    // Plugged in: the device file appears, and the job prints when asked again.
    const lp = await ptyPrinter(dir);
    cleanups.push(() => lp.close());
    expect(lp.path).toBe(path);
    expect(await d.retryJob(1)).toMatchObject({ status: 'printed' });
    expect(decodeEscPos(await lp.take()).text).toContain('Cien años de soledad');
  });

  it('reports jobs still waiting when the devices stop', async () => {
    const d = devices({ printers: [{ id: 'gone', connection: { kind: 'usb-file', path: '/nonexistent/usb/lp9' } }] });
    const result = d.print(holdSlip);
    await until(() => d.jobs()[0]?.attempts);
    await d.stop();
    expect(await result).toMatchObject({ status: 'failed', error: 'the station stopped before it printed' });
    expect(await d.print(holdSlip)).toMatchObject({ status: 'failed', error: 'the devices are stopped' });
  });

  it('says so when no receipt printer is set, and still renders the slip as HTML for the system printer', async () => {
    const d = devices({ slips: spanish });
    expect(await d.print(holdSlip)).toEqual({
      jobId: null,
      printerId: null,
      status: 'failed',
      attempts: 0,
      error: 'no receipt printer is set up',
    });
    const html = d.renderSlipHtml(holdSlip);
    expect(html).toContain('Cien años de soledad');
    expect(html).toContain(itemBarcode(7));
    expect(html).not.toContain(card);
  });
});
