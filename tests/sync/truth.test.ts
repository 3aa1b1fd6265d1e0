// Sync that tells the truth, on real station files and a real hub over HTTP: two desks on one
// clock lending one copy 7 ms apart are "too close to tell" (decided by the stated rule, every
// time), and a clock set back at a desk never stores a return before its check-out.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import type { Actor } from '../../src/services/command';
import { openStation, type StationServices } from '../../src/station/services';
import { joinHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';
import { databases, dropSchemas } from '../hub/fixtures';
import { itemBarcode, patronCard } from '../support/station';

afterAll(dropSchemas);

describe.each(databases())('sync tells the truth, hub on %s', (_name, open) => {
  it('calls two check-outs 7 ms apart on one clock too close to tell, 3 of 3, and the lower station id keeps the copy; a clock set back is clamped and flagged', async () => {
    const db = await open();
    await migrateHub(db);
    const hub = new Hub(db);
    await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
    await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
    await hub.init({
      libraryName: 'County Library',
      admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
    });
    const server: FastifyInstance = await createHubServer({ hub });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    const dirs: string[] = [];
    const desks: { s: StationServices; worker: SyncWorker }[] = [];
    // One clock for both desks (the machine's), pinned for the instant of a check-out so that two
    // check-outs are exactly 7 ms apart on it however long each command takes; shifted when the
    // test sets South's clock back.
    const shift = { ms: 0, pinned: null as number | null };
    const desk = async (code: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'circa-truth-'));
      dirs.push(dir);
      // The real clock, shifted when the test sets this desk's clock back.
      const s = openStation(join(dir, 'station.db'), {
        now: () => (shift.pinned ?? Date.now()) + (code === 'S' ? shift.ms : 0),
      });
      await joinHub(s, { hubUrl: url, code: await hub.createEnrolmentCode(code), stationName: `${code} desk` });
      await s.auth.signIn('alice', 'alice password');
      const d = { s, worker: new SyncWorker(s.ctx, new HttpHubClient(url, s.ctx.readState('hub_credential')!)) };
      desks.push(d);
      return d;
    };
    const sync = async (d: { worker: SyncWorker }) => {
      const state = await d.worker.syncNow();
      if (state.lastError) throw new Error(state.lastError);
      return state;
    };
    try {
      const north = await desk('N');
      const south = await desk('S');
      const staffId = (
        north.s.store.db.prepare("SELECT id FROM staff WHERE username = 'alice'").get() as { id: string }
      ).id;
      const actor: Actor = { kind: 'staff', staffId };
      const record = north.s.catalogue.addRecord(
        { title: 'Rayuela', author: null, isbn: null, issn: null, publisher: null, year: 1963, callNumber: null },
        actor,
      );
      for (const n of [1, 2, 3, 4])
        north.s.catalogue.addItem(
          { barcode: itemBarcode(n), recordId: record.id, itemTypeCode: 'BOOK', replacementPrice: 2000 },
          actor,
        );
      for (const n of [1, 2])
        north.s.patrons.register(
          { cardBarcode: patronCard(n), firstName: `Pat${n}`, lastName: 'Reader', categoryCode: 'ADULT' },
          actor,
        );
      await sync(north);
      await sync(south);
      const stationOf = (d: typeof north) => d.s.ctx.readState('station_id')!;
      const keeper = [stationOf(north), stationOf(south)].sort()[0];

      for (const run of [1, 2, 3]) {
        // Apart: neither desk has pushed. The first to lend alternates; 7 ms between them.
        const [first, second] = run % 2 ? [north, south] : [south, north];
        const t = Date.now();
        shift.pinned = t;
        first.s.circulation.checkout(
          { patronBarcode: patronCard(first === north ? 1 : 2), itemBarcode: itemBarcode(run) },
          actor,
        );
        shift.pinned = t + 7;
        second.s.circulation.checkout(
          { patronBarcode: patronCard(second === north ? 1 : 2), itemBarcode: itemBarcode(run) },
          actor,
        );
        shift.pinned = null;
        while (Date.now() < t + 7) await new Promise((r) => setTimeout(r, 1));
        await sync(first);
        await sync(second);
        await sync(first);
        const item = (
          north.s.store.db.prepare('SELECT id FROM items WHERE barcode = ?').get(itemBarcode(run)) as { id: string }
        ).id;
        const x = (await hub.listExceptions(true)).filter((e) => e.kind === 'lent_twice' && e.itemId === item);
        expect(x, `run ${run}`).toHaveLength(1);
        expect(x[0]!.params, `run ${run}`).toMatchObject({
          decidedBy: 'too_close',
          rule: 'lower_station_id',
          keptByStationId: keeper,
        });
        expect(x[0]!.message).toContain('too close to tell');
        // The copy is with the borrower of the keeper's check-out, at the hub and at both desks.
        const open = await db.query<{ data: { patronId: string; stationId?: string; branchId: string } }>(
          `SELECT data FROM rows WHERE table_name = 'loans' AND deleted = 0 AND data->>'itemId' = $1 AND (data->>'returnedAt') IS NULL`,
          [item],
        );
        expect(open).toHaveLength(1);
        const keeperDesk = stationOf(north) === keeper ? north : south;
        expect(open[0]!.data.branchId).toBe(keeperDesk.s.ctx.identity().branchId);
        // The desk words it in its own language from the params it stored.
        const atDesk = keeperDesk.s.exceptions.list().find((e) => e.itemId === item && e.kind === 'lent_twice');
        expect(atDesk?.params).toMatchObject({ decidedBy: 'too_close' });
      }

      // South lends copy 4, then its fast clock is corrected 590 s back, then the copy comes back.
      south.s.circulation.checkout({ patronBarcode: patronCard(2), itemBarcode: itemBarcode(4) }, actor);
      shift.ms = -590_000;
      const back = south.s.circulation.checkin({ itemBarcode: itemBarcode(4) }, actor);
      expect(back.notices).toContainEqual({ code: 'CLOCK_WENT_BACK', params: { seconds: 590 } });
      const loan = south.s.store.db
        .prepare(
          'SELECT checked_out_at AS o, returned_at AS r FROM loans l JOIN items i ON i.id = l.item_id WHERE i.barcode = ?',
        )
        .get(itemBarcode(4)) as { o: number; r: number };
      expect(loan.r).toBe(loan.o);
      expect(south.s.exceptions.list().some((e) => e.kind === 'time_went_back')).toBe(true);
      expect(south.s.status().exceptionsOpen).toBeGreaterThan(0);
      await sync(south);
      const atHub = await db.query<{ data: { checkedOutAt: number; returnedAt: number } }>(
        `SELECT r.data FROM rows r WHERE table_name = 'loans' AND data->>'itemId' = (SELECT id FROM rows WHERE table_name = 'items' AND data->>'barcode' = $1)`,
        [itemBarcode(4)],
      );
      expect(atHub[0]!.data.returnedAt).toBeGreaterThanOrEqual(atHub[0]!.data.checkedOutAt);
    } finally {
      for (const d of desks) await d.worker.stop();
      await server.close();
      await db.close();
      for (const d of desks) d.s.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
