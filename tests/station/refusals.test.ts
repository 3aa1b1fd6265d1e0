// Refusals on a real station file: the stable list of codes the desk, the kiosk and the hub's
// reports rely on, the codes no other test produces, renew-all's mixed answer, a check-out of a
// copy the patron already has, and overrides that only a supervisor may grant.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OVERRIDABLE } from '../../src/domain/refusals';
import type { CirculationRule } from '../../src/domain/types';
import { startStationCore, type StationCore } from '../../src/station/core';
import {
  addPatron,
  addTitle,
  createTestStation,
  DESK_RULE,
  itemBarcode,
  journalCount,
  patronCard,
  refusalCodes,
  refusalsOf,
  type TestStation,
} from '../support/station';

const RULE: CirculationRule = { ...DESK_RULE, holdsPerTitle: 2 };

describe('the refusal codes', () => {
  it('are a stable list: renaming, removing or adding one, or changing who may override it, fails here first', () => {
    // The desk and the kiosk translate these codes (src/i18n), API clients match on them, and the
    // journal records overridden ones: a change here is a change of the station API.
    expect(OVERRIDABLE).toEqual({
      PATRON_NOT_FOUND: false,
      ITEM_NOT_FOUND: false,
      BARCODE_INVALID: false,
      CARD_EXPIRED: true,
      PATRON_BARRED: false,
      CARD_LOST: false,
      PATRON_BLOCKED: true,
      FEES_OVER_LIMIT: true,
      PATRON_HAS_OVERDUES: true,
      TOO_MANY_LOANS: true,
      TOO_MANY_LOANS_OF_TYPE: true,
      ITEM_NOT_FOR_LOAN: true,
      ITEM_LOST: true,
      ITEM_MISSING: true,
      ITEM_WITHDRAWN: true,
      ITEM_CLAIMED_RETURNED: true,
      ITEM_IN_REPAIR: true,
      ITEM_IN_TRANSIT: true,
      ITEM_ON_LOAN_TO_OTHER: false,
      ITEM_ON_HOLD_FOR_OTHER: true,
      ALREADY_ON_LOAN_TO_PATRON: true,
      NOT_ON_LOAN: false,
      RENEWAL_LIMIT: true,
      RENEWAL_TOO_SOON: true,
      RENEWAL_NO_LATER_DUE_DATE: false,
      ITEM_NEEDED_FOR_HOLD: true,
      HOLDS_NOT_ALLOWED: false,
      TOO_MANY_HOLDS: true,
      TOO_MANY_HOLDS_FOR_TITLE: true,
      ALREADY_HOLDING_TITLE: false,
      ALREADY_ON_LOAN_FOR_HOLD: false,
      ON_SHELF_HOLDS_NOT_ALLOWED: true,
      NO_LOANABLE_COPY: false,
      RETURN_DATE_IN_FUTURE: false,
      RETURN_DATE_BEFORE_CHECKOUT: false,
      // Why a copy or a record catalogued by mistake may not be deleted (catalogue.deleteItem, deleteRecord).
      COPY_ON_LOAN: false,
      COPY_HELD: false,
      COPY_HAS_HISTORY: false,
      RECORD_HAS_COPIES: false,
      RECORD_HAS_HOLDS: false,
    });
    expect(Object.keys(OVERRIDABLE)).toHaveLength(40);
  });
});

