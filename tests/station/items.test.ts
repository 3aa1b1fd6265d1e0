// A copy's life outside plain lending, on a real station file: lost by its borrower (charged the
// replacement price, the loan kept open), found again or checked in (the loan closes, what is
// still owed on the charge is forgiven), claimed returned, and counted as used in the library.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fee, Item, Loan } from '../../src/domain/types';
import { LOST_FOUND_REASON } from '../../src/services/lost';
import { applyPulledBatch } from '../../src/sync/apply-pulled';
import {
  addPatron,
  addTitle,
  createTestStation,
  journalCount,
  refusalCodes,
  type TestStation,
} from '../support/station';

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
});
afterEach(() => t.close());

const item = (barcode: string) => t.s.catalogue.itemByBarcode(barcode);
const loanRow = (id: string) => t.s.ctx.rows.get<Loan>('loans', id)!;
const lastEntry = () =>
  t.s.store.db.prepare('SELECT command, payload FROM journal ORDER BY seq DESC LIMIT 1').get() as {
    command: string;
    payload: string;
  };
const effectTables = () =>
  (JSON.parse(lastEntry().payload) as { effects: { table: string }[] }).effects.map((e) => e.table).sort();

describe('a copy lost by its borrower', () => {
  it('charges the replacement price once, keeps the loan, and refuses the copy to anyone else', () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const { barcodes } = addTitle(t, 'The Dispossessed', 1, 1, { replacementPrice: 2500 });
    const loan = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(40);

    const before = journalCount(t);
    expect(t.s.catalogue.setItemStatus(barcodes[0]!, 'lost', t.staff).status).toBe('lost');
    expect(journalCount(t)).toBe(before + 1);
    // The entry names the loan, unchanged, so the hub knows whose copy went missing.
    expect(effectTables()).toEqual(['fees', 'items', 'loans']);
    const named = (JSON.parse(lastEntry().payload) as { effects: { table: string; row: unknown }[] }).effects.find(
      (e) => e.table === 'loans',
    )!.row;
    expect(named).toEqual(loanRow(loan.loanId));
    const fees = t.s.fees.list(ana.id);
    expect(fees).toEqual([
      expect.objectContaining({
        kind: 'lost',
        amount: 2500,
        outstanding: 2500,
        currency: 'USD',
        loanId: loan.loanId,
        itemId: item(barcodes[0]!).id,
        patronId: ana.id,
      }),
    ]);
    // The loan stays open on the patron's account, and the copy cannot go to anyone else.
    expect(loanRow(loan.loanId)).toMatchObject({ returnedAt: null, patronId: ana.id });
    const summary = t.s.patrons.lookup(ana.cardBarcode);
    expect(summary.loans.map((l) => l.itemBarcode)).toEqual([barcodes[0]]);
    expect(summary.feesOwed).toBe(2500);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual(expect.arrayContaining(['ITEM_LOST', 'ITEM_ON_LOAN_TO_OTHER']));

    // Marked lost again (or missing, then lost): no second charge.
    t.s.catalogue.setItemStatus(barcodes[0]!, 'missing', t.staff);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'lost', t.staff);
    expect(t.s.fees.list(ana.id)).toHaveLength(1);
  });

  it('found: the loan closes without a fine, and the unpaid charge is forgiven by a waiver', () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'The Dispossessed', 1, 1, { replacementPrice: 2500 });
    const loan = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.advanceDays(40);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'lost', t.staff);
    t.advanceDays(3);

    const found = t.s.catalogue.setItemStatus(barcodes[0]!, 'found', t.staff);
    expect(found).toMatchObject({ status: 'available', currentBranchId: t.branchId });
    expect(effectTables()).toEqual(['fee_waivers', 'fees', 'items', 'loans']);
    // Closed here and now; unlinked from the patron as any returned loan is (no retention period).
    expect(loanRow(loan.loanId)).toMatchObject({ returnedAt: t.clock.now, returnBranchId: t.branchId, patronId: null });
    const [lost] = t.s.fees.list(ana.id) as Fee[];
    expect(lost).toMatchObject({ kind: 'lost', amount: 2500, outstanding: 0 });
    expect(
      t.s.store.db
        .prepare('SELECT amount, reason, staff_id AS staffId FROM fee_waivers WHERE fee_id = ?')
        .get(lost!.id),
    ).toEqual({
      amount: 2500,
      reason: LOST_FOUND_REASON,
      staffId: t.staff.staffId,
    });
    expect(t.s.patrons.lookup(ana.cardBarcode)).toMatchObject({ loans: [], feesOwed: 0 });
    // Not lost any more: found again is refused, and the copy lends.
    expect(() => t.s.catalogue.setItemStatus(barcodes[0]!, 'found', t.staff)).toThrow(/not lost or missing/);
    expect(
      t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff).renewed,
    ).toBe(false);
  });

  it('checked in: the loan closes as any return, and only what is still owed on the charge is forgiven', () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'The Dispossessed', 1, 1, { replacementPrice: 2500 });
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'lost', t.staff);
    // Ana pays part of the charge; then the copy turns up in the book drop.
    t.s.fees.pay({ patronId: ana.id, amount: 1000, tendered: 1000 }, t.staff);
    const back = t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(back.notices.map((n) => n.code)).toContain('LOST_ITEM_FOUND');
    expect(back).toMatchObject({ wasOnLoan: true, action: 'shelve', fine: null });
    expect(item(barcodes[0]!).status).toBe('available');
    const [lost] = t.s.fees.list(ana.id);
    expect(lost).toMatchObject({ kind: 'lost', amount: 2500, outstanding: 0 });
    // The 10.00 paid stays paid (a refund is staff's to make); the 15.00 still owed is forgiven.
    expect(t.s.store.db.prepare('SELECT amount FROM fee_waivers WHERE fee_id = ?').all(lost!.id)).toEqual([
      { amount: 1500 },
    ]);
  });

  it('charges nothing for a copy with no replacement price, or one not on loan', () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Priceless', 2, 1);
    t.s.catalogue.updateItem(item(barcodes[0]!).id, { replacementPrice: null }, t.staff);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'lost', t.staff);
    t.s.catalogue.setItemStatus(barcodes[1]!, 'lost', t.staff);
    expect(t.s.fees.list(ana.id)).toEqual([]);
    expect(effectTables()).toEqual(['items']);
  });
});

