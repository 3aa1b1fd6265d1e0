// The station and its printer together: a hold trapped at check-in prints its slip by itself,
// and a cash payment opens the drawer; a scanner's scans arrive as station events.
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../src/api/contract';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode, patronCard } from '../support/station';
import { decodeEscPos } from './escpos-decoder';
import { ptyPair, until, type PtyPair } from './support';

let core: StationCore;
let token: string;
let pair: PtyPair;
const printed: Buffer[] = [];
const server = createServer((s) => s.on('data', (d) => printed.push(d)));
const events: StationEvent[] = [];

async function ok(name: string, input: unknown): Promise<Record<string, unknown>> {
  const r = await core.invoke(name, input, { sessionToken: token });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as Record<string, unknown>;
}

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  pair = await ptyPair();
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-print-')) });
  core.onEvent((e) => events.push(e));
  await core.invoke(
    'setup.initialize',
    {
      libraryName: 'Biblioteca Norte',
      branchCode: 'N',
      branchName: 'Norte',
      timeZone: 'Europe/Madrid',
      currency: 'EUR',
      locale: 'es-ES',
      admin: { username: 'admin', displayName: 'Admin', password: 'contraseña larga' },
    },
    { local: true },
  );
  token = (
    (await core.invoke('auth.signIn', { username: 'admin', password: 'contraseña larga' }, {})) as {
      value: { token: string };
    }
  ).value.token;
  await ok('devices.configure', {
    scanners: [{ kind: 'serial', id: 'scanner', path: pair.device, suffix: 'CR' }],
    printers: [
      {
        id: 'receipts',
        connection: { kind: 'tcp', host: '127.0.0.1', port: (server.address() as { port: number }).port },
        columns: 42,
        cashDrawer: true,
      },
    ],
    // No name of their own: the slips print the library's (set up above).
    slips: { language: 'es', cardDigits: 4 },
  });
});
afterAll(async () => {
  await core.close();
  await pair.close();
  server.close();
});

