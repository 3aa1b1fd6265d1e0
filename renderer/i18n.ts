// i18next for React, over the shared translations in src/i18n.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from '../src/i18n';

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: (typeof navigator !== 'undefined' && navigator.language?.startsWith('es')) ? 'es' : 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});
