import { describe, expect, it } from 'vitest';
import { routeReturnedItem, checkinStatusChange } from './checkin';
import { checkoutEligibility, renewalEligibility, renewalsLeft, type CheckoutContext } from './eligibility';
import { refusal, unoverridden } from './refusals';
import { DEFAULT_RULE, findPatronLimits, findReturnPolicy, findRule, ruleBranchFor } from './rules';
import type { CirculationRule, Item, Loan, Patron } from './types';

const patron = (over: Partial<Patron> = {}): Patron => ({
  id: 'p1',
  cardBarcode: '2',
  firstName: 'Ana',
  lastName: 'R',
  email: null,
  phone: null,
  address: null,
  homeBranchId: 'main',
  categoryCode: 'ADULT',
  cardExpiresOn: '2027-01-01',
  blocks: [],
  notes: '',
  keepReadingHistory: false,
  createdAt: 0,
  ...over,
});
const item = (over: Partial<Item> = {}): Item => ({
  id: 'i1',
  barcode: '3',
  recordId: 'r1',
  homeBranchId: 'main',
  currentBranchId: 'main',
  itemTypeCode: 'BOOK',
  status: 'available',
  damaged: false,
  notForLoan: false,
  replacementPrice: 2000,
  transitToBranchId: null,
  ...over,
});
const ctx = (over: Partial<CheckoutContext> = {}): CheckoutContext => ({
  patron: patron(),
  item: item(),
  itemType: { code: 'BOOK', name: 'Book', notForLoan: false },
  rule: DEFAULT_RULE,
  limits: null,
  today: '2026-11-22',
  feesOwed: 0,
  maxFeesOwed: 1000,
  patronLoans: [],
  openLoanOfItem: null,
  holdsOnItem: [],
  pendingTitleHoldsAhead: [],
  ...over,
});
const codes = (c: CheckoutContext) => checkoutEligibility(c).refusals.map((r) => r.code);
const rule = (b: string, c: string, t: string, loanLength: number): CirculationRule => ({
  ...DEFAULT_RULE,
  branchId: b,
  categoryCode: c,
  itemTypeCode: t,
  loanLength,
});

describe('the rules matrix', () => {
  const rules = [
    rule('*', '*', '*', 1),
    rule('*', '*', 'DVD', 2),
    rule('*', 'CHILD', '*', 3),
    rule('*', 'CHILD', 'DVD', 4),
    rule('north', '*', '*', 5),
    rule('north', '*', 'DVD', 6),
    rule('north', 'CHILD', '*', 7),
    rule('north', 'CHILD', 'DVD', 8),
  ];
  const len = (b: string, c: string, t: string) =>
    findRule(rules, { branchId: b, categoryCode: c, itemTypeCode: t })?.loanLength;
  it('takes the most specific rule first, branch before all branches', () => {
    expect(len('north', 'CHILD', 'DVD')).toBe(8);
    expect(len('north', 'CHILD', 'BOOK')).toBe(7);
    expect(len('north', 'ADULT', 'DVD')).toBe(6);
    expect(len('north', 'ADULT', 'BOOK')).toBe(5);
    expect(len('south', 'CHILD', 'DVD')).toBe(4);
    expect(len('south', 'CHILD', 'BOOK')).toBe(3);
    expect(len('south', 'ADULT', 'DVD')).toBe(2);
    expect(len('south', 'ADULT', 'BOOK')).toBe(1);
    expect(findRule([], { branchId: 'x', categoryCode: 'y', itemTypeCode: 'z' })).toBeNull();
  });
  it('answers the same whatever order the rules are stored in', () => {
    const reversed = [...rules].reverse();
    const keys = ['north', 'south'].flatMap((b) =>
      ['CHILD', 'ADULT'].flatMap((c) => ['DVD', 'BOOK'].map((t) => [b, c, t] as const)),
    );
    for (const [b, c, t] of keys) {
      expect(findRule(reversed, { branchId: b, categoryCode: c, itemTypeCode: t })?.loanLength).toBe(len(b, c, t));
    }
    // A rule for another branch or category never applies, however specific.
    expect(
      findRule([rule('north', 'CHILD', 'DVD', 8)], { branchId: 'south', categoryCode: 'CHILD', itemTypeCode: 'DVD' }),
    ).toBeNull();
  });
  it('finds patron limits and return policies with wildcards, and whose branch rules', () => {
    const limits = [
      { branchId: '*', categoryCode: '*', totalMaxLoans: 50, maxHolds: 10 },
      { branchId: 'main', categoryCode: 'CHILD', totalMaxLoans: 5, maxHolds: 2 },
    ];
    expect(findPatronLimits(limits, { branchId: 'main', categoryCode: 'CHILD' })?.totalMaxLoans).toBe(5);
    expect(findPatronLimits(limits, { branchId: 'main', categoryCode: 'ADULT' })?.totalMaxLoans).toBe(50);
    expect(
      findReturnPolicy([{ branchId: 'main', itemTypeCode: '*', returnPolicy: 'stays' }], {
        branchId: 'main',
        itemTypeCode: 'BOOK',
      }),
    ).toBe('stays');
    expect(findReturnPolicy([], { branchId: 'main', itemTypeCode: 'BOOK' })).toBe('home_branch');
    const ids = { deskBranchId: 'd', patronHomeBranchId: 'p', itemHomeBranchId: 'i' };
    expect([
      ruleBranchFor('desk_branch', ids),
      ruleBranchFor('patron_home_branch', ids),
      ruleBranchFor('item_home_branch', ids),
    ]).toEqual(['d', 'p', 'i']);
  });
});

