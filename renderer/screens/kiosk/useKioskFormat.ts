// Every date, time and amount the kiosk shows, in one place. It is the desk's one formatter
// (renderer/format.ts, useDeskFormat: the language showing, the library's regional conventions,
// the branch's time zone), so a due date reads the same at the kiosk as at Check out.
import { useMemo } from 'react';
import { useDeskFormat } from '../../format';
import { useSession } from '../../state/session';

export interface KioskFormat {
  locale: string;
  /** An instant's calendar date (a due date). */
  date(at: number): string;
  /** A calendar day as the API carries it (2026-12-25). */
  day(day: string): string;
  /** An instant's time of day (when a lock ends). */
  time(at: number): string;
  /** An amount in minor units (cents); the library's currency unless given. */
  money(amount: number, currency?: string): string;
}

export function useKioskFormat(): KioskFormat {
  const desk = useDeskFormat();
  const currency = useSession((s) => s.setup?.currency ?? 'USD');
  return useMemo(
    () => ({
      locale: desk.locale,
      date: desk.date,
      day: desk.day,
      time: desk.time,
      money: (amount, cur = currency) => desk.money(amount, cur),
    }),
    [desk, currency],
  );
}
