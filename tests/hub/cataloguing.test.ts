// Cataloguing corrected at a desk reaches the hub: a copy edited, a copy and a record catalogued
// by mistake deleted, each signed by an account allowed to catalogue. A technician's deletion
// (the desk's permission check skipped) is rejected and deletes nothing at the hub.
import { afterAll, describe, expect, it } from 'vitest';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { databases, dropSchemas, item, Journals, up } from './fixtures';

afterAll(dropSchemas);

describe.each(databases())('corrected cataloguing at the hub, on %s', (_name, open) => {
  it("applies edits and deletions by a cataloguer, and rejects a technician's", async () => {
    const db = await open();
    try {
      await migrateHub(db);
      const hub = new Hub(db);
      const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
      const a = await hub.enrol(await hub.createEnrolmentCode('N'), 'north');
      const A = { stationId: a.stationId, branchId: north };
      const j = new Journals();
      await j.desk(db, north, 'tech', 'technician');
      await j.desk(db, north, 'cataloguer', 'supervisor');
      const t0 = Date.UTC(2026, 10, 20, 15);
      const record = up('records', {
        id: 'r1',
        title: 'Pedro Páramo',
        author: null,
        isbn: '9780060883287',
        issn: null,
        publisher: null,
        year: 1955,
        callNumber: null,
      });
      const del = (table: 'items' | 'records', id: string) => ({ table, op: 'delete' as const, row: { id } });
      const rows = async (table: string, id: string) =>
        (
          await db.query<{ deleted: number }>('SELECT deleted FROM rows WHERE table_name = $1 AND id = $2', [table, id])
        ).map((r) => Number(r.deleted));

      const pushed = await hub.push(
        A,
        [
          j.entry(A, 'catalogue.addRecord', [record], t0),
          j.entry(A, 'catalogue.addItem', [item('i1', 'available', north)], t0 + 1),
          j.entry(A, 'catalogue.addItem', [item('i2', 'available', north)], t0 + 2),
          j.entry(
            A,
            'catalogue.updateItem',
            [
              {
                ...item('i1', 'available', north),
                row: { ...item('i1', 'available', north).row, replacementPrice: 2500 },
              },
            ],
            t0 + 3,
          ),
          j.entry(A, 'catalogue.deleteItem', [del('items', 'i2')], t0 + 4),
        ],
        Date.now(),
      );
      expect(pushed.outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
      expect(await rows('items', 'i2')).toEqual([1]);

      const tampered = await hub.push(
        A,
        [
          j.entry(A, 'catalogue.deleteItem', [del('items', 'i1')], t0 + 5, undefined, 'tech'),
          j.entry(A, 'catalogue.deleteRecord', [del('records', 'r1')], t0 + 6, undefined, 'tech'),
        ],
        Date.now(),
      );
      expect(tampered.outcomes.map((o) => [o.outcome, o.reason])).toEqual([
        ['rejected', 'staff account tech lacks the manage_catalogue permission for catalogue.deleteItem'],
        ['rejected', 'staff account tech lacks the manage_catalogue permission for catalogue.deleteRecord'],
      ]);
      expect(await rows('items', 'i1')).toEqual([0]);
      expect(await rows('records', 'r1')).toEqual([0]);

      const deleted = await hub.push(
        A,
        [
          j.entry(A, 'catalogue.deleteItem', [del('items', 'i1')], t0 + 7),
          j.entry(A, 'catalogue.deleteRecord', [del('records', 'r1')], t0 + 8),
        ],
        Date.now(),
      );
      expect(deleted.outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied']);
      expect(await rows('records', 'r1')).toEqual([1]);
    } finally {
      await db.close();
    }
  });
});
