import { describe, expect, it } from 'vitest';
import {
  holdPlacementEligibility,
  isShelfExpired,
  otherCopyCanFill,
  pickHoldToTrap,
  shelfExpiry,
  sortQueue,
  trapDecision,
} from './holds';
import { DEFAULT_RULE } from './rules';
import type { Hold, Item, Patron } from './types';

const hold = (id: string, placedAt: number, over: Partial<Hold> = {}): Hold => ({
  id,
  patronId: `p-${id}`,
  recordId: 'r1',
  itemId: null,
  itemLevel: false,
  pickupBranchId: 'main',
  placedAt,
  status: 'pending',
  suspendedUntil: null,
  waitingSince: null,
  shelfExpiresOn: null,
  ...over,
});
const item = (id: string, over: Partial<Item> = {}): Item => ({
  id,
  barcode: id,
  recordId: 'r1',
  homeBranchId: 'main',
  currentBranchId: 'main',
  itemTypeCode: 'BOOK',
  status: 'available',
  damaged: false,
  notForLoan: false,
  replacementPrice: null,
  transitToBranchId: null,
  ...over,
});
const patron: Patron = {
  id: 'p1',
  cardBarcode: '2',
  firstName: 'A',
  lastName: 'B',
  email: null,
  phone: null,
  address: null,
  homeBranchId: 'main',
  categoryCode: 'ADULT',
  cardExpiresOn: '2030-01-01',
  blocks: [],
  notes: '',
  keepReadingHistory: false,
  createdAt: 0,
};

describe('the holds queue', () => {
  it('serves first placed first, ids breaking ties', () => {
    expect(sortQueue([hold('b', 2), hold('c', 1), hold('a', 2)]).map((h) => h.id)).toEqual(['c', 'a', 'b']);
  });
  it('traps the oldest active hold the copy can fill, skipping suspended ones', () => {
    const holds = [hold('old', 1, { suspendedUntil: '2026-12-01' }), hold('mid', 2), hold('new', 3)];
    expect(pickHoldToTrap({ item: item('i1'), holds, today: '2026-11-22' })?.id).toBe('mid');
    // A suspension ending today no longer holds it back.
    expect(pickHoldToTrap({ item: item('i1'), holds, today: '2026-12-01' })?.id).toBe('old');
  });
  it('fills an item-level hold only with that copy', () => {
    const holds = [hold('x', 1, { itemLevel: true, itemId: 'i2' }), hold('y', 2)];
    expect(pickHoldToTrap({ item: item('i1'), holds, today: '2026-11-22' })?.id).toBe('y');
    expect(pickHoldToTrap({ item: item('i2'), holds, today: '2026-11-22' })?.id).toBe('x');
  });
  it('waits here, or goes in transit to the pickup branch', () => {
    const here = trapDecision({
      hold: hold('a', 1),
      checkinBranchId: 'main',
      today: '2026-11-20',
      pickupPeriodDays: 3,
      closedDays: [],
      skipClosedDays: false,
    });
    expect(here).toEqual({ status: 'waiting', shelfExpiresOn: '2026-11-23' });
    const there = trapDecision({
      hold: hold('a', 1, { pickupBranchId: 'north' }),
      checkinBranchId: 'main',
      today: '2026-11-20',
      pickupPeriodDays: 3,
      closedDays: [],
      skipClosedDays: false,
    });
    expect(there).toEqual({ status: 'in_transit', toBranchId: 'north' });
  });
  it('counts the shelf time in open days across a closed weekend', () => {
    const weekend = [
      { kind: 'weekly' as const, weekday: 6 },
      { kind: 'weekly' as const, weekday: 0 },
    ];
    expect(shelfExpiry('2026-11-20', 3, weekend, true)).toBe('2026-11-25'); // Fri -> Mon, Tue, Wed
    expect(shelfExpiry('2026-11-20', 3, weekend, false)).toBe('2026-11-23');
    expect(isShelfExpired(hold('a', 1, { status: 'waiting', shelfExpiresOn: '2026-11-25' }), '2026-11-26')).toBe(true);
    expect(isShelfExpired(hold('a', 1, { status: 'waiting', shelfExpiresOn: '2026-11-25' }), '2026-11-25')).toBe(false);
  });
  it('lets a renewal through when another copy on the shelf can fill the holds', () => {
    expect(
      otherCopyCanFill({
        loanItemId: 'i1',
        copies: [item('i1', { status: 'on_loan' }), item('i2')],
        holds: [hold('a', 1)],
      }),
    ).toBe(true);
    expect(
      otherCopyCanFill({
        loanItemId: 'i1',
        copies: [item('i1', { status: 'on_loan' }), item('i2', { status: 'on_loan' })],
        holds: [hold('a', 1)],
      }),
    ).toBe(false);
  });
});

describe('placing a hold', () => {
  const copies = [{ item: item('i1', { status: 'on_loan' }), rule: DEFAULT_RULE }];
  const base = {
    patron,
    recordId: 'r1',
    itemLevelItem: null,
    copies,
    patronHolds: [],
    patronLoanItemIds: [],
    limits: null,
    today: '2026-11-22',
  };
  it('accepts a hold on a title out on loan', () => {
    expect(holdPlacementEligibility(base)).toEqual([]);
  });
  it('refuses with every reason', () => {
    const codes = (over: Partial<typeof base>) =>
      holdPlacementEligibility({ ...base, ...over } as typeof base).map((r) => r.code);
    expect(codes({ copies: [{ item: item('i1'), rule: { ...DEFAULT_RULE, holdsAllowed: false } }] })).toEqual([
      'HOLDS_NOT_ALLOWED',
    ]);
    expect(codes({ copies: [{ item: item('i1', { status: 'withdrawn' }), rule: DEFAULT_RULE }] })).toEqual([
      'NO_LOANABLE_COPY',
    ]);
    expect(codes({ patronHolds: [hold('h', 1, { patronId: 'p1' })] as never })).toEqual(['ALREADY_HOLDING_TITLE']);
    expect(codes({ patronLoanItemIds: ['i1'] as never })).toEqual(['ALREADY_ON_LOAN_FOR_HOLD']);
    expect(codes({ limits: { branchId: '*', categoryCode: '*', totalMaxLoans: null, maxHolds: 0 } as never })).toEqual([
      'TOO_MANY_HOLDS',
    ]);
    expect(codes({ copies: [{ item: item('i1'), rule: { ...DEFAULT_RULE, onShelfHoldsAllowed: false } }] })).toEqual([
      'ON_SHELF_HOLDS_NOT_ALLOWED',
    ]);
  });
});
