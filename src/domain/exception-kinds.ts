// The sync exceptions' vocabulary, written once: every kind the hub or a station records for
// staff to work through, the facts (params) it carries, and its English message. The hub
// (src/hub/apply.ts) and the station (src/sync, src/services/exceptions.ts) build exceptions only
// through `exceptionOf`, so a kind misspelt or a fact missing is a compile error; the desk words
// each kind from its params in its own language (renderer/exception-words.ts, the
// `reports.exceptionMessages` keys of src/i18n/locales/*.json), and falls back to the stored
// English message for a kind it does not know (a newer hub). The English message stays stored
// for the hub's CLI and admin API and for older desks. The zod schema of each kind's params,
// checked against these types by the compiler, is in src/api/exception-kinds.ts.
import type { TOO_CLOSE_RULE } from './clock-offset';
import type { HoldStatus } from './types';

/** How the hub ordered two check-outs of a copy lent twice (src/domain/clock-offset.ts orderCheckouts). */
export type LentTwiceParams =
  | { decidedBy: 'station_clocks' | 'corrected_clocks'; apartMs: number }
  | {
      decidedBy: 'too_close';
      apartMs: number;
      uncertaintyMs: number;
      /** The stated rule that decided (clock-offset.ts TOO_CLOSE_RULE). */
      rule: typeof TOO_CLOSE_RULE;
      keptByStationId: string;
    };

/** An entry the hub did not apply as sent: the station records its outcome for staff. */
export type EntryOutcomeParams = {
  command: string;
  outcome: 'rejected' | 'conflict' | 'applied_with_warning';
  /** The hub's reason, in the hub's words (English). */
  reason: string | null;
};

/** Every kind of exception, with the facts it carries (times in ms since the epoch; durations in ms). */
export interface ExceptionParamsByKind {
  /**
   * Hub, and the station at its own check-in: a loan returned before its check-out by the
   * station's clock; the return was set to the check-out. `checkedOutAt` is absent in those
   * recorded before it was carried and in the station's own (src/services/circulation.ts words
   * its exception by hand still; it should move to `exceptionOf`).
   */
  time_went_back: { field: 'returnedAt'; byMs: number; checkedOutAt?: number };
  /** Hub: one copy lent at two stations while apart. */
  lent_twice: LentTwiceParams;
  /** Hub: a copy checked in offline sits on the shelf while a hold waits for it. */
  hold_to_pull: Record<string, never>;
  /** Hub: one copy trapped for two holds at two desks while apart. */
  trapped_twice: Record<string, never>;
  /** Hub: a copy trapped offline for a hold closed meanwhile (cancelled, fulfilled, expired). */
  trapped_for_closed_hold: { holdStatus: HoldStatus };
  /** Hub: two patrons registered with one card while the stations were apart. */
  duplicate_card: { cardBarcode: string };
  /** Station: its own clock was set back while it ran. */
  clock_set_back: { byMs: number };
  /** Station: the hub rejected one of its entries. */
  entry_rejected: EntryOutcomeParams;
  /** Station: the hub applied one of its entries as a conflict. */
  entry_conflict: EntryOutcomeParams;
  /** Station: the hub applied one of its entries with a warning. */
  entry_warning: EntryOutcomeParams;
  /** Station: a row pulled from the hub that its store refused (for now). */
  pull_rejected: { table: string; rowId: string; error: string };
}

export type ExceptionKind = keyof ExceptionParamsByKind;

/** Every kind, the hub's then the station's (a test checks each has words in every language). */
export const EXCEPTION_KINDS = [
  'time_went_back',
  'lent_twice',
  'hold_to_pull',
  'trapped_twice',
  'trapped_for_closed_hold',
  'duplicate_card',
  'clock_set_back',
  'entry_rejected',
  'entry_conflict',
  'entry_warning',
  'pull_rejected',
] as const satisfies readonly ExceptionKind[];

// Every kind of the map is in the list (the list is checked against the map above by `satisfies`).
type Missing = Exclude<ExceptionKind, (typeof EXCEPTION_KINDS)[number]>;
const _everyKindListed: [Missing] extends [never] ? true : Missing = true;
void _everyKindListed;

