// One set of strings for the desk, the kiosk and what the station prints. English and Spanish
// are complete (a test compares their keys); add a language by adding a JSON file here.
import i18next, { type i18n } from 'i18next';
import en from './locales/en.json';
import es from './locales/es.json';

export const LANGUAGES = { en: 'English', es: 'Español' } as const;
export type Language = keyof typeof LANGUAGES;
export const resources = { en: { translation: en }, es: { translation: es } };

/** A fresh i18next instance (the renderer wraps it for React; the station uses it for slips). */
export async function createI18n(language: string): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: language.slice(0, 2) in LANGUAGES ? language.slice(0, 2) : 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
