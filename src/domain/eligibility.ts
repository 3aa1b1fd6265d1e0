// May this patron borrow (or renew) this copy now? Every reason that applies is returned, not
// just the first, so the desk can show them all and a supervisor can override them at once.
import { refusal } from './refusals';
import { addDays, localDateOf } from './time';
import type {
  CirculationRule,
  HoldStatus,
  Id,
  Instant,
  Item,
  ItemType,
  Loan,
  LocalDate,
  Patron,
  PatronLimits,
  Refusal,
} from './types';

type BlockTerm = Pick<Patron['blocks'][number], 'until'>;

/** A block is in force on a day up to and including its `until` date (null: until lifted). */
export const isBlockInForceOn = (block: BlockTerm, day: LocalDate): boolean =>
  block.until === null || block.until >= day;

/** Is the patron barred on this day? Asked by the desk (below) and by the hub of a loan made offline. */
export const isBarredOn = (blocks: (BlockTerm & { kind: string })[], day: LocalDate): boolean =>
  blocks.some((b) => b.kind === 'barred' && isBlockInForceOn(b, day));

/** Refusals about the patron's standing, shared by check-out, renewal and holds. */
export function patronStandingRefusals(patron: Patron, today: LocalDate): Refusal[] {
  const out: Refusal[] = [];
  if (today > patron.cardExpiresOn) out.push(refusal('CARD_EXPIRED', { date: patron.cardExpiresOn }));
  const active = patron.blocks.filter((b) => isBlockInForceOn(b, today));
  if (isBarredOn(patron.blocks, today)) out.push(refusal('PATRON_BARRED'));
  if (active.some((b) => b.kind === 'lost_card')) out.push(refusal('CARD_LOST'));
  const manual = active.find((b) => b.kind === 'manual');
  if (manual) out.push(refusal('PATRON_BLOCKED', { reason: manual.reason }));
  return out;
}

/** Fees owed past the library's limit stop check-outs (and SIP2 reports them as excessive fines). */
export const feesOverLimit = (feesOwed: number, maxFeesOwed: number | null): boolean =>
  maxFeesOwed !== null && feesOwed > maxFeesOwed;

export interface CheckoutContext {
  patron: Patron;
  item: Item;
  itemType: ItemType | null;
  rule: CirculationRule | null;
  limits: PatronLimits | null;
  today: LocalDate;
  /** Charged fees still owed plus the fines the patron's open loans have accrued so far (src/domain/fines.ts accruedFine). */
  feesOwed: number;
  maxFeesOwed: number | null;
  /** The most days any of the patron's open loans is overdue (0 for none). */
  mostDaysOverdue?: number;
  /** The library's overdue block: no borrowing with a loan more than this many days overdue; null (the default) for none. */
  overdueBlockDays?: number | null;
  patronLoans: { itemId: Id; itemTypeCode: string }[];
  openLoanOfItem: { patronId: Id | null } | null;
  holdsOnItem: { patronId: Id; status: HoldStatus }[];
  pendingTitleHoldsAhead: { patronId: Id }[];
}

const STATUS_REFUSALS = {
  lost: 'ITEM_LOST',
  missing: 'ITEM_MISSING',
  withdrawn: 'ITEM_WITHDRAWN',
  claimed_returned: 'ITEM_CLAIMED_RETURNED',
  in_transit: 'ITEM_IN_TRANSIT',
  in_repair: 'ITEM_IN_REPAIR',
} as const;

