// The station API as both transports drive it: validation before anything runs, sessions,
// permissions enforced by the core (not by hidden buttons), kiosk sessions limited to their
// own patron, and outputs that never carry a hash.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode, patronCard } from '../support/station';

let core: StationCore;
let adminToken: string;

/** In-process, as the desktop app's own window calls (local: set-up is allowed). */
async function call(name: string, input: unknown, token?: string | null) {
  return core.invoke(name, input, { sessionToken: token ?? null, local: true });
}
async function ok<T = Record<string, unknown>>(name: string, input: unknown, token?: string | null): Promise<T> {
  const r = await call(name, input, token);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

beforeEach(async () => {
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-api-')) });
  expect(await ok('setup.status', {})).toMatchObject({ configured: false });
  await ok('setup.initialize', {
    libraryName: 'Biblioteca Municipal',
    branchCode: 'CEN',
    branchName: 'Central',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    locale: 'es-ES',
    admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
  });
  adminToken = (await ok<{ token: string }>('auth.signIn', { username: 'admin', password: 'a long password' })).token;
});
afterEach(async () => core.close());

describe('the station API', () => {
  it('refuses a second set-up', async () => {
    const r = await call('setup.initialize', {
      libraryName: 'X',
      branchCode: 'X',
      branchName: 'X',
      timeZone: 'UTC',
      currency: 'EUR',
      locale: 'es-ES',
      admin: { username: 'evil', displayName: 'E', password: 'another password' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'ALREADY_CONFIGURED' } });
  });

  it('answers a malformed request with where it is wrong, and changes nothing', async () => {
    const before = core.services.ctx.journal.waitingCount();
    const r = await call(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: '', categoryCode: 'ADULT', shoeSize: 44 },
      adminToken,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID');
    const paths = r.error.issues!.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['firstName', 'lastName']));
    expect(core.services.ctx.journal.waitingCount()).toBe(before);
    expect(await call('no.such.method', {}, adminToken)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('needs a session, and the right permission, whatever the renderer shows', async () => {
    expect(await call('patrons.search', { query: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    await ok(
      'staff.save',
      { username: 'tech', displayName: 'Tina Tech', role: 'technician', password: 'tech password' },
      adminToken,
    );
    const tech = (await ok<{ token: string }>('auth.signIn', { username: 'tech', password: 'tech password' })).token;
    const patron = await ok<{ patron: { id: string } }>(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Lucía', lastName: 'Pérez', categoryCode: 'ADULT' },
      tech,
    );
    const fee = await ok<{ id: string }>(
      'fees.charge',
      { patronId: patron.patron.id, kind: 'damage', amount: 300, description: 'torn page' },
      tech,
    );
    expect(await call('fees.waive', { feeId: fee.id, reason: 'kind' }, tech)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await call('rules.delete', { id: 'x' }, tech)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('auth.signIn', { username: 'tech', password: 'wrong password' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('lets a kiosk patron act only for themselves, with card and PIN', async () => {
    const record = await ok<{ id: string }>(
      'catalogue.addRecord',
      { title: 'Rayuela', author: 'Cortázar, Julio' },
      adminToken,
    );
    await ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' }, adminToken);
    await ok(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Lucía', lastName: 'Pérez', categoryCode: 'ADULT', pin: '2468' },
      adminToken,
    );
    await ok(
      'patrons.register',
      { cardBarcode: patronCard(2), firstName: 'Otro', lastName: 'Lector', categoryCode: 'ADULT', pin: '1357' },
      adminToken,
    );

    expect(await call('auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    const kiosk = (await ok<{ token: string }>('auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '2468' })).token;
    expect(
      await call('circulation.checkout', { patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) }, kiosk),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const loan = await ok<{ title: string }>(
      'circulation.checkout',
      { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) },
      kiosk,
    );
    expect(loan.title).toBe('Rayuela');
    // Staff screens are out of reach, and overrides are never honoured from the kiosk.
    expect(await call('patrons.search', { query: 'Otro' }, kiosk)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await call('circulation.checkin', { itemBarcode: itemBarcode(1) }, kiosk)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('never sends a PIN hash or a password hash out of the core', async () => {
    const summary = await ok(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Lucía', lastName: 'Pérez', categoryCode: 'ADULT', pin: '2468' },
      adminToken,
    );
    expect(JSON.stringify(summary)).not.toMatch(/scrypt|pinHash/);
    expect(summary).toMatchObject({ patron: { hasPin: true } });
    const staff = await ok('staff.list', {}, adminToken);
    expect(JSON.stringify(staff)).not.toMatch(/scrypt|passwordHash/);
  });

  it('edits the patron limits and the return policy, which the desk then applies', async () => {
    const record = await ok<{ id: string }>('catalogue.addRecord', { title: 'Rayuela' }, adminToken);
    for (const n of [1, 2])
      await ok('catalogue.addItem', { barcode: itemBarcode(n), recordId: record.id, itemTypeCode: 'BOOK' }, adminToken);
    await ok(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Horacio', lastName: 'Oliveira', categoryCode: 'ADULT' },
      adminToken,
    );
    // One loan at a time for adults, anywhere.
    expect(
      await ok('rules.saveLimits', { branchId: '*', categoryCode: 'ADULT', totalMaxLoans: 1, maxHolds: 3 }, adminToken),
    ).toMatchObject({ totalMaxLoans: 1 });
    await ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) }, adminToken);
    expect(
      await call('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(2) }, adminToken),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', refusals: [{ code: 'TOO_MANY_LOANS' }] },
    });
    // Saved again for the same cell: one row, the new values.
    await ok('rules.saveLimits', { branchId: '*', categoryCode: 'ADULT', totalMaxLoans: 5, maxHolds: 3 }, adminToken);
    const listed = await ok<{ patronLimits: { categoryCode: string; totalMaxLoans: number }[] }>(
      'rules.list',
      {},
      adminToken,
    );
    expect(listed.patronLimits.filter((l) => l.categoryCode === 'ADULT')).toMatchObject([{ totalMaxLoans: 5 }]);
    await ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(2) }, adminToken);
    // Return policy: books stay where they are returned.
    expect(
      await ok('rules.saveReturnPolicy', { branchId: '*', itemTypeCode: 'BOOK', returnPolicy: 'stays' }, adminToken),
    ).toMatchObject({ returnPolicy: 'stays' });
    // A technician may not edit them, and a malformed one changes nothing.
    await ok(
      'staff.save',
      { username: 'tec', displayName: 'Tec', role: 'technician', password: 'tech password' },
      adminToken,
    );
    const tec = (await ok<{ token: string }>('auth.signIn', { username: 'tec', password: 'tech password' })).token;
    expect(
      await call('rules.saveLimits', { branchId: '*', categoryCode: 'ADULT', totalMaxLoans: 0, maxHolds: 0 }, tec),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await call(
        'rules.saveReturnPolicy',
        { branchId: '*', itemTypeCode: 'BOOK', returnPolicy: 'nowhere' },
        adminToken,
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('shows a refusal with every reason and whether a supervisor may override it', async () => {
    const record = await ok<{ id: string }>('catalogue.addRecord', { title: 'Ficciones' }, adminToken);
    await ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' }, adminToken);
    const p = await ok<{ patron: { id: string } }>(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'A', lastName: 'B', categoryCode: 'ADULT', cardExpiresOn: '2020-01-01' },
      adminToken,
    );
    const r = await call(
      'circulation.checkout',
      { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) },
      adminToken,
    );
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', refusals: [{ code: 'CARD_EXPIRED', overridable: true }] },
    });
    const { overrideToken } = await ok<{ overrideToken: string }>(
      'auth.verifySupervisor',
      { username: 'admin', password: 'a long password' },
      adminToken,
    );
    const loan = await ok<{ dueAt: number; notices: { code: string }[] }>(
      'circulation.checkout',
      {
        patronBarcode: patronCard(1),
        itemBarcode: itemBarcode(1),
        override: { token: overrideToken, codes: ['CARD_EXPIRED'] },
      },
      adminToken,
    );
    expect(loan.dueAt).toBeGreaterThan(0);
    void p;
  });
});
