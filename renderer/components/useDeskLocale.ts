import { useTranslation } from 'react-i18next';
import { deskLocale } from '../format';
import { useSession } from '../state/session';

/** The locale for dates and money at this desk now (see deskLocale). */
export function useDeskLocale(): string {
  const { i18n } = useTranslation();
  const library = useSession((s) => s.setup?.locale) ?? 'en-US';
  return deskLocale(library, i18n.language.slice(0, 2));
}
