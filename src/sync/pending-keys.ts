// Which rows still have a local change waiting for the hub: a pulled row must not overwrite them.
// Kept up to date incrementally, per open store: each pulled batch parses only the journal
// entries written since the last batch, not every waiting entry again (with ten thousand entries
// waiting and a large pull, that was quadratic).
import type { RowChange } from '../domain/journal';
import type { ServiceContext } from '../services/context';
import { acknowledgedSeqsBetween, unacknowledgedEntriesAfter } from '../store/queries/journal';

export interface PendingKeys {
  /** `table:id` of a row with a waiting local change. */
  has(key: string): boolean;
}

class Tracker implements PendingKeys {
  private readonly bySeq = new Map<number, string[]>();
  private readonly counts = new Map<string, number>();
  private lastSeq = 0;

  constructor(private readonly ctx: ServiceContext) {}

  has(key: string): boolean {
    return this.counts.has(key);
  }

  private drop(seq: number): void {
    for (const key of this.bySeq.get(seq) ?? []) {
      const n = (this.counts.get(key) ?? 1) - 1;
      if (n <= 0) this.counts.delete(key);
      else this.counts.set(key, n);
    }
    this.bySeq.delete(seq);
  }

  refresh(): this {
    const ackedThrough = this.ctx.journal.ackedThrough();
    // Acknowledged since: the prefix up to ackedThrough, and any single entry acknowledged past it.
    for (const seq of this.bySeq.keys()) if (seq <= ackedThrough) this.drop(seq);
    if (this.bySeq.size > 0) {
      for (const seq of acknowledgedSeqsBetween(this.ctx, ackedThrough, this.lastSeq)) this.drop(seq);
    }
    const fresh = unacknowledgedEntriesAfter(this.ctx, Math.max(this.lastSeq, ackedThrough));
    for (const { seq, payload } of fresh) {
      const keys = [
        ...new Set((JSON.parse(payload) as { effects: RowChange[] }).effects.map((e) => `${e.table}:${e.row.id}`)),
      ];
      this.bySeq.set(seq, keys);
      for (const key of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.lastSeq = seq;
    }
    return this;
  }
}

const trackers = new WeakMap<ServiceContext, Tracker>();

/** The rows with a waiting local change, as of now. Call inside the transaction that applies pulled rows. */
export function pendingKeys(ctx: ServiceContext): PendingKeys {
  let t = trackers.get(ctx);
  if (!t) trackers.set(ctx, (t = new Tracker(ctx)));
  return t.refresh();
}
