// A sync exception in the desk's own language: each kind of the vocabulary
// (src/domain/exception-kinds.ts) has its words under `reports.exceptionMessages` in
// src/i18n/locales/*.json, with its params put in: times in the desk's locale and the branch's
// time zone, numbers as the locale writes them. A kind this desk does not know (a newer hub),
// or params not as it expects them (an older one), is shown by the English message stored with it.
import type { TFunction } from 'i18next';
import { readException, type KnownException } from '../src/api/exception-kinds';
import type { ExceptionKind, ExceptionParamsByKind } from '../src/domain/exception-kinds';
import type { DeskFormat } from './format';

type Words = { key: string; values: Record<string, string | number> };
type Wording = {
  [K in ExceptionKind]: (p: ExceptionParamsByKind[K], f: DeskFormat, t: TFunction) => Words;
};

const number = (n: number, f: DeskFormat) => new Intl.NumberFormat(f.locale).format(n);
const seconds = (ms: number, f: DeskFormat) => number(Math.ceil(ms / 1000), f);
const entry = (key: string) => (p: ExceptionParamsByKind['entry_rejected']) => ({
  key,
  values: { command: p.command, reason: p.reason ?? '—' },
});

/** Each kind's key and the values its words take: a kind without words here does not compile. */
const WORDING: Wording = {
  time_went_back: (p, f): Words =>
    p.checkedOutAt === undefined
      ? { key: 'time_went_back', values: { seconds: seconds(p.byMs, f) } }
      : {
          key: 'time_went_back_at',
          values: { seconds: seconds(p.byMs, f), checkedOut: f.dateTime(p.checkedOutAt) },
        },
  lent_twice: (p, f): Words =>
    p.decidedBy === 'too_close'
      ? {
          key: 'lent_twice_too_close',
          values: { apartMs: number(p.apartMs, f), uncertaintyMs: number(p.uncertaintyMs, f) },
        }
      : { key: `lent_twice_${p.decidedBy}`, values: { apartMs: number(p.apartMs, f) } },
  hold_to_pull: () => ({ key: 'hold_to_pull', values: {} }),
  trapped_twice: () => ({ key: 'trapped_twice', values: {} }),
  trapped_for_closed_hold: (p, _f, t) => ({
    key: 'trapped_for_closed_hold',
    values: { status: t(`holds.status.${p.holdStatus}`) },
  }),
  duplicate_card: (p) => ({ key: 'duplicate_card', values: { cardBarcode: p.cardBarcode } }),
  clock_set_back: (p, f) => ({ key: 'clock_set_back', values: { seconds: seconds(p.byMs, f) } }),
  entry_rejected: entry('entry_rejected'),
  entry_conflict: entry('entry_conflict'),
  entry_warning: entry('entry_warning'),
  pull_rejected: (p) => ({ key: 'pull_rejected', values: { table: p.table, rowId: p.rowId, error: p.error } }),
};

/** The i18n key and values an exception of a known kind is worded with; null for one worded by its stored message. */
export function exceptionWording(
  x: { kind: string; params?: unknown },
  f: DeskFormat,
  t: TFunction,
): (Words & { key: `reports.exceptionMessages.${string}` }) | null {
  const known = readException(x);
  if (!known) return null;
  const word = WORDING[known.kind] as (p: KnownException['params'], f: DeskFormat, t: TFunction) => Words;
  const { key, values } = word(known.params, f, t);
  return { key: `reports.exceptionMessages.${key}`, values };
}

/** The exception in the desk's language, or its stored English message for a kind or params this desk does not know. */
export function exceptionWords(
  x: { kind: string; message: string; params?: unknown },
  f: DeskFormat,
  t: TFunction,
): string {
  const w = exceptionWording(x, f, t);
  return w ? t(w.key, w.values) : x.message;
}
