// i18next for React, over the shared translations in src/i18n. The language chosen at the desk
// is kept in this browser (localStorage), so a page reload does not go back to English.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from '../src/i18n';

export const LANGUAGE_KEY = 'circa.language';
const LANGUAGES = ['en', 'es'] as const;
type Language = (typeof LANGUAGES)[number];
const isLanguage = (v: unknown): v is Language => (LANGUAGES as readonly unknown[]).includes(v);

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage refused (a locked-down profile): the browser's language decides
  }
}

/** The language this browser last chose, else its own language if we have it, else English. */
export function initialLanguage(): Language {
  const saved = storage()?.getItem(LANGUAGE_KEY);
  if (isLanguage(saved)) return saved;
  return typeof navigator !== 'undefined' && navigator.language?.startsWith('es') ? 'es' : 'en';
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  const language = lng.slice(0, 2);
  if (isLanguage(language)) storage()?.setItem(LANGUAGE_KEY, language);
});
// init() with its resources at hand has already set the language, before the listener above was
// there: the page's lang must still say it (a screen reader reads Spanish text with a Spanish voice).
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;
