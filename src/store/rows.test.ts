import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open';
import { Rows } from './rows';

const branch = { id: 'b1', code: 'MAIN', name: 'Main', timeZone: 'UTC' };
const record = {
  id: 'r1',
  title: 'Moby-Dick',
  author: null,
  isbn: null,
  issn: null,
  publisher: null,
  year: null,
  callNumber: null,
  edition: null,
  subjects: null,
  controlNumber: null,
  marc: null,
};
const item = {
  id: 'i1',
  barcode: '30000000000017',
  recordId: 'r1',
  homeBranchId: 'b1',
  currentBranchId: 'b1',
  itemTypeCode: 'BOOK',
  status: 'available',
  damaged: false,
  notForLoan: false,
  replacementPrice: 2500,
  transitToBranchId: null,
  location: null,
  lastSeenAt: null,
};

describe('writing whole rows', () => {
  let store: Store;
  afterEach(() => store.close());

  function setUp(): { rows: Rows; columnsWritten: () => string[] } {
    store = openStore(join(mkdtempSync(join(tmpdir(), 'circa-rows-')), 'station.db'));
    const rows = new Rows(store.db);
    rows.upsert('branches', branch);
    rows.upsert('records', record);
    // What each UPDATE of items named: SQLite fires an "UPDATE OF column" trigger for every
    // column in the statement's SET list, changed or not (as it rewrites indexes on them).
    store.db.exec('CREATE TEMP TABLE named (col TEXT)');
    for (const col of ['barcode', 'record_id', 'status', 'current_branch_id']) {
      store.db.exec(
        `CREATE TEMP TRIGGER named_${col} AFTER UPDATE OF ${col} ON items BEGIN INSERT INTO named VALUES ('${col}'); END`,
      );
    }
    const columnsWritten = () => {
      const named = store.db.prepare('SELECT col FROM named ORDER BY col').pluck().all() as string[];
      store.db.exec('DELETE FROM named');
      return named;
    };
    return { rows, columnsWritten };
  }

  it('inserts a row that is not there, and reads it back as it was written', () => {
    const { rows } = setUp();
    rows.upsert('items', item);
    expect(rows.get('items', 'i1')).toEqual(item);
  });

  it('updates only the columns whose values changed, so unchanged indexed columns are left alone', () => {
    const { rows, columnsWritten } = setUp();
    rows.upsert('items', item);
    rows.upsert('items', { ...item, status: 'on_loan' });
    expect(columnsWritten()).toEqual(['status']);
    expect(rows.get('items', 'i1')).toEqual({ ...item, status: 'on_loan' });
    rows.upsert('items', { ...item, status: 'in_transit', currentBranchId: 'b1', barcode: '30000000000025' });
    expect(columnsWritten()).toEqual(['barcode', 'status']);
  });

  it('writes nothing when nothing changed', () => {
    const { rows, columnsWritten } = setUp();
    rows.upsert('items', item);
    const before = store.db.prepare('SELECT total_changes()').pluck().get();
    rows.upsert('items', { ...item });
    expect(store.db.prepare('SELECT total_changes()').pluck().get()).toBe(before);
    expect(columnsWritten()).toEqual([]);
  });

  it('still enforces the constraints of the columns it writes', () => {
    const { rows } = setUp();
    rows.upsert('items', item);
    rows.upsert('items', { ...item, id: 'i2', barcode: '30000000000033' });
    expect(() => rows.upsert('items', { ...item, id: 'i2' })).toThrow(/UNIQUE constraint failed: items.barcode/);
    expect(() => rows.upsert('items', { ...item, recordId: 'no such record' })).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    expect(rows.get('items', 'i1')).toEqual(item);
  });

  it('refuses a row that lacks a column, before writing anything', () => {
    const { rows } = setUp();
    const { transitToBranchId: _, ...partial } = item;
    expect(() => rows.upsert('items', partial as unknown as typeof item)).toThrow(/lacks transitToBranchId/);
    expect(() => rows.insert('items', partial as unknown as typeof item)).toThrow(/lacks transitToBranchId/);
    expect(rows.get('items', 'i1')).toBeUndefined();
  });
});