describe('a copy claimed returned', () => {
  it('stays on the loan uncharged, is refused at the desk, and comes back when found', () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const { barcodes } = addTitle(t, "Lilith's Brood", 2, 1);
    const loan = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(() => t.s.catalogue.setItemStatus(barcodes[1]!, 'claimed_returned', t.staff)).toThrow(/on loan/);
    expect(t.s.catalogue.setItemStatus(barcodes[0]!, 'claimed_returned', t.staff).status).toBe('claimed_returned');
    expect(t.s.fees.list(ana.id)).toEqual([]);
    expect(loanRow(loan.loanId).returnedAt).toBeNull();
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual(['ITEM_CLAIMED_RETURNED', 'ITEM_ON_LOAN_TO_OTHER']);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'found', t.staff);
    expect(loanRow(loan.loanId).returnedAt).toBe(t.clock.now);
    expect(
      t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff).renewed,
    ).toBe(false);
  });

  it("lends on a supervisor's override once no loan holds it (the refusal is overridable)", async () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Wild Seed', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.catalogue.setItemStatus(barcodes[0]!, 'claimed_returned', t.staff);
    // A status pulled from the hub can leave the copy claimed returned with no loan here.
    const open = t.s.store.db.prepare('SELECT id FROM loans WHERE returned_at IS NULL').get() as { id: string };
    t.s.ctx.journal.acknowledge(
      t.s.ctx.journal.pending(1000).map((e) => ({ seq: e.seq, outcome: 'applied' })),
      t.clock.now,
    );
    applyPulledBatch(
      t.s.ctx,
      [
        {
          table: 'loans',
          op: 'upsert',
          row: { ...loanRow(open.id), returnedAt: t.clock.now, returnBranchId: t.branchId },
        },
      ],
      '1',
    );
    const ben = addPatron(t, 2);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual(['ITEM_CLAIMED_RETURNED']);
    t.s.admin.saveStaff(
      { username: 'sup', displayName: 'Sam', role: 'supervisor', password: 'supervisor pass' },
      t.staff,
    );
    const grantedBy = t.s.auth.redeemOverride(
      (await t.s.auth.verifySupervisor('sup', 'supervisor pass')).overrideToken,
    );
    const lent = t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff, {
      codes: ['ITEM_CLAIMED_RETURNED'],
      grantedBy,
    });
    expect(lent.notices.map((n) => n.code)).toContain('LOST_ITEM_FOUND');
    expect(item(barcodes[0]!).status).toBe('on_loan');
  });
});

describe('in-house use', () => {
  it('counts a use at this branch with no patron, one entry per use, and refuses an unknown copy', () => {
    const { barcodes } = addTitle(t, 'Reference Atlas', 1, 1);
    const before = journalCount(t);
    expect(t.s.catalogue.inHouseUse(barcodes[0]!, t.staff)).toEqual({
      itemBarcode: barcodes[0],
      title: 'Reference Atlas',
    });
    t.s.catalogue.inHouseUse(` ${barcodes[0]!} `, t.staff);
    expect(journalCount(t)).toBe(before + 2);
    expect(lastEntry().command).toBe('catalogue.inHouseUse');
    expect(effectTables()).toEqual(['in_house_uses']);
    const uses = t.s.store.db.prepare('SELECT * FROM in_house_uses').all() as Record<string, unknown>[];
    expect(uses).toHaveLength(2);
    expect(uses[0]).toMatchObject({ item_id: item(barcodes[0]!).id, branch_id: t.branchId, used_at: t.clock.now });
    expect(Object.keys(uses[0]!).some((k) => k.includes('patron'))).toBe(false);
    // The copy itself is untouched: still on the shelf.
    expect(item(barcodes[0]!)).toMatchObject({ status: 'available' } satisfies Partial<Item>);
    const n = journalCount(t);
    expect(refusalCodes(() => t.s.catalogue.inHouseUse('30234999999999', t.staff))).toEqual(['ITEM_NOT_FOUND']);
    expect(journalCount(t)).toBe(n);
  });
});
