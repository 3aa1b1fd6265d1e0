// An exception resolved at one desk is resolved for every branch it concerns: two real stations
// (SQLite files) and a real hub over HTTP; the south desk works through a TCP proxy that goes
// down. South and North lend the same copy while apart; staff at South, offline, mark the
// "lent twice" exception resolved through the station API; once South is back the hub has the
// resolution (once), and North sees it resolved on its next sync.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateHub, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import type { Actor } from '../../src/services/command';
import { createStationCore } from '../../src/station/core';
import { openStation, type StationServices } from '../../src/station/services';
import { joinHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';
import { databases, dropSchemas } from '../hub/fixtures';
import { itemBarcode, patronCard } from '../support/station';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

afterAll(dropSchemas);

interface Desk {
  s: StationServices;
  dir: string;
  worker: SyncWorker;
  proxy: TcpProxy;
}

describe.each(databases())('a sync exception resolved at one desk, hub on %s', (_name, open) => {
  it('reaches the hub once, even from offline, and every branch concerned sees it resolved', async () => {
    const db: HubDb = await open();
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
    const desks: Desk[] = [];
    const clock = { now: Date.UTC(2026, 10, 16, 15) };
    const desk = async (code: string): Promise<Desk> => {
      const proxy = await startTcpProxy({ port: (server.server.address() as { port: number }).port });
      const dir = mkdtempSync(join(tmpdir(), 'circa-exc-'));
      const s = openStation(join(dir, 'station.db'), { now: () => clock.now });
      await joinHub(s, { hubUrl: proxy.url(), code: await hub.createEnrolmentCode(code), stationName: `${code} desk` });
      // Alice signs in at each desk: her entries are signed with her key, opened by her password.
      await s.auth.signIn('alice', 'alice password');
      const d = {
        s,
        dir,
        proxy,
        worker: new SyncWorker(s.ctx, new HttpHubClient(proxy.url(), s.ctx.readState('hub_credential')!)),
      };
      desks.push(d);
      return d;
    };
    const sync = async (d: Desk) => {
      const state = await d.worker.syncNow();
      if (state.lastError) throw new Error(state.lastError);
    };
    try {
      const north = await desk('N');
      const south = await desk('S');
      const staff = (d: Desk) =>
        (d.s.store.db.prepare("SELECT id FROM staff WHERE username = 'alice'").get() as { id: string }).id;
      const actor: Actor = { kind: 'staff', staffId: staff(north) };
      const record = north.s.catalogue.addRecord(
        { title: 'Rayuela', author: null, isbn: null, issn: null, publisher: null, year: 1963, callNumber: null },
        actor,
      );
      north.s.catalogue.addItem(
        { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK', replacementPrice: 2000 },
        actor,
      );
      for (const n of [1, 2])
        north.s.patrons.register(
          { cardBarcode: patronCard(n), firstName: `Pat${n}`, lastName: 'Reader', categoryCode: 'ADULT' },
          actor,
        );
      await sync(north);
      await sync(south);

      // Both desks lend the same copy while apart; South's push makes the exception.
      north.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) }, actor);
      await sync(north);
      clock.now += 60_000;
      south.s.circulation.checkout({ patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) }, actor);
      await sync(south);
      const [atSouth] = south.s.exceptions.list();
      expect(atSouth).toMatchObject({ kind: 'lent_twice', title: 'Rayuela', resolvedAt: null });
      // North hears of it on its next sync, from the hub's exceptions feed.
      await sync(north);
      expect(north.s.exceptions.list()).toEqual([
        expect.objectContaining({ id: atSouth!.id, kind: 'lent_twice', resolvedAt: null }),
      ]);
      // Both borrowers are named on both branches' lists (the earlier borrower first), through
      // the station API the desk reads: South's copy came with its push, North's from the feed.
      const patronId = (d: Desk, n: number) =>
        (d.s.store.db.prepare('SELECT id FROM patrons WHERE card_barcode = ?').get(patronCard(n)) as { id: string }).id;
      const bothBorrowers = (d: Desk) => [
        { id: patronId(d, 1), name: 'Pat1 Reader', cardBarcode: patronCard(1) },
        { id: patronId(d, 2), name: 'Pat2 Reader', cardBarcode: patronCard(2) },
      ];
      for (const d of [south, north]) {
        const api = createStationCore(d.s);
        const token = (
          (await api.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {})) as {
            ok: true;
            value: { token: string };
          }
        ).value.token;
        const listed = await api.invoke('sync.exceptions', {}, { sessionToken: token });
        expect(listed).toEqual({
          ok: true,
          value: [expect.objectContaining({ id: atSouth!.id, kind: 'lent_twice', patrons: bothBorrowers(d) })],
        });
      }

      // South loses the hub, and staff resolve it at the desk through the station API.
      south.proxy.fault({ kind: 'refuse' });
      south.proxy.dropAll();
      const core = createStationCore(south.s);
      const signIn = await core.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {});
      const token = (signIn as { ok: true; value: { token: string } }).value.token;
      const resolved = await core.invoke(
        'sync.resolveException',
        { id: atSouth!.id, note: 'Pat2 keeps it; Pat1 was called' },
        { sessionToken: token },
      );
      expect(resolved).toEqual({ ok: true, value: { resolved: true } });
      expect(south.s.exceptions.list()).toEqual([]);
      expect((await south.worker.syncNow()).lastError).toBeTruthy();
      expect(south.s.ctx.journal.waitingCount()).toBe(1);
      expect((await hub.listExceptions()).map((x) => x.id)).toEqual([atSouth!.id]);

      // Back online: the resolution reaches the hub once, with who and why.
      south.proxy.fault({ kind: 'none' });
      await sync(south);
      expect(south.s.ctx.journal.waitingCount()).toBe(0);
      expect(await hub.listExceptions()).toEqual([]);
      expect((await hub.listExceptions(true))[0]).toMatchObject({
        id: atSouth!.id,
        resolvedBy: staff(south),
        resolutionNote: 'Pat2 keeps it; Pat1 was called',
      });
      const received = await db.query<{ outcome: string }>(
        `SELECT outcome FROM received WHERE command = 'sync.resolveException'`,
      );
      expect(received).toEqual([{ outcome: 'applied' }]);

      // North sees it resolved on its next sync; resolving it there again writes nothing.
      await sync(north);
      expect(north.s.exceptions.list()).toEqual([]);
      expect(north.s.exceptions.list(true)).toEqual([
        expect.objectContaining({ id: atSouth!.id, resolvedAt: clock.now }),
      ]);
      const entries = north.s.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number };
      expect(north.s.exceptions.resolve(atSouth!.id, staff(north), 'too late')).toBe(false);
      expect(north.s.store.db.prepare('SELECT count(*) AS n FROM journal').get()).toEqual(entries);
    } finally {
      for (const d of desks) {
        await d.worker.stop();
        await d.proxy.close();
        d.s.close();
        rmSync(d.dir, { recursive: true, force: true });
      }
      await server.close();
      await db.close();
    }
  }, 60_000);
});
