// Renewals that cannot do what a renewal is for (bug 7 of issue 12): a hard due date reached
// leaves the due date where it is, so the renewal is refused, is not counted and says why; and
// every loan and renewal says how many renewals are left.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addPatron,
  addTitle,
  createTestStation,
  DESK_RULE,
  journalCount,
  refusalsOf,
  type TestStation,
} from '../support/station';

describe('renewals and the due date they move', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
  });
  afterEach(() => t.close());

  it('refuses a renewal that a hard due date keeps at the same date: not counted, nothing written, the date said', () => {
    // Lent Monday 16 Nov for 14 days, but nothing may be due after Friday 20 Nov.
    t.s.admin.saveRule(
      { ...DESK_RULE, hardDueDate: '2026-11-20', hardDueDateMode: 'before', renewalsAllowed: 3 },
      t.staff,
    );
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Term Paper Sources', 1, 1);
    const loan = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(loan.renewalsLeft).toBe(3);
    const before = journalCount(t);

    const refusals = refusalsOf(() => t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff));
    expect(refusals).toEqual([
      { code: 'RENEWAL_NO_LATER_DUE_DATE', params: { date: '2026-11-20' }, overridable: false },
    ]);
    expect(journalCount(t)).toBe(before);
    expect(t.s.patrons.lookup(patron.cardBarcode).loans[0]).toMatchObject({ renewals: 0, dueAt: loan.dueAt });

    // Scanned again at Check out (a check-out that becomes a renewal): refused the same way.
    const again = refusalsOf(() =>
      t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
    ).map((r) => r.code);
    expect(again).toEqual(['ALREADY_ON_LOAN_TO_PATRON', 'RENEWAL_NO_LATER_DUE_DATE']);
    // Renew all names it among the refused, and renews nothing.
    const all = t.s.circulation.renewAll({ patronBarcode: patron.cardBarcode }, t.staff);
    expect(all.renewed).toEqual([]);
    expect(all.refused.map((r) => r.refusals.map((x) => x.code))).toEqual([['RENEWAL_NO_LATER_DUE_DATE']]);
    expect(journalCount(t)).toBe(before + 1); // renew all is one command, even when it renews nothing
  });

  it('a supervisor cannot override it either: an override does not move a pinned due date', async () => {
    t.s.admin.saveRule(
      { ...DESK_RULE, hardDueDate: '2026-11-20', hardDueDateMode: 'before', renewalsAllowed: 3 },
      t.staff,
    );
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Pinned', 1, 1);
    t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    const refused = refusalsOf(() =>
      t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff, {
        codes: ['RENEWAL_NO_LATER_DUE_DATE'],
        grantedBy: 'a supervisor',
      }),
    );
    expect(refused.map((r) => r.code)).toEqual(['RENEWAL_NO_LATER_DUE_DATE']);
  });

  it('counts down the renewals left with each renewal that does move the date', () => {
    t.s.admin.saveRule({ ...DESK_RULE, renewalsAllowed: 2 }, t.staff);
    const patron = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Dune', 1, 1);
    const first = t.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(first.renewalsLeft).toBe(2);
    const once = t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff);
    expect(once).toMatchObject({ renewals: 1, renewalsLeft: 1 });
    expect(once.dueAt).toBeGreaterThan(first.dueAt);
    expect(t.s.circulation.renew({ itemBarcode: barcodes[0]! }, t.staff)).toMatchObject({
      renewals: 2,
      renewalsLeft: 0,
    });
  });
});
