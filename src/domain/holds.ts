// Holds: who may place one, the queue, which hold a returned copy fills, and the hold shelf.
import { addOpenDays } from './calendar';
import { patronStandingRefusals } from './eligibility';
import { refusal } from './refusals';
import { addDays } from './time';
import type {
  CirculationRule,
  ClosedDay,
  Hold,
  HoldStatus,
  Id,
  Item,
  LocalDate,
  Patron,
  PatronLimits,
  Refusal,
} from './types';

const ACTIVE = new Set(['pending', 'in_transit', 'waiting']);
/** Fulfilled, cancelled or expired: a hold that no copy may be trapped for any more. */
export const isClosedHoldStatus = (status: HoldStatus): boolean => !ACTIVE.has(status);
const UNLOANABLE = new Set(['lost', 'missing', 'withdrawn', 'claimed_returned', 'in_repair']);

export interface HoldPlacementContext {
  patron: Patron;
  recordId: Id;
  itemLevelItem: Item | null;
  copies: { item: Item; rule: CirculationRule | null }[];
  patronHolds: Hold[];
  patronLoanItemIds: Id[];
  limits: PatronLimits | null;
  today: LocalDate;
}

export function holdPlacementEligibility(ctx: HoldPlacementContext): Refusal[] {
  const refusals = patronStandingRefusals(ctx.patron, ctx.today);
  const candidates = ctx.itemLevelItem ? ctx.copies.filter((c) => c.item.id === ctx.itemLevelItem!.id) : ctx.copies;
  const loanable = candidates.filter(
    (c) => !c.item.notForLoan && !UNLOANABLE.has(c.item.status) && (c.rule?.loanLength ?? 1) > 0,
  );
  if (loanable.length === 0) return [...refusals, refusal('NO_LOANABLE_COPY')];
  const holdable = loanable.filter((c) => c.rule?.holdsAllowed ?? true);
  if (holdable.length === 0) return [...refusals, refusal('HOLDS_NOT_ALLOWED')];

  const active = ctx.patronHolds.filter((h) => ACTIVE.has(h.status));
  const maxHolds = ctx.limits?.maxHolds;
  if (maxHolds != null && active.length >= maxHolds) refusals.push(refusal('TOO_MANY_HOLDS', { limit: maxHolds }));
  const onThisTitle = active.filter((h) => h.recordId === ctx.recordId).length;
  const perTitle = Math.max(...holdable.map((c) => c.rule?.holdsPerTitle ?? 1));
  if (onThisTitle > 0 && perTitle <= 1) refusals.push(refusal('ALREADY_HOLDING_TITLE'));
  else if (onThisTitle >= perTitle) refusals.push(refusal('TOO_MANY_HOLDS_FOR_TITLE', { limit: perTitle }));
  if (ctx.copies.some((c) => ctx.patronLoanItemIds.includes(c.item.id)))
    refusals.push(refusal('ALREADY_ON_LOAN_FOR_HOLD'));
  const onShelf = holdable.some((c) => c.item.status === 'available');
  if (onShelf && holdable.every((c) => !(c.rule?.onShelfHoldsAllowed ?? true)))
    refusals.push(refusal('ON_SHELF_HOLDS_NOT_ALLOWED'));
  return refusals;
}

/** Queue order: first placed, first served (ids break ties, so every station agrees). */
export function sortQueue(holds: Hold[]): Hold[] {
  return [...holds].sort((a, b) => a.placedAt - b.placedAt || a.id.localeCompare(b.id));
}

/** Pending and not suspended: a suspension runs until the day before `suspendedUntil`. */
export function isActiveHold(hold: Hold, today: LocalDate): boolean {
  return hold.status === 'pending' && (hold.suspendedUntil === null || hold.suspendedUntil <= today);
}

/** The oldest active hold the returned copy can fill: item-level holds on it, or title holds on its record. */
export function pickHoldToTrap(ctx: {
  item: Item;
  holds: Hold[];
  today: LocalDate;
  canFill?: (hold: Hold, item: Item) => boolean;
}): Hold | null {
  const fillable = ctx.holds.filter(
    (h) =>
      isActiveHold(h, ctx.today) &&
      h.recordId === ctx.item.recordId &&
      (h.itemLevel ? h.itemId === ctx.item.id : h.itemId === null || h.itemId === ctx.item.id) &&
      (ctx.canFill?.(h, ctx.item) ?? true),
  );
  return sortQueue(fillable)[0] ?? null;
}

/** The last day on the hold shelf, counted in open days where the library says so. */
export function shelfExpiry(
  fromDate: LocalDate,
  pickupPeriodDays: number,
  closedDays: ClosedDay[],
  skipClosedDays: boolean,
): LocalDate {
  return skipClosedDays ? addOpenDays(closedDays, fromDate, pickupPeriodDays) : addDays(fromDate, pickupPeriodDays);
}

export function trapDecision(ctx: {
  hold: Hold;
  checkinBranchId: Id;
  today: LocalDate;
  pickupPeriodDays: number;
  closedDays: ClosedDay[];
  skipClosedDays: boolean;
}): { status: 'waiting'; shelfExpiresOn: LocalDate } | { status: 'in_transit'; toBranchId: Id } {
  if (ctx.hold.pickupBranchId !== ctx.checkinBranchId)
    return { status: 'in_transit', toBranchId: ctx.hold.pickupBranchId };
  return {
    status: 'waiting',
    shelfExpiresOn: shelfExpiry(ctx.today, ctx.pickupPeriodDays, ctx.closedDays, ctx.skipClosedDays),
  };
}

export function isShelfExpired(hold: Hold, today: LocalDate): boolean {
  return hold.status === 'waiting' && hold.shelfExpiresOn !== null && today > hold.shelfExpiresOn;
}

/** For a renewal: can copies on the shelf fill every active hold, so this loan is not needed? */
export function otherCopyCanFill(ctx: { loanItemId: Id; copies: Item[]; holds: Hold[] }): boolean {
  const spare = ctx.copies.filter((c) => c.id !== ctx.loanItemId && c.status === 'available' && !c.notForLoan);
  const titleHolds = ctx.holds.filter((h) => !h.itemLevel);
  const onThisCopy = ctx.holds.filter((h) => h.itemLevel && h.itemId === ctx.loanItemId);
  return onThisCopy.length === 0 && spare.length >= titleHolds.length;
}
