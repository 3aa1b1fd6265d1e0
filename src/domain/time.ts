// Dates and instants in a branch's time zone. Luxon does the zone arithmetic, daylight-saving
// changes included; everything here is pure (the current time is always passed in).
//
// These run in every check-out and renewal, so the hot ones avoid rebuilding Luxon objects:
// calendar arithmetic on plain dates uses UTC Date maths (no zone can change a date's weekday),
// a zone's local date comes from a cached Intl formatter, and a day's end in a zone is memoised
// (a pure function of its two arguments; a desk asks about the same few days all day long).
import { DateTime } from 'luxon';
import type { Instant, LocalDate } from './types';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Plain dates to UTC midnights and back, remembered: parsing a date and formatting one cost
 * microseconds each, a due date needs several, and the desk works on the same few weeks of days.
 */
const midnights = new Map<LocalDate, number>();
const datesOfMidnight = new Map<number, LocalDate>();
const REMEMBERED_DATES = 4096;

function utcMidnight(date: LocalDate): number {
  let ms = midnights.get(date);
  if (ms === undefined) {
    const { year, month, day } = parts(date);
    ms = Date.UTC(year, month - 1, day);
    if (midnights.size >= REMEMBERED_DATES) midnights.clear();
    midnights.set(date, ms);
  }
  return ms;
}

function isoDate(utcMs: number): LocalDate {
  let date = datesOfMidnight.get(utcMs);
  if (date === undefined) {
    date = new Date(utcMs).toISOString().slice(0, 10);
    if (datesOfMidnight.size >= REMEMBERED_DATES) datesOfMidnight.clear();
    datesOfMidnight.set(utcMs, date);
  }
  return date;
}

export function isValidLocalDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over into March: a real date reads back the same.
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function parts(date: LocalDate): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** One formatter per zone (building one is the expensive part). */
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local days last asked for, per zone, with the instants they span: at the desk nearly every
 * call falls in today or on a loan's due day, and answering from a remembered window costs a few
 * comparisons where ICU's formatToParts costs tens of microseconds, several times per check-out.
 */
const recentDays = new Map<string, { date: LocalDate; start: Instant; end: Instant }[]>();
const RECENT_DAYS = 8;

export function localDateOf(instant: Instant, timeZone: string): LocalDate {
  let days = recentDays.get(timeZone);
  if (days) {
    for (const d of days) if (instant >= d.start && instant <= d.end) return d.date;
  } else recentDays.set(timeZone, (days = []));
  const date = formatLocalDate(instant, timeZone);
  if (days.length >= RECENT_DAYS) days.pop();
  days.unshift({ date, start: startOfLocalDay(date, timeZone), end: endOfLocalDay(date, timeZone) });
  return date;
}

function formatLocalDate(instant: Instant, timeZone: string): LocalDate {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'iso8601',
      numberingSystem: 'latn',
    });
    dateFormatters.set(timeZone, f);
  }
  // By parts, not by a locale's pattern: no ICU version can reorder them.
  let year = '';
  let month = '';
  let day = '';
  for (const p of f.formatToParts(instant)) {
    if (p.type === 'year') year = p.value;
    else if (p.type === 'month') month = p.value;
    else if (p.type === 'day') day = p.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** A small memo for pure (date, zone) functions; emptied when full rather than tracking age. */
function memo(fn: (date: LocalDate, timeZone: string) => Instant): (date: LocalDate, timeZone: string) => Instant {
  const cache = new Map<string, Instant>();
  return (date, timeZone) => {
    const key = `${timeZone}|${date}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = fn(date, timeZone);
      if (cache.size >= 1024) cache.clear();
      cache.set(key, v);
    }
    return v;
  };
}

export const startOfLocalDay = memo((date, timeZone) =>
  DateTime.fromObject(parts(date), { zone: timeZone }).startOf('day').toMillis(),
);

/** 23:59:59.999 local time: a day loan is due to the very end of its day, whatever the zone's offset that day. */
export const endOfLocalDay = memo((date, timeZone) =>
  DateTime.fromObject(parts(date), { zone: timeZone }).endOf('day').toMillis(),
);

export function addDays(date: LocalDate, n: number): LocalDate {
  return isoDate(utcMidnight(date) + n * DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(utcMidnight(date)).getUTCDay();
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}
