// The zod schema of each exception kind's params (src/domain/exception-kinds.ts), checked both
// ways against the domain's types by the compiler. The sync protocol and the station API carry an
// exception's kind as a plain string and its params as a plain record, so that a station and a
// hub of different versions still exchange every exception (a kind one of them does not know
// travels, is stored and shown by its English message); whoever words an exception reads it
// through `readException`, which answers a kind it knows with its params typed, or null.
import { z } from 'zod';
import { TOO_CLOSE_RULE } from '../domain/clock-offset';
import type { ExceptionKind, ExceptionParamsByKind } from '../domain/exception-kinds';
import { isExceptionKind } from '../domain/exception-kinds';
import { HOLD_STATUSES } from '../domain/types';

const None = z.record(z.string(), z.never());
const EntryOutcome = z.object({
  command: z.string(),
  outcome: z.enum(['rejected', 'conflict', 'applied_with_warning']),
  reason: z.string().nullable(),
});

export const EXCEPTION_PARAMS = {
  time_went_back: z.object({ field: z.literal('returnedAt'), byMs: z.number(), checkedOutAt: z.number().optional() }),
  lent_twice: z.union([
    z.object({ decidedBy: z.enum(['station_clocks', 'corrected_clocks']), apartMs: z.number() }),
    z.object({
      decidedBy: z.literal('too_close'),
      apartMs: z.number(),
      uncertaintyMs: z.number(),
      rule: z.literal(TOO_CLOSE_RULE),
      keptByStationId: z.string(),
    }),
  ]),
  hold_to_pull: None,
  trapped_twice: None,
  trapped_for_closed_hold: z.object({ holdStatus: z.enum(HOLD_STATUSES) }),
  duplicate_card: z.object({ cardBarcode: z.string() }),
  clock_set_back: z.object({ byMs: z.number() }),
  entry_rejected: EntryOutcome,
  entry_conflict: EntryOutcome,
  entry_warning: EntryOutcome,
  pull_rejected: z.object({ table: z.string(), rowId: z.string(), error: z.string() }),
} satisfies { [K in ExceptionKind]: z.ZodType<ExceptionParamsByKind[K]> };

// And the other way: each schema accepts no more than its kind's type says.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = {
  [K in ExceptionKind]: Same<z.infer<(typeof EXCEPTION_PARAMS)[K]>, ExceptionParamsByKind[K]> extends true ? never : K;
}[ExceptionKind];
const _schemasMatchTypes: [Mismatched] extends [never] ? true : Mismatched = true;
void _schemasMatchTypes;

/** An exception of a kind this code knows, with its params as that kind has them. */
export type KnownException = { [K in ExceptionKind]: { kind: K; params: ExceptionParamsByKind[K] } }[ExceptionKind];

/**
 * The exception's kind and params, typed, if this code knows the kind and the params are as it
 * expects; null otherwise (a newer or older peer's kind, or params of another version): then
 * only its English message can be shown.
 */
export function readException(x: { kind: string; params?: unknown }): KnownException | null {
  if (!isExceptionKind(x.kind)) return null;
  const parsed = EXCEPTION_PARAMS[x.kind].safeParse(x.params ?? {});
  return parsed.success ? ({ kind: x.kind, params: parsed.data } as KnownException) : null;
}
