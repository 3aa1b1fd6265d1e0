// Helpers for component tests (renderer/**/*.browser.test.tsx): render inside the desk's i18n.
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { render } from 'vitest-browser-react';
import { i18n } from '../i18n';

export async function renderInDesk(ui: ReactNode, language: 'en' | 'es' = 'en') {
  await i18n.changeLanguage(language);
  return render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
}
