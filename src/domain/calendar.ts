// A branch's calendar of closed days: single dates, weekly repeats, yearly repeats.
import { addDays, weekdayOf } from './time';
import type { ClosedDay, LocalDate } from './types';

/** Two years of closed days in a row means the calendar is wrong; stop looking rather than loop. */
const SEARCH_LIMIT = 731;

export function isClosed(closedDays: ClosedDay[], date: LocalDate): boolean {
  if (closedDays.length === 0) return false;
  const weekday = weekdayOf(date);
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return closedDays.some((c) =>
    c.kind === 'date'
      ? c.date === date
      : c.kind === 'weekly'
        ? c.weekday === weekday
        : c.month === month && c.day === day,
  );
}

function walk(closedDays: ClosedDay[], date: LocalDate, step: 1 | -1): LocalDate {
  let d = date;
  for (let i = 0; i < SEARCH_LIMIT; i++) {
    if (!isClosed(closedDays, d)) return d;
    d = addDays(d, step);
  }
  return date;
}

/** The date itself when open, else the next open day. */
export function nextOpenDay(closedDays: ClosedDay[], date: LocalDate): LocalDate {
  return walk(closedDays, date, 1);
}

export function previousOpenDay(closedDays: ClosedDay[], date: LocalDate): LocalDate {
  return walk(closedDays, date, -1);
}

/** Counts `n` open days after `date` (the "calendar" due-date mode). */
export function addOpenDays(closedDays: ClosedDay[], date: LocalDate, n: number): LocalDate {
  let d = date;
  let counted = 0;
  let guard = 0;
  while (counted < n && guard++ < n + SEARCH_LIMIT) {
    d = addDays(d, 1);
    if (!isClosed(closedDays, d)) counted++;
  }
  return d;
}

/** Open days in (fromExclusive, toInclusive]. */
export function openDaysBetween(closedDays: ClosedDay[], fromExclusive: LocalDate, toInclusive: LocalDate): number {
  let count = 0;
  for (let d = addDays(fromExclusive, 1); d <= toInclusive; d = addDays(d, 1)) {
    if (!isClosed(closedDays, d)) count++;
  }
  return count;
}
