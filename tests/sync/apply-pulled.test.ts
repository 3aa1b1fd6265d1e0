// Found by the sync property test: the hub's rows can reach a station in an order its store
// refuses for a moment (a copy's new loan before the return of its old loan, in one batch or on
// the next page). Such a row used to be dropped for good, with the cursor moved past it: the
// station never had that loan. Now it goes in at the end of its batch, or with a later batch.
import { afterEach, describe, expect, it } from 'vitest';
import type { RowChange } from '../../src/domain/journal';
import type { Loan } from '../../src/domain/types';
import { applyPulledBatch, DEFERRED_KEY } from '../../src/sync/apply-pulled';
import { addPatron, addTitle, createTestStation, type TestStation } from '../support/station';

let t: TestStation | null = null;
afterEach(() => t?.close());

function lentOut(): { t: TestStation; old: Loan; next: Loan } {
  t = createTestStation();
  const { barcodes } = addTitle(t, 'Pedro Páramo', 1, 1);
  const ana = addPatron(t, 1);
  const ben = addPatron(t, 2);
  const lent = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
  // Everything this desk did is at the hub already: nothing is waiting.
  const seqs = (t.s.store.db.prepare('SELECT seq FROM journal').all() as { seq: number }[]).map((r) => ({
    seq: r.seq,
    outcome: 'applied',
  }));
  t.s.ctx.journal.acknowledge(seqs, t.clock.now);
  const old = t.s.ctx.rows.get<Loan>('loans', lent.loanId)!;
  const next: Loan = { ...old, id: 'hub-loan-2', patronId: ben.id, checkedOutAt: old.checkedOutAt + 1000 };
  return { t, old, next };
}

const up = (table: RowChange['table'], row: object): RowChange => ({
  table,
  op: 'upsert',
  row: row as RowChange['row'],
});
const openExceptions = (t: TestStation) =>
  t.s.store.db.prepare(`SELECT id FROM sync_exceptions WHERE kind = 'pull_rejected' AND resolved_at IS NULL`).all();

describe('applying pulled rows in an order the store refuses for a moment', () => {
  it('takes a new loan that came before the return of the old one in the same batch', () => {
    const { t, old, next } = lentOut();
    const r = applyPulledBatch(
      t.s.ctx,
      [up('loans', next), up('loans', { ...old, returnedAt: next.checkedOutAt })],
      '10',
    );
    expect(r).toMatchObject({ applied: 2, failed: 0 });
    expect(t.s.ctx.rows.get<Loan>('loans', next.id)?.returnedAt).toBeNull();
    expect(openExceptions(t)).toEqual([]);
  });

  it('keeps a refused row aside until a later batch lets it in, then clears its exception', () => {
    const { t, old, next } = lentOut();
    const first = applyPulledBatch(t.s.ctx, [up('loans', next)], '10');
    expect(first.failed).toBe(1);
    expect(openExceptions(t)).toHaveLength(1);
    expect(t.s.ctx.readState('sync_cursor')).toBe('10');
    const second = applyPulledBatch(t.s.ctx, [up('loans', { ...old, returnedAt: next.checkedOutAt })], '11');
    expect(second).toMatchObject({ applied: 2, failed: 0 });
    expect(t.s.ctx.rows.get<Loan>('loans', next.id)).toMatchObject({ patronId: next.patronId, returnedAt: null });
    expect(openExceptions(t)).toEqual([]);
    expect(t.s.ctx.readState(DEFERRED_KEY)).toBe('[]');
  });

  it('drops a row kept aside once a newer version of it arrives', () => {
    const { t, old, next } = lentOut();
    applyPulledBatch(t.s.ctx, [up('loans', next)], '10');
    // The hub settled it the other way: the new loan came back closed.
    const r = applyPulledBatch(t.s.ctx, [up('loans', { ...next, returnedAt: next.checkedOutAt + 5 })], '11');
    expect(r).toMatchObject({ applied: 1, failed: 0 });
    expect(t.s.ctx.rows.get<Loan>('loans', next.id)?.returnedAt).toBe(next.checkedOutAt + 5);
    expect(t.s.ctx.rows.get<Loan>('loans', old.id)?.returnedAt).toBeNull();
    expect(openExceptions(t)).toEqual([]);
  });
});
