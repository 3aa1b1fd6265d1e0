// Helpers for component tests (renderer/**/*.browser.test.tsx): render inside the desk's i18n.
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { render } from 'vitest-browser-react';
import { i18n } from '../i18n';
import { useSession } from '../state/session';

export async function renderInDesk(ui: ReactNode, language: 'en' | 'es' = 'en') {
  await i18n.changeLanguage(language);
  return render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
}

const CARD_RULE = { length: 14, minLength: 14, maxLength: 14, prefix: '2', numeric: true, checkDigit: true };

/** A set-up Springfield desk in New York, English and dollars, with the library barcode rules (patron cards 2…, items 3…). */
export function setUpDesk(names: { libraryName?: string; branchName?: string } = {}): void {
  useSession.getState().setSetup({
    configured: true,
    loadingLibrary: false,
    libraryName: names.libraryName ?? 'Springfield',
    branchName: names.branchName ?? 'Main',
    locale: 'en-US',
    currency: 'USD',
    timeZone: 'America/New_York',
    barcodes: { patron: CARD_RULE, item: { ...CARD_RULE, prefix: '3' } },
  });
}
