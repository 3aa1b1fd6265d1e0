import { useDeskFormat } from '../format';

/** The locale for dates and money at this desk now: the one formatter's (useDeskFormat, deskLocale). */
export function useDeskLocale(): string {
  return useDeskFormat().locale;
}

/** The branch's time zone: dates and times are the branch's, not this PC's (null before set-up). The one formatter's too. */
export function useBranchTimeZone(): string | null {
  return useDeskFormat().timeZone;
}
