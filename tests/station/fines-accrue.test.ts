// Fines that accrue (issue 12): an open loan's overdue fine counts against the patron from the day
// it is overdue, in the branch's calendar, capped by the rule, without waiting for the check-in;
// the check-in charges it exactly once. Real SQLite, the station's clock moved by the test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addPatron,
  addTitle,
  createTestStation,
  DESK_RULE,
  journalCount,
  refusalCodes,
  refusalsOf,
  type TestStation,
} from '../support/station';

const DAY = 86_400_000;

describe('fines that accrue on open loans', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
    t.s.admin.saveRule(DESK_RULE, t.staff); // 14 days, 25 cents a day, at most 5.00
  });
  afterEach(() => t.close());

  it('a patron 100 days overdue owes the accrued fine (capped by the rule) and is blocked over the fines limit', () => {
    t.s.admin.updateSettings({ maxFeesOwed: 400 }, t.staff);
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'The Dispossessed', 2, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(14 + 100);

    const summary = t.s.patrons.lookup(patron.cardBarcode);
    // 100 days at 25 cents is 25.00; the rule's maximum is 5.00.
    expect(summary.feesOwed).toBe(500);
    expect(summary.accruedFines).toBe(500);
    expect(summary.accruing).toEqual([
      expect.objectContaining({ title: 'The Dispossessed', itemBarcode: barcodes[0], amount: 500, overdueUnits: 100 }),
    ]);
    expect(summary.fees).toEqual([]);

    const refusals = refusalsOf(() =>
      t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[1]! }, t.staff),
    );
    expect(refusals).toContainEqual({ code: 'FEES_OVER_LIMIT', params: { owed: 500, limit: 400 }, overridable: true });
  });

  it('counts only open days when closed days earn no fine, and the check-in charges the same amount once', () => {
    // Closed on Sundays. Due Monday 30 Nov; a week later (Monday 7 Dec) six open days have passed.
    t.s.admin.addClosedDay(t.branchId, { kind: 'weekly', weekday: 0 }, t.staff);
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Kindred', 1, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(21);

    const before = journalCount(t);
    const accrued = t.s.patrons.lookup(patron.cardBarcode);
    expect(accrued.accruing.map((f) => [f.amount, f.overdueUnits])).toEqual([[150, 6]]);
    // Reading the account writes nothing: an accruing fine is not journaled (nothing for two stations to double).
    expect(journalCount(t)).toBe(before);

    const back = t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(back.fine).toMatchObject({ amount: 150 });
    const after = t.s.patrons.lookup(patron.cardBarcode);
    expect(after.accruing).toEqual([]);
    expect(after.feesOwed).toBe(150);
    expect(after.fees).toEqual([
      expect.objectContaining({ kind: 'overdue', amount: 150, title: 'Kindred', itemBarcode: barcodes[0] }),
    ]);

    // Checked in again (a second scan): no second fine.
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(t.s.patrons.lookup(patron.cardBarcode).feesOwed).toBe(150);
  });

  it('accrues nothing within the grace period nor on a copy marked lost', () => {
    t.s.admin.saveRule({ ...DESK_RULE, graceDays: 3 }, t.staff);
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Parable of the Sower', 1, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(14 + 3);
    expect(t.s.patrons.lookup(patron.cardBarcode).feesOwed).toBe(0);
    t.advanceDays(1);
    expect(t.s.patrons.lookup(patron.cardBarcode).accruedFines).toBe(100);
  });

  it('blocks borrowing past the overdue block, overridable by a supervisor', () => {
    t.s.admin.updateSettings({ overdueBlockDays: 3 }, t.staff);
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Lilith\u2019s Brood', 3, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(14 + 2);
    // Two days overdue: not yet blocked.
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    t.clock.now += 2 * DAY;
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[2]! }, t.staff),
      ),
    ).toEqual(['PATRON_HAS_OVERDUES']);
    const lent = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[2]! }, t.staff, {
      codes: ['PATRON_HAS_OVERDUES'],
      grantedBy: t.staff.staffId!,
    });
    expect(lent.itemBarcode).toBe(barcodes[2]);
  });
});

