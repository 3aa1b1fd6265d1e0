// Helpers for component tests (renderer/**/*.browser.test.tsx): render inside the desk's i18n.
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { cdp } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { i18n } from '../i18n';
import { useSession } from '../state/session';
import { scannerBurst, type KeyEventParams } from './scanner-keys';

export async function renderInDesk(ui: ReactNode, language: 'en' | 'es' = 'en') {
  await i18n.changeLanguage(language);
  return render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
}

/**
 * Types `barcode` and Enter as a keyboard-wedge scanner does, `gapMs` between keys, into whatever
 * has the focus: real key events at the scanner's pace, whatever the machine's load.
 */
export async function scanKeys(barcode: string, gapMs = 5): Promise<void> {
  // The playwright provider gives the session its send(); its types are not in the renderer's.
  const session = cdp() as unknown as { send(method: string, params: KeyEventParams): Promise<unknown> };
  // One after another: sent at once, Chromium took a key after the Enter.
  for (const event of scannerBurst(barcode, gapMs, Date.now())) await session.send('Input.dispatchKeyEvent', event);
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
