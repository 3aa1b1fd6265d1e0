import { describe, expect, it } from 'vitest';
import { addOpenDays, isClosed, nextOpenDay, openDaysBetween, previousOpenDay } from './calendar';
import { computeDueDate, computeRenewalDueDate, type DueDateInput } from './due-date';
import { addDays, daysBetween, endOfLocalDay, isValidLocalDate, localDateOf, weekdayOf } from './time';
import type { ClosedDay } from './types';

const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const base = (over: Partial<DueDateInput>): DueDateInput => ({
  start: at('2026-11-16T15:00:00Z'), // Monday 10:00 in New York
  length: 14,
  unit: 'days',
  timeZone: NY,
  closedDays: [],
  calendarMode: 'push',
  hardDueDate: null,
  hardDueDateMode: 'before',
  cardExpiresOn: null,
  capAtCardExpiry: true,
  ...over,
});
const SUNDAYS: ClosedDay = { kind: 'weekly', weekday: 0 };

describe('dates in a branch zone', () => {
  it('knows leap years and 29 February', () => {
    expect(isValidLocalDate('2028-02-29')).toBe(true);
    expect(isValidLocalDate('2027-02-29')).toBe(false);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(weekdayOf('2026-11-22')).toBe(0);
  });

  it('ends a day at 23:59:59.999 local time, on both daylight-saving nights', () => {
    // Spring forward in New York: 8 March 2026 has 23 hours, still ends at 23:59:59.999 EDT.
    expect(iso(endOfLocalDay('2026-03-08', NY))).toBe('2026-03-09T03:59:59.999Z');
    expect(iso(endOfLocalDay('2026-03-07', NY))).toBe('2026-03-08T04:59:59.999Z');
    // Fall back: 1 November 2026 has 25 hours.
    expect(iso(endOfLocalDay('2026-11-01', NY))).toBe('2026-11-02T04:59:59.999Z');
    expect(iso(endOfLocalDay('2026-10-31', NY))).toBe('2026-11-01T03:59:59.999Z');
    expect(localDateOf(at('2026-11-02T04:30:00Z'), NY)).toBe('2026-11-01');
    expect(localDateOf(at('2026-11-02T04:30:00Z'), 'Europe/Madrid')).toBe('2026-11-02');
  });
});

describe('the calendar of closed days', () => {
  const closed: ClosedDay[] = [SUNDAYS, { kind: 'yearly', month: 12, day: 25 }, { kind: 'date', date: '2026-11-26' }];
  it('matches single dates, weekly and yearly repeats', () => {
    expect(isClosed(closed, '2026-11-22')).toBe(true); // Sunday
    expect(isClosed(closed, '2027-12-25')).toBe(true); // yearly
    expect(isClosed(closed, '2026-11-26')).toBe(true); // one date
    expect(isClosed(closed, '2027-11-26')).toBe(false);
    expect(isClosed(closed, '2026-11-23')).toBe(false);
  });
  it('walks to the next and previous open day across a month end', () => {
    const run: ClosedDay[] = ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'].map((date) => ({
      kind: 'date',
      date,
    }));
    expect(nextOpenDay(run, '2026-11-28')).toBe('2026-12-02');
    expect(previousOpenDay(run, '2026-12-01')).toBe('2026-11-27');
    expect(addOpenDays(run, '2026-11-27', 1)).toBe('2026-12-02');
    expect(openDaysBetween(run, '2026-11-27', '2026-12-03')).toBe(2);
  });
  it('never loops forever on a calendar with every day closed', () => {
    const all: ClosedDay[] = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ kind: 'weekly', weekday }));
    expect(nextOpenDay(all, '2026-11-22')).toBe('2026-11-22');
  });
});

