import { describe, expect, it } from 'vitest';
import { dayOf, deskFormat, deskLocale, formatDay, formatMonthDay, formatTime, weekdayName } from './format';

describe('dates at the desk', () => {
  it("uses the library's region in the desk's language", () => {
    expect(deskLocale('en-US', 'en')).toBe('en-US');
    expect(deskLocale('en-US', 'es')).toBe('es-US');
    expect(deskLocale('es-ES', 'en')).toBe('en-ES');
    expect(deskLocale('es', 'en')).toBe('en');
  });
  it('shows a calendar day, a yearly day and a weekday in words, whatever the machine zone', () => {
    expect(formatDay('2026-12-25', 'en-US')).toBe('Dec 25, 2026');
    expect(formatDay('2026-12-25', 'es-ES')).toBe('25 dic 2026');
    expect(formatMonthDay(1, 1, 'en-US')).toBe('January 1');
    expect(weekdayName(0, 'en-US')).toBe('Sunday');
    expect(weekdayName(6, 'es-ES')).toBe('sábado');
  });
  it("gives the branch's calendar day and time of an instant, not this machine's or UTC's", () => {
    const lateEvening = Date.UTC(2026, 10, 23, 3, 30); // 22:30 on Nov 22 in New York
    expect(dayOf(lateEvening, 'America/New_York')).toBe('2026-11-22');
    expect(dayOf(lateEvening, 'UTC')).toBe('2026-11-23');
    expect(dayOf(lateEvening, 'Asia/Tokyo')).toBe('2026-11-23');
    expect(formatTime(lateEvening, 'en-US', 'America/New_York')).toBe('10:30 PM');
    expect(formatTime(lateEvening, 'es-ES', 'Europe/Madrid')).toBe('4:30');
  });
});

describe('deskFormat: the one formatter every screen uses (#12 bug 9)', () => {
  it("says dates in the desk language and the branch zone, not the PC's", () => {
    const f = deskFormat(deskLocale('en-US', 'es'), 'America/Chicago');
    expect(f.date(Date.UTC(2026, 11, 22, 17))).toBe('22 dic 2026');
    // 03:00 UTC on the 26th is still the 25th in Chicago.
    expect(f.date(Date.UTC(2026, 10, 26, 3))).toBe('25 nov 2026');
    expect(f.day('2026-11-29')).toBe('29 nov 2026');
    expect(deskFormat('en-US', 'America/New_York').date(Date.UTC(2026, 11, 22, 17))).toBe('Dec 22, 2026');
  });
});