export function checkoutEligibility(ctx: CheckoutContext): { refusals: Refusal[]; isRenewal: boolean } {
  const { patron, item } = ctx;
  // The copy is in this patron's hands already: the desk renews it instead.
  if (ctx.openLoanOfItem && ctx.openLoanOfItem.patronId === patron.id) return { refusals: [], isRenewal: true };

  const refusals = patronStandingRefusals(patron, ctx.today);
  if (feesOverLimit(ctx.feesOwed, ctx.maxFeesOwed)) {
    refusals.push(refusal('FEES_OVER_LIMIT', { owed: ctx.feesOwed, limit: ctx.maxFeesOwed as number }));
  }
  const blockAfter = ctx.overdueBlockDays;
  if (blockAfter != null && (ctx.mostDaysOverdue ?? 0) > blockAfter) {
    refusals.push(refusal('PATRON_HAS_OVERDUES', { days: ctx.mostDaysOverdue ?? 0, limit: blockAfter }));
  }
  const total = ctx.limits?.totalMaxLoans;
  if (total != null && ctx.patronLoans.length >= total) refusals.push(refusal('TOO_MANY_LOANS', { limit: total }));
  const ofType = ctx.rule?.maxLoans;
  if (ofType != null && ctx.patronLoans.filter((l) => l.itemTypeCode === item.itemTypeCode).length >= ofType) {
    refusals.push(refusal('TOO_MANY_LOANS_OF_TYPE', { limit: ofType, type: item.itemTypeCode }));
  }
  if (item.notForLoan || ctx.itemType?.notForLoan || ctx.rule?.loanLength === 0)
    refusals.push(refusal('ITEM_NOT_FOR_LOAN'));
  if (item.status in STATUS_REFUSALS)
    refusals.push(refusal(STATUS_REFUSALS[item.status as keyof typeof STATUS_REFUSALS]));
  if (ctx.openLoanOfItem) refusals.push(refusal('ITEM_ON_LOAN_TO_OTHER'));

  const trappedForOther = ctx.holdsOnItem.some((h) => h.patronId !== patron.id);
  // The queue is served in order: a patron further back does not jump it at the desk.
  const firstInQueue = ctx.pendingTitleHoldsAhead[0];
  if (trappedForOther || (firstInQueue && firstInQueue.patronId !== patron.id)) {
    refusals.push(refusal('ITEM_ON_HOLD_FOR_OTHER'));
  }
  return { refusals, isRenewal: false };
}

export interface RenewalContext {
  patron: Patron;
  loan: Loan;
  rule: CirculationRule | null;
  now: Instant;
  today: LocalDate;
  timeZone: string;
  holdNeedsItem: boolean;
  /**
   * The due date a renewal now would give. A renewal that cannot move the due date later (a hard
   * due date reached, a card about to expire) is no renewal: it would use one up for nothing.
   */
  proposedDueAt: Instant;
}

export function renewalEligibility(ctx: RenewalContext): Refusal[] {
  const refusals = patronStandingRefusals(ctx.patron, ctx.today);
  const allowed = ctx.rule?.renewalsAllowed ?? 0;
  if (isBeyondRenewalLimit(ctx.loan.renewals + 1, ctx.rule))
    refusals.push(refusal('RENEWAL_LIMIT', { limit: allowed }));
  const notBefore = ctx.rule?.noRenewalBeforeDays;
  if (notBefore != null) {
    const earliest = addDays(localDateOf(ctx.loan.dueAt, ctx.timeZone), -notBefore);
    if (ctx.today < earliest) refusals.push(refusal('RENEWAL_TOO_SOON', { date: earliest }));
  }
  if (ctx.holdNeedsItem) refusals.push(refusal('ITEM_NEEDED_FOR_HOLD'));
  if (ctx.proposedDueAt <= ctx.loan.dueAt)
    refusals.push(refusal('RENEWAL_NO_LATER_DUE_DATE', { date: localDateOf(ctx.loan.dueAt, ctx.timeZone) }));
  return refusals;
}

/**
 * Would a loan renewed this many times be past the rule's limit? The desk asks it of the renewal
 * it is about to make (renewals + 1), the hub of a loan renewed offline (its renewals as sent).
 */
export function isBeyondRenewalLimit(renewals: number, rule: Pick<CirculationRule, 'renewalsAllowed'> | null): boolean {
  return renewals > (rule?.renewalsAllowed ?? 0);
}

/** How many more renewals the rule allows this loan (never below zero: an override may go past it). */
export function renewalsLeft(renewals: number, rule: Pick<CirculationRule, 'renewalsAllowed'> | null): number {
  return Math.max(0, (rule?.renewalsAllowed ?? 0) - renewals);
}
