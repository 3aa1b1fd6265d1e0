// Dates, times and money in the branch's locale and zone.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../src/domain/money';
import { useSession } from './state/session';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * One Intl.DateTimeFormat per locale and options, kept: building one (with a time zone above all)
 * costs more than formatting with it, and the check-out formats a due date on every scan.
 */
function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale, options]);
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

export function formatDate(instant: number, locale: string, timeZone?: string | null): string {
  return dateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(instant);
}

export function formatTime(instant: number, locale: string, timeZone?: string | null): string {
  return dateTimeFormat(locale, { timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(instant);
}

/** The calendar day (2026-12-25) an instant falls on in the zone (the branch's), whatever this PC's zone. */
export function dayOf(instant: number, timeZone?: string | null): string {
  const parts = dateTimeFormat('en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    calendar: 'iso8601',
    numberingSystem: 'latn',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

export function formatDateTime(instant: number, locale: string, timeZone?: string | null): string {
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(
    instant,
  );
}

/** A calendar day as the API carries it (2026-12-25), in words for the locale. */
export function formatDay(day: string, locale: string): string {
  const at = Date.parse(`${day}T12:00:00Z`);
  return Number.isNaN(at) ? day : dateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
}

/** A day of every year (month 1-12, day 1-31), e.g. "December 25". */
export function formatMonthDay(month: number, day: number, locale: string): string {
  return dateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(2000, month - 1, day, 12),
  );
}

/** The weekday's name, 0 = Sunday ... 6 = Saturday. */
export function weekdayName(weekday: number, locale: string): string {
  // 2000-01-02 was a Sunday.
  return dateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 2 + weekday, 12));
}

/** The month's name, 1 = January. */
export function monthName(month: number, locale: string): string {
  return dateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, month - 1, 1, 12));
}

export { formatMoney };

/**
 * The locale dates and money are shown in: the library's (its region's conventions), in the
 * language the desk is showing. A Spanish-speaking desk at an en-US library gets es-US, so a
 * Spanish sentence never holds an English month.
 */
export function deskLocale(libraryLocale: string, language: string): string {
  try {
    const library = new Intl.Locale(libraryLocale);
    if (library.language === language) return library.toString();
    return new Intl.Locale(language, library.region ? { region: library.region } : {}).toString();
  } catch {
    return libraryLocale;
  }
}

/**
 * The one way a screen says a date, a time or an amount: in the desk's language with the
 * library's regional conventions (deskLocale), and in the branch's time zone, whatever this PC's
 * zone and language. "Vence el 22 dic 2026", never "Dec 22, 2026" in a Spanish sentence.
 * Screens take it from useDeskFormat(); print code that runs outside React builds it here.
 */
export interface DeskFormat {
  locale: string;
  timeZone: string | null;
  /** An instant (epoch ms) as a date: 22 dic 2026. */
  date(instant: number): string;
  /** An instant as a date and time. */
  dateTime(instant: number): string;
  /** An instant as a time of day. */
  time(instant: number): string;
  /** A calendar day as the API carries it (2026-12-22). */
  day(day: string): string;
  money(amount: number, currency: string): string;
}

export function deskFormat(locale: string, timeZone: string | null): DeskFormat {
  return {
    locale,
    timeZone,
    date: (instant) => formatDate(instant, locale, timeZone),
    dateTime: (instant) => formatDateTime(instant, locale, timeZone),
    time: (instant) => formatTime(instant, locale, timeZone),
    day: (day) => formatDay(day, locale),
    money: (amount, currency) => formatMoney(amount, currency, locale),
  };
}

/** The desk's formatter now: the language showing, the library's locale, the branch's zone. Re-renders when the language changes. */
export function useDeskFormat(): DeskFormat {
  const { i18n } = useTranslation();
  const library = useSession((s) => s.setup?.locale) ?? 'en-US';
  const timeZone = useSession((s) => s.setup?.timeZone ?? null);
  const language = i18n.language.slice(0, 2);
  return useMemo(() => deskFormat(deskLocale(library, language), timeZone), [library, language, timeZone]);
}
