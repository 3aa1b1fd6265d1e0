// Spine and barcode labels' reads (services/labels): copies with title and call number, chosen
// by barcode, by when they were added, by a barcode range or by a record.
import type { Reader } from './reader';

export interface LabelCopyRow {
  barcode: string;
  title: string;
  callNumber: string | null;
}

const SELECT =
  'SELECT i.barcode, r.title, r.call_number AS callNumber FROM items i JOIN records r ON r.id = i.record_id';

/** A reader of one copy by its barcode (prepared once, for a list of barcodes). */
export function labelCopyByBarcode(r: Reader): (barcode: string) => LabelCopyRow | undefined {
  const statement = r.store.db.prepare(`${SELECT} WHERE i.barcode = ?`);
  return (barcode) => statement.get(barcode) as LabelCopyRow | undefined;
}

/** Copies whose id (a UUIDv7) is at least `idFloor`, oldest first, at most `limit`. */
export function labelCopiesFromId(r: Reader, idFloor: string, limit: number): LabelCopyRow[] {
  return r.store.db.prepare(`${SELECT} WHERE i.id >= ? ORDER BY i.id LIMIT ?`).all(idFloor, limit) as LabelCopyRow[];
}

/** Copies with barcodes from `from` to `to` (both ends, barcodes of their length), by barcode, at most `limit`. */
export function labelCopiesInRange(r: Reader, from: string, to: string, limit: number): LabelCopyRow[] {
  return r.store.db
    .prepare(`${SELECT} WHERE i.barcode BETWEEN ? AND ? AND length(i.barcode) = ? ORDER BY i.barcode LIMIT ?`)
    .all(from, to, from.length, limit) as LabelCopyRow[];
}

/** A reader of a record's copies by barcode (prepared once, for a list of records). */
export function labelCopiesOfRecord(r: Reader): (recordId: string) => LabelCopyRow[] {
  const statement = r.store.db.prepare(`${SELECT} WHERE i.record_id = ? ORDER BY i.barcode`);
  return (recordId) => statement.all(recordId) as LabelCopyRow[];
}
