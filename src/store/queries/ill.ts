// Interlibrary loan's screens' reads (services/ill.ts). The request a copy belongs to, asked on
// every check-out and check-in, is in circulation.ts (prepared once per connection).
import type { IllRequest } from '../../domain/ill';
import { decodeAll, type Reader } from './reader';

/** The newest 1,000 requests, newest first. */
export function recentIllRequests(r: Reader): IllRequest[] {
  return decodeAll<IllRequest>(
    r,
    'ill_requests',
    r.store.db.prepare('SELECT * FROM ill_requests ORDER BY created_at DESC LIMIT 1000').all(),
  );
}

/** A patron's newest 100 borrowing requests, newest first. */
export function borrowingRequestsOfPatron(r: Reader, patronId: string): IllRequest[] {
  return decodeAll<IllRequest>(
    r,
    'ill_requests',
    r.store.db
      .prepare(
        "SELECT * FROM ill_requests WHERE patron_id = ? AND direction = 'borrowing' ORDER BY created_at DESC LIMIT 100",
      )
      .all(patronId),
  );
}

/** Lending requests still to fill, oldest first. */
export function lendingRequestsToPull(r: Reader): IllRequest[] {
  return decodeAll<IllRequest>(
    r,
    'ill_requests',
    r.store.db
      .prepare("SELECT * FROM ill_requests WHERE direction = 'lending' AND status = 'requested' ORDER BY created_at")
      .all(),
  );
}

/** A reader of the copies of a record that could fill a lending request at a branch (on the shelf, lendable), by barcode. */
export function lendableCopiesAt(
  r: Reader,
): (recordId: string, branchId: string) => { itemBarcode: string; callNumber: string | null }[] {
  const statement = r.store.db.prepare(
    "SELECT i.barcode AS itemBarcode, r.call_number AS callNumber FROM items i JOIN records r ON r.id = i.record_id WHERE i.record_id = ? AND i.status = 'available' AND i.not_for_loan = 0 AND i.current_branch_id = ? ORDER BY i.barcode",
  );
  return (recordId, branchId) =>
    statement.all(recordId, branchId) as { itemBarcode: string; callNumber: string | null }[];
}

/** Our request that a partner's ISO 18626 message answers, by its requesting-agency id. */
export function illRequestIdByRequestingId(r: Reader, requestingRequestId: string): string | undefined {
  return (
    r.store.db
      .prepare('SELECT id FROM ill_requests WHERE requesting_request_id = ? LIMIT 1')
      .get(requestingRequestId) as { id: string } | undefined
  )?.id;
}

/** The item barcodes already used in a range, both ends included. */
export function barcodesInRange(r: Reader, first: string, last: string): string[] {
  return (
    r.store.db.prepare('SELECT barcode FROM items WHERE barcode >= ? AND barcode <= ?').all(first, last) as {
      barcode: string;
    }[]
  ).map((row) => row.barcode);
}