describe('check-out eligibility', () => {
  it('lends when nothing stands in the way', () => {
    expect(checkoutEligibility(ctx())).toEqual({ refusals: [], isRenewal: false });
  });
  it('gives every reason at once, each with its override flag', () => {
    const result = checkoutEligibility(
      ctx({
        patron: patron({
          cardExpiresOn: '2026-01-01',
          blocks: [{ id: 'b', kind: 'barred', reason: 'x', until: null, createdAt: 0 }],
        }),
        feesOwed: 2000,
        item: item({ status: 'lost' }),
      }),
    );
    expect(result.refusals).toEqual([
      { code: 'CARD_EXPIRED', params: { date: '2026-01-01' }, overridable: true },
      { code: 'PATRON_BARRED', overridable: false },
      { code: 'FEES_OVER_LIMIT', params: { owed: 2000, limit: 1000 }, overridable: true },
      { code: 'ITEM_LOST', overridable: true },
    ]);
  });
  it('refuses past the overdue block, and only when the library sets one', () => {
    expect(codes(ctx({ mostDaysOverdue: 30 }))).toEqual([]);
    expect(codes(ctx({ mostDaysOverdue: 3, overdueBlockDays: 3 }))).toEqual([]);
    expect(checkoutEligibility(ctx({ mostDaysOverdue: 4, overdueBlockDays: 3 })).refusals).toEqual([
      { code: 'PATRON_HAS_OVERDUES', params: { days: 4, limit: 3 }, overridable: true },
    ]);
    expect(codes(ctx({ mostDaysOverdue: 1, overdueBlockDays: 0 }))).toEqual(['PATRON_HAS_OVERDUES']);
  });
  it('ignores blocks that have ended, and knows lost cards and manual blocks', () => {
    const blocks = [
      { id: 'a', kind: 'manual' as const, reason: 'old', until: '2026-11-21', createdAt: 0 },
      { id: 'b', kind: 'lost_card' as const, reason: 'reported', until: null, createdAt: 0 },
    ];
    expect(codes(ctx({ patron: patron({ blocks }) }))).toEqual(['CARD_LOST']);
    expect(codes(ctx({ patron: patron({ blocks: [{ ...blocks[0]!, until: '2026-11-22' }] }) }))).toEqual([
      'PATRON_BLOCKED',
    ]);
  });
  it('counts loans in total and of this type', () => {
    const loans = [
      { itemId: 'a', itemTypeCode: 'BOOK' },
      { itemId: 'b', itemTypeCode: 'DVD' },
    ];
    expect(
      codes(
        ctx({ patronLoans: loans, limits: { branchId: '*', categoryCode: '*', totalMaxLoans: 2, maxHolds: null } }),
      ),
    ).toEqual(['TOO_MANY_LOANS']);
    expect(codes(ctx({ patronLoans: loans, rule: { ...DEFAULT_RULE, maxLoans: 1 } }))).toEqual([
      'TOO_MANY_LOANS_OF_TYPE',
    ]);
  });
  it('refuses items not for loan, withdrawn, missing, in transit or lent to someone else', () => {
    expect(codes(ctx({ itemType: { code: 'REF', name: 'Ref', notForLoan: true } }))).toEqual(['ITEM_NOT_FOR_LOAN']);
    expect(codes(ctx({ item: item({ status: 'withdrawn' }) }))).toEqual(['ITEM_WITHDRAWN']);
    expect(codes(ctx({ item: item({ status: 'missing' }) }))).toEqual(['ITEM_MISSING']);
    expect(codes(ctx({ item: item({ status: 'in_transit' }) }))).toEqual(['ITEM_IN_TRANSIT']);
    expect(codes(ctx({ item: item({ status: 'on_loan' }), openLoanOfItem: { patronId: 'p2' } }))).toContain(
      'ITEM_ON_LOAN_TO_OTHER',
    );
  });
  it('turns the same patron borrowing it again into a renewal', () => {
    expect(checkoutEligibility(ctx({ openLoanOfItem: { patronId: 'p1' } }))).toEqual({ refusals: [], isRenewal: true });
  });
  it("keeps a copy for someone else's hold, but lends it to the holder", () => {
    expect(codes(ctx({ holdsOnItem: [{ patronId: 'p2', status: 'waiting' }] }))).toEqual(['ITEM_ON_HOLD_FOR_OTHER']);
    expect(codes(ctx({ holdsOnItem: [{ patronId: 'p1', status: 'waiting' }] }))).toEqual([]);
    expect(codes(ctx({ pendingTitleHoldsAhead: [{ patronId: 'p2' }, { patronId: 'p1' }] }))).toEqual([
      'ITEM_ON_HOLD_FOR_OTHER',
    ]);
    expect(codes(ctx({ pendingTitleHoldsAhead: [{ patronId: 'p1' }] }))).toEqual([]);
  });
});

