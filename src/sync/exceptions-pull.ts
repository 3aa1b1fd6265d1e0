// The station's copy of the hub's exceptions that concern its branch: made by its own pushes or
// by another branch's, and resolved here, at another desk or at the hub. The hub's feed
// (GET /sync/exceptions) brings every exception made or resolved after the station's cursor.
import type { ServiceContext } from '../services/context';
import type { SyncExceptionNotice } from './worker';

/** station_state key: the exceptions feed's cursor. */
export const EXCEPTIONS_CURSOR_KEY = 'sync_exceptions_cursor';

/**
 * Records notices (new ones, and resolutions of known ones) with the new cursor, in one
 * transaction. A resolution made at this desk stays as it is: its own entry is on its way to
 * the hub, and the hub keeps whichever resolution came first.
 */
export function recordExceptionNotices(ctx: ServiceContext, notices: SyncExceptionNotice[], nextCursor: string | null): void {
  const db = ctx.store.db;
  const upsert = db.prepare(
    `INSERT INTO sync_exceptions (id, kind, message, patron_id, item_id, entry_ids, created_at, resolved_at, resolved_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET
       resolved_by = CASE WHEN sync_exceptions.resolved_at IS NULL THEN excluded.resolved_by ELSE sync_exceptions.resolved_by END,
       resolved_at = coalesce(sync_exceptions.resolved_at, excluded.resolved_at)`,
  );
  db.transaction(() => {
    for (const x of notices) {
      upsert.run(x.id, x.kind, x.message, x.patronId ?? null, x.itemId ?? null, JSON.stringify(x.entryIds), x.createdAt, x.resolvedAt ?? null, x.resolvedAt ? (x.resolvedBy ?? null) : null);
    }
    if (nextCursor !== null) ctx.writeState(EXCEPTIONS_CURSOR_KEY, nextCursor);
  })();
}
