// Applying what the hub sends back (other branches' work) to the station's own store. One batch,
// one transaction, together with the new cursor: a cut in the middle leaves the station at the
// previous cursor, and the same batch is simply fetched again.
//
// A row that still has a local journal entry waiting for the hub is never overwritten: the local
// change is newer than anything the hub has seen, and the hub's answer to it will come back in a
// later batch.
import type { RowChange } from '../domain/journal';
import { SYNCED_TABLES, type Row } from '../store/rows';
import type { ServiceContext } from '../services/context';

export const CURSOR_KEY = 'sync_cursor';

export interface ApplyResult {
  applied: number;
  /** Rows left alone because a local change to them is still waiting to be pushed. */
  keptLocal: number;
  /** Rows the store refused (a constraint); recorded as sync exceptions, never blocking the rest. */
  failed: number;
}

function pendingRowKeys(ctx: ServiceContext): Set<string> {
  const keys = new Set<string>();
  const rows = ctx.store.db.prepare('SELECT payload FROM journal WHERE acked_at IS NULL').all() as { payload: string }[];
  for (const { payload } of rows) {
    for (const e of (JSON.parse(payload) as { effects: RowChange[] }).effects) keys.add(`${e.table}:${e.row.id}`);
  }
  return keys;
}

export function applyPulledBatch(ctx: ServiceContext, changes: RowChange[], nextCursor: string): ApplyResult {
  const db = ctx.store.db;
  const result: ApplyResult = { applied: 0, keptLocal: 0, failed: 0 };
  const recordFailure = db.prepare(
    `INSERT INTO sync_exceptions (id, kind, message, patron_id, item_id, entry_ids, created_at) VALUES (?, 'pull_rejected', ?, NULL, NULL, '[]', ?)`,
  );
  db.transaction(() => {
    // Rows of one batch may arrive child before parent; check references at commit.
    db.pragma('defer_foreign_keys = ON');
    const pending = pendingRowKeys(ctx);
    for (const change of changes) {
      if (!Object.hasOwn(SYNCED_TABLES, change.table)) throw new Error(`unknown table in a sync batch: ${change.table}`);
      if (pending.has(`${change.table}:${change.row.id}`)) {
        result.keptLocal++;
        continue;
      }
      try {
        db.transaction(() => {
          if (change.op === 'delete') ctx.rows.delete(change.table, change.row.id);
          else ctx.rows.upsert(change.table, ctx.rows.pick(change.table, change.row) as Row);
        })();
        result.applied++;
      } catch (error) {
        result.failed++;
        recordFailure.run(ctx.newId(), `${change.table} ${change.row.id}: ${(error as Error).message}`, ctx.now());
      }
    }
    ctx.writeState(CURSOR_KEY, nextCursor);
  }).immediate();
  ctx.config.invalidate();
  return result;
}
