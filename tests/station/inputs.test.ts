// The holes found on real stations, each as the desk or the kiosk sent it: bad input answered
// with a clear refusal that changes nothing, and a committed command that says it is done even
// when what follows it (a receipt) fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiStation, type Answer, type ApiStation } from '../support/api-station';
import { ServiceError } from '../../src/services/errors';
import { createStationCore } from '../../src/station/core';
import { openStation } from '../../src/station/services';
import { patronCard } from '../support/station';

let t: ApiStation;
beforeEach(async () => {
  t = await createApiStation();
});
afterEach(async () => t.close());

/** Runs the call, and checks it was refused with `code` and left every row of every table as it was. */
async function refusedUnchanged(
  name: string,
  input: unknown,
  code: string,
  token: string | null = t.admin,
): Promise<Extract<Answer, { ok: false }>> {
  const before = t.fingerprint();
  const answer = await t.call(name, input, token);
  expect(answer, `${name} should be refused`).toMatchObject({ ok: false, error: { code } });
  expect(t.fingerprint()).toEqual(before);
  return answer as Extract<Answer, { ok: false }>;
}

const patron = (n: number, extra: Record<string, unknown> = {}) => ({
  cardBarcode: patronCard(n),
  firstName: 'Ana',
  lastName: 'Reader',
  categoryCode: 'ADULT',
  ...extra,
});

describe('impossible dates', () => {
  it('refuses a card expiry that is not on the calendar, at registration and in an edit', async () => {
    for (const cardExpiresOn of ['2026-02-30', '2099-13-45', '2027-04-31', '0000-01-01']) {
      const r = await refusedUnchanged('patrons.register', patron(40, { cardExpiresOn }), 'INVALID');
      expect(r.error.issues).toEqual([expect.objectContaining({ path: 'cardExpiresOn' })]);
      await refusedUnchanged('patrons.update', { patronId: t.ids.patronIds[1], changes: { cardExpiresOn } }, 'INVALID');
    }
    // A real leap day is fine.
    expect(
      await t.call(
        'patrons.update',
        { patronId: t.ids.patronIds[1], changes: { cardExpiresOn: '2028-02-29' } },
        t.admin,
      ),
    ).toMatchObject({ ok: true });
  });

  it('refuses impossible dates for a block, a hold suspension, a hard due date and a closed day', async () => {
    await refusedUnchanged(
      'patrons.addBlock',
      { patronId: t.ids.patronIds[1], kind: 'manual', reason: 'x', until: '2026-02-30' },
      'INVALID',
    );
    await refusedUnchanged('holds.suspend', { holdId: t.ids.holdIds[0], until: '2026-13-01' }, 'INVALID');
    const rule = (await t.ok<{ rules: Record<string, unknown>[] }>('rules.list', {}, t.admin)).rules[0]!;
    const { id: _id, ...ruleInput } = rule;
    await refusedUnchanged('rules.save', { ...ruleInput, hardDueDate: '2026-06-31' }, 'INVALID');
    await refusedUnchanged(
      'calendar.addClosedDay',
      { branchId: t.ids.branchId, day: { kind: 'date', date: '2026-02-29' } },
      'INVALID',
    );
    await refusedUnchanged(
      'calendar.addClosedDay',
      { branchId: t.ids.branchId, day: { kind: 'yearly', month: 4, day: 31 } },
      'INVALID',
    );
  });

  it('answers a cleared card expiry with a clear refusal under the field, not a 500', async () => {
    const r = await refusedUnchanged(
      'patrons.update',
      { patronId: t.ids.patronIds[1], changes: { cardExpiresOn: null } },
      'INVALID',
    );
    expect(r.error.issues?.map((i) => i.path)).toEqual(['changes.cardExpiresOn']);
    // The service says the same when called without the schema.
    expect(() =>
      t.core.services.patrons.update(
        t.ids.patronIds[1]!,
        { cardExpiresOn: null },
        { kind: 'staff', staffId: t.ids.adminId },
      ),
    ).toThrow(/expiry/);
  });
});

