// Interlibrary loan, both ways, through the station API on a real SQLite file, with the package
// slips printed on a receipt printer at a real TCP port, and every ISO 18626 message checked
// against the standard's own schema by xmllint (resources/iso18626, docs/ill.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND } from '../../src/domain/commands';
import { addDays, endOfLocalDay, localDateOf } from '../../src/domain/time';
import { startStationCore, stationDatabasePath, type StationCore } from '../../src/station/core';
import { decodeEscPos } from '../devices/escpos-decoder';
import { until } from '../devices/support';
import { itemBarcode, patronCard } from '../support/station';

const XSD = join(__dirname, '../../resources/iso18626/ISO-18626-v1_2.xsd');
const TZ = 'America/New_York';
let core: StationCore;
let dir: string;
let token: string;
const printed: Buffer[] = [];
const printer = createServer((s) => s.on('data', (d) => printed.push(d)));

type View = Record<string, unknown> & { id: string; status: string };

async function call(name: string, input: unknown) {
  return core.invoke(name, input, { sessionToken: token });
}
async function ok<T = View>(name: string, input: unknown): Promise<T> {
  const r = await call(name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** Validates an ISO 18626 message against the standard's XSD; throws with xmllint's words if it is not valid. */
function validIso18626(xml: string): true {
  const file = join(dir, `message-${Date.now()}-${Math.random()}.xml`);
  writeFileSync(file, xml);
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
  return true;
}

function journal(command: string): number {
  const db = new Database(stationDatabasePath(dir), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM journal WHERE command = ?').get(command) as { n: number }).n;
  } finally {
    db.close();
  }
}
const allEntries = () => {
  const db = new Database(stationDatabasePath(dir), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Everything the printer has received since the last call, as text, once a whole slip (its cut) is in. */
async function paper(): Promise<string> {
  await core.devices.manager.idle();
  await until(() => Buffer.concat(printed).includes(Buffer.from([0x1d, 0x56])));
  const text = decodeEscPos(Buffer.concat(printed)).text;
  printed.length = 0;
  return text;
}

beforeAll(async () => {
  await new Promise<void>((r) => printer.listen(0, '127.0.0.1', () => r()));
  dir = mkdtempSync(join(tmpdir(), 'circa-ill-'));
  core = await startStationCore({ dataDir: dir });
  await core.invoke(
    'setup.initialize',
    {
      libraryName: 'Riverside Library',
      branchCode: 'R',
      branchName: 'Riverside',
      timeZone: TZ,
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
    },
    { local: true },
  );
  token = (
    (await core.invoke('auth.signIn', { username: 'admin', password: 'a long password' }, {})) as {
      value: { token: string };
    }
  ).value.token;
  await ok('settings.update', {
    ill: {
      agencyId: 'ISIL:US-RIV',
      tempBarcodeFirst: null,
      tempBarcodeLast: null,
      libraryCategoryCode: 'ILL',
      returnMarginDays: 3,
    },
  });
  await ok('devices.configure', {
    printers: [
      {
        id: 'receipts',
        connection: { kind: 'tcp', host: '127.0.0.1', port: (printer.address() as { port: number }).port },
        columns: 42,
      },
    ],
    slips: { language: 'en', cardDigits: 4 },
  });
});
afterAll(async () => {
  await core.close();
  printer.close();
});

describe('interlibrary loan', () => {
  it('borrows for a patron: requested, sent, shipped, received, on loan, returned, shipped back', async () => {
    const reader = (
      await ok<{ patron: { id: string } }>('patrons.register', {
        cardBarcode: patronCard(1),
        firstName: 'Rosa',
        lastName: 'Parks',
        categoryCode: 'ADULT',
      })
    ).patron;
    const other = (
      await ok<{ patron: { id: string } }>('patrons.register', {
        cardBarcode: patronCard(2),
        firstName: 'Ida',
        lastName: 'Wells',
        categoryCode: 'ADULT',
      })
    ).patron;
    const today = localDateOf(Date.now(), TZ);
    const lenderDue = addDays(today, 30);

    const asked = await ok('ill.requestBorrowing', {
      patronId: reader.id,
      title: 'The Souls of Black Folk',
      author: 'Du Bois, W. E. B.',
      isbn: '9780486280417',
      partnerName: 'State University Library',
      partnerAgencyId: 'ISIL:US-SUL',
      needBy: addDays(today, 21),
    });
    expect(asked).toMatchObject({ status: 'requested', direction: 'borrowing', nextAction: 'send' });
    const request = (await ok<{ xml: string }>('ill.exportIso', { id: asked.id, message: 'request' })).xml;
    expect(validIso18626(request)).toBe(true);
    // What we send reads back as what we asked.
    expect(await ok('ill.readIso', { xml: request })).toMatchObject({
      kind: 'request',
      title: 'The Souls of Black Folk',
      isbn: '9780486280417',
      requestingAgencyId: 'ISIL:US-RIV',
      supplyingAgencyId: 'ISIL:US-SUL',
      requestId: asked.id,
    });

    // A step out of order is refused and writes nothing.
    const before = allEntries();
    const early = await call('ill.shipBack', { id: asked.id });
    expect(early.ok).toBe(false);
    expect(allEntries()).toBe(before);

    expect(await ok('ill.send', { id: asked.id })).toMatchObject({ status: 'sent', nextAction: 'mark_shipped' });
    expect(await ok('ill.markShipped', { id: asked.id, lenderDueOn: lenderDue })).toMatchObject({
      status: 'shipped',
      lenderDueOn: lenderDue,
    });

    const received = await ok<
      View & { itemBarcode: string; hold: { patronId: string }; printJob: number; recordId: string }
    >('ill.receive', { id: asked.id, lenderDueOn: lenderDue });
    expect(received).toMatchObject({
      status: 'received',
      nextAction: 'check_out_to_patron',
      hold: { patronId: reader.id },
      printJob: expect.any(Number),
    });
    // The temporary copy's barcode comes from the range set aside (the top of the item barcodes' space).
    expect(received.itemBarcode).toMatch(/^3999999\d{7}$/);
    expect(await paper()).toContain('HOLD');
    expect(journal(COMMAND.ill.receive)).toBe(1);

    // The normal check-out lends it, due when the lender says (less three days to ship it back).
    const loan = await ok<{ dueAt: number; notices: { code: string }[] }>('circulation.checkout', {
      patronBarcode: patronCard(1),
      itemBarcode: received.itemBarcode,
    });
    expect(loan.dueAt).toBe(endOfLocalDay(addDays(lenderDue, -3), TZ));
    expect(loan.notices).toContainEqual({ code: 'ILL_DUE_SET_BY_LENDER' });
    expect(await ok('ill.get', { id: asked.id })).toMatchObject({ status: 'on_loan' });

    // A hold on the copy is trapped like any other: another patron wants it before it goes back.
    await ok('holds.place', { patronId: other.id, recordId: received.recordId });
    const first = await ok('circulation.checkin', { itemBarcode: received.itemBarcode });
    expect(first).toMatchObject({ action: 'hold_waiting' });
    await paper();
    await ok('circulation.checkout', { patronBarcode: patronCard(2), itemBarcode: received.itemBarcode });

    const back = await ok<{ action: string; notices: { code: string; params?: Record<string, unknown> }[] }>(
      'circulation.checkin',
      { itemBarcode: received.itemBarcode },
    );
    expect(back.action).toBe('ill_ship_back');
    expect(back.notices).toContainEqual({ code: 'ILL_SHIP_BACK', params: { library: 'State University Library' } });
    expect(await ok('ill.get', { id: asked.id })).toMatchObject({ status: 'returned', nextAction: 'ship_back' });
    // Off the shelf and out of lending until it ships.
    const refused = await call('circulation.checkout', {
      patronBarcode: patronCard(1),
      itemBarcode: received.itemBarcode,
    });
    expect(refused.ok).toBe(false);

    const shipped = await ok<View & { printJob: number; slipHtml: string }>('ill.shipBack', { id: asked.id });
    expect(shipped).toMatchObject({
      status: 'shipped_back',
      closed: true,
      patronId: null,
      printJob: expect.any(Number),
    });
    expect(shipped.slipHtml).toContain('INTERLIBRARY LOAN');
    expect(shipped.slipHtml).toContain('State University');
    expect(shipped.slipHtml).toContain('ISIL:US-SUL');
    const slip = await paper();
    expect(slip).toContain('INTERLIBRARY LOAN');
    // The lender's name, big, across two lines of the 42-column paper.
    expect(slip).toMatch(/State University\s+Library/);
    expect(slip).toContain('ISIL:US-SUL');
    expect(slip).toContain('Returned to the lender');
    expect(slip).not.toContain('Parks');
    const copy = await ok<{ status: string }>('catalogue.item', { barcode: received.itemBarcode });
    expect(copy.status).toBe('withdrawn');
    const finished = await ok<View & { steps: { status: string; at: number }[] }>('ill.get', { id: asked.id });
    expect(finished.steps.map((s) => s.status)).toEqual([
      'requested',
      'sent',
      'shipped',
      'received',
      'on_loan',
      'returned',
      'shipped_back',
    ]);
    expect(finished.steps.every((s) => typeof s.at === 'number' && s.at > 0)).toBe(true);
    expect(
      validIso18626(
        (await ok<{ xml: string }>('ill.exportIso', { id: asked.id, message: 'requestingAgencyMessage' })).xml,
      ),
    ).toBe(true);
    expect((await ok<View[]>('ill.list', {})).some((r) => r.id === asked.id)).toBe(false);
  });

  it('lends to another library: requested, pulled on the pull list, checked out to its card, shipped, returned', async () => {
    const record = await ok<{ id: string }>('catalogue.addRecord', {
      title: 'Their Eyes Were Watching God',
      author: 'Hurston, Zora Neale',
      callNumber: '813.52 HUR',
    });
    await ok('catalogue.addItem', { barcode: itemBarcode(10), recordId: record.id, itemTypeCode: 'BOOK' });
    const today = localDateOf(Date.now(), TZ);
    const asked = await ok('ill.recordLending', {
      partnerName: 'Hill County Library',
      partnerAgencyId: 'ISIL:US-HCL',
      libraryCardBarcode: patronCard(50),
      requestingRequestId: 'HCL-2026-77',
      title: 'Their Eyes Were Watching God',
      recordId: record.id,
      lenderDueOn: addDays(today, 28),
    });
    expect(asked).toMatchObject({ status: 'requested', direction: 'lending', nextAction: 'pull' });
    // The borrowing library is a patron of its own category, made for it.
    const library = await ok<{ patron: { categoryCode: string; firstName: string } }>('patrons.lookup', {
      barcode: patronCard(50),
    });
    expect(library.patron).toMatchObject({ categoryCode: 'ILL', firstName: 'Hill County Library' });
    expect((await ok<{ code: string }[]>('categories.list', {})).map((c) => c.code)).toContain('ILL');

    const pulls = await ok<{ requestId: string; copies: { itemBarcode: string; callNumber: string | null }[] }[]>(
      'ill.pullList',
      {},
    );
    expect(pulls.find((p) => p.requestId === asked.id)?.copies).toEqual([
      { itemBarcode: itemBarcode(10), callNumber: '813.52 HUR' },
    ]);
    expect(
      validIso18626(
        (await ok<{ xml: string }>('ill.exportIso', { id: asked.id, message: 'supplyingAgencyMessage' })).xml,
      ),
    ).toBe(true);

    expect(await ok('ill.pull', { id: asked.id, itemBarcode: itemBarcode(10) })).toMatchObject({
      status: 'pulled',
      nextAction: 'check_out_to_library',
    });
    await ok('circulation.checkout', { patronBarcode: patronCard(50), itemBarcode: itemBarcode(10) });
    expect(await ok('ill.get', { id: asked.id })).toMatchObject({ status: 'checked_out', nextAction: 'ship' });

    const shipped = await ok<View & { printJob: number }>('ill.shipLending', { id: asked.id });
    expect(shipped).toMatchObject({ status: 'shipped', printJob: expect.any(Number) });
    expect(journal(COMMAND.ill.shipLending)).toBe(1);
    const slip = await paper();
    expect(slip).toContain('INTERLIBRARY LOAN');
    expect(slip).toMatch(/Hill County\s+Library/);
    expect(slip).toMatch(/Request\s+HCL-2026-77/);
    expect(slip).toContain('Loan to your library');
    const status = (await ok<{ xml: string }>('ill.exportIso', { id: asked.id, message: 'supplyingAgencyMessage' }))
      .xml;
    expect(validIso18626(status)).toBe(true);
    expect(await ok('ill.readIso', { xml: status })).toMatchObject({
      kind: 'supplyingAgencyMessage',
      status: 'Loaned',
      dueDate: addDays(today, 28),
    });

    const back = await ok('circulation.checkin', { itemBarcode: itemBarcode(10) });
    expect(back).toMatchObject({ action: 'shelve' });
    expect(await ok('ill.get', { id: asked.id })).toMatchObject({ status: 'returned', closed: true });
  });

  it('cancels or marks unfilled only before anything has moved, and refuses what is not ISO 18626', async () => {
    const patron = (
      await ok<{ patron: { id: string } }>('patrons.register', {
        cardBarcode: patronCard(3),
        firstName: 'Ana',
        lastName: 'Mendieta',
        categoryCode: 'ADULT',
      })
    ).patron;
    const a = await ok('ill.requestBorrowing', { patronId: patron.id, title: 'Silueta', partnerName: 'Elsewhere' });
    expect(await ok('ill.forPatron', { patronId: patron.id })).toEqual([
      expect.objectContaining({ id: a.id, status: 'requested', title: 'Silueta' }),
    ]);
    expect(await ok('ill.markUnfilled', { id: a.id, note: 'no copy to lend' })).toMatchObject({
      status: 'unfilled',
      closed: true,
      patronId: null,
    });
    const again = await call('ill.cancel', { id: a.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(
      validIso18626((await ok<{ xml: string }>('ill.exportIso', { id: a.id, message: 'supplyingAgencyMessage' })).xml),
    ).toBe(true);
    const bad = await call('ill.readIso', { xml: '<request><title>x</title></request>' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    const broken = await call('ill.readIso', { xml: '<ISO18626Message' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    // The schema is a real check: a message without its header fails it.
    expect(() =>
      validIso18626(
        '<ISO18626Message xmlns="http://illtransactions.org/2013/iso18626" xmlns:ill="http://illtransactions.org/2013/iso18626" ill:version="1.2"><request/></ISO18626Message>',
      ),
    ).toThrow();
  });
});
