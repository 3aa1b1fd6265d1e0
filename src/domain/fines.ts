// Overdue fines, Koha's way: nothing within the grace period; past it, every charge period
// counts (from the first one), up to the cap and, where the library says so, the replacement price.
import { openDaysBetween } from './calendar';
import { daysBetween, localDateOf } from './time';
import type { ClosedDay, Instant, LoanUnit } from './types';

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

export function overdueUnits(input: Pick<FineInput, 'dueAt' | 'returnedAt' | 'unit' | 'timeZone' | 'closedDays' | 'skipClosedDays'>): number {
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