/** The kind an entry's outcome other than `applied` becomes at the desk. */
export const OUTCOME_EXCEPTION_KINDS = {
  rejected: 'entry_rejected',
  conflict: 'entry_conflict',
  applied_with_warning: 'entry_warning',
} as const satisfies Record<EntryOutcomeParams['outcome'], ExceptionKind>;

export function isExceptionKind(kind: string): kind is ExceptionKind {
  return (EXCEPTION_KINDS as readonly string[]).includes(kind);
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

const LENT_TWICE_MESSAGES = {
  station_clocks: 'The same copy was lent at two stations while they were apart; the later borrower has it.',
  corrected_clocks:
    "The same copy was lent at two stations while they were apart; the later borrower has it. Later by the hub's clock: a station's clock was off, and its check-out time was corrected by the offset the hub measured.",
} as const;

/** Each kind's English message, from its params: what the hub's CLI prints and an older desk shows. */
const MESSAGES: { [K in ExceptionKind]: (p: ExceptionParamsByKind[K]) => string } = {
  time_went_back: (p) =>
    `A loan was returned ${seconds(p.byMs)} s before it was checked out by the station's clock (its clock was set back): the return was recorded at the check-out time. Check the station's clock.`,
  lent_twice: (p) =>
    p.decidedBy === 'too_close'
      ? `The same copy was lent at two stations while they were apart, at check-outs too close to tell which came first (${p.apartMs} ms apart, within the clocks' combined uncertainty of ${p.uncertaintyMs} ms). By the stated rule, the check-out at the station with the lower id keeps the copy.`
      : LENT_TWICE_MESSAGES[p.decidedBy],
  hold_to_pull: () =>
    'A copy checked in offline is on the shelf while a hold waits for it: pull it and check it in again to trap it.',
  trapped_twice: () =>
    'A copy was trapped for two holds at two desks while they were apart; the first trap stands and the other hold waits again: check where the copy is.',
  trapped_for_closed_hold: (p) =>
    `A copy was trapped offline for a hold that was ${p.holdStatus} meanwhile: reshelve it or trap it for the next hold.`,
  duplicate_card: () => 'Two patrons were registered with the same card barcode while the stations were apart.',
  clock_set_back: (p) =>
    `This station's clock was set back by ${Math.round(p.byMs / 1000)} s. Loans, returns and fees recorded around then may carry times out of order; returns before their check-outs are recorded at the check-out time.`,
  entry_rejected: (p) => p.reason ?? p.outcome,
  entry_conflict: (p) => p.reason ?? p.outcome,
  entry_warning: (p) => p.reason ?? p.outcome,
  pull_rejected: (p) => `${p.table} ${p.rowId}: ${p.error}`,
};

declare const worded: unique symbol;
/** An English message made by `exceptionOf` (and only there): an exception is never worded by hand. */
export type ExceptionMessage = string & { readonly [worded]: true };

/** An exception's kind with the params of that kind (a kind misspelt, or facts of another kind, do not compile). */
export type ExceptionFacts<K extends ExceptionKind = ExceptionKind> = {
  [Kind in K]: {
    kind: Kind;
    /** Absent for a kind that carries no facts. */
    params?: ExceptionParamsByKind[Kind];
  };
}[K];

/**
 * An exception's kind, params and English message, as only `exceptionOf` makes them (the
 * message's type says so): what the hub records.
 */
export type ExceptionWording<K extends ExceptionKind = ExceptionKind> = ExceptionFacts<K> & {
  message: ExceptionMessage;
};

/** The one way to make an exception's kind, params and English message (the rest, patrons and copy, is the caller's). */
export function exceptionOf<K extends ExceptionKind>(kind: K, params: ExceptionParamsByKind[K]): ExceptionWording<K> {
  const message = MESSAGES[kind](params) as ExceptionMessage;
  return (Object.keys(params).length > 0 ? { kind, message, params } : { kind, message }) as ExceptionWording<K>;
}