describe('refusals at the desk', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
    t.s.admin.saveRule(RULE, t.staff);
  });
  afterEach(() => t.close());

  it('names a card or a copy the station does not know, and a renewal of a copy not on loan; none is overridable and none writes', () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Kindred', 1, 1);
    const n = journalCount(t);
    expect(
      refusalsOf(() => t.s.circulation.checkout({ patronBarcode: patronCard(77), itemBarcode: barcodes[0]! }, t.staff)),
    ).toEqual([{ code: 'PATRON_NOT_FOUND', overridable: false, params: { barcode: patronCard(77) } }]);
    expect(
      refusalsOf(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: itemBarcode(77) }, t.staff),
      ),
    ).toEqual([{ code: 'ITEM_NOT_FOUND', overridable: false, params: { barcode: itemBarcode(77) } }]);
    expect(refusalCodes(() => t.s.circulation.checkin({ itemBarcode: itemBarcode(77) }, t.staff))).toEqual([
      'ITEM_NOT_FOUND',
    ]);
    expect(refusalCodes(() => t.s.circulation.renew({ itemBarcode: itemBarcode(77) }, t.staff))).toEqual([
      'ITEM_NOT_FOUND',
    ]);
    expect(refusalCodes(() => t.s.circulation.renewAll({ patronBarcode: patronCard(77) }, t.staff))).toEqual([
      'PATRON_NOT_FOUND',
    ]);
    expect(refusalCodes(() => t.s.patrons.lookup(patronCard(77)))).toEqual(['PATRON_NOT_FOUND']);
    expect(refusalCodes(() => t.s.holds.place({ patronId: 'no-such-patron', recordId: 'r' }, t.staff))).toEqual([
      'PATRON_NOT_FOUND',
    ]);
    expect(refusalsOf(() => t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff))).toEqual([
      { code: 'NOT_ON_LOAN', overridable: false },
    ]);
    // Not on loan any more: returned, then renewed.
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    const m = journalCount(t);
    expect(refusalCodes(() => t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff))).toEqual(['NOT_ON_LOAN']);
    expect(journalCount(t)).toBe(m);
    expect(m).toBe(n + 2);
  });

  it("refuses a hold beyond the title's limit (overridable), and a second hold where one is the limit (not)", () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const lender = addPatron(t, 3);
    const { recordId, barcodes } = addTitle(t, 'Kindred', 3, 1);
    for (const b of barcodes) t.s.circulation.checkout({ patronBarcode: lender.cardBarcode, itemBarcode: b }, t.staff);
    t.s.holds.place({ patronId: ana.id, recordId }, t.staff);
    t.s.holds.place({ patronId: ana.id, recordId }, t.staff);
    expect(refusalsOf(() => t.s.holds.place({ patronId: ana.id, recordId }, t.staff))).toEqual([
      { code: 'TOO_MANY_HOLDS_FOR_TITLE', overridable: true, params: { limit: 2 } },
    ]);
    t.s.admin.saveRule({ ...RULE, holdsPerTitle: 1 }, t.staff);
    t.s.holds.place({ patronId: ben.id, recordId }, t.staff);
    expect(refusalCodes(() => t.s.holds.place({ patronId: ben.id, recordId }, t.staff))).toEqual([
      'ALREADY_HOLDING_TITLE',
    ]);
  });

  it('refuses a copy claimed returned', () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const { barcodes } = addTitle(t, 'Kindred', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'claimed_returned', t.staff);
    expect(
      refusalsOf(() =>
        t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual([
      { code: 'ITEM_CLAIMED_RETURNED', overridable: true },
      { code: 'ITEM_ON_LOAN_TO_OTHER', overridable: false },
    ]);
  });

  it('renews a copy the patron already has when it is checked out again; a refused renewal says so first', async () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const { recordId, barcodes } = addTitle(t, 'Dune', 1, 1);
    const first = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(3);
    const again = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(again).toMatchObject({ loanId: first.loanId, renewed: true, renewals: 1 });

    // At the renewal limit: the check-out is refused with the reason it is not a new loan first.
    const n = journalCount(t);
    expect(
      refusalsOf(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual([
      { code: 'ALREADY_ON_LOAN_TO_PATRON', overridable: true },
      { code: 'RENEWAL_LIMIT', overridable: true, params: { limit: 1 } },
    ]);
    // Someone waits for it too.
    t.s.holds.place({ patronId: ben.id, recordId }, t.staff);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual(['ALREADY_ON_LOAN_TO_PATRON', 'RENEWAL_LIMIT', 'ITEM_NEEDED_FOR_HOLD']);
    expect(journalCount(t)).toBe(n + 1); // the hold only

    // A supervisor's override names what it grants: all of it renews, part of it does not.
    t.s.admin.saveStaff(
      { username: 'sup', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor pass' },
      t.staff,
    );
    const grant = async () =>
      t.s.auth.redeemOverride((await t.s.auth.verifySupervisor('sup', 'supervisor pass')).overrideToken);
    const partial = await grant();
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff, {
          codes: ['RENEWAL_LIMIT', 'ITEM_NEEDED_FOR_HOLD'],
          grantedBy: partial,
        }),
      ),
    ).toContain('ALREADY_ON_LOAN_TO_PATRON');
    const grantedBy = await grant();
    const renewed = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff, {
      codes: ['ALREADY_ON_LOAN_TO_PATRON', 'RENEWAL_LIMIT', 'ITEM_NEEDED_FOR_HOLD'],
      grantedBy,
    });
    expect(renewed).toMatchObject({ loanId: first.loanId, renewed: true, renewals: 2 });
    const last = t.s.store.db.prepare('SELECT command, payload FROM journal ORDER BY seq DESC LIMIT 1').get() as {
      command: string;
      payload: string;
    };
    expect(last.command).toBe('circulation.checkout');
    expect(JSON.parse(last.payload).overrides).toEqual([
      { code: 'ALREADY_ON_LOAN_TO_PATRON', grantedBy },
      { code: 'RENEWAL_LIMIT', grantedBy },
      { code: 'ITEM_NEEDED_FOR_HOLD', grantedBy },
    ]);
  });

  it('renews all it can, and says for each copy it could not why', () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const free = addTitle(t, 'Free to renew', 1, 1);
    const limit = addTitle(t, 'At the limit', 1, 2);
    const wanted = addTitle(t, 'Wanted by Ben', 1, 3);
    for (const b of [free.barcodes[0]!, limit.barcodes[0]!, wanted.barcodes[0]!])
      t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: b }, t.staff);
    t.s.circulation.renew({ itemBarcode: limit.barcodes[0]! }, t.staff);
    t.s.holds.place({ patronId: ben.id, recordId: wanted.recordId }, t.staff);
    t.advanceDays(10);

    const n = journalCount(t);
    const result = t.s.circulation.renewAll({ patronBarcode: ana.cardBarcode }, t.staff);
    expect(result.renewed).toEqual([
      expect.objectContaining({ itemBarcode: free.barcodes[0], title: 'Free to renew', renewed: true, renewals: 1 }),
    ]);
    // In due-date order, as the patron's loans are listed.
    expect(result.refused).toEqual([
      {
        itemBarcode: wanted.barcodes[0],
        title: 'Wanted by Ben',
        refusals: [{ code: 'ITEM_NEEDED_FOR_HOLD', overridable: true }],
      },
      {
        itemBarcode: limit.barcodes[0],
        title: 'At the limit',
        refusals: [{ code: 'RENEWAL_LIMIT', overridable: true, params: { limit: 1 } }],
      },
    ]);
    // One command, one entry, and only the renewed loan in it.
    expect(journalCount(t)).toBe(n + 1);
    const entry = t.s.store.db.prepare('SELECT command, payload FROM journal ORDER BY seq DESC LIMIT 1').get() as {
      command: string;
      payload: string;
    };
    expect(entry.command).toBe('circulation.renewAll');
    const effects = (JSON.parse(entry.payload) as { effects: { table: string; row: { id: string } }[] }).effects;
    expect(effects.map((e) => [e.table, e.row.id])).toEqual([['loans', result.renewed[0]!.loanId]]);

    // A patron's standing refuses every renewal, each with its reasons; nothing renewed.
    t.s.patrons.addBlock(ana.id, { kind: 'barred', reason: 'conduct' }, t.staff);
    const barred = t.s.circulation.renewAll({ patronBarcode: ana.cardBarcode }, t.staff);
    expect(barred.renewed).toEqual([]);
    expect(Object.fromEntries(barred.refused.map((r) => [r.title, r.refusals.map((x) => x.code)]))).toEqual({
      'Free to renew': ['PATRON_BARRED', 'RENEWAL_LIMIT'],
      'At the limit': ['PATRON_BARRED', 'RENEWAL_LIMIT'],
      'Wanted by Ben': ['PATRON_BARRED', 'ITEM_NEEDED_FOR_HOLD'],
    });
    // Nothing on loan: nothing to say.
    expect(t.s.circulation.renewAll({ patronBarcode: ben.cardBarcode }, t.staff)).toEqual({ renewed: [], refused: [] });
  });
});

