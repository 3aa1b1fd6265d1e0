// Found by the sync property test on PostgreSQL: two stations' batches applied at the same time
// each decided without seeing the other's uncommitted work. A desk lent a copy while another,
// which had not heard of it, checked it in: the check-in read "no open loan", then wrote "in
// transit" over the loan's "on loan". Now batches take turns on the copies they share.
import { afterAll, describe, expect, it } from 'vitest';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { dropSchemas, item, Journals, loan, patron, PG_URL, freshSchema } from './fixtures';
import { openHubDb } from '../../src/hub/db';

afterAll(dropSchemas);

describe('two stations pushing at once on PostgreSQL', () => {
  it('never leaves a copy with an open loan anything but on loan', async () => {
    const db = await openHubDb({ databaseUrl: PG_URL, schema: freshSchema() });
    try {
      await migrateHub(db);
      const hub = new Hub(db);
      const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
      const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
      const a = await hub.enrol(await hub.createEnrolmentCode('N'), 'north');
      const b = await hub.enrol(await hub.createEnrolmentCode('S'), 'south');
      const A = { stationId: a.stationId, branchId: north };
      const B = { stationId: b.stationId, branchId: south };
      const j = new Journals();
      await j.desk(db, north);
      const t0 = Date.UTC(2026, 10, 20, 15);
      const copies = Array.from({ length: 40 }, (_, i) => `i${i}`);
      await hub.push(
        A,
        [
          j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
          ...copies.map((c) => j.entry(A, 'catalogue.addItem', [item(c, 'available', north)], t0)),
        ],
        Date.now(),
      );
      const inTransit = (c: string) => ({
        ...item(c, 'in_transit', north),
        row: { ...item(c, 'in_transit', north).row, currentBranchId: south, transitToBranchId: north },
      });
      for (const c of copies) {
        // North lends the copy while South, which never heard of that loan, checks it in.
        await Promise.all([
          hub.push(
            A,
            [
              j.entry(
                A,
                'circulation.checkout',
                [loan(`L-${c}`, c, 'ana', north, t0 + 1000), item(c, 'on_loan', north)],
                t0 + 1000,
              ),
            ],
            Date.now(),
          ),
          hub.push(B, [j.entry(B, 'circulation.checkin', [inTransit(c)], t0 + 2000)], Date.now()),
        ]);
      }
      const items = await db.query<{ id: string; status: string }>(
        `SELECT id, data->>'status' AS status FROM rows WHERE table_name = 'items' ORDER BY id`,
      );
      expect(items.filter((i) => i.status !== 'on_loan')).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