describe('the station with its devices', () => {
  it('prints the hold slip the moment check-in traps a hold', async () => {
    const record = await ok('catalogue.addRecord', { title: 'La casa de los espíritus' });
    await ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
    await ok('patrons.register', {
      cardBarcode: patronCard(1),
      firstName: 'Íñigo',
      lastName: 'Ibáñez',
      categoryCode: 'ADULT',
    });
    const holder = await ok('patrons.register', {
      cardBarcode: patronCard(2),
      firstName: 'Begoña',
      lastName: 'Núñez',
      categoryCode: 'ADULT',
    });
    await ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    await ok('holds.place', { patronId: (holder.patron as { id: string }).id, recordId: record.id });
    const back = await ok('circulation.checkin', { itemBarcode: itemBarcode(1) });
    expect(back).toMatchObject({ action: 'hold_waiting', printJob: expect.any(Number) });
    // The desk's row names the holder as the slip does, and no more.
    expect(back.hold).toMatchObject({ patron: { firstName: 'Begoña', cardTail: `*${patronCard(2).slice(-4)}` } });
    expect(JSON.stringify(back)).not.toContain('Núñez');
    expect(back.slipHtml).toContain('RESERVA');
    // The day it stays on the shelf, in words of the slip's language (#12 bug 9), not 2026-11-23.
    const shelfDay = (back.hold as { shelfExpiresOn: string }).shelfExpiresOn;
    expect(back.slipHtml).not.toContain(shelfDay);
    expect(back.slipHtml).toContain(
      new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        Date.parse(`${shelfDay}T12:00:00Z`),
      ),
    );
    await core.devices.manager.idle();
    await until(() => Buffer.concat(printed).includes(Buffer.from([0x1d, 0x56])));
    const paper = decodeEscPos(Buffer.concat(printed));
    expect(paper.text).toContain('RESERVA');
    expect(paper.text).toContain('Biblioteca Norte');
    expect(paper.text).toContain(`Begoña *${patronCard(2).slice(-4)}`);
    expect(paper.text).not.toContain('Núñez'); // a slip needs no surname
    expect(paper.commands).toContainEqual({ cmd: 'barcode', symbology: 73, data: itemBarcode(1) });
  });

  it('opens the cash drawer on a cash payment and prints the receipt', async () => {
    printed.length = 0;
    const p = await ok('patrons.lookup', { barcode: patronCard(1) });
    const patronId = (p.patron as { id: string }).id;
    await ok('fees.charge', { patronId, kind: 'damage', amount: 350, description: 'mancha' });
    const paid = await ok('fees.pay', { patronId, tendered: 500 });
    expect(paid).toMatchObject({ applied: 350, change: 150 });
    await core.devices.manager.idle();
    await until(() => decodeEscPos(Buffer.concat(printed)).commands.some((c) => c.cmd === 'drawer'));
    expect(decodeEscPos(Buffer.concat(printed)).text).toMatch(/Cambio\s+1,50/);
  });

  it('turns a serial scan into a station event for the desk', async () => {
    await until(() => core.devices.manager.list().find((d) => d.id === 'scanner')?.status === 'connected');
    const fd = openSync(pair.peer, 'r+');
    writeFileSync(fd, `${itemBarcode(1)}\r`);
    closeSync(fd);
    const scan = await until(() => events.find((e) => e.type === 'scan'));
    expect(scan).toEqual({ type: 'scan', barcode: itemBarcode(1), kind: 'item', deviceId: 'scanner' });
    const status = await ok('status.get', {});
    expect(status.devices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'receipts', kind: 'printer' }),
        expect.objectContaining({ id: 'scanner', status: 'connected' }),
      ]),
    );
  });

  it('without a receipt printer, check-in hands the desk the hold slip as HTML for the system printer', async () => {
    const record = await ok('catalogue.addRecord', { title: 'Nada' });
    await ok('catalogue.addItem', { barcode: itemBarcode(2), recordId: record.id, itemTypeCode: 'BOOK' });
    const holder = await ok('patrons.register', {
      cardBarcode: patronCard(3),
      firstName: 'Carmen',
      lastName: 'Laforet',
      categoryCode: 'ADULT',
    });
    await ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(2) });
    await ok('holds.place', { patronId: (holder.patron as { id: string }).id, recordId: record.id });
    const config = await ok('devices.get', {});
    try {
      await ok('devices.configure', { ...(config.config as object), printers: [] });
      const back = await ok('circulation.checkin', { itemBarcode: itemBarcode(2) });
      expect(back).toMatchObject({
        action: 'hold_waiting',
        printJob: null,
        hold: { patron: { firstName: 'Carmen', cardTail: `*${patronCard(3).slice(-4)}` } },
      });
      expect(back.slipHtml).toMatch(/^<!doctype html>/);
      expect(back.slipHtml).toContain('Carmen');
      expect(back.slipHtml).not.toContain('Laforet');
    } finally {
      await ok('devices.configure', config.config);
    }
  });

  it('prints a transit slip that names the hold it travels for, by first name and card digits only', async () => {
    const sur = await ok('branches.save', { code: 'S', name: 'Sur', timeZone: 'Europe/Madrid' });
    const record = await ok('catalogue.addRecord', { title: 'Nubosidad variable' });
    await ok('catalogue.addItem', { barcode: itemBarcode(3), recordId: record.id, itemTypeCode: 'BOOK' });
    const holder = await ok('patrons.register', {
      cardBarcode: patronCard(4),
      firstName: 'Dolores',
      lastName: 'Ibárruri',
      categoryCode: 'ADULT',
    });
    await ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(3) });
    await ok('holds.place', {
      patronId: (holder.patron as { id: string }).id,
      recordId: record.id,
      pickupBranchId: sur.id,
    });
    printed.length = 0;
    const back = await ok('circulation.checkin', { itemBarcode: itemBarcode(3) });
    expect(back).toMatchObject({
      action: 'hold_transit',
      destinationBranch: { name: 'Sur' },
      printJob: expect.any(Number),
    });
    await core.devices.manager.idle();
    await until(() => Buffer.concat(printed).includes(Buffer.from([0x1d, 0x56])));
    const paper = decodeEscPos(Buffer.concat(printed)).text;
    expect(paper).toContain('TRÁNSITO');
    expect(paper).toMatch(new RegExp(`Reservado para\\s+Dolores \\*${patronCard(4).slice(-4)}`));
    expect(paper).not.toContain('Ibárruri');
    expect(paper).not.toContain(patronCard(4));
  });

  it('previews a slip exactly as it prints, for the settings screen', async () => {
    const preview = await ok('devices.preview', { kind: 'transit' });
    expect(preview.columns).toBe(42);
    expect((preview.lines as string[]).join('\n')).toContain('TRÁNSITO');
  });

  it("heads the slips with the library's name as it is now, or with the name the receipt settings give", async () => {
    const head = async () =>
      ((await ok('devices.preview', { kind: 'transit' })).lines as string[]).slice(0, 2).join('\n');
    expect(await head()).toContain('Biblioteca Norte');
    await ok('settings.update', { name: 'Biblioteca Municipal del Norte' });
    expect(await head()).toContain('Biblioteca Municipal del Norte');
    const config = (await ok('devices.get', {})).config as { slips: object };
    try {
      await ok('devices.configure', { ...config, slips: { ...config.slips, libraryName: 'Bibliobús' } });
      expect(await head()).toContain('Bibliobús');
      expect(await head()).not.toContain('Municipal');
    } finally {
      await ok('devices.configure', config);
    }
  });
});
