import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, endOfLocalDay, isValidLocalDate, localDateOf, weekdayOf } from './time';

describe('dates in a branch time zone', () => {
  it('gives the local date of an instant, agreeing with Luxon across zones and a daylight-saving night', () => {
    const zones = ['America/New_York', 'Europe/Madrid', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'];
    // Every 37 minutes over the US spring-forward night of 2026 and a year-end.
    const starts = [Date.UTC(2026, 2, 7, 0), Date.UTC(2026, 11, 30, 0)];
    for (const zone of zones) {
      for (const start of starts) {
        for (let t = start; t < start + 3 * 86_400_000; t += 37 * 60_000) {
          expect(localDateOf(t, zone)).toBe(DateTime.fromMillis(t, { zone }).toISODate());
        }
      }
    }
  });
  it('answers from its remembered day only for instants inside that day, in any order, over a fall-back night', () => {
    const zones = ['America/New_York', 'Pacific/Chatham', 'Australia/Lord_Howe'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const base = Date.UTC(2026, 9, 31, 0); // the US falls back on 1 November 2026
    for (let i = 0; i < 3000; i++) {
      const zone = zones[i % zones.length]!;
      // Mostly near the last instant (the desk's case), sometimes a jump to another day and back.
      const t = base + Math.floor(random() * 4 * 86_400_000);
      expect(localDateOf(t, zone)).toBe(DateTime.fromMillis(t, { zone }).toISODate());
      expect(localDateOf(t + 1, zone)).toBe(DateTime.fromMillis(t + 1, { zone }).toISODate());
    }
  });
  it('does plain-date arithmetic over month ends, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(weekdayOf('2026-11-22')).toBe(0); // a Sunday
    expect(weekdayOf('2028-02-29')).toBe(2); // a Tuesday
  });
  it('knows a real date from a misread one', () => {
    expect(isValidLocalDate('2028-02-29')).toBe(true);
    expect(isValidLocalDate('2027-02-29')).toBe(false);
    expect(isValidLocalDate('2026-13-01')).toBe(false);
    expect(isValidLocalDate('2026-1-01')).toBe(false);
  });
  it('ends a day at 23:59:59.999 local time, on a 23-hour day too', () => {
    expect(endOfLocalDay('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 3, 59, 59, 999));
    expect(endOfLocalDay('2026-03-07', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 4, 59, 59, 999));
    // Memoised per zone: the same day elsewhere is another instant.
    expect(endOfLocalDay('2026-03-08', 'Europe/Madrid')).toBe(Date.UTC(2026, 2, 8, 22, 59, 59, 999));
  });
});
