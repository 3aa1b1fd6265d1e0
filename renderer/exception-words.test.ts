// Every kind of sync exception has words in English and Spanish, and those words use its params:
// change a fact and the words change (but for the few facts a kind's words leave out, named below).
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { EXCEPTION_PARAMS } from '../src/api/exception-kinds';
import {
  EXCEPTION_KINDS,
  exceptionOf,
  type ExceptionFacts,
  type ExceptionKind,
  type ExceptionParamsByKind,
  type ExceptionWording,
} from '../src/domain/exception-kinds';
import { createI18n } from '../src/i18n';
import { exceptionWording, exceptionWords } from './exception-words';
import { deskFormat } from './format';

const CHECKED_OUT = Date.UTC(2026, 11, 2, 15, 30);
const entry = { command: 'circulation.checkout', reason: 'the patron is barred at the hub' };

/** Params of every kind (all three ways a lent-twice is decided): the compiler asks for each kind. */
const SAMPLES: { [K in ExceptionKind]: ExceptionParamsByKind[K][] } = {
  time_went_back: [
    { field: 'returnedAt', byMs: 590_000, checkedOutAt: CHECKED_OUT },
    // The station's own, and the hub's before it carried the check-out time.
    { field: 'returnedAt', byMs: 590_000 },
  ],
  lent_twice: [
    { decidedBy: 'station_clocks', apartMs: 4000 },
    { decidedBy: 'corrected_clocks', apartMs: 4000 },
    { decidedBy: 'too_close', apartMs: 7, uncertaintyMs: 36, rule: 'lower_station_id', keptByStationId: 's-1' },
  ],
  hold_to_pull: [{}],
  trapped_twice: [{}],
  trapped_for_closed_hold: [{ holdStatus: 'cancelled' }],
  duplicate_card: [{ cardBarcode: '20234000000019' }],
  clock_set_back: [{ byMs: 65_000 }],
  entry_rejected: [{ ...entry, outcome: 'rejected' }],
  entry_conflict: [{ ...entry, outcome: 'conflict' }],
  entry_warning: [{ ...entry, outcome: 'applied_with_warning' }],
  pull_rejected: [{ table: 'loans', rowId: 'l-9', error: 'UNIQUE constraint failed: loans.item_id' }],
};

/** Facts a kind's words leave out, and why. */
const UNWORDED: Partial<Record<ExceptionKind, string[]>> = {
  // Always the return; the words say so.
  time_went_back: ['field'],
  // decidedBy picks the words; the too-close rule and who kept the copy are what the words state.
  // How far apart two check-outs by plain station clocks were is not worth a desk's attention.
  lent_twice: ['decidedBy', 'rule', 'keptByStationId', 'apartMs'],
  // The kind says the outcome.
  entry_rejected: ['outcome'],
  entry_conflict: ['outcome'],
  entry_warning: ['outcome'],
};

/** The same params with one fact changed. */
function changed(params: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = params[key];
  if (key === 'checkedOutAt') return { ...params, [key]: (v as number) + 86_400_000 };
  if (key === 'holdStatus') return { ...params, [key]: 'expired' };
  if (typeof v === 'number') return { ...params, [key]: v + 5000 };
  return { ...params, [key]: `${String(v)}-2` };
}

const languages = async () => ({
  en: { t: (await createI18n('en')).t as TFunction, f: deskFormat('en-US', 'America/New_York') },
  es: { t: (await createI18n('es')).t as TFunction, f: deskFormat('es-ES', 'America/New_York') },
});

