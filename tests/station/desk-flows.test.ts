// Whole desk flows on a real station file: what a technician does in a day, and what the
// patron would check (due dates, fines, holds, change given), plus the journal behind each.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addPatron,
  addTitle,
  createTestStation,
  DESK_RULE,
  itemBarcode,
  journalCount,
  patronCard,
  refusalCodes,
  type TestStation,
} from '../support/station';

describe('a day at the desk', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
    t.s.admin.saveRule(DESK_RULE, t.staff);
  });
  afterEach(() => t.close());

  it('lends with a due date at the end of the day in the branch zone, 14 days on', () => {
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'The Left Hand of Darkness', 1, 1);
    const loan = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    // Monday 16 Nov 2026 + 14 days = Monday 30 Nov, 23:59:59.999 in New York (UTC-5).
    expect(new Date(loan.dueAt).toISOString()).toBe('2026-12-01T04:59:59.999Z');
    expect(loan.title).toBe('The Left Hand of Darkness');
    const summary = t.s.patrons.lookup(patron.cardBarcode);
    expect(summary.loans.map((l) => l.itemBarcode)).toEqual([barcodes[0]]);
  });

  it('writes exactly one journal entry per command, and none for a refusal or a misread scan', () => {
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Kindred', 1, 1);
    const before = journalCount(t);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(journalCount(t)).toBe(before + 1);
    const entry = t.s.store.db.prepare('SELECT * FROM journal ORDER BY seq DESC LIMIT 1').get() as Record<
      string,
      string
    >;
    expect(entry.command).toBe('circulation.checkout');
    expect(entry.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // UUIDv7
    expect(entry.station_id).toBe(t.s.ctx.stationId);
    expect(entry.staff_id).toBe(t.staff.staffId);
    const payload = JSON.parse(entry.payload!) as { effects: { table: string }[] };
    expect(payload.effects.map((e) => e.table).sort()).toEqual(['items', 'loans']);
    const audit = t.s.store.db.prepare('SELECT * FROM audit ORDER BY seq DESC LIMIT 1').get() as Record<string, string>;
    expect(audit.journal_id).toBe(entry.id);

    // A second patron asking for the same copy is refused, and nothing is written.
    const other = addPatron(t, 2);
    const afterSecondPatron = journalCount(t);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: other.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toContain('ITEM_ON_LOAN_TO_OTHER');
    // A misread scan (one digit wrong: the check digit no longer matches).
    const misread = barcodes[0]!.slice(0, 13) + String((Number(barcodes[0]!.at(-1)) + 1) % 10);
    expect(refusalCodes(() => t.s.circulation.checkin({ itemBarcode: misread }, t.staff))).toEqual(['BARCODE_INVALID']);
    expect(journalCount(t)).toBe(afterSecondPatron);
  });

  it('turns a second check-out to the same patron into a renewal, up to the limit, then needs a supervisor', async () => {
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Dune', 1, 1);
    const first = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(3);
    const again = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(again.renewed).toBe(true);
    expect(again.renewals).toBe(1);
    expect(again.dueAt).toBeGreaterThan(first.dueAt);
    expect(refusalCodes(() => t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff))).toEqual([
      'RENEWAL_LIMIT',
    ]);

    // The supervisor types their password at the desk: the renewal goes through, recorded.
    t.s.admin.saveStaff(
      { username: 'sup', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor pass' },
      t.staff,
    );
    const { overrideToken } = await t.s.auth.verifySupervisor('sup', 'supervisor pass');
    const grantedBy = t.s.auth.redeemOverride(overrideToken);
    const renewed = t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff, {
      codes: ['RENEWAL_LIMIT'],
      grantedBy,
    });
    expect(renewed.renewals).toBe(2);
    const payload = JSON.parse(
      (t.s.store.db.prepare('SELECT payload FROM journal ORDER BY seq DESC LIMIT 1').get() as { payload: string })
        .payload,
    );
    expect(payload.overrides).toEqual([{ code: 'RENEWAL_LIMIT', grantedBy }]);
    // The grant is single-use.
    expect(() => t.s.auth.redeemOverride(overrideToken)).toThrow(/expired/);
  });

  it('places a hold, refuses the renewal it blocks, traps the copy on check-in and lends it to the holder', () => {
    const ana = addPatron(t, 1, { firstName: 'Ana' });
    const ben = addPatron(t, 2, { firstName: 'Ben' });
    const { recordId, barcodes } = addTitle(t, 'Parable of the Sower', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    const hold = t.s.holds.place({ patronId: ben.id, recordId }, t.staff);
    expect(hold.status).toBe('pending');

    expect(refusalCodes(() => t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff))).toContain(
      'ITEM_NEEDED_FOR_HOLD',
    );

    t.advanceDays(5);
    const back = t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(back.action).toBe('hold_waiting');
    expect(back.hold?.patronId).toBe(ben.id);
    expect(back.hold?.shelfExpiresOn).toMatch(/^2026-11-/);
    expect(t.s.holds.shelf().map((h) => h.patronName)).toEqual(['Ben Reader']);

    // Ana cannot take it back off the hold shelf.
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toContain('ITEM_ON_HOLD_FOR_OTHER');
    // Ben can, and his hold is filled.
    t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(t.s.patrons.lookup(ben.cardBarcode).holds).toEqual([]);
    expect(t.s.holds.shelf()).toEqual([]);
  });

  it('charges an overdue fine on return, but not for a book-drop return backdated to the due day', () => {
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Beloved', 2, 1);
    const loan = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    t.advanceDays(14 + 4); // four days late
    const late = t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(late.fine).toEqual({ feeId: expect.any(String), amount: 4 * 25, currency: 'USD' });

    const dueDay = new Date(loan.dueAt - 5 * 3_600_000).toISOString().slice(0, 10); // the due day in New York
    const dropped = t.s.circulation.checkin({ itemBarcode: barcodes[1]!, backdate: dueDay }, t.staff);
    expect(dropped.fine).toBeNull();
    expect(
      refusalCodes(() => t.s.circulation.checkin({ itemBarcode: barcodes[1]!, backdate: '2099-01-01' }, t.staff)),
    ).toEqual(['RETURN_DATE_IN_FUTURE']);

    // The patron pays with a five-dollar note: change is given, nothing is owed.
    const paid = t.s.fees.pay({ patronId: patron.id, tendered: 500 }, t.staff);
    expect(paid).toMatchObject({ applied: 100, change: 400, remainingOwed: 0 });
  });

  it('pays the oldest fees first and waives with a reason', () => {
    const patron = addPatron(t, 1);
    const older = t.s.fees.charge(
      { patronId: patron.id, kind: 'damage', amount: 300, description: 'water damage' },
      t.staff,
    );
    t.advanceDays(1);
    const newer = t.s.fees.charge(
      { patronId: patron.id, kind: 'manual', amount: 200, description: 'lost card' },
      t.staff,
    );
    const paid = t.s.fees.pay({ patronId: patron.id, tendered: 400, amount: 400 }, t.staff);
    expect(paid.allocations).toEqual([
      { feeId: older.id, amount: 300 },
      { feeId: newer.id, amount: 100 },
    ]);
    const waived = t.s.fees.waive({ feeId: newer.id, reason: 'first time' }, t.staff);
    expect(waived.outstanding).toBe(0);
    expect(t.s.patrons.lookup(patron.cardBarcode).feesOwed).toBe(0);
  });

  it('keeps no link from a returned loan to its patron unless the patron opted in', () => {
    const privateReader = addPatron(t, 1);
    const historian = addPatron(t, 2, { keepReadingHistory: true });
    const { barcodes } = addTitle(t, 'Middlemarch', 2, 1);
    t.s.circulation.checkout({ patronBarcode: privateReader.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkout({ patronBarcode: historian.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[1]! }, t.staff);
    const linked = t.s.store.db
      .prepare('SELECT patron_id FROM loans WHERE returned_at IS NOT NULL ORDER BY checked_out_at, id')
      .all() as {
      patron_id: string | null;
    }[];
    expect(linked.map((l) => l.patron_id).sort()).toEqual([historian.id, null].sort());
    expect(t.s.patrons.readingHistory(privateReader.id)).toEqual([]);
    expect(t.s.patrons.readingHistory(historian.id).map((h) => h.title)).toEqual(['Middlemarch']);
  });

  it('stores PINs only as salted hashes, never in the journal, and checks them for the kiosk', async () => {
    const patron = addPatron(t, 1, { pin: '4321' });
    const rows = t.s.store.db.prepare('SELECT payload FROM journal').all() as { payload: string }[];
    for (const r of rows) expect(r.payload).not.toContain('4321');
    const stored = t.s.store.db.prepare('SELECT pin_hash FROM patrons WHERE id = ?').get(patron.id) as {
      pin_hash: string;
    };
    expect(stored.pin_hash).toMatch(/^scrypt\$/);
    expect((await t.s.patrons.verifyPin(patron.cardBarcode, '4321'))?.id).toBe(patron.id);
    expect(await t.s.patrons.verifyPin(patron.cardBarcode, '1234')).toBeNull();
  });

  it('sends an item home to its branch when returned elsewhere', () => {
    const north = t.s.admin.saveBranch({ code: 'NORTH', name: 'North Branch', timeZone: 'America/New_York' }, t.staff);
    const patron = addPatron(t, 1);
    const record = t.s.catalogue.addRecord(
      { title: 'Lent from North', author: null, isbn: null, issn: null, publisher: null, year: null, callNumber: null },
      t.staff,
    );
    const item = t.s.catalogue.addItem(
      { barcode: itemBarcode(50), recordId: record.id, itemTypeCode: 'BOOK', homeBranchId: north.id },
      t.staff,
    );
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: item.barcode }, t.staff);
    const back = t.s.circulation.checkin({ itemBarcode: item.barcode }, t.staff);
    expect(back.action).toBe('transit');
    expect(back.destinationBranch?.name).toBe('North Branch');
  });

  it('finds records and patrons by word prefixes, accents folded', () => {
    addTitle(t, 'Harry Potter and the Philosopher’s Stone', 1, 1, { author: 'Rowling, J. K.' });
    addTitle(t, 'Cien años de soledad', 1, 2, { author: 'García Márquez, Gabriel' });
    addPatron(t, 1, { firstName: 'José', lastName: 'Muñoz' });
    expect(t.s.catalogue.search('harr pot').map((h) => h.title)).toEqual(['Harry Potter and the Philosopher’s Stone']);
    expect(t.s.catalogue.search('garcia')[0]?.title).toBe('Cien años de soledad');
    expect(t.s.patrons.search('jose mu').map((p) => p.lastName)).toEqual(['Muñoz']);
    expect(t.s.patrons.search(patronCard(1).slice(0, 8)).length).toBe(1);
    expect(t.s.catalogue.search('"; DROP TABLE records; --')).toEqual([]);
  });

  it('reports today at a glance, the overdue list and items in transit', () => {
    const patron = addPatron(t, 1, { firstName: 'Olga' });
    const { barcodes } = addTitle(t, 'War and Peace', 2, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[1]! }, t.staff);
    const today = t.s.reports.today();
    expect(today.date).toBe('2026-11-16');
    expect(today.byHour[10]).toEqual({ hour: 10, checkouts: 2, checkins: 1, renewals: 0 }); // 10:00 in New York
    expect(today.byItemType).toEqual([{ itemType: 'BOOK', loans: 2 }]);
    expect(t.s.reports.overdue()).toEqual([]);
    t.advanceDays(16);
    expect(t.s.reports.overdue()).toEqual([
      expect.objectContaining({ itemBarcode: barcodes[0], patronName: 'Olga Reader', daysOverdue: 2 }),
    ]);
    expect(t.s.reports.inTransit()).toEqual([]);
  });

  it('lists sync exceptions with the patron and the item, and marks them resolved', () => {
    const patron = addPatron(t, 1, { firstName: 'Ana' });
    const { barcodes } = addTitle(t, 'Lent Twice', 1, 1);
    const item = t.s.catalogue.itemByBarcode(barcodes[0]!);
    // As the sync worker records what the hub reported.
    t.s.store.db
      .prepare(
        `INSERT INTO sync_exceptions (id, kind, message, patron_id, item_id, entry_ids, created_at) VALUES ('hub-1', 'lent_twice', 'lent at two stations', ?, ?, '[]', 1)`,
      )
      .run(patron.id, item.id);
    expect(t.s.exceptions.list()).toEqual([
      expect.objectContaining({
        id: 'hub-1',
        kind: 'lent_twice',
        patronName: 'Ana Reader',
        cardBarcode: patron.cardBarcode,
        itemBarcode: barcodes[0],
        title: 'Lent Twice',
      }),
    ]);
    expect(t.s.status().exceptionsOpen).toBe(1);
    expect(t.s.exceptions.resolve('hub-1', t.staff.staffId)).toBe(true);
    expect(t.s.exceptions.resolve('hub-1', t.staff.staffId)).toBe(false);
    expect(t.s.exceptions.list()).toEqual([]);
    expect(t.s.status().exceptionsOpen).toBe(0);
  });
});
