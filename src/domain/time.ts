// Dates and instants in a branch's time zone. Luxon does the zone arithmetic, daylight-saving
// changes included; everything here is pure (the current time is always passed in).
import { DateTime } from 'luxon';
import type { Instant, LocalDate } from './types';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidLocalDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  return DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: 'UTC' }).isValid;
}

function parts(date: LocalDate): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function localDateOf(instant: Instant, timeZone: string): LocalDate {
  return DateTime.fromMillis(instant, { zone: timeZone }).toISODate() as string;
}

export function startOfLocalDay(date: LocalDate, timeZone: string): Instant {
  return DateTime.fromObject(parts(date), { zone: timeZone }).startOf('day').toMillis();
}

/** 23:59:59.999 local time: a day loan is due to the very end of its day, whatever the zone's offset that day. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Instant {
  return DateTime.fromObject(parts(date), { zone: timeZone }).endOf('day').toMillis();
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return DateTime.fromObject(parts(date), { zone: 'UTC' }).plus({ days: n }).toISODate() as string;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return DateTime.fromObject(parts(date), { zone: 'UTC' }).weekday % 7;
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = DateTime.fromObject(parts(from), { zone: 'UTC' });
  const b = DateTime.fromObject(parts(to), { zone: 'UTC' });
  return Math.round(b.diff(a, 'days').days);
}
