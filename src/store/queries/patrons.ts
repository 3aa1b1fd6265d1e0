// The patron screens' reads (services/patrons.ts): a patron's summary, the name search, the
// reading history. The circulation look-ups (by card, blocks, fees owed) are in circulation.ts.
import type { Hold } from '../../domain/types';
import type { Reader } from './reader';

export type OpenLoanLine = {
  loanId: string;
  itemId: string;
  itemBarcode: string;
  title: string;
  dueAt: number;
  renewals: number;
};

/** The patron's open loans with copy and title, soonest due first. */
export function openLoanLinesOfPatron(r: Reader, patronId: string): OpenLoanLine[] {
  return r.store.db
    .prepare(
      `SELECT l.id AS loanId, l.item_id AS itemId, i.barcode AS itemBarcode, r.title, l.due_at AS dueAt, l.renewals
       FROM loans l JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id
       WHERE l.patron_id = ? AND l.returned_at IS NULL ORDER BY l.due_at`,
    )
    .all(patronId) as OpenLoanLine[];
}

/** The patron's active holds (pending, in transit, waiting) with their titles, oldest first. */
export function activeHoldLinesOfPatron(r: Reader, patronId: string): (Hold & { title: string })[] {
  return (
    r.store.db
      .prepare(
        `SELECT h.*, r.title AS __title FROM holds h JOIN records r ON r.id = h.record_id
         WHERE h.patron_id = ? AND h.status IN ('pending', 'in_transit', 'waiting') ORDER BY h.placed_at`,
      )
      .all(patronId) as Record<string, unknown>[]
  ).map((raw) => ({ ...r.rows.decode<Hold>('holds', raw), title: raw.__title as string }));
}

export type PatronMatch = {
  id: string;
  cardBarcode: string;
  firstName: string;
  lastName: string;
  email: string | null;
};

/** Patrons matching a full-text query (already in FTS5 syntax), best first. */
export function patronsMatching(r: Reader, ftsQuery: string, limit: number): PatronMatch[] {
  return r.store.db
    .prepare(
      `SELECT p.id, p.card_barcode AS cardBarcode, p.first_name AS firstName, p.last_name AS lastName, p.email
       FROM patrons_fts f JOIN patrons p ON p.rowid = f.rowid WHERE patrons_fts MATCH ? ORDER BY rank LIMIT ?`,
    )
    .all(ftsQuery, limit) as PatronMatch[];
}

/** The patron's returned loans, newest first (at most 500): only for a patron who keeps a history. */
export function readingHistoryOf(
  r: Reader,
  patronId: string,
): { title: string; itemBarcode: string; checkedOutAt: number; returnedAt: number }[] {
  return r.store.db
    .prepare(
      `SELECT r.title, i.barcode AS itemBarcode, l.checked_out_at AS checkedOutAt, l.returned_at AS returnedAt
       FROM loans l JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id
       WHERE l.patron_id = ? AND l.returned_at IS NOT NULL ORDER BY l.returned_at DESC LIMIT 500`,
    )
    .all(patronId) as { title: string; itemBarcode: string; checkedOutAt: number; returnedAt: number }[];
}
