// Sync exceptions at the hub after they are made (src/hub/apply.ts makes them): the feed each
// branch pulls, the administrator's list, and resolving one, by an administrator at the hub or
// by staff at a station of a branch it concerns. A resolution is kept once: resolving again
// changes nothing and answers with the first resolution, so a retry or a second desk is harmless.
import type { ExceptionNotice, ExceptionsResponse } from '../api/sync-protocol';
import type { JournalEntry } from '../domain/journal';
import type { Queryable } from './db';
import type { ApplyResult } from './verdicts';

interface ExceptionRow {
  id: string;
  kind: string;
  message: string;
  params: Record<string, string | number | boolean | null> | null;
  patron_ids: string[];
  item_id: string | null;
  entry_ids: string[];
  branch_ids: string[];
  created_at: string | number;
  resolved_at: string | number | null;
  resolved_by: string | null;
  resolution_note: string | null;
  change_seq: string | number | null;
}

export interface HubExceptionView extends ExceptionNotice {
  branchIds: string[];
}

const COLUMNS =
  'id, kind, message, params, patron_ids, item_id, entry_ids, branch_ids, created_at, resolved_at, resolved_by, resolution_note, change_seq';

/** What an exception is made of before anyone resolves it. */
export type NewExceptionRow = Pick<
  ExceptionRow,
  'id' | 'kind' | 'message' | 'params' | 'patron_ids' | 'item_id' | 'entry_ids' | 'created_at'
>;

/**
 * An exception as a station first hears of it (in the answer to the push that made it).
 * Exceptions travel with hub- ids, so a station never mistakes them for its own.
 */
export function newExceptionNotice(r: NewExceptionRow): ExceptionNotice {
  return {
    id: `hub-${r.id}`,
    kind: r.kind,
    message: r.message,
    ...(r.params ? { params: r.params } : {}),
    patronId: r.patron_ids[0] ?? null,
    patronIds: r.patron_ids,
    itemId: r.item_id,
    entryIds: r.entry_ids,
    createdAt: Number(r.created_at),
  };
}

function toView(r: ExceptionRow): HubExceptionView {
  return {
    ...newExceptionNotice(r),
    resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
    resolvedBy: r.resolved_by,
    resolutionNote: r.resolution_note,
    branchIds: r.branch_ids,
  };
}

const toNotice = (r: ExceptionRow): ExceptionNotice => {
  const { branchIds: _b, ...notice } = toView(r);
  return notice;
};

/** "hub-7" (as stations know it) or "7" (as `admin exceptions` prints it) -> 7. */
export function parseExceptionId(id: string): number | null {
  const m = /^(?:hub-)?(\d{1,18})$/.exec(id.trim());
  return m ? Number(m[1]) : null;
}

/**
 * Exceptions concerning a branch that were made or resolved after the cursor, oldest change
 * first: a station keeps its list in step with the hub, resolutions made elsewhere included.
 */
export async function exceptionsFeed(
  q: Queryable,
  branchId: string,
  after: number,
  limit = 1000,
): Promise<ExceptionsResponse> {
  const rows = await q.query<ExceptionRow>(
    `SELECT ${COLUMNS} FROM exceptions WHERE branch_ids ? $1 AND change_seq > $2 ORDER BY change_seq LIMIT $3`,
    [branchId, after, limit],
  );
  return { exceptions: rows.map(toNotice), nextCursor: String(rows.at(-1)?.change_seq ?? after) };
}

/** For the administrator: the unresolved ones (or all), oldest first. */
export async function listExceptions(q: Queryable, includeResolved: boolean): Promise<HubExceptionView[]> {
  const rows = await q.query<ExceptionRow>(
    `SELECT ${COLUMNS} FROM exceptions WHERE $1 OR resolved_at IS NULL ORDER BY id`,
    [includeResolved],
  );
  return rows.map(toView);
}

export type ResolveStatus = 'resolved' | 'already_resolved' | 'not_found' | 'forbidden';

/**
 * Marks an exception resolved, once. `branchId` limits it to a branch the exception concerns (a
 * station acts only for its own branch); an administrator passes none.
 */
export async function resolveIn(
  tx: Queryable,
  id: string,
  resolution: { by: string; note: string | null; at: number; branchId?: string },
): Promise<{ status: ResolveStatus; exception: HubExceptionView | null }> {
  const n = parseExceptionId(id);
  if (n === null) return { status: 'not_found', exception: null };
  const row = (await tx.query<ExceptionRow>(`SELECT ${COLUMNS} FROM exceptions WHERE id = $1 FOR UPDATE`, [n]))[0];
  if (!row) return { status: 'not_found', exception: null };
  if (resolution.branchId !== undefined && !row.branch_ids.includes(resolution.branchId))
    return { status: 'forbidden', exception: null };
  if (row.resolved_at !== null) return { status: 'already_resolved', exception: toView(row) };
  const updated = (
    await tx.query<ExceptionRow>(
      `UPDATE exceptions SET resolved_at = $2, resolved_by = $3, resolution_note = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [n, resolution.at, resolution.by, resolution.note],
    )
  )[0]!;
  return { status: 'resolved', exception: toView(updated) };
}

/**
 * A resolution that came through a station's journal: applied once, like any entry, in the
 * transaction that records it as received. Resolved already (at the hub, or by another desk):
 * the first resolution stands and staff are told. Not the station's branch's, or unknown: rejected.
 */
export async function applyResolution(tx: Queryable, entry: JournalEntry): Promise<ApplyResult> {
  const input = (entry.payload.input ?? {}) as { id?: unknown; note?: unknown };
  const id = typeof input.id === 'string' ? input.id : '';
  const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim() : null;
  const by = entry.staffId ?? `station ${entry.stationId}`;
  const { status, exception } = await resolveIn(tx, id, { by, note, at: entry.wallTime, branchId: entry.branchId });
  switch (status) {
    case 'resolved':
      return { outcome: 'applied', exceptions: [] };
    case 'already_resolved':
      return {
        outcome: 'applied_with_warning',
        reason: `already resolved by ${exception?.resolvedBy ?? 'someone'}`,
        exceptions: [],
      };
    case 'forbidden':
      return { outcome: 'rejected', reason: 'that exception does not concern this branch', exceptions: [] };
    case 'not_found':
      return { outcome: 'rejected', reason: `no exception ${id} at the hub`, exceptions: [] };
  }
}