describe('book-drop return dates', () => {
  it('refuses a return dated before the check-out, and charges no fine by it', async () => {
    // The loan was made on 2026-11-16; a month after it is due, a backdate of 1900-01-01 would
    // have closed it with no fine.
    t.clock.now += 45 * 86_400_000;
    await t.refreshSessions();
    const r = await refusedUnchanged(
      'circulation.checkin',
      { itemBarcode: t.ids.items[0], backdate: '1900-01-01' },
      'REFUSED',
    );
    expect(r.error.refusals).toEqual([
      {
        code: 'RETURN_DATE_BEFORE_CHECKOUT',
        overridable: false,
        params: { date: '1900-01-01', checkedOutOn: '2026-11-16' },
      },
    ]);
    await refusedUnchanged('circulation.checkin', { itemBarcode: t.ids.items[0], backdate: '2026-11-15' }, 'REFUSED');
    // The day of the check-out itself is a possible return day: no fine.
    expect(
      await t.ok('circulation.checkin', { itemBarcode: t.ids.items[0], backdate: '2026-11-16' }, t.admin),
    ).toMatchObject({ wasOnLoan: true, fine: null });
  });

  it('refuses a return dated after today', async () => {
    const r = await refusedUnchanged(
      'circulation.checkin',
      { itemBarcode: t.ids.items[0], backdate: '2026-11-17' },
      'REFUSED',
    );
    expect(r.error.refusals?.map((x) => x.code)).toEqual(['RETURN_DATE_IN_FUTURE']);
    await refusedUnchanged('circulation.checkin', { itemBarcode: t.ids.items[0], backdate: '2026-02-30' }, 'INVALID');
  });
});

describe('strings', () => {
  const MEGABYTE = 'x'.repeat(1_000_000);

  it('refuses a megabyte in a name, a rule code, a slip header and a search', async () => {
    await refusedUnchanged('patrons.register', patron(41, { firstName: MEGABYTE }), 'INVALID');
    await refusedUnchanged('categories.save', { code: MEGABYTE, name: 'Big', cardValidityDays: 365 }, 'INVALID');
    await refusedUnchanged(
      'rules.saveLimits',
      { branchId: '*', categoryCode: MEGABYTE, totalMaxLoans: 1, maxHolds: 1 },
      'INVALID',
    );
    await refusedUnchanged('catalogue.addRecord', { title: MEGABYTE }, 'INVALID');
    await refusedUnchanged('devices.configure', { slips: { header: MEGABYTE } }, 'INVALID');
    await refusedUnchanged('catalogue.search', { query: MEGABYTE }, 'INVALID', t.kiosk);
    expect(t.core.devices.settings().slips.header).toBe('');
  });

  it('refuses NUL and bidi overrides in names and titles, and says where', async () => {
    for (const bad of ['Ana\u0000', 'Ana\u202Eanitsirc', '\u2066Ana\u2069', 'Ana\u007F', 'Ana\u0085', 'Ana\nBel']) {
      const r = await refusedUnchanged('patrons.register', patron(42, { firstName: bad }), 'INVALID');
      expect(r.error.issues?.map((i) => i.path)).toEqual(['firstName']);
      await refusedUnchanged('catalogue.addRecord', { title: `Cien años${bad}` }, 'INVALID');
      await refusedUnchanged(
        'catalogue.updateRecord',
        { recordId: t.ids.recordIds[0], changes: { author: bad } },
        'INVALID',
      );
      await refusedUnchanged('branches.save', { code: 'N', name: bad, timeZone: 'UTC' }, 'INVALID');
    }
    // Accents, ñ and emoji are text like any other.
    expect(await t.call('patrons.register', patron(43, { firstName: 'Íñigo 📚' }), t.admin)).toMatchObject({
      ok: true,
    });
  });

  it('lets notes and slip headers span lines, with no other control characters', async () => {
    expect(
      await t.call(
        'patrons.update',
        { patronId: t.ids.patronIds[1], changes: { notes: 'first\nsecond\r\nthird' } },
        t.admin,
      ),
    ).toMatchObject({ ok: true });
    await refusedUnchanged(
      'patrons.update',
      { patronId: t.ids.patronIds[1], changes: { notes: 'bell\u0007' } },
      'INVALID',
    );
    await refusedUnchanged('devices.configure', { slips: { header: 'Biblioteca\u001B@' } }, 'INVALID');
    expect(await t.call('devices.configure', { slips: { header: 'Biblioteca\nNorte' } }, t.admin)).toMatchObject({
      ok: true,
    });
  });

  it('answers a NUL in a catalogue search at the kiosk with INVALID, not a 500', async () => {
    const r = await refusedUnchanged('catalogue.search', { query: 'soledad\u0000' }, 'INVALID', t.kiosk);
    expect(r.error.issues?.map((i) => i.path)).toEqual(['query']);
    await refusedUnchanged('patrons.search', { query: '\u0000' }, 'INVALID');
    // The service, called without the schema, searches around it.
    expect(t.core.services.catalogue.search('soledad\u0000')).toHaveLength(1);
  });
});

