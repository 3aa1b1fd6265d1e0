// The reading-history purge's reads (services/privacy.ts).
import type { Loan } from '../../domain/types';
import { decodeAll, type Reader } from './reader';

/** Up to `limit` loans returned before `cutoff` by patrons who keep no reading history, still linked to them. */
export function returnedLoansToUnlink(r: Reader, cutoff: number, limit: number): Loan[] {
  return decodeAll<Loan>(
    r,
    'loans',
    r.store.db
      .prepare(
        `SELECT l.* FROM loans l JOIN patrons p ON p.id = l.patron_id
         WHERE l.returned_at IS NOT NULL AND l.returned_at < ? AND p.keep_reading_history = 0
         LIMIT ?`,
      )
      .all(cutoff, limit),
  );
}
