// The holds screens' reads (services/holds.ts). The check-out's and check-in's hold reads are in
// circulation.ts, prepared once per connection.
import type { Hold } from '../../domain/types';
import { decodeAll, type Reader } from './reader';

/** Holds waiting on a branch's hold shelf. */
export function waitingHoldsAt(r: Reader, branchId: string): Hold[] {
  return decodeAll<Hold>(
    r,
    'holds',
    r.store.db.prepare("SELECT * FROM holds WHERE status = 'waiting' AND pickup_branch_id = ?").all(branchId),
  );
}

/** A record's holds still in the queue (pending, in transit, waiting), unsorted. */
export function queuedHoldsOfRecord(r: Reader, recordId: string): Hold[] {
  return decodeAll<Hold>(
    r,
    'holds',
    r.store.db
      .prepare(`SELECT * FROM holds WHERE record_id = ? AND status IN ('pending','in_transit','waiting')`)
      .all(recordId),
  );
}

export type HoldToPull = {
  holdId: string;
  title: string;
  callNumber: string | null;
  itemBarcode: string;
  placedAt: number;
};

/** Pending holds (not suspended on `today`) with a copy on the shelf at the branch, oldest first. */
export function holdsToPull(r: Reader, branchId: string, today: string): HoldToPull[] {
  return r.store.db
    .prepare(
      `SELECT h.id AS holdId, r.title, r.call_number AS callNumber, min(i.barcode) AS itemBarcode, h.placed_at AS placedAt
       FROM holds h JOIN records r ON r.id = h.record_id
       JOIN items i ON i.record_id = h.record_id AND (h.item_id IS NULL OR i.id = h.item_id)
       WHERE h.status = 'pending' AND i.status = 'available' AND i.current_branch_id = ? AND i.not_for_loan = 0
         AND (h.suspended_until IS NULL OR h.suspended_until <= ?)
       GROUP BY h.id ORDER BY h.placed_at`,
    )
    .all(branchId, today) as HoldToPull[];
}

export type HoldShelfRow = {
  holdId: string;
  title: string;
  itemBarcode: string | null;
  patronName: string;
  shelfExpiresOn: string | null;
};

/** A branch's hold shelf: waiting holds with title, copy and patron, soonest to expire first. */
export function holdShelf(r: Reader, branchId: string): HoldShelfRow[] {
  return r.store.db
    .prepare(
      `SELECT h.id AS holdId, r.title, i.barcode AS itemBarcode, p.first_name || ' ' || p.last_name AS patronName,
              h.shelf_expires_on AS shelfExpiresOn
       FROM holds h JOIN records r ON r.id = h.record_id JOIN patrons p ON p.id = h.patron_id
       LEFT JOIN items i ON i.id = h.item_id
       WHERE h.status = 'waiting' AND h.pickup_branch_id = ? ORDER BY h.shelf_expires_on`,
    )
    .all(branchId) as HoldShelfRow[];
}
