// A new station's first load: the hub's streamed snapshot (GET /sync/snapshot), written in chunks
// of a few thousand rows, each chunk in one SQLite transaction together with the cursor of its
// last row. A cut anywhere leaves the station at the end of its last whole chunk; the load then
// resumes from there (after=<that cursor>), so every row ends up stored exactly once, in its
// latest version. At the end line the change feed takes over from the snapshot's end cursor.
import type { RowChange } from '../domain/journal';
import type { ServiceContext } from '../services/context';
import { SYNCED_TABLES, type Row } from '../store/rows';
import { withoutForeignKeys } from '../store/queries/pulled-rows';
import { deleteStationState } from '../store/queries/station-state';
import { recordRefusedRow } from '../store/queries/sync-exceptions';
import { deferredTransaction, immediateTransaction } from '../store/transaction';
import { CURSOR_KEY, refusedRow } from './apply-pulled';
import { pendingKeys } from './pending-keys';

/** station_state key: the first load in progress, `{ cursor, done, total }`; absent once it is over. */
export const INITIAL_LOAD_KEY = 'sync_initial_load';

export interface LoadProgress {
  /** Cursor of the last row stored; the load resumes after it. */
  cursor: string;
  done: number;
  total: number;
}

export function readLoadProgress(ctx: ServiceContext): LoadProgress | null {
  const raw = ctx.readState(INITIAL_LOAD_KEY);
  return raw ? (JSON.parse(raw) as LoadProgress) : null;
}

/** A station that has never pulled anything loads the library from the snapshot; one cut mid-load resumes it. */
export function needsInitialLoad(ctx: ServiceContext): boolean {
  return ctx.readState(CURSOR_KEY) === null || readLoadProgress(ctx) !== null;
}

export type SnapshotRowChange = RowChange & { cursor: string };

/**
 * Stores one chunk of the snapshot with the progress, in one transaction. `end`: the snapshot's
 * end cursor, when this is the last chunk: the change feed continues from there.
 */
export function applySnapshotChunk(
  ctx: ServiceContext,
  rows: SnapshotRowChange[],
  progress: LoadProgress,
  end: string | null,
): { applied: number; failed: number } {
  const result = { applied: 0, failed: 0 };
  const write = (change: RowChange) => {
    if (change.op === 'delete') ctx.rows.delete(change.table, change.row.id);
    else ctx.rows.upsert(change.table, ctx.rows.pick(change.table, change.row) as Row);
  };
  const finish = () => {
    if (end === null) ctx.writeState(INITIAL_LOAD_KEY, JSON.stringify(progress));
    else {
      ctx.writeState(CURSOR_KEY, end);
      deleteStationState(ctx, INITIAL_LOAD_KEY);
    }
  };
  // The snapshot comes in change order, where a row can precede the latest version of the row it
  // refers to (a patron edited after their loan was made comes after the loan). References are
  // whole once the load is; checking each chunk's would refuse a chunk for a parent a few rows on.
  // Switched off only around this synchronous call: no desk command runs in between.
  withoutForeignKeys(ctx, () => {
    const pending = pendingKeys(ctx);
    const todo = rows.filter((c) => {
      if (!Object.hasOwn(SYNCED_TABLES, c.table)) throw new Error(`unknown table in the first load: ${c.table}`);
      // A local change waiting for the hub is newer than the snapshot's version of that row.
      return !pending.has(`${c.table}:${c.row.id}`);
    });
    try {
      immediateTransaction(ctx, () => {
        for (const change of todo) write(change);
        finish();
      });
      result.applied = todo.length;
    } catch {
      // Some row the store refuses (a constraint): the chunk again row by row, so that one is
      // recorded for staff and the rest go in.
      immediateTransaction(ctx, () => {
        for (const change of todo) {
          try {
            deferredTransaction(ctx, () => write(change));
            result.applied++;
          } catch (error) {
            result.failed++;
            recordRefusedRow(ctx, refusedRow(change, (error as Error).message, ctx.now()), false);
          }
        }
        finish();
      });
    }
  });
  ctx.config.invalidate();
  return result;
}
