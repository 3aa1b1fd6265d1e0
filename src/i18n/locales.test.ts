import { describe, expect, it } from 'vitest';
import { createI18n } from './index';
import en from './locales/en.json';
import es from './locales/es.json';
import type { RefusalCode } from '../domain/types';
import { OVERRIDABLE } from '../domain/refusals';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('translations', () => {
  it('has the same keys in English and Spanish, none empty', () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
    for (const k of keys(es))
      expect(
        k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], es),
        k,
      ).not.toBe('');
  });
  it('explains every refusal code in words', () => {
    for (const code of Object.keys(OVERRIDABLE) as RefusalCode[])
      expect(Object.keys(en.refusals), code).toContain(code);
  });
  it('interpolates and falls back to English', async () => {
    const t = (await createI18n('es-ES')).t;
    expect(t('refusals.CARD_EXPIRED', { date: '2026-01-01' })).toBe('El carné caducó el 2026-01-01.');
    expect((await createI18n('fr')).t('checkout.patronBarcode')).toBe('Patron barcode');
  });
});