describe('due dates', () => {
  it('is due at the end of the 14th day in the branch zone', () => {
    expect(iso(computeDueDate(base({})).dueAt)).toBe('2026-12-01T04:59:59.999Z');
  });
  it('pushes a due date off a closed day, or skips closed days while counting, or ignores them', () => {
    // 14 days from Sunday 15 Nov... use a start that lands on a Sunday: Sunday 29 Nov.
    const start = at('2026-11-15T15:00:00Z');
    const push = computeDueDate(base({ start, closedDays: [SUNDAYS], calendarMode: 'push' }));
    expect(localDateOf(push.dueAt, NY)).toBe('2026-11-30');
    expect(push.notices).toEqual([{ code: 'DUE_DATE_MOVED_CLOSED_DAY', params: { date: '2026-11-30' } }]);
    const counted = computeDueDate(base({ start, closedDays: [SUNDAYS], calendarMode: 'calendar' }));
    // Two Sundays (22nd, 29th) are not counted: 14 open days from the 15th is 1 December.
    expect(localDateOf(counted.dueAt, NY)).toBe('2026-12-01');
    const ignored = computeDueDate(base({ start, closedDays: [SUNDAYS], calendarMode: 'ignore' }));
    expect(localDateOf(ignored.dueAt, NY)).toBe('2026-11-29');
  });
  it('lands correctly across the spring-forward night', () => {
    const r = computeDueDate(base({ start: at('2026-03-01T17:00:00Z'), length: 7 }));
    expect(iso(r.dueAt)).toBe('2026-03-09T03:59:59.999Z');
  });
  it('counts through 29 February', () => {
    const r = computeDueDate(base({ start: at('2028-02-20T17:00:00Z'), length: 10 }));
    expect(localDateOf(r.dueAt, NY)).toBe('2028-03-01');
  });
  it('applies hard due dates before, exactly and after', () => {
    expect(localDateOf(computeDueDate(base({ hardDueDate: '2026-11-20', hardDueDateMode: 'before' })).dueAt, NY)).toBe(
      '2026-11-20',
    );
    expect(localDateOf(computeDueDate(base({ hardDueDate: '2026-12-20', hardDueDateMode: 'before' })).dueAt, NY)).toBe(
      '2026-11-30',
    );
    expect(localDateOf(computeDueDate(base({ hardDueDate: '2026-12-20', hardDueDateMode: 'exactly' })).dueAt, NY)).toBe(
      '2026-12-20',
    );
    expect(localDateOf(computeDueDate(base({ hardDueDate: '2026-12-20', hardDueDateMode: 'after' })).dueAt, NY)).toBe(
      '2026-12-20',
    );
    expect(localDateOf(computeDueDate(base({ hardDueDate: '2026-11-20', hardDueDateMode: 'after' })).dueAt, NY)).toBe(
      '2026-11-30',
    );
  });
  it('caps at card expiry, moved back off a closed day', () => {
    const r = computeDueDate(base({ cardExpiresOn: '2026-11-22', closedDays: [SUNDAYS] }));
    expect(localDateOf(r.dueAt, NY)).toBe('2026-11-21');
    expect(r.notices.map((n) => n.code)).toContain('DUE_DATE_CAPPED_CARD_EXPIRY');
    // Not when the library does not ask for it.
    expect(localDateOf(computeDueDate(base({ cardExpiresOn: '2026-11-22', capAtCardExpiry: false })).dueAt, NY)).toBe(
      '2026-11-30',
    );
  });
  it('runs hourly loans by the hour', () => {
    const r = computeDueDate(base({ unit: 'hours', length: 4 }));
    expect(iso(r.dueAt)).toBe('2026-11-16T19:00:00.000Z');
  });
  it('bounds hourly loans by the hard due date, at the end of that day', () => {
    // Lent Monday 16 Nov at 10:00 New York for 72 hours: Thursday 19 Nov, 10:00 (15:00 UTC).
    const hours = (over: Partial<DueDateInput>) => computeDueDate(base({ unit: 'hours', length: 72, ...over }));
    const before = hours({ hardDueDate: '2026-11-17', hardDueDateMode: 'before' });
    expect(iso(before.dueAt)).toBe('2026-11-18T04:59:59.999Z');
    expect(before.notices).toEqual([{ code: 'DUE_DATE_HARD', params: { date: '2026-11-17' } }]);
    // A hard date after the hours run out changes nothing under "before".
    const later = hours({ hardDueDate: '2026-12-20', hardDueDateMode: 'before' });
    expect(iso(later.dueAt)).toBe('2026-11-19T15:00:00.000Z');
    expect(later.notices).toEqual([]);
    expect(iso(hours({ hardDueDate: '2026-12-20', hardDueDateMode: 'exactly' }).dueAt)).toBe(
      '2026-12-21T04:59:59.999Z',
    );
    expect(iso(hours({ hardDueDate: '2026-12-20', hardDueDateMode: 'after' }).dueAt)).toBe('2026-12-21T04:59:59.999Z');
    expect(iso(hours({ hardDueDate: '2026-11-17', hardDueDateMode: 'after' }).dueAt)).toBe('2026-11-19T15:00:00.000Z');
  });
  it("caps hourly loans at the end of the card's last day, unless the library does not ask for it", () => {
    // Lent at 22:00 on the card's last day for 4 hours: due at its midnight, not 02:00 the next day.
    const start = at('2026-11-17T03:00:00Z'); // Monday 16 Nov, 22:00 in New York
    const capped = computeDueDate(base({ unit: 'hours', length: 4, start, cardExpiresOn: '2026-11-16' }));
    expect(iso(capped.dueAt)).toBe('2026-11-17T04:59:59.999Z');
    expect(capped.notices).toEqual([{ code: 'DUE_DATE_CAPPED_CARD_EXPIRY', params: { date: '2026-11-16' } }]);
    expect(
      iso(
        computeDueDate(base({ unit: 'hours', length: 4, start, cardExpiresOn: '2026-11-16', capAtCardExpiry: false }))
          .dueAt,
      ),
    ).toBe('2026-11-17T07:00:00.000Z');
    // A card valid beyond the loan: the hours run.
    expect(computeDueDate(base({ unit: 'hours', length: 4, start, cardExpiresOn: '2026-11-20' })).notices).toEqual([]);
    // A card expired already (lent on an override) is not capped into the past.
    expect(iso(computeDueDate(base({ unit: 'hours', length: 4, start, cardExpiresOn: '2026-11-10' })).dueAt)).toBe(
      '2026-11-17T07:00:00.000Z',
    );
  });
  it('renews an hourly loan within its bounds too', () => {
    const due = at('2026-11-16T19:00:00Z');
    const r = computeRenewalDueDate({
      ...base({ unit: 'hours', length: 4, cardExpiresOn: '2026-11-16' }),
      currentDueAt: due,
      now: at('2026-11-16T18:00:00Z'),
    });
    // Due at 14:00 New York, renewed for 4 hours: 18:00, within the card's last day.
    expect(iso(r.dueAt)).toBe('2026-11-16T23:00:00.000Z');
    // Due at 21:00: four more hours would pass midnight, so the card's last day ends it.
    const late = computeRenewalDueDate({
      ...base({ unit: 'hours', length: 4, cardExpiresOn: '2026-11-16' }),
      currentDueAt: at('2026-11-17T02:00:00Z'),
      now: at('2026-11-17T01:00:00Z'),
    });
    expect(iso(late.dueAt)).toBe('2026-11-17T04:59:59.999Z');
  });
  it('renews from the due date, or from today when overdue', () => {
    const due = at('2026-12-01T04:59:59.999Z');
    const early = computeRenewalDueDate({ ...base({}), currentDueAt: due, now: at('2026-11-25T15:00:00Z') });
    expect(localDateOf(early.dueAt, NY)).toBe('2026-12-14');
    const late = computeRenewalDueDate({ ...base({}), currentDueAt: due, now: at('2026-12-10T15:00:00Z') });
    expect(localDateOf(late.dueAt, NY)).toBe('2026-12-24');
  });
});
