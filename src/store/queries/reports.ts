// The desk reports' reads (services/reports.ts): today's work from the journal, overdue loans
// with their patrons, copies in transit.
import type { Reader } from './reader';

/** The journal's commands since a time, with their wall time. */
export function journalCommandsSince(r: Reader, since: number): { command: string; at: number }[] {
  return r.store.db.prepare(`SELECT command, wall_time AS at FROM journal WHERE wall_time >= ?`).all(since) as {
    command: string;
    at: number;
  }[];
}

/** Loans made since a time, counted by item type, most first. */
export function loansByItemTypeSince(r: Reader, since: number): { itemType: string; loans: number }[] {
  return r.store.db
    .prepare(
      `SELECT i.item_type_code AS itemType, count(*) AS loans FROM loans l JOIN items i ON i.id = l.item_id WHERE l.checked_out_at >= ? GROUP BY i.item_type_code ORDER BY loans DESC`,
    )
    .all(since) as { itemType: string; loans: number }[];
}

export type OverdueLoanRow = {
  itemBarcode: string;
  title: string;
  patronName: string;
  cardBarcode: string;
  email: string | null;
  dueAt: number;
};

/** Open loans due before `now`, soonest due first, with the copy, title and patron to contact. */
export function overdueLoans(r: Reader, now: number): OverdueLoanRow[] {
  return r.store.db
    .prepare(
      `SELECT i.barcode AS itemBarcode, r.title, p.first_name || ' ' || p.last_name AS patronName, p.card_barcode AS cardBarcode, p.email, l.due_at AS dueAt
       FROM loans l JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id JOIN patrons p ON p.id = l.patron_id
       WHERE l.returned_at IS NULL AND l.due_at < ? ORDER BY l.due_at`,
    )
    .all(now) as OverdueLoanRow[];
}

/** Copies in transit, by barcode, with the branch each goes to. */
export function copiesInTransit(r: Reader): { itemBarcode: string; title: string; toId: string | null }[] {
  return r.store.db
    .prepare(
      `SELECT i.barcode AS itemBarcode, r.title, i.transit_to_branch_id AS toId FROM items i JOIN records r ON r.id = i.record_id WHERE i.status = 'in_transit' ORDER BY i.barcode`,
    )
    .all() as { itemBarcode: string; title: string; toId: string | null }[];
}
