// Due dates. Day loans end at 23:59:59.999 in the branch's zone on their last day; hourly loans
// run the exact number of hours. The calendar moves day loans off closed days (see CalendarMode),
// a hard due date bounds every loan, and a loan never outlives the patron's card when the library
// says so: hourly loans included (a laptop lent at 20:00 on a card's last day is due at its end).
import { addOpenDays, isClosed, nextOpenDay, previousOpenDay } from './calendar';
import { addDays, endOfLocalDay, localDateOf } from './time';
import type { CalendarMode, ClosedDay, HardDueDateMode, Instant, LoanUnit, LocalDate, Notice } from './types';

export interface DueDateInput {
  start: Instant;
  length: number;
  unit: LoanUnit;
  timeZone: string;
  closedDays: ClosedDay[];
  calendarMode: CalendarMode;
  hardDueDate: LocalDate | null;
  hardDueDateMode: HardDueDateMode;
  cardExpiresOn: LocalDate | null;
  capAtCardExpiry: boolean;
}

export interface DueDate {
  dueAt: Instant;
  notices: Notice[];
}

const HOUR = 3_600_000;

export function computeDueDate(input: DueDateInput): DueDate {
  const notices: Notice[] = [];
  const { timeZone, closedDays, calendarMode } = input;
  // Hourly loans (laptops, reserve items) ignore the calendar, not the hard due date or the card.
  if (input.unit === 'hours') return hourlyDueDate(input);

  const startDay = localDateOf(input.start, timeZone);
  let day: LocalDate;
  if (calendarMode === 'calendar') {
    day = addOpenDays(closedDays, startDay, input.length);
  } else {
    day = addDays(startDay, input.length);
    if (calendarMode === 'push' && isClosed(closedDays, day)) {
      day = nextOpenDay(closedDays, day);
      notices.push({ code: 'DUE_DATE_MOVED_CLOSED_DAY', params: { date: day } });
    }
  }

  if (input.hardDueDate) {
    const hard = input.hardDueDate;
    const bounded =
      input.hardDueDateMode === 'exactly'
        ? hard
        : input.hardDueDateMode === 'before'
          ? day > hard
            ? hard
            : day
          : day < hard
            ? hard
            : day;
    if (bounded !== day) {
      day = bounded;
      notices.push({ code: 'DUE_DATE_HARD', params: { date: day } });
    }
  }

  // A card that has already expired was lent on a supervisor's override: capping to a past date
  // would make the loan overdue at once, so the cap applies only to a card still valid today.
  if (input.capAtCardExpiry && input.cardExpiresOn && day > input.cardExpiresOn && input.cardExpiresOn >= startDay) {
    day = calendarMode === 'ignore' ? input.cardExpiresOn : previousOpenDay(closedDays, input.cardExpiresOn);
    if (day < startDay) day = startDay;
    notices.push({ code: 'DUE_DATE_CAPPED_CARD_EXPIRY', params: { date: day } });
  }
  return { dueAt: endOfLocalDay(day, timeZone), notices };
}

/**
 * An hourly loan runs its hours, bounded as a day loan is: a hard due date ends at 23:59:59.999
 * of that day (before: no later; exactly: then; after: no earlier), and a card still valid today
 * caps it at the end of the card's last day. No closed-day moves: it is due back within hours.
 */
function hourlyDueDate(input: DueDateInput): DueDate {
  const notices: Notice[] = [];
  const { timeZone } = input;
  let dueAt = input.start + input.length * HOUR;
  if (input.hardDueDate) {
    const hardEnd = endOfLocalDay(input.hardDueDate, timeZone);
    const bounded =
      input.hardDueDateMode === 'exactly'
        ? hardEnd
        : input.hardDueDateMode === 'before'
          ? Math.min(dueAt, hardEnd)
          : Math.max(dueAt, hardEnd);
    if (bounded !== dueAt) {
      dueAt = bounded;
      notices.push({ code: 'DUE_DATE_HARD', params: { date: input.hardDueDate } });
    }
  }
  // As for day loans: a card that expired already was lent on an override, and is not capped.
  const startDay = localDateOf(input.start, timeZone);
  if (input.capAtCardExpiry && input.cardExpiresOn && input.cardExpiresOn >= startDay) {
    const cardEnd = endOfLocalDay(input.cardExpiresOn, timeZone);
    if (dueAt > cardEnd) {
      dueAt = cardEnd;
      notices.push({ code: 'DUE_DATE_CAPPED_CARD_EXPIRY', params: { date: input.cardExpiresOn } });
    }
  }
  return { dueAt, notices };
}

/** A renewal counts from the current due date, or from now when the loan is already overdue (Koha's default). */
export function computeRenewalDueDate(
  input: Omit<DueDateInput, 'start'> & { currentDueAt: Instant; now: Instant },
): DueDate {
  const { currentDueAt, now, ...rest } = input;
  const base = currentDueAt > now ? currentDueAt : now;
  // For day loans the base is the due day itself; counting from its last millisecond would skip a day.
  const start = input.unit === 'days' ? endOfLocalDay(localDateOf(base, input.timeZone), input.timeZone) - 1 : base;
  return computeDueDate({ ...rest, start });
}
