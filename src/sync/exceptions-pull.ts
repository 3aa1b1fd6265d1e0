// The station's copy of the hub's exceptions that concern its branch: made by its own pushes or
// by another branch's, and resolved here, at another desk or at the hub. The hub's feed
// (GET /sync/exceptions) brings every exception made or resolved after the station's cursor.
import type { ExceptionNotice as SyncExceptionNotice } from '../api/sync-protocol';
import type { ServiceContext } from '../services/context';
import { upsertSyncExceptionNotices } from '../store/queries/sync-exceptions';
import { deferredTransaction } from '../store/transaction';

/** station_state key: the exceptions feed's cursor. */
export const EXCEPTIONS_CURSOR_KEY = 'sync_exceptions_cursor';

/** Every patron a notice names: its `patronIds`, or its single `patronId` from a hub that sends only that. */
export function patronIdsOf(x: Pick<SyncExceptionNotice, 'patronId' | 'patronIds'>): string[] {
  const ids = x.patronIds?.length ? x.patronIds : x.patronId ? [x.patronId] : [];
  return [...new Set(ids)];
}

/** A hub's notice as the station keeps it, as the hub worded it (a kind this station may not know included). */
export function exceptionOfNotice(x: SyncExceptionNotice) {
  return {
    id: x.id,
    kind: x.kind,
    message: x.message,
    ...(x.params ? { params: x.params } : {}),
    patronIds: patronIdsOf(x),
    itemId: x.itemId ?? null,
    entryIds: x.entryIds,
    createdAt: x.createdAt,
  };
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
  deferredTransaction(ctx, () => {
    upsertSyncExceptionNotices(
      ctx,
      notices.map((x) => ({
        ...exceptionOfNotice(x),
        resolvedAt: x.resolvedAt ?? null,
        resolvedBy: x.resolvedBy ?? null,
      })),
    );
    if (nextCursor !== null) ctx.writeState(EXCEPTIONS_CURSOR_KEY, nextCursor);
  });
}
