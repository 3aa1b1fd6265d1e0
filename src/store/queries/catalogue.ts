// The catalogue's reads (services/catalogue.ts). The keyword search is prepared once with the
// service: it runs on every keystroke of the desk's search box.
import type { Item, Loan } from '../../domain/types';
import type { Reader } from './reader';

export interface SearchHit {
  id: string;
  title: string;
  author: string | null;
  isbn: string | null;
  callNumber: string | null;
  year: number | null;
  copies: number;
  available: number;
  nextDueAt: number | null;
}

export class CatalogueSearch {
  private readonly statement;

  constructor(r: Reader) {
    // The FTS query picks the best records first; counting copies touches only those.
    this.statement = r.store.db.prepare(
      `WITH hits AS (SELECT rowid, rank FROM records_fts WHERE records_fts MATCH ? ORDER BY rank LIMIT ?)
       SELECT r.id, r.title, r.author, r.isbn, r.call_number AS callNumber, r.year,
              (SELECT count(*) FROM items i WHERE i.record_id = r.id) AS copies,
              (SELECT count(*) FROM items i WHERE i.record_id = r.id AND i.status = 'available') AS available,
              (SELECT min(l.due_at) FROM loans l JOIN items i ON i.id = l.item_id WHERE i.record_id = r.id AND l.returned_at IS NULL) AS nextDueAt
       FROM hits JOIN records r ON r.rowid = hits.rowid ORDER BY hits.rank`,
    );
  }

  /** The best `limit` records for a full-text query (already in FTS5 syntax), with copy counts. */
  search(ftsQuery: string, limit: number): SearchHit[] {
    return this.statement.all(ftsQuery, limit) as SearchHit[];
  }
}

/** A record's copies by barcode, each with its open loan's due date. */
export function copiesOfRecordWithDue(r: Reader, recordId: string): (Item & { dueAt: number | null })[] {
  return (
    r.store.db
      .prepare(
        `SELECT i.*, l.due_at AS __due FROM items i LEFT JOIN loans l ON l.item_id = i.id AND l.returned_at IS NULL
         WHERE i.record_id = ? ORDER BY i.barcode`,
      )
      .all(recordId) as Record<string, unknown>[]
  ).map((raw) => ({ ...r.rows.decode<Item>('items', raw), dueAt: (raw.__due as number | null) ?? null }));
}

/** Records with this (normalised) ISBN, by title, at most 20. */
export function recordsWithIsbn(r: Reader, isbn: string): { id: string; title: string; author: string | null }[] {
  return r.store.db
    .prepare('SELECT id, title, author FROM records WHERE isbn = ? ORDER BY title LIMIT 20')
    .all(isbn) as { id: string; title: string; author: string | null }[];
}

/** A copy by barcode with its record's title. */
export function itemWithTitleByBarcode(r: Reader, barcode: string): (Item & { title: string }) | undefined {
  const raw = r.store.db
    .prepare('SELECT i.*, r.title AS __title FROM items i JOIN records r ON r.id = i.record_id WHERE i.barcode = ?')
    .get(barcode) as Record<string, unknown> | undefined;
  return raw ? { ...r.rows.decode<Item>('items', raw), title: raw.__title as string } : undefined;
}

export function barcodeTaken(r: Reader, barcode: string): boolean {
  return r.store.db.prepare('SELECT 1 FROM items WHERE barcode = ?').get(barcode) !== undefined;
}

export function itemIdByBarcode(r: Reader, barcode: string): string | undefined {
  return (r.store.db.prepare('SELECT id FROM items WHERE barcode = ?').get(barcode) as { id: string } | undefined)?.id;
}

export function openLoanOfItem(r: Reader, itemId: string): Loan | undefined {
  const raw = r.store.db.prepare('SELECT * FROM loans WHERE item_id = ? AND returned_at IS NULL').get(itemId) as
    Record<string, unknown> | undefined;
  return raw ? r.rows.decode<Loan>('loans', raw) : undefined;
}

/** What stops a copy from being deleted, asked in this order. */
export const copyDeletionChecks = {
  onLoan: (r: Reader, itemId: string) =>
    r.store.db.prepare('SELECT 1 FROM loans WHERE item_id = @itemId AND returned_at IS NULL').get({ itemId }) !==
    undefined,
  held: (r: Reader, itemId: string) =>
    r.store.db
      .prepare("SELECT 1 FROM holds WHERE item_id = @itemId AND status IN ('pending', 'in_transit', 'waiting')")
      .get({ itemId }) !== undefined,
  hasHistory: (r: Reader, itemId: string) =>
    r.store.db
      .prepare(
        'SELECT 1 FROM loans WHERE item_id = @itemId UNION ALL SELECT 1 FROM fees WHERE item_id = @itemId UNION ALL SELECT 1 FROM in_house_uses WHERE item_id = @itemId',
      )
      .get({ itemId }) !== undefined,
};

export function copyCountOfRecord(r: Reader, recordId: string): number {
  return (r.store.db.prepare('SELECT count(*) AS n FROM items WHERE record_id = ?').get(recordId) as { n: number }).n;
}

/** Holds of a record in any status. */
export function holdCountOfRecord(r: Reader, recordId: string): number {
  return (r.store.db.prepare('SELECT count(*) AS n FROM holds WHERE record_id = ?').get(recordId) as { n: number }).n;
}

/** A reader of the first record with an ISBN (prepared once, for a page of search hits). */
export function recordIdWithIsbn(r: Reader): (isbn: string) => string | undefined {
  const statement = r.store.db.prepare('SELECT id FROM records WHERE isbn = ? LIMIT 1');
  return (isbn) => (statement.get(isbn) as { id: string } | undefined)?.id;
}

export function isbnCatalogued(r: Reader, isbn: string): boolean {
  return r.store.db.prepare('SELECT 1 FROM records WHERE isbn = ?').get(isbn) !== undefined;
}
