// Every date, time and amount the kiosk shows, in one place: in the language the kiosk is
// showing (with the library's regional conventions) and in the branch's time zone, never this
// PC's. The formatting itself is renderer/format.ts, shared with the desk.
import { useMemo } from 'react';
import { useBranchTimeZone, useDeskLocale } from '../../components/useDeskLocale';
import { formatDate, formatDay, formatMoney, formatTime } from '../../format';
import { useSession } from '../../state/session';

export interface KioskFormat {
  locale: string;
  /** An instant's calendar date (a due date). */
  date(at: number): string;
  /** A calendar day as the API carries it (2026-12-25). */
  day(day: string): string;
  /** An instant's time of day (when a lock ends). */
  time(at: number): string;
  /** An amount in minor units (cents). */
  money(amount: number, currency?: string): string;
}

export function useKioskFormat(): KioskFormat {
  const locale = useDeskLocale();
  const timeZone = useBranchTimeZone();
  const currency = useSession((s) => s.setup?.currency ?? 'USD');
  return useMemo(
    () => ({
      locale,
      date: (at) => formatDate(at, locale, timeZone),
      day: (day) => formatDay(day, locale),
      time: (at) => formatTime(at, locale, timeZone),
      money: (amount, cur = currency) => formatMoney(amount, cur, locale),
    }),
    [locale, timeZone, currency],
  );
}