describe('overrides through the station API', () => {
  let core: StationCore;
  const call = (name: string, input: unknown, token: string | null) =>
    core.invoke(name, input, { sessionToken: token, local: true });
  async function ok<T = Record<string, unknown>>(name: string, input: unknown, token: string | null): Promise<T> {
    const r = await call(name, input, token);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }
  /** A set-up library with an administrator, a technician (Tina) and a supervisor (Sam), each signed in or saved. */
  async function libraryWithTechAndSupervisor(): Promise<{ admin: string; sup: { id: string }; tech: string }> {
    await ok(
      'setup.initialize',
      {
        libraryName: 'Library',
        branchCode: 'MAIN',
        branchName: 'Main',
        timeZone: 'America/New_York',
        currency: 'USD',
        locale: 'en-US',
        admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
      },
      null,
    );
    const admin = (await ok<{ token: string }>('auth.signIn', { username: 'admin', password: 'a long password' }, null))
      .token;
    await ok(
      'staff.save',
      { username: 'tech', displayName: 'Tina Tech', role: 'technician', password: 'tech password' },
      admin,
    );
    const sup = await ok<{ id: string }>(
      'staff.save',
      { username: 'sup', displayName: 'Sam Sup', role: 'supervisor', password: 'supervisor pass' },
      admin,
    );
    const tech = (await ok<{ token: string }>('auth.signIn', { username: 'tech', password: 'tech password' }, null))
      .token;
    return { admin, sup, tech };
  }
  beforeEach(async () => {
    core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-override-')) });
  });
  afterEach(async () => core.close());

  it("are granted by a supervisor's credentials, never a technician's", async () => {
    const { admin, sup, tech } = await libraryWithTechAndSupervisor();
    await ok(
      'patrons.register',
      {
        cardBarcode: patronCard(1),
        firstName: 'Ana',
        lastName: 'R',
        categoryCode: 'ADULT',
        cardExpiresOn: '2026-01-01',
      },
      tech,
    );
    const record = await ok<{ id: string }>('catalogue.addRecord', { title: 'Kindred' }, admin);
    await ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' }, admin);

    const lend = (override?: { token: string; codes: string[] }) =>
      call(
        'circulation.checkout',
        { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1), ...(override ? { override } : {}) },
        tech,
      );
    const refused = await lend();
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', refusals: [{ code: 'CARD_EXPIRED', overridable: true }] },
    });

    // The technician's own credentials grant nothing: the permission is refused.
    expect(await call('auth.verifySupervisor', { username: 'tech', password: 'tech password' }, tech)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'That account may not override.' },
    });
    await expect(core.services.auth.verifySupervisor('tech', 'tech password')).rejects.toThrow(/may not override/);
    // A made-up grant is no grant, and nothing was written.
    const before = core.services.ctx.journal.waitingCount();
    expect(await lend({ token: 'made-up', codes: ['CARD_EXPIRED'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(core.services.ctx.journal.waitingCount()).toBe(before);

    // A supervisor types their password at the technician's desk: the loan goes through, once.
    const grant = await ok<{ overrideToken: string }>(
      'auth.verifySupervisor',
      { username: 'sup', password: 'supervisor pass' },
      tech,
    );
    const lent = await ok<{ renewed: boolean }>(
      'circulation.checkout',
      {
        patronBarcode: patronCard(1),
        itemBarcode: itemBarcode(1),
        override: { token: grant.overrideToken, codes: ['CARD_EXPIRED'] },
      },
      tech,
    );
    expect(lent.renewed).toBe(false);
    const entry = core.services.store.db
      .prepare('SELECT staff_id, payload FROM journal ORDER BY seq DESC LIMIT 1')
      .get() as { staff_id: string; payload: string };
    // The technician did it; the supervisor granted it.
    expect(JSON.parse(entry.payload).overrides).toEqual([{ code: 'CARD_EXPIRED', grantedBy: sup.id }]);
    expect(entry.staff_id).not.toBe(sup.id);
    // Once: the same grant again is refused.
    await ok('circulation.checkin', { itemBarcode: itemBarcode(1) }, tech);
    expect(await lend({ token: grant.overrideToken, codes: ['CARD_EXPIRED'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // Clearing expired holds answers within its contract (copy, title, patron).
    expect(await ok('holds.clearExpired', {}, tech)).toEqual({ expired: [] });
  });

  it("let a technician waive a fee once on a supervisor's credentials, never on their own", async () => {
    const { sup, tech } = await libraryWithTechAndSupervisor();
    const patron = await ok<{ patron: { id: string } }>(
      'patrons.register',
      {
        cardBarcode: patronCard(1),
        firstName: 'Ana',
        lastName: 'R',
        categoryCode: 'ADULT',
        cardExpiresOn: '2099-01-01',
      },
      tech,
    );
    const fee = await ok<{ id: string }>(
      'fees.charge',
      { patronId: patron.patron.id, kind: 'damage', amount: 250, description: 'Torn cover' },
      tech,
    );
    const waive = (override?: { token: string }) =>
      call('fees.waive', { feeId: fee.id, reason: 'Was like that', ...(override ? { override } : {}) }, tech);

    expect(await waive()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The technician's own credentials grant nothing, and a made-up grant is no grant: nothing is written.
    expect(await call('auth.verifySupervisor', { username: 'tech', password: 'tech password' }, tech)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const before = core.services.ctx.journal.waitingCount();
    expect(await waive({ token: 'made-up' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(core.services.ctx.journal.waitingCount()).toBe(before);

    // A supervisor's credentials: the waiver goes through, the technician's, granted by the supervisor.
    const grant = await ok<{ overrideToken: string }>(
      'auth.verifySupervisor',
      { username: 'sup', password: 'supervisor pass' },
      tech,
    );
    expect(
      await ok<{ outstanding: number }>(
        'fees.waive',
        { feeId: fee.id, reason: 'Was like that', amount: 100, override: { token: grant.overrideToken } },
        tech,
      ),
    ).toMatchObject({ outstanding: 150 });
    const entry = core.services.store.db
      .prepare('SELECT staff_id, command, payload FROM journal ORDER BY seq DESC LIMIT 1')
      .get() as { staff_id: string; command: string; payload: string };
    const payload = JSON.parse(entry.payload) as { input: Record<string, unknown>; overrides: unknown };
    expect(entry.command).toBe('fees.waive');
    expect(payload.overrides).toEqual([{ code: 'waive_fees', grantedBy: sup.id }]);
    expect(payload.input).not.toHaveProperty('override');
    expect(entry.staff_id).not.toBe(sup.id);
    // Once: the same grant again is refused.
    expect(await waive({ token: grant.overrideToken })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
