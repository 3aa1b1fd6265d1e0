// #12 bug 9: the language chosen at the desk survives a page reload.
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, initialLanguage, LANGUAGE_KEY } from './i18n';

describe('the desk language', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('is kept in this browser when chosen, and is the language a reload starts in', async () => {
    await i18n.changeLanguage('es');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('es');
    expect(initialLanguage()).toBe('es');
    expect(document.documentElement.lang).toBe('es');
    await i18n.changeLanguage('en');
    expect(initialLanguage()).toBe('en');
  });

  it('ignores a stored value that is not a language the desk has', () => {
    localStorage.setItem(LANGUAGE_KEY, 'klingon');
    expect(['en', 'es']).toContain(initialLanguage());
  });
});
