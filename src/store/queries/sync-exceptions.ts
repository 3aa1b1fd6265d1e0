// The station's sync exceptions (sync_exceptions), their one owner: every statement that reads or
// writes the table is here. Written by the sync worker (the hub's exceptions, its feed, entries
// the hub did not apply as sent, a clock set back), by the pull (rows the store refused:
// pull_rejected) and by the desk resolving one (services/exceptions.ts); read by the desk's list
// and the status bar's count. Statements are prepared once per connection: the count is read
// with every status, the pull's statements with every batch.
import type Database from 'better-sqlite3';
import type { ExceptionKind } from '../../domain/exception-kinds';
import type { Reader } from './reader';

type Connection = Pick<Reader, 'store'>;

type Params = Record<string, string | number | boolean | null>;

/** An exception as the table keeps it, made by the hub or by this station. */
export interface SyncExceptionRecord {
  id: string;
  kind: string;
  message: string;
  params?: Params;
  patronIds: string[];
  itemId: string | null;
  entryIds: string[];
  createdAt: number;
}

/** One the hub's feed brought: new, or a resolution of one known here. */
export interface SyncExceptionNoticeRecord extends SyncExceptionRecord {
  resolvedAt: number | null;
  resolvedBy: string | null;
}

/** A row of the desk's list, with its copy's barcode and title. */
export interface SyncExceptionListRow {
  id: string;
  kind: string;
  message: string;
  params?: Params;
  patronId: string | null;
  patronIds: string[];
  itemId: string | null;
  itemBarcode: string | null;
  title: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

const INSERT = `INSERT INTO sync_exceptions (id, kind, message, params, patron_id, patron_ids, item_id, entry_ids, created_at)
  VALUES (@id, @kind, @message, @params, @patronId, @patronIds, @itemId, @entryIds, @createdAt)`;

function statements(db: Database.Database) {
  return {
    insertNew: db.prepare(`${INSERT} ON CONFLICT(id) DO NOTHING`),
    upsertNotice: db.prepare(
      `INSERT INTO sync_exceptions (id, kind, message, params, patron_id, patron_ids, item_id, entry_ids, created_at, resolved_at, resolved_by)
       VALUES (@id, @kind, @message, @params, @patronId, @patronIds, @itemId, @entryIds, @createdAt, @resolvedAt, @resolvedBy)
       ON CONFLICT(id) DO UPDATE SET
         params = coalesce(excluded.params, sync_exceptions.params),
         patron_ids = CASE WHEN excluded.patron_ids <> '[]' THEN excluded.patron_ids ELSE sync_exceptions.patron_ids END,
         patron_id = coalesce(excluded.patron_id, sync_exceptions.patron_id),
         resolved_by = CASE WHEN sync_exceptions.resolved_at IS NULL THEN excluded.resolved_by ELSE sync_exceptions.resolved_by END,
         resolved_at = coalesce(sync_exceptions.resolved_at, excluded.resolved_at)`,
    ),
    // A refused row refused again: its newest error; reopened if it had gone in meanwhile.
    reopen: db.prepare(
      `${INSERT} ON CONFLICT(id) DO UPDATE SET message = excluded.message, params = excluded.params, resolved_at = NULL, resolved_by = NULL`,
    ),
    // The first load's: the newest error, its state as it was.
    refresh: db.prepare(`${INSERT} ON CONFLICT(id) DO UPDATE SET message = excluded.message, params = excluded.params`),
    openIdsOfKind: db
      .prepare("SELECT id FROM sync_exceptions WHERE kind = ? AND resolved_at IS NULL AND id LIKE ? ESCAPE '\\'")
      .pluck(),
    isOpen: db.prepare('SELECT 1 FROM sync_exceptions WHERE id = ? AND resolved_at IS NULL').pluck(),
    resolve: db.prepare(
      'UPDATE sync_exceptions SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL',
    ),
    countOpen: db.prepare('SELECT count(*) FROM sync_exceptions WHERE resolved_at IS NULL').pluck(),
    list: db.prepare(
      `SELECT x.id, x.kind, x.message, x.params, x.patron_id AS patronId, x.patron_ids AS patronIds,
              x.item_id AS itemId, i.barcode AS itemBarcode, r.title, x.created_at AS createdAt, x.resolved_at AS resolvedAt
       FROM sync_exceptions x LEFT JOIN items i ON i.id = x.item_id LEFT JOIN records r ON r.id = i.record_id
       WHERE ? OR x.resolved_at IS NULL ORDER BY x.created_at DESC LIMIT 500`,
    ),
    patron: db.prepare(
      `SELECT first_name || ' ' || last_name AS name, card_barcode AS cardBarcode FROM patrons WHERE id = ?`,
    ),
  };
}

const prepared = new WeakMap<Database.Database, ReturnType<typeof statements>>();

function s(c: Connection): ReturnType<typeof statements> {
  let found = prepared.get(c.store.db);
  if (!found) {
    found = statements(c.store.db);
    prepared.set(c.store.db, found);
  }
  return found;
}

const columns = (x: SyncExceptionRecord) => ({
  id: x.id,
  kind: x.kind,
  message: x.message,
  params: x.params && Object.keys(x.params).length > 0 ? JSON.stringify(x.params) : null,
  patronId: x.patronIds[0] ?? null,
  patronIds: JSON.stringify(x.patronIds),
  itemId: x.itemId,
  entryIds: JSON.stringify(x.entryIds),
  createdAt: x.createdAt,
});

/** Records exceptions; an id already recorded is left as it is. */
export function insertSyncExceptions(c: Connection, exceptions: SyncExceptionRecord[]): void {
  const { insertNew } = s(c);
  for (const x of exceptions) insertNew.run(columns(x));
}

/**
 * Records the hub feed's notices: new ones, and resolutions of known ones. A resolution made here
 * first stays as it is (the hub keeps whichever came first); params and patrons a notice lacks
 * (an older hub) are kept from what was known.
 */
export function upsertSyncExceptionNotices(c: Connection, notices: SyncExceptionNoticeRecord[]): void {
  const { upsertNotice } = s(c);
  for (const x of notices)
    upsertNotice.run({ ...columns(x), resolvedAt: x.resolvedAt, resolvedBy: x.resolvedAt ? x.resolvedBy : null });
}

/**
 * A row the store refused, recorded or brought up to date with its newest error. `reopen`: one
 * that had been resolved (the row went in, then a newer version was refused) is open again.
 */
export function recordRefusedRow(c: Connection, x: SyncExceptionRecord, reopen: boolean): void {
  (reopen ? s(c).reopen : s(c).refresh).run(columns(x));
}

/** The ids of the open exceptions of a kind whose id starts with `prefix`. */
export function openSyncExceptionIds(c: Connection, kind: ExceptionKind, prefix: string): string[] {
  return s(c).openIdsOfKind.all(kind, `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`) as string[];
}

export function isSyncExceptionOpen(c: Connection, id: string): boolean {
  return s(c).isOpen.get(id) !== undefined;
}

/** Marks an open exception resolved; false if it was not open. */
export function resolveSyncException(c: Connection, id: string, at: number, by: string | null): boolean {
  return s(c).resolve.run(at, by, id).changes === 1;
}

/** How many are open: the status bar's count. */
export function countOpenSyncExceptions(c: Connection): number {
  return s(c).countOpen.get() as number;
}

/** The desk's list, newest first (at most 500): the open ones, or all. */
export function listSyncExceptions(c: Connection, includeResolved: boolean): SyncExceptionListRow[] {
  const rows = s(c).list.all(includeResolved ? 1 : 0) as (Omit<SyncExceptionListRow, 'patronIds' | 'params'> & {
    patronIds: string;
    params: string | null;
  })[];
  return rows.map(({ patronIds, params, ...x }) => {
    const ids = JSON.parse(patronIds) as string[];
    // An exception recorded before patron_ids existed has only patron_id.
    if (ids.length === 0 && x.patronId) ids.push(x.patronId);
    return { ...x, patronIds: ids, ...(params ? { params: JSON.parse(params) as Params } : {}) };
  });
}

/** A patron an exception names, as this station holds them (undefined: not held here). */
export function exceptionPatron(c: Connection, id: string): { name: string; cardBarcode: string } | undefined {
  return s(c).patron.get(id) as { name: string; cardBarcode: string } | undefined;
}
