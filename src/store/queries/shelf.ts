// Shelf reading's reads (services/shelf.ts), prepared once with the service: a shelf is read one
// scan after another, hundreds in a row.
import type { ItemStatus } from '../../domain/types';
import type { Reader } from './reader';

export interface ShelfCopy {
  itemId: string;
  itemBarcode: string;
  title: string;
  callNumber: string | null;
  location: string | null;
  status: ItemStatus;
  lastSeenAt: number | null;
}

export class ShelfQueries {
  private readonly s;

  constructor(r: Reader) {
    const db = r.store.db;
    this.s = {
      callNumberOf: db
        .prepare('SELECT r.call_number FROM items i JOIN records r ON r.id = i.record_id WHERE i.barcode = ?')
        .pluck(),
      recordCallNumber: db.prepare('SELECT call_number FROM records WHERE id = ?').pluck(),
      copiesOfBranch: db.prepare(
        `SELECT i.id AS itemId, i.barcode AS itemBarcode, r.title, r.call_number AS callNumber, i.location, i.status, i.last_seen_at AS lastSeenAt
         FROM items i JOIN records r ON r.id = i.record_id WHERE i.home_branch_id = ?`,
      ),
    };
  }

  /** The call number of the copy with this barcode (its record's); null or undefined when none. */
  callNumberOfBarcode(barcode: string): string | null | undefined {
    return this.s.callNumberOf.get(barcode) as string | null | undefined;
  }

  recordCallNumber(recordId: string): string | null | undefined {
    return this.s.recordCallNumber.get(recordId) as string | null | undefined;
  }

  /** Every copy whose home is the branch, unordered. */
  copiesOfBranch(branchId: string): ShelfCopy[] {
    return this.s.copiesOfBranch.all(branchId) as ShelfCopy[];
  }
}