describe('payments as libraries take them', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
    t.s.admin.saveRule(DESK_RULE, t.staff);
  });
  afterEach(() => t.close());

  it('takes cash, card and cheque (a cheque only with its number), and keeps the history with title and barcode', () => {
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Dawn', 1, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(14 + 4);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff); // 1.00 fine
    const damage = t.s.fees.charge(
      { patronId: patron.id, kind: 'damage', amount: 300, description: 'water damage', itemBarcode: barcodes[0]! },
      t.staff,
    );
    expect(damage).toMatchObject({ title: 'Dawn', itemBarcode: barcodes[0], description: 'water damage' });
    const printing = t.s.fees.charge(
      { patronId: patron.id, kind: 'printing', amount: 40, description: '4 pages' },
      t.staff,
    );
    const card = t.s.fees.charge(
      { patronId: patron.id, kind: 'card_replacement', amount: 200, description: 'lost card' },
      t.staff,
    );

    // A cheque without its number is refused, and nothing is written.
    const before = journalCount(t);
    expect(() =>
      t.s.fees.pay({ patronId: patron.id, tendered: 100, method: 'cheque', reference: '  ' }, t.staff),
    ).toThrow(/cheque number/);
    // A card payment gives no change.
    expect(() => t.s.fees.pay({ patronId: patron.id, tendered: 500, amount: 100, method: 'card' }, t.staff)).toThrow(
      /nothing is handed back/,
    );
    expect(journalCount(t)).toBe(before);

    const byCheque = t.s.fees.pay(
      { patronId: patron.id, tendered: 100, method: 'cheque', reference: 'CHQ 0042' },
      t.staff,
    );
    expect(byCheque).toMatchObject({ applied: 100, change: 0, method: 'cheque', reference: 'CHQ 0042' });
    expect(byCheque.lines).toEqual([
      expect.objectContaining({ kind: 'overdue', amount: 100, title: 'Dawn', itemBarcode: barcodes[0] }),
    ]);
    const byCard = t.s.fees.pay(
      { patronId: patron.id, tendered: 300, method: 'card', reference: 'auth 77', feeIds: [damage.id] },
      t.staff,
    );
    expect(byCard).toMatchObject({ applied: 300, change: 0 });
    const byCash = t.s.fees.pay({ patronId: patron.id, tendered: 100, feeIds: [printing.id] }, t.staff);
    expect(byCash).toMatchObject({ applied: 40, change: 60, method: 'cash', reference: null });
    t.s.fees.waive({ feeId: card.id, reason: 'first replacement free' }, t.staff);

    const stored = t.s.store.db.prepare('SELECT method, reference FROM payments ORDER BY created_at, id').all();
    expect(stored).toEqual(
      expect.arrayContaining([
        { method: 'cheque', reference: 'CHQ 0042' },
        { method: 'card', reference: 'auth 77' },
        { method: 'cash', reference: null },
      ]),
    );

    const history = t.s.fees.history(patron.id);
    const line = (event: string, kind: string) => history.find((h) => h.event === event && h.feeKind === kind);
    expect(line('paid', 'overdue')).toMatchObject({
      amount: 100,
      method: 'cheque',
      reference: 'CHQ 0042',
      title: 'Dawn',
      itemBarcode: barcodes[0],
    });
    expect(line('paid', 'damage')).toMatchObject({
      amount: 300,
      method: 'card',
      title: 'Dawn',
      itemBarcode: barcodes[0],
    });
    expect(line('paid', 'printing')).toMatchObject({ amount: 40, method: 'cash', description: '4 pages', title: null });
    expect(line('waived', 'card_replacement')).toMatchObject({ amount: 200, reason: 'first replacement free' });
    expect(history.filter((h) => h.event === 'charged')).toHaveLength(4);
    expect(t.s.patrons.lookup(patron.cardBarcode).feesOwed).toBe(0);
  });

  it('shows a credit in the history, and refuses a charge for a copy that does not exist', () => {
    const patron = addPatron(t, 1);
    // A credit as the hub makes one (the same fee paid at two desks).
    t.s.store.db
      .prepare(
        "INSERT INTO fees (id, patron_id, kind, amount, outstanding, currency, loan_id, item_id, description, created_at) VALUES ('c1', ?, 'manual', -300, -300, 'USD', NULL, NULL, 'credit: paid twice', ?)",
      )
      .run(patron.id, t.clock.now);
    expect(t.s.fees.history(patron.id)).toEqual([
      expect.objectContaining({ event: 'credited', amount: 300, description: 'credit: paid twice' }),
    ]);
    const before = journalCount(t);
    expect(() =>
      t.s.fees.charge(
        { patronId: patron.id, kind: 'damage', amount: 100, description: 'torn', itemBarcode: '39999999999999' },
        t.staff,
      ),
    ).toThrow(/No copy/);
    expect(() =>
      t.s.fees.charge({ patronId: patron.id, kind: 'printing', amount: 100, description: '   ' }, t.staff),
    ).toThrow(/reason/);
    expect(journalCount(t)).toBe(before);
  });
});
