// Dates, times and money in the branch's locale and zone.
import { formatMoney } from '../src/domain/money';

export function formatDate(instant: number, locale: string, timeZone?: string | null): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(instant);
}

export function formatTime(instant: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(instant);
}

export { formatMoney };
