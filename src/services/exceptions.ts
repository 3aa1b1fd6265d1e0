// Sync exceptions (lent twice, duplicate card, ...), for staff to work through like Evergreen's
// exception list: each names the patron and the item, with their card and barcode so the desk
// can open them, and is marked resolved by the member of staff who dealt with it.
import type { ServiceContext } from './context';

export interface SyncExceptionView {
  id: string;
  kind: string;
  message: string;
  patronId: string | null;
  patronName: string | null;
  cardBarcode: string | null;
  itemId: string | null;
  itemBarcode: string | null;
  title: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

export class ExceptionService {
  constructor(private readonly ctx: ServiceContext) {}

  list(includeResolved = false): SyncExceptionView[] {
    return this.ctx.store.db
      .prepare(
        `SELECT x.id, x.kind, x.message, x.patron_id AS patronId, p.first_name || ' ' || p.last_name AS patronName, p.card_barcode AS cardBarcode,
                x.item_id AS itemId, i.barcode AS itemBarcode, r.title, x.created_at AS createdAt, x.resolved_at AS resolvedAt
         FROM sync_exceptions x LEFT JOIN patrons p ON p.id = x.patron_id LEFT JOIN items i ON i.id = x.item_id LEFT JOIN records r ON r.id = i.record_id
         WHERE ? OR x.resolved_at IS NULL ORDER BY x.created_at DESC LIMIT 500`,
      )
      .all(includeResolved ? 1 : 0) as SyncExceptionView[];
  }

  /** Local bookkeeping (which exceptions this desk has dealt with), not circulation state: no journal entry. */
  resolve(id: string, staffId: string | null): boolean {
    const info = this.ctx.store.db.prepare('UPDATE sync_exceptions SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL').run(this.ctx.now(), staffId, id);
    return info.changes === 1;
  }
}
