// Hourly loans (laptops, reserve copies) at the desk on a real station file: they run their hours,
// but a hard due date and the end of the patron's card bound them as they bound day loans.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CirculationRule } from '../../src/domain/types';
import { DEFAULT_RULE } from '../../src/domain/rules';
import { addPatron, addTitle, createTestStation, refusalsOf, type TestStation } from '../support/station';

const HOURLY: CirculationRule = {
  ...DEFAULT_RULE,
  itemTypeCode: 'LAPTOP',
  loanLength: 72,
  loanUnit: 'hours',
  renewalsAllowed: 1,
};
const iso = (ms: number) => new Date(ms).toISOString();

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
  t.s.admin.saveItemType({ code: 'LAPTOP', name: 'Laptop', notForLoan: false }, t.staff);
});
afterEach(() => t.close());

describe('hourly loans', () => {
  it('run their hours, within a hard due date', () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Laptop 1', 2, 1, { itemTypeCode: 'LAPTOP' });
    t.s.admin.saveRule(HOURLY, t.staff);
    // Monday 10:00 New York + 72 hours.
    const plain = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(iso(plain.dueAt)).toBe('2026-11-19T15:00:00.000Z');
    expect(plain.notices).toEqual([]);

    // The term ends Tuesday: the laptop is due back by the end of that day.
    t.s.admin.saveRule({ ...HOURLY, hardDueDate: '2026-11-17', hardDueDateMode: 'before' }, t.staff);
    const bounded = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    expect(iso(bounded.dueAt)).toBe('2026-11-18T04:59:59.999Z');
    expect(bounded.notices).toEqual([{ code: 'DUE_DATE_HARD', params: { date: '2026-11-17' } }]);
    // Renewing it cannot pass the hard date either: a renewal that would not move the due date
    // is refused (and not counted), with the date it stays at.
    expect(refusalsOf(() => t.s.circulation.renew({ itemBarcode: barcodes[1]! }, t.staff))).toEqual([
      { code: 'RENEWAL_NO_LATER_DUE_DATE', params: { date: '2026-11-17' }, overridable: false },
    ]);
  });

  it("end with the patron's card", () => {
    const ana = addPatron(t, 1);
    t.s.patrons.update(ana.id, { cardExpiresOn: '2026-11-17' }, t.staff);
    const { barcodes } = addTitle(t, 'Laptop 1', 1, 1, { itemTypeCode: 'LAPTOP' });
    t.s.admin.saveRule(HOURLY, t.staff);
    const loan = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(iso(loan.dueAt)).toBe('2026-11-18T04:59:59.999Z');
    expect(loan.notices).toEqual([{ code: 'DUE_DATE_CAPPED_CARD_EXPIRY', params: { date: '2026-11-17' } }]);
  });
});
