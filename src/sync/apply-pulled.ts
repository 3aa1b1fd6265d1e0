// Applying what the hub sends back (other branches' work) to the station's own store. One batch,
// one transaction, together with the new cursor: a cut in the middle leaves the station at the
// previous cursor, and the same batch is simply fetched again.
//
// A row that still has a local journal entry waiting for the hub is never overwritten: the local
// change is newer than anything the hub has seen, and the hub's answer to it will come back in a
// later batch.
//
// A row the store refuses is not dropped: the hub's rows can arrive in an order the station's
// constraints do not accept for a moment (a copy's new loan before the return that closed its old
// loan, in the same batch or the next page; or another desk's loan of a copy this desk lent too
// and has not pushed yet, until the hub settles who has it). Such a row is tried again at the end
// of its batch, then kept aside (station_state) and tried with every later batch until it goes in
// or a newer version of it arrives. While it waits it shows as a pull_rejected exception, which
// resolves itself once the row is in.
import type { RowChange } from '../domain/journal';
import { SYNCED_TABLES, type Row } from '../store/rows';
import type { ServiceContext } from '../services/context';
import { exceptionOf } from '../domain/exception-kinds';
import { deferForeignKeys } from '../store/queries/pulled-rows';
import {
  openSyncExceptionIds,
  recordRefusedRow,
  resolveSyncException,
  type SyncExceptionRecord,
} from '../store/queries/sync-exceptions';
import { deferredTransaction, immediateTransaction } from '../store/transaction';
import { pendingKeys, type PendingKeys } from './pending-keys';

export const CURSOR_KEY = 'sync_cursor';
/** station_state key: pulled rows the store refused so far, tried again with every batch. */
export const DEFERRED_KEY = 'sync_deferred_rows';

export interface ApplyResult {
  applied: number;
  /** Rows left alone because a local change to them is still waiting to be pushed. */
  keptLocal: number;
  /** Rows the store refused (a constraint); recorded as sync exceptions, never blocking the rest. */
  failed: number;
}

/** Parses only the entries written since the last batch, not every waiting one again (see pending-keys.ts). */
function pendingRowKeys(ctx: ServiceContext): PendingKeys {
  return pendingKeys(ctx);
}

export function applyPulledBatch(ctx: ServiceContext, changes: RowChange[], nextCursor: string): ApplyResult {
  const result: ApplyResult = { applied: 0, keptLocal: 0, failed: 0 };
  const keyOf = (c: RowChange) => `${c.table}:${c.row.id}`;
  immediateTransaction(ctx, () => {
    // Rows of one batch may arrive child before parent; check references at commit.
    deferForeignKeys(ctx);
    const pending = pendingRowKeys(ctx);
    const inBatch = new Set(changes.map(keyOf));
    const before = JSON.parse(ctx.readState(DEFERRED_KEY) ?? '[]') as RowChange[];
    // Rows refused before (kept aside, or since replaced by a version that may go in now).
    const waitedBefore = new Set(openSyncExceptionIds(ctx, 'pull_rejected', 'pull:').map((id) => id.slice(5)));
    // A row kept aside is older than anything in this batch: a newer version of it replaces it.
    const todo = [...before.filter((c) => !inBatch.has(keyOf(c))), ...changes];
    const errors = new Map<string, string>();
    const tryApply = (change: RowChange): boolean => {
      try {
        deferredTransaction(ctx, () => {
          if (change.op === 'delete') ctx.rows.delete(change.table, change.row.id);
          else ctx.rows.upsert(change.table, ctx.rows.pick(change.table, change.row) as Row);
        });
        result.applied++;
        if (waitedBefore.has(keyOf(change))) resolveSyncException(ctx, `pull:${keyOf(change)}`, ctx.now(), null);
        return true;
      } catch (error) {
        errors.set(keyOf(change), (error as Error).message);
        return false;
      }
    };
    const refused: RowChange[] = [];
    for (const change of todo) {
      if (!Object.hasOwn(SYNCED_TABLES, change.table))
        throw new Error(`unknown table in a sync batch: ${change.table}`);
      if (pending.has(keyOf(change))) {
        result.keptLocal++;
        continue;
      }
      if (!tryApply(change)) refused.push(change);
    }
    // Refused only for the order the rows came in? Then they go in now.
    const still = refused.filter((change) => !tryApply(change));
    for (const change of still) recordRefusedRow(ctx, refusedRow(change, errors.get(keyOf(change))!, ctx.now()), true);
    result.failed = still.length;
    ctx.writeState(DEFERRED_KEY, JSON.stringify(still));
    ctx.writeState(CURSOR_KEY, nextCursor);
  });
  ctx.config.invalidate();
  return result;
}

/** A pulled row the store refused, as a pull_rejected exception (its id names the row, so a retry updates it). */
export function refusedRow(change: RowChange, error: string, at: number): SyncExceptionRecord {
  return {
    id: `pull:${change.table}:${change.row.id}`,
    ...exceptionOf('pull_rejected', { table: change.table, rowId: change.row.id, error }),
    patronIds: [],
    itemId: null,
    entryIds: [],
    createdAt: at,
  };
}
