// Sync exceptions (lent twice, duplicate card, ...), for staff to work through like Evergreen's
// exception list: each names the patron and the item, with their card and barcode so the desk
// can open them, and is marked resolved by the member of staff who dealt with it.
import { COMMAND } from '../domain/commands';
import type { ExceptionWording } from '../domain/exception-kinds';
import {
  exceptionPatron,
  insertSyncExceptions,
  isSyncExceptionOpen,
  listSyncExceptions,
  resolveSyncException,
} from '../store/queries/sync-exceptions';
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
    return listSyncExceptions(this.ctx, includeResolved).map(({ patronIds, ...x }) => {
      const patrons = patronIds.map((id): SyncExceptionPatron => {
        const p = exceptionPatron(this.ctx, id);
        return { id, name: p?.name ?? null, cardBarcode: p?.cardBarcode ?? null };
      });
      const first = patrons[0];
      return {
        ...x,
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
    if (!isSyncExceptionOpen(this.ctx, id)) return false;
    if (!id.startsWith('hub-')) return resolveSyncException(this.ctx, id, this.ctx.now(), staffId);
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
        resolveSyncException(this.ctx, id, this.ctx.now(), staffId);
      },
    );
    return true;
  }
}

/**
 * An exception the station itself records (not one the hub made): a time that went backwards
 * here, an entry the hub did not apply as sent, a pulled row the store refused. Its kind and
 * params are of the vocabulary (src/domain/exception-kinds.ts); src/sync makes them with
 * `exceptionOf`, which words the message too (a message written by hand does not compile).
 */
export type LocalException = ExceptionWording & {
  id: string;
  patronIds: string[];
  itemId: string | null;
  entryIds: string[];
  createdAt: number;
};

/**
 * Records local exceptions for staff to work through, beside the hub's; an id already recorded
 * is left as it is. Runs inside the caller's transaction when there is one (SQLite nests none).
 */
export function recordLocalExceptions(ctx: ServiceContext, exceptions: LocalException[]): void {
  insertSyncExceptions(ctx, exceptions);
}
