// Sync exceptions (lent twice, duplicate card, ...), for staff to work through like Evergreen's
// exception list: each names the patron and the item, with their card and barcode so the desk
// can open them, and is marked resolved by the member of staff who dealt with it.
import { COMMAND } from '../domain/commands';
import { runCommand, SYSTEM, type Actor } from './command';
import type { ServiceContext } from './context';

/** A patron an exception concerns; name and card are null for a patron this station does not hold. */
export interface SyncExceptionPatron {
  id: string;
  name: string | null;
  cardBarcode: string | null;
}

export interface SyncExceptionView {
  id: string;
  kind: string;
  message: string;
  /** The facts the desk words it with in its own language (a copy lent twice "too close to tell": how far apart, the rule); null for kinds worded by the message alone. */
  params?: Record<string, string | number | boolean | null>;
  /** The first patron concerned (patrons[0]). */
  patronId: string | null;
  patronName: string | null;
  cardBarcode: string | null;
  /** Every patron concerned, in the hub's order: both borrowers of a copy lent twice, every holder of a duplicated card. */
  patrons: SyncExceptionPatron[];
  itemId: string | null;
  itemBarcode: string | null;
  title: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

export class ExceptionService {
  constructor(private readonly ctx: ServiceContext) {}

  list(includeResolved = false): SyncExceptionView[] {
    const db = this.ctx.store.db;
    const rows = db
      .prepare(
        `SELECT x.id, x.kind, x.message, x.params, x.patron_id AS patronId, x.patron_ids AS patronIds,
                x.item_id AS itemId, i.barcode AS itemBarcode, r.title, x.created_at AS createdAt, x.resolved_at AS resolvedAt
         FROM sync_exceptions x LEFT JOIN items i ON i.id = x.item_id LEFT JOIN records r ON r.id = i.record_id
         WHERE ? OR x.resolved_at IS NULL ORDER BY x.created_at DESC LIMIT 500`,
      )
      .all(includeResolved ? 1 : 0) as (Omit<SyncExceptionView, 'patronName' | 'cardBarcode' | 'patrons' | 'params'> & {
      patronIds: string;
      params: string | null;
    })[];
    const patron = db.prepare(
      `SELECT first_name || ' ' || last_name AS name, card_barcode AS cardBarcode FROM patrons WHERE id = ?`,
    );
    return rows.map(({ patronIds, params, ...x }) => {
      const ids = JSON.parse(patronIds) as string[];
      // An exception recorded before patron_ids existed has only patron_id.
      if (ids.length === 0 && x.patronId) ids.push(x.patronId);
      const patrons = ids.map((id): SyncExceptionPatron => {
        const p = patron.get(id) as { name: string; cardBarcode: string } | undefined;
        return { id, name: p?.name ?? null, cardBarcode: p?.cardBarcode ?? null };
      });
      const first = patrons[0];
      return {
        ...x,
        ...(params ? { params: JSON.parse(params) as NonNullable<SyncExceptionView['params']> } : {}),
        patronId: first?.id ?? null,
        patronName: first?.name ?? null,
        cardBarcode: first?.cardBarcode ?? null,
        patrons,
      };
    });
  }

  /**
   * Marks an exception resolved. The station's own ones (a pulled row its store refused) are
   * local bookkeeping. One the hub made ("hub-..." ids) is resolved for every branch it concerns:
   * the resolution travels as a journal entry, written in the same transaction as the local
   * mark. The journal rather than a call to the hub from here or from the worker, because the
   * journal already is what an offline desk needs for this: durable on disk the moment staff
   * click, pushed by itself when the hub is back, applied exactly once there (the hub's record
   * of received entries, written with the resolution, makes a retry after a lost answer
   * harmless), and in order with the desk's other work. A separate call would need a queue, a
   * retry and an idempotency key of its own.
   */
  resolve(id: string, staffId: string | null, note: string | null = null): boolean {
    const mark = this.ctx.store.db.prepare(
      'UPDATE sync_exceptions SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL',
    );
    const open = this.ctx.store.db
      .prepare('SELECT 1 FROM sync_exceptions WHERE id = ? AND resolved_at IS NULL')
      .get(id);
    if (!open) return false;
    if (!id.startsWith('hub-')) return mark.run(this.ctx.now(), staffId, id).changes === 1;
    const actor: Actor = staffId ? { kind: 'staff', staffId } : SYSTEM;
    const cleanNote = note?.trim() || null;
    runCommand(
      this.ctx,
      {
        command: COMMAND.sync.resolveException,
        input: { id, note: cleanNote },
        actor,
        summary: 'resolve sync exception',
      },
      () => {
        mark.run(this.ctx.now(), staffId, id);
      },
    );
    return true;
  }
}

/** An exception the station itself records (not one the hub made): a time that went backwards here, an entry the hub did not apply as sent. */
export interface LocalException {
  id: string;
  kind: string;
  message: string;
  params?: Record<string, string | number | boolean | null>;
  patronIds: string[];
  itemId: string | null;
  entryIds: string[];
  createdAt: number;
}

/**
 * Records local exceptions for staff to work through, beside the hub's; an id already recorded
 * is left as it is. Runs inside the caller's transaction when there is one (SQLite nests none).
 */
export function recordLocalExceptions(ctx: ServiceContext, exceptions: LocalException[]): void {
  const insert = ctx.store.db.prepare(
    `INSERT INTO sync_exceptions (id, kind, message, params, patron_id, patron_ids, item_id, entry_ids, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  );
  for (const x of exceptions) {
    insert.run(
      x.id,
      x.kind,
      x.message,
      x.params ? JSON.stringify(x.params) : null,
      x.patronIds[0] ?? null,
      JSON.stringify(x.patronIds),
      x.itemId,
      JSON.stringify(x.entryIds),
      x.createdAt,
    );
  }
}