describe('locale and currency', () => {
  it('refuses a locale Intl cannot format in and a currency that is not ISO 4217, in settings', async () => {
    for (const locale of ['xx-YY', 'english', 'en_US', 'e', ''])
      await refusedUnchanged('settings.update', { locale }, 'INVALID');
    for (const currency of ['XYZ', 'usd', 'DOLLARS'])
      await refusedUnchanged('settings.update', { currency }, 'INVALID');
    expect(await t.ok('settings.update', { locale: 'es-MX', currency: 'MXN' }, t.admin)).toMatchObject({
      locale: 'es-MX',
      currency: 'MXN',
    });
  });

  it('refuses them at set-up, before anything is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-setup-'));
    const core = createStationCore(openStation(join(dir, 'station.db')));
    try {
      const good = {
        libraryName: 'L',
        branchCode: 'B',
        branchName: 'B',
        timeZone: 'UTC',
        currency: 'EUR',
        locale: 'es-ES',
        admin: { username: 'ad', displayName: 'A', password: 'long enough' },
      };
      for (const bad of [
        { locale: 'xx-YY' },
        { locale: 'en_US' },
        { currency: 'XYZ' },
        { timeZone: 'Mars/Olympus_Mons' },
      ]) {
        expect(
          await core.invoke('setup.initialize', { ...good, ...bad }, { local: true }),
          JSON.stringify(bad),
        ).toMatchObject({ ok: false, error: { code: 'INVALID' } });
        // The service checks the same when called without the schema.
        expect(() => core.services.admin.initialize({ ...good, ...bad })).toThrow(ServiceError);
      }
      expect(core.services.admin.isConfigured()).toBe(false);
      expect(core.services.ctx.journal.waitingCount()).toBe(0);
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('500s that are clear refusals now', () => {
  it('answers a duplicate branch code with CONFLICT', async () => {
    await refusedUnchanged(
      'branches.save',
      { code: 'MAIN', name: 'Another main', timeZone: 'America/New_York' },
      'CONFLICT',
    );
    const north = await t.ok<{ id: string }>(
      'branches.save',
      { code: 'NORTH', name: 'North', timeZone: 'America/Chicago' },
      t.admin,
    );
    await refusedUnchanged(
      'branches.save',
      { id: north.id, code: 'MAIN', name: 'North', timeZone: 'America/Chicago' },
      'CONFLICT',
    );
    // Saving a branch under its own code is an edit, not a clash.
    expect(
      await t.call(
        'branches.save',
        { id: north.id, code: 'NORTH', name: 'North side', timeZone: 'America/Chicago' },
        t.admin,
      ),
    ).toMatchObject({ ok: true });
  });

  it('answers a test print with no printer with NO_PRINTER', async () => {
    await refusedUnchanged('devices.testPrint', {}, 'NO_PRINTER');
    await refusedUnchanged('devices.testPrint', { printerId: 'nowhere' }, 'NO_PRINTER');
  });
});

describe('work after a commit', () => {
  let printer: Server;
  const received: Buffer[] = [];
  beforeEach(async () => {
    printer = createServer((s) => s.on('data', (d) => received.push(d)));
    await new Promise<void>((r) => printer.listen(0, '127.0.0.1', () => r()));
    const port = (printer.address() as { port: number }).port;
    await t.ok(
      'devices.configure',
      {
        printers: [
          { id: 'receipts', connection: { kind: 'tcp', host: '127.0.0.1', port }, columns: 42, cashDrawer: true },
        ],
      },
      t.admin,
    );
  });
  afterEach(async () => {
    await t.core.devices.configure({});
    await new Promise((r) => printer.close(r));
  });

  /** A locale saved before the checks, or pulled from an older hub: every slip's date fails to format. */
  function breakTheLocale() {
    const db = t.core.services.store.db;
    const row = db.prepare("SELECT value FROM settings WHERE id = 'library'").get() as { value: string };
    db.prepare("UPDATE settings SET value = ? WHERE id = 'library'").run(
      JSON.stringify({ ...JSON.parse(row.value), locale: 'not a locale!' }),
    );
    t.core.services.ctx.config.invalidate();
  }

  const paymentsOf = (patronId: string) =>
    (
      t.core.services.store.db.prepare('SELECT count(*) AS n FROM payments WHERE patron_id = ?').get(patronId) as {
        n: number;
      }
    ).n;
  const journalOf = (command: string) =>
    (
      t.core.services.store.db.prepare('SELECT count(*) AS n FROM journal WHERE command = ?').get(command) as {
        n: number;
      }
    ).n;

  it('records a payment once and says so when its receipt cannot print', async () => {
    breakTheLocale();
    const patronId = t.ids.patronIds[1]!;
    const answer = await t.call('fees.pay', { patronId, tendered: 500, method: 'cash' }, t.admin);
    expect(answer).toMatchObject({
      ok: true,
      value: { applied: 300, change: 200, remainingOwed: 0, followUpFailed: { code: 'RECEIPT_NOT_PRINTED' } },
    });
    expect(paymentsOf(patronId)).toBe(1);
    expect(journalOf('fees.pay')).toBe(1);
    // Nothing is owed any more: paying again is refused, not taken twice.
    await refusedUnchanged('fees.pay', { patronId, tendered: 500, method: 'cash' }, 'INVALID');
    expect(paymentsOf(patronId)).toBe(1);
  });

  it('prints the receipt and says nothing more when it can', async () => {
    const answer = await t.ok<Record<string, unknown>>(
      'fees.pay',
      { patronId: t.ids.patronIds[1], tendered: 300, method: 'card' },
      t.admin,
    );
    expect(answer).not.toHaveProperty('followUpFailed');
    expect(answer).toMatchObject({ applied: 300 });
  });

  /** A printer whose model the encoder does not know: every slip fails as it is queued. */
  async function breakThePrinter() {
    const port = (printer.address() as { port: number }).port;
    await t.ok(
      'devices.configure',
      { printers: [{ id: 'receipts', connection: { kind: 'tcp', host: '127.0.0.1', port }, model: 'no-such-model' }] },
      t.admin,
    );
  }

  it('records a payment once and says so when the printer fails', async () => {
    await breakThePrinter();
    const patronId = t.ids.patronIds[1]!;
    const answer = await t.call('fees.pay', { patronId, tendered: 300, method: 'cash' }, t.admin);
    expect(answer).toMatchObject({
      ok: true,
      value: { applied: 300, followUpFailed: { code: 'RECEIPT_NOT_PRINTED' } },
    });
    expect(paymentsOf(patronId)).toBe(1);
  });

  it('checks an item in, trapping its hold, and says so when the hold slip cannot print', async () => {
    // Patron 3 holds the title of the copy patron 1 has: its return traps the hold.
    await breakThePrinter();
    const answer = await t.call('circulation.checkin', { itemBarcode: t.ids.items[0] }, t.admin);
    expect(answer).toMatchObject({
      ok: true,
      value: {
        wasOnLoan: true,
        action: 'hold_waiting',
        printJob: null,
        slipHtml: expect.stringContaining('Cien años'),
        followUpFailed: { code: 'SLIP_NOT_PRINTED' },
      },
    });
    const loan = t.core.services.store.db
      .prepare('SELECT returned_at AS returnedAt FROM loans WHERE id = ?')
      .get(t.ids.loanIds[0]) as { returnedAt: number | null };
    expect(loan.returnedAt).not.toBeNull();
    expect(journalOf('circulation.checkin')).toBe(1);
    // Scanned again, it is no longer on loan: the first answer was the truth.
    expect(await t.ok('circulation.checkin', { itemBarcode: t.ids.items[0] }, t.admin)).toMatchObject({
      wasOnLoan: false,
    });
  });

  it('answers a check-out slip that cannot be made with PRINT_FAILED, and one that cannot print with its HTML', async () => {
    breakTheLocale();
    // The slip's dates cannot be written in that locale: a clear refusal, not a 500.
    await refusedUnchanged('slips.checkout', { patronBarcode: t.ids.cards[0], loanIds: t.ids.loanIds }, 'PRINT_FAILED');
    t.core.services.ctx.config.invalidate();
    await t.ok('settings.update', { locale: 'en-US' }, t.admin);
    await breakThePrinter();
    const r = await t.ok('slips.checkout', { patronBarcode: t.ids.cards[0], loanIds: t.ids.loanIds }, t.admin);
    expect(r).toMatchObject({
      jobId: null,
      html: expect.stringContaining('Cien años'),
      followUpFailed: { code: 'SLIP_NOT_PRINTED' },
    });
  });

  it('never says "nothing was changed" for a defect after the command committed', async () => {
    // Something after the payment is committed throws (a listener, a slip): the core knows a
    // command was committed during the call, and answers DONE_UNCONFIRMED.
    const stop = t.core.services.ctx.onCommit(() => {
      throw new Error('a listener that fails');
    });
    try {
      const answer = await t.call(
        'fees.charge',
        { patronId: t.ids.patronIds[2], kind: 'manual', amount: 100, description: 'x' },
        t.admin,
      );
      // A failing listener is logged; the command answers normally.
      expect(answer).toMatchObject({ ok: true });
    } finally {
      stop();
    }
    const original = t.core.services.fees.charge.bind(t.core.services.fees);
    t.core.services.fees.charge = (...args) => {
      original(...args);
      throw new TypeError('a defect after the commit');
    };
    const before = journalOf('fees.charge');
    const answer = await t.call(
      'fees.charge',
      { patronId: t.ids.patronIds[2], kind: 'manual', amount: 100, description: 'y' },
      t.admin,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'DONE_UNCONFIRMED' } });
    expect((answer as { error: { message: string } }).error.message).not.toMatch(/nothing was changed/i);
    expect(journalOf('fees.charge')).toBe(before + 1);
  });
});
