// The station's copy of the hub's exceptions that concern its branch: made by its own pushes or
// by another branch's, and resolved here, at another desk or at the hub. The hub's feed
// (GET /sync/exceptions) brings every exception made or resolved after the station's cursor.
import type { ExceptionNotice as SyncExceptionNotice } from '../api/sync-protocol';
import type { ServiceContext } from '../services/context';

/** station_state key: the exceptions feed's cursor. */
export const EXCEPTIONS_CURSOR_KEY = 'sync_exceptions_cursor';

/** Every patron a notice names: its `patronIds`, or its single `patronId` from a hub that sends only that. */
export function patronIdsOf(x: Pick<SyncExceptionNotice, 'patronId' | 'patronIds'>): string[] {
  const ids = x.patronIds?.length ? x.patronIds : x.patronId ? [x.patronId] : [];
  return [...new Set(ids)];
}

/**
 * Records notices (new ones, and resolutions of known ones) with the new cursor, in one
 * transaction. A resolution made at this desk stays as it is: its own entry is on its way to
 * the hub, and the hub keeps whichever resolution came first.
 */
export function recordExceptionNotices(
  ctx: ServiceContext,
  notices: SyncExceptionNotice[],
  nextCursor: string | null,
): void {
  const db = ctx.store.db;
  const upsert = db.prepare(
    `INSERT INTO sync_exceptions (id, kind, message, params, patron_id, patron_ids, item_id, entry_ids, created_at, resolved_at, resolved_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET
       params = coalesce(excluded.params, sync_exceptions.params),
       patron_ids = CASE WHEN excluded.patron_ids <> '[]' THEN excluded.patron_ids ELSE sync_exceptions.patron_ids END,
       patron_id = coalesce(excluded.patron_id, sync_exceptions.patron_id),
       resolved_by = CASE WHEN sync_exceptions.resolved_at IS NULL THEN excluded.resolved_by ELSE sync_exceptions.resolved_by END,
       resolved_at = coalesce(sync_exceptions.resolved_at, excluded.resolved_at)`,
  );
  db.transaction(() => {
    for (const x of notices) {
      const patronIds = patronIdsOf(x);
      upsert.run(
        x.id,
        x.kind,
        x.message,
        x.params ? JSON.stringify(x.params) : null,
        patronIds[0] ?? null,
        JSON.stringify(patronIds),
        x.itemId ?? null,
        JSON.stringify(x.entryIds),
        x.createdAt,
        x.resolvedAt ?? null,
        x.resolvedAt ? (x.resolvedBy ?? null) : null,
      );
    }
    if (nextCursor !== null) ctx.writeState(EXCEPTIONS_CURSOR_KEY, nextCursor);
  })();
}
