import { useTranslation } from 'react-i18next';
import { deskLocale } from '../format';
import { useSession } from '../state/session';

/** The locale for dates and money at this desk now (see deskLocale). */
export function useDeskLocale(): string {
  const { i18n } = useTranslation();
  const library = useSession((s) => s.setup?.locale) ?? 'en-US';
  return deskLocale(library, i18n.language.slice(0, 2));
}

/** The branch's time zone: dates and times are the branch's, not this PC's (null before set-up). */
export function useBranchTimeZone(): string | null {
  return useSession((s) => s.setup?.timeZone ?? null);
}
