// Overdue fines, Koha's way: nothing within the grace period; past it, every charge period
// counts (from the first one), up to the cap and, where the library says so, the replacement price.
import { openDaysBetween } from './calendar';
import { daysBetween, localDateOf } from './time';
import type { CirculationRule, ClosedDay, Instant, LoanUnit } from './types';

export interface FineInput {
  dueAt: Instant;
  returnedAt: Instant;
  unit: LoanUnit;
  fineAmount: number;
  finePeriod: number;
  graceDays: number;
  fineCap: number | null;
  capAtReplacementPrice: boolean;
  replacementPrice: number | null;
  timeZone: string;
  closedDays: ClosedDay[];
  skipClosedDays: boolean;
}

export function overdueUnits(
  input: Pick<FineInput, 'dueAt' | 'returnedAt' | 'unit' | 'timeZone' | 'closedDays' | 'skipClosedDays'>,
): number {
  if (input.returnedAt <= input.dueAt) return 0;
  if (input.unit === 'hours') return Math.ceil((input.returnedAt - input.dueAt) / 3_600_000);
  const dueDay = localDateOf(input.dueAt, input.timeZone);
  const returnDay = localDateOf(input.returnedAt, input.timeZone);
  if (returnDay <= dueDay) return 0;
  return input.skipClosedDays ? openDaysBetween(input.closedDays, dueDay, returnDay) : daysBetween(dueDay, returnDay);
}

export function computeOverdueFine(input: FineInput): { amount: number; overdueUnits: number } {
  const units = overdueUnits(input);
  if (units <= input.graceDays || input.fineAmount <= 0) return { amount: 0, overdueUnits: units };
  let amount = Math.ceil(units / Math.max(1, input.finePeriod)) * input.fineAmount;
  if (input.fineCap !== null) amount = Math.min(amount, input.fineCap);
  if (input.capAtReplacementPrice && input.replacementPrice !== null) amount = Math.min(amount, input.replacementPrice);
  return { amount: Math.max(0, Math.round(amount)), overdueUnits: units };
}

/** Everything a loan's fine depends on besides its due date and the moment it is reckoned at. */
export type FineTerms = Omit<FineInput, 'dueAt' | 'returnedAt'>;

/** The fine terms of one loan: its rule, its copy's replacement price, the branch's zone and calendar. */
export function fineTerms(
  rule: Pick<
    CirculationRule,
    'loanUnit' | 'fineAmount' | 'finePeriod' | 'graceDays' | 'fineCap' | 'capFineAtReplacementPrice'
  >,
  replacementPrice: number | null,
  calendar: { timeZone: string; closedDays: ClosedDay[]; skipClosedDays: boolean },
): FineTerms {
  return {
    unit: rule.loanUnit,
    fineAmount: rule.fineAmount,
    finePeriod: rule.finePeriod,
    graceDays: rule.graceDays,
    fineCap: rule.fineCap,
    capAtReplacementPrice: rule.capFineAtReplacementPrice,
    replacementPrice,
    ...calendar,
  };
}

/**
 * What an open loan has earned by `now`: exactly the fine a check-in now would charge, because it
 * is the same computation (Koha's fines job writes the same number into the account each night;
 * here it is worked out when asked, see docs/circulation.md, "Fines that accrue").
 */
export function accruedFine(
  loan: { dueAt: Instant },
  terms: FineTerms,
  now: Instant,
): { amount: number; overdueUnits: number } {
  return computeOverdueFine({ ...terms, dueAt: loan.dueAt, returnedAt: now });
}

/** Calendar days a loan is overdue by `now` in the branch's zone (0 when not overdue); for the overdue block. */
export function daysOverdue(dueAt: Instant, now: Instant, timeZone: string): number {
  if (now <= dueAt) return 0;
  const dueDay = localDateOf(dueAt, timeZone);
  const today = localDateOf(now, timeZone);
  // An hourly loan overdue on its own due day is still overdue: count it as one day.
  return Math.max(1, today > dueDay ? daysBetween(dueDay, today) : 1);
}