describe('exception words', () => {
  it('word every kind in English and Spanish, from its params', async () => {
    const desks = await languages();
    for (const kind of EXCEPTION_KINDS) {
      for (const params of SAMPLES[kind] as Record<string, unknown>[]) {
        const x = { ...exceptionOf(kind, params as never), kind };
        // What the hub builds, the protocol's schema for the kind accepts.
        expect(EXCEPTION_PARAMS[kind].safeParse(params).success, kind).toBe(true);
        const words: Record<string, string> = {};
        for (const [lang, { t, f }] of Object.entries(desks)) {
          const w = exceptionWording(x, f, t);
          expect(w, `${kind} ${lang}`).not.toBeNull();
          // Its own words in this language, not English by fallback nor the key itself.
          const resources = (await createI18n(lang)).getResourceBundle(lang, 'translation') as object;
          const own = w!.key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], resources);
          expect(typeof own, `${kind}: ${w!.key} in ${lang}`).toBe('string');
          words[lang] = exceptionWords(x, f, t);
          expect(words[lang], `${kind} ${lang}`).not.toMatch(/\{\{|\}\}|reports\.exceptionMessages/);
          for (const key of Object.keys(params)) {
            if (UNWORDED[kind]?.includes(key)) continue;
            const other = { ...x, params: changed(params, key) };
            expect(exceptionWords(other, f, t), `${kind} ${lang} uses ${key}`).not.toBe(words[lang]);
          }
        }
        expect(words.es, kind).not.toBe(words.en);
        // And its heading in the list, in both languages.
        for (const lang of ['en', 'es']) {
          const t = (await createI18n(lang)).t;
          expect(t(`reports.exceptionKinds.${kind}`), `${kind} heading in ${lang}`).not.toBe(
            `reports.exceptionKinds.${kind}`,
          );
        }
        expect((await createI18n('es')).t(`reports.exceptionKinds.${kind}`)).not.toBe(
          (await createI18n('en')).t(`reports.exceptionKinds.${kind}`),
        );
      }
    }
  });

  it('puts times and numbers in the desk’s locale', async () => {
    const { en, es } = await languages();
    const x = exceptionOf('time_went_back', { field: 'returnedAt', byMs: 590_000, checkedOutAt: CHECKED_OUT });
    // 10:30 in New York, the branch's zone: "Dec 2, 2026, 10:30 AM" and "2 dic 2026, 10:30".
    expect(exceptionWords(x, en.f, en.t)).toContain(en.f.dateTime(CHECKED_OUT));
    expect(exceptionWords(x, es.f, es.t)).toContain(es.f.dateTime(CHECKED_OUT));
    expect(es.f.dateTime(CHECKED_OUT)).toMatch(/dic/);
    expect(exceptionWords(x, es.f, es.t)).toMatch(/^Un préstamo hecho el .* se devolvió 590 s antes/);
    const close = exceptionOf('lent_twice', {
      decidedBy: 'too_close',
      apartMs: 1234,
      uncertaintyMs: 2500,
      rule: 'lower_station_id',
      keptByStationId: 's-1',
    });
    expect(exceptionWords(close, en.f, en.t)).toContain('1,234 ms');
    expect(exceptionWords(close, es.f, es.t)).toContain('1234 ms');
    expect(exceptionWords(close, es.f, es.t)).toContain('2500 ms');
  });

  it('shows the stored English message for a kind or params it does not know', async () => {
    const { es } = await languages();
    const newer = { kind: 'stolen_twice', message: 'Stolen twice.', params: { times: 2 } };
    expect(exceptionWords(newer, es.f, es.t)).toBe('Stolen twice.');
    const older = {
      kind: 'lent_twice',
      message: 'Lent twice, as an older hub said it.',
      params: { decidedBy: 'dice' },
    };
    expect(exceptionWords(older, es.f, es.t)).toBe('Lent twice, as an older hub said it.');
    expect(exceptionWords({ kind: 'duplicate_card', message: 'Two cards.' }, es.f, es.t)).toBe('Two cards.');
  });

  it('keeps the English messages the hub and the station stored before', () => {
    expect(exceptionOf('hold_to_pull', {})).toEqual({
      kind: 'hold_to_pull',
      message:
        'A copy checked in offline is on the shelf while a hold waits for it: pull it and check it in again to trap it.',
    });
    expect(
      exceptionOf('lent_twice', {
        decidedBy: 'too_close',
        apartMs: 7,
        uncertaintyMs: 36,
        rule: 'lower_station_id',
        keptByStationId: 's-1',
      }).message,
    ).toBe(
      "The same copy was lent at two stations while they were apart, at check-outs too close to tell which came first (7 ms apart, within the clocks' combined uncertainty of 36 ms). By the stated rule, the check-out at the station with the lower id keeps the copy.",
    );
    expect(exceptionOf('time_went_back', { field: 'returnedAt', byMs: 589_001, checkedOutAt: 0 }).message).toMatch(
      /^A loan was returned 590 s before it was checked out/,
    );
    expect(exceptionOf('trapped_for_closed_hold', { holdStatus: 'cancelled' }).message).toContain(
      'a hold that was cancelled meanwhile',
    );
    expect(exceptionOf('pull_rejected', { table: 'loans', rowId: 'l-1', error: 'boom' }).message).toBe(
      'loans l-1: boom',
    );
    expect(
      exceptionOf('entry_rejected', { command: 'circulation.checkout', outcome: 'rejected', reason: null }).message,
    ).toBe('rejected');
  });

  it('is the only way to word one: a kind misspelt, a fact missing or of another kind does not compile', () => {
    const refused = () => {
      // @ts-expect-error a kind misspelt
      exceptionOf('lent_twise', { decidedBy: 'station_clocks', apartMs: 1 });
      // @ts-expect-error a fact missing
      exceptionOf('duplicate_card', {});
      // @ts-expect-error facts of another kind
      const other: ExceptionFacts = { kind: 'clock_set_back', params: { field: 'returnedAt', byMs: 1 } };
      // @ts-expect-error worded by hand, not by exceptionOf
      const byHand: ExceptionWording = { kind: 'hold_to_pull', message: 'Pull it.' };
      return [other, byHand];
    };
    expect(typeof refused).toBe('function');
  });
});
