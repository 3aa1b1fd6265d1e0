// The station's sync exceptions through their one owner (src/store/queries/sync-exceptions.ts),
// as the desk, the worker and the pull use them, on a real SQLite station.
import { afterEach, describe, expect, it } from 'vitest';
import { exceptionOf } from '../../src/domain/exception-kinds';
import { recordLocalExceptions } from '../../src/services/exceptions';
import {
  countOpenSyncExceptions,
  openSyncExceptionIds,
  recordRefusedRow,
  upsertSyncExceptionNotices,
} from '../../src/store/queries/sync-exceptions';
import { refusedRow } from '../../src/sync/apply-pulled';
import { addPatron, addTitle, createTestStation, type TestStation } from '../support/station';

let t: TestStation | null = null;
afterEach(() => t?.close());

describe('the sync exceptions store', () => {
  it('records, lists with patrons and copy, counts and resolves, keeping the params', () => {
    t = createTestStation();
    const { barcodes } = addTitle(t, 'Rayuela', 1, 1);
    const item = t.s.catalogue.itemByBarcode(barcodes[0]!);
    const ana = addPatron(t, 1, { firstName: 'Ana', lastName: 'Ruiz' });
    const x = {
      id: 'clock:1',
      ...exceptionOf('time_went_back', { field: 'returnedAt', byMs: 590_000, checkedOutAt: 1000 }),
      patronIds: [ana.id, 'not-here'],
      itemId: item.id,
      entryIds: [],
      createdAt: 5,
    };
    recordLocalExceptions(t.s.ctx, [x]);
    // An id recorded already is left as it is.
    recordLocalExceptions(t.s.ctx, [{ ...x, ...exceptionOf('clock_set_back', { byMs: 1 }) }]);
    expect(countOpenSyncExceptions(t.s.ctx)).toBe(1);
    expect(t.s.status().exceptionsOpen).toBe(1);
    expect(t.s.exceptions.list()).toEqual([
      {
        id: 'clock:1',
        kind: 'time_went_back',
        message: x.message,
        params: { field: 'returnedAt', byMs: 590_000, checkedOutAt: 1000 },
        patronId: ana.id,
        patronName: 'Ana Ruiz',
        cardBarcode: ana.cardBarcode,
        patrons: [
          { id: ana.id, name: 'Ana Ruiz', cardBarcode: ana.cardBarcode },
          { id: 'not-here', name: null, cardBarcode: null },
        ],
        itemId: item.id,
        itemBarcode: barcodes[0],
        title: 'Rayuela',
        createdAt: 5,
        resolvedAt: null,
      },
    ]);
    expect(t.s.exceptions.resolve('clock:1', null)).toBe(true);
    expect(t.s.exceptions.resolve('clock:1', null)).toBe(false);
    expect(countOpenSyncExceptions(t.s.ctx)).toBe(0);
    expect(t.s.exceptions.list()).toEqual([]);
    expect(t.s.exceptions.list(true)).toHaveLength(1);
  });

  it("keeps a resolution made here when the hub's feed says otherwise, and fills in what a notice lacked", () => {
    t = createTestStation();
    const notice = {
      id: 'hub-7',
      ...exceptionOf('hold_to_pull', {}),
      patronIds: [],
      itemId: null,
      entryIds: ['e1'],
      createdAt: 1,
      resolvedAt: null,
      resolvedBy: null,
    };
    upsertSyncExceptionNotices(t.s.ctx, [notice]);
    upsertSyncExceptionNotices(t.s.ctx, [{ ...notice, patronIds: ['p1'], resolvedAt: 9, resolvedBy: 'alice' }]);
    const [row] = t.s.exceptions.list(true);
    expect(row).toMatchObject({ id: 'hub-7', patronId: 'p1', resolvedAt: 9 });
    // Resolved again by the hub later: the first resolution stands.
    upsertSyncExceptionNotices(t.s.ctx, [{ ...notice, resolvedAt: 20, resolvedBy: 'bob' }]);
    expect(t.s.exceptions.list(true)[0]).toMatchObject({ resolvedAt: 9, patronId: 'p1' });
  });

  it('records a refused pulled row under its own id, reopens it when refused again, and finds it by prefix', () => {
    t = createTestStation();
    const change = { table: 'loans' as const, op: 'upsert' as const, row: { id: 'l_1%' } as never };
    recordRefusedRow(t.s.ctx, refusedRow(change, 'FOREIGN KEY constraint failed', 1), true);
    expect(openSyncExceptionIds(t.s.ctx, 'pull_rejected', 'pull:')).toEqual(['pull:loans:l_1%']);
    // LIKE's wildcards in a prefix are taken as they are written.
    expect(openSyncExceptionIds(t.s.ctx, 'pull_rejected', 'pull:loans:l_1%')).toEqual(['pull:loans:l_1%']);
    expect(openSyncExceptionIds(t.s.ctx, 'pull_rejected', 'pull:loans:lx')).toEqual([]);
    expect(openSyncExceptionIds(t.s.ctx, 'pull_rejected', 'pull:loans:l__')).toEqual([]);
    expect(t.s.exceptions.list()[0]).toMatchObject({
      kind: 'pull_rejected',
      message: 'loans l_1%: FOREIGN KEY constraint failed',
      params: { table: 'loans', rowId: 'l_1%', error: 'FOREIGN KEY constraint failed' },
    });
    t.s.exceptions.resolve('pull:loans:l_1%', null);
    // The first load's refresh leaves its state; the pull's reopens it, with the newest error.
    recordRefusedRow(t.s.ctx, refusedRow(change, 'again', 2), false);
    expect(countOpenSyncExceptions(t.s.ctx)).toBe(0);
    recordRefusedRow(t.s.ctx, refusedRow(change, 'once more', 3), true);
    expect(countOpenSyncExceptions(t.s.ctx)).toBe(1);
    expect(t.s.exceptions.list()[0]).toMatchObject({ message: 'loans l_1%: once more' });
  });
});
