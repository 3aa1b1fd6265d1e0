import { describe, expect, it } from 'vitest';
import { accruedFine, computeOverdueFine, daysOverdue, fineTerms, type FineInput } from './fines';

const NY = 'America/New_York';
const due = Date.parse('2026-11-30T04:59:59.999Z'); // end of Sunday 29 Nov in New York
const day = 86_400_000;
const base = (over: Partial<FineInput>): FineInput => ({
  dueAt: due,
  returnedAt: due + 3 * day,
  unit: 'days',
  fineAmount: 25,
  finePeriod: 1,
  graceDays: 0,
  fineCap: null,
  capAtReplacementPrice: false,
  replacementPrice: null,
  timeZone: NY,
  closedDays: [],
  skipClosedDays: false,
  ...over,
});

describe('overdue fines', () => {
  it('charges nothing on time, even late on the due day', () => {
    expect(computeOverdueFine(base({ returnedAt: due - 1000 })).amount).toBe(0);
  });
  it('charges per day late, per charge period', () => {
    expect(computeOverdueFine(base({}))).toEqual({ amount: 75, overdueUnits: 3 });
    expect(computeOverdueFine(base({ finePeriod: 2 })).amount).toBe(50); // 2 periods started
  });
  it('forgives the grace period, then counts every day', () => {
    expect(computeOverdueFine(base({ graceDays: 3 })).amount).toBe(0);
    expect(computeOverdueFine(base({ graceDays: 2 })).amount).toBe(75);
  });
  it('stops at the cap and at the replacement price', () => {
    expect(computeOverdueFine(base({ returnedAt: due + 60 * day, fineCap: 500 })).amount).toBe(500);
    expect(
      computeOverdueFine(base({ returnedAt: due + 60 * day, capAtReplacementPrice: true, replacementPrice: 1299 }))
        .amount,
    ).toBe(1299);
  });
  it('leaves closed days out when the library says so', () => {
    const closed = [{ kind: 'weekly' as const, weekday: 1 }]; // closed Mondays
    expect(computeOverdueFine(base({ closedDays: closed, skipClosedDays: true })).amount).toBe(50);
    expect(computeOverdueFine(base({ closedDays: closed, skipClosedDays: false })).amount).toBe(75);
  });
  it('charges hourly loans by the started hour', () => {
    const hourly = base({ unit: 'hours', returnedAt: due + 2.5 * 3_600_000, fineAmount: 100 });
    expect(computeOverdueFine(hourly)).toEqual({ amount: 300, overdueUnits: 3 });
  });
});

describe('fines that accrue on an open loan', () => {
  const terms = fineTerms(
    { loanUnit: 'days', fineAmount: 25, finePeriod: 1, graceDays: 0, fineCap: 500, capFineAtReplacementPrice: true },
    2000,
    { timeZone: NY, closedDays: [], skipClosedDays: false },
  );
  it('is the fine a return now would be charged, capped by the rule', () => {
    for (const days of [0, 1, 3, 19, 20, 100]) {
      const now = due + days * day;
      expect(accruedFine({ dueAt: due }, terms, now)).toEqual(
        computeOverdueFine({ ...terms, dueAt: due, returnedAt: now }),
      );
    }
    expect(accruedFine({ dueAt: due }, terms, due + 100 * day)).toEqual({ amount: 500, overdueUnits: 100 });
    expect(accruedFine({ dueAt: due }, { ...terms, fineCap: null }, due + 100 * day).amount).toBe(2000); // the replacement price
  });
  it("counts calendar days overdue in the branch's zone for the overdue block", () => {
    expect(daysOverdue(due, due - 1, NY)).toBe(0);
    expect(daysOverdue(due, due + 1000, NY)).toBe(1);
    expect(daysOverdue(due, due + 5 * day, NY)).toBe(5);
    // An hourly loan overdue on its own due day counts as one day.
    expect(daysOverdue(due - 3_600_000 * 5, due - 3_600_000, NY)).toBe(1);
  });
});