describe('renewal eligibility', () => {
  const loan: Loan = {
    id: 'l',
    itemId: 'i1',
    patronId: 'p1',
    branchId: 'main',
    checkedOutAt: 0,
    dueAt: Date.parse('2026-12-01T04:59:59.999Z'),
    renewals: 0,
    lastRenewedAt: null,
    returnedAt: null,
    returnBranchId: null,
  };
  const base = {
    patron: patron(),
    loan,
    rule: DEFAULT_RULE,
    now: Date.parse('2026-11-22T15:00:00Z'),
    today: '2026-11-22',
    timeZone: 'America/New_York',
    holdNeedsItem: false,
    proposedDueAt: loan.dueAt + 14 * 86_400_000,
  };
  it('renews within the limit and refuses past it', () => {
    expect(renewalEligibility(base)).toEqual([]);
    expect(renewalEligibility({ ...base, loan: { ...loan, renewals: 2 } }).map((r) => r.code)).toEqual([
      'RENEWAL_LIMIT',
    ]);
  });
  it('refuses too soon, with the first day it may be renewed', () => {
    expect(renewalEligibility({ ...base, rule: { ...DEFAULT_RULE, noRenewalBeforeDays: 3 } })).toEqual([
      { code: 'RENEWAL_TOO_SOON', params: { date: '2026-11-27' }, overridable: true },
    ]);
  });
  it('refuses when a hold needs the copy, and for a blocked patron', () => {
    expect(renewalEligibility({ ...base, holdNeedsItem: true }).map((r) => r.code)).toEqual(['ITEM_NEEDED_FOR_HOLD']);
    expect(
      renewalEligibility({
        ...base,
        patron: patron({ blocks: [{ id: 'b', kind: 'barred', reason: 'x', until: null, createdAt: 0 }] }),
      }).map((r) => r.code),
    ).toEqual(['PATRON_BARRED']);
  });
  it('refuses a renewal that cannot move the due date later (a hard due date reached), with the date it stays at', () => {
    expect(renewalEligibility({ ...base, proposedDueAt: loan.dueAt })).toEqual([
      { code: 'RENEWAL_NO_LATER_DUE_DATE', params: { date: '2026-11-30' }, overridable: false },
    ]);
    expect(renewalEligibility({ ...base, proposedDueAt: loan.dueAt - 1 }).map((r) => r.code)).toEqual([
      'RENEWAL_NO_LATER_DUE_DATE',
    ]);
  });
  it('counts the renewals left, never below zero', () => {
    expect(renewalsLeft(0, { renewalsAllowed: 2 })).toBe(2);
    expect(renewalsLeft(2, { renewalsAllowed: 2 })).toBe(0);
    expect(renewalsLeft(3, { renewalsAllowed: 2 })).toBe(0);
    expect(renewalsLeft(0, null)).toBe(0);
  });
});

describe('overrides', () => {
  it('lift only the named, overridable refusals, and only for someone allowed', () => {
    const refusals = [refusal('CARD_EXPIRED'), refusal('PATRON_BARRED')];
    expect(unoverridden(refusals, ['CARD_EXPIRED', 'PATRON_BARRED'], true).map((r) => r.code)).toEqual([
      'PATRON_BARRED',
    ]);
    expect(unoverridden(refusals, ['CARD_EXPIRED'], false)).toHaveLength(2);
  });
});

describe('returns', () => {
  it('routes by the return policy', () => {
    const away = item({ homeBranchId: 'north', currentBranchId: 'south' });
    expect(routeReturnedItem({ item: away, checkinBranchId: 'main', returnPolicy: 'home_branch' })).toEqual({
      destinationBranchId: 'north',
      inTransit: true,
    });
    expect(routeReturnedItem({ item: away, checkinBranchId: 'main', returnPolicy: 'holding_branch' })).toEqual({
      destinationBranchId: 'south',
      inTransit: true,
    });
    expect(routeReturnedItem({ item: away, checkinBranchId: 'main', returnPolicy: 'stays' })).toEqual({
      destinationBranchId: 'main',
      inTransit: false,
    });
  });
  it('finds a lost item that comes back', () => {
    expect(checkinStatusChange(item({ status: 'lost' }))).toEqual({ foundLost: true, newStatus: 'available' });
    expect(checkinStatusChange(item({ status: 'on_loan' }))).toEqual({ foundLost: false, newStatus: 'on_loan' });
  });
});
