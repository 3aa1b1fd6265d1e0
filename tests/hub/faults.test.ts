// Pushing over a real network that misbehaves (a TCP proxy between station and hub): answers
// lost after the hub applied the batch, requests that arrive twice, slow links. Whatever happens,
// every entry is applied exactly once and a retry gets the outcomes of the first time.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../src/api/sync-protocol';
import { migrateHub, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { databases, dropSchemas, item, Journals, loan, patron } from './fixtures';
import { call } from './http-client';

afterAll(dropSchemas);

async function count(db: HubDb, sql: string): Promise<number> {
  return Number((await db.query<{ n: string }>(sql))[0]!.n);
}

describe.each(databases())('pushing through a faulty network to the hub on %s', (_name, open) => {
  it('applies every entry exactly once through cut answers, duplicated requests and delays', async () => {
    const db = await open();
    await migrateHub(db);
    const hub = new Hub(db);
    const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
    const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
    const a = await hub.enrol(await hub.createEnrolmentCode('N'), 'north');
    const b = await hub.enrol(await hub.createEnrolmentCode('S'), 'south');
    const A = { stationId: a.stationId, branchId: north };
    const B = { stationId: b.stationId, branchId: south };
    const server: FastifyInstance = await createHubServer({ hub });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const proxy: TcpProxy = await startTcpProxy({ port: (server.server.address() as AddressInfo).port });
    const push = (credential: string, entries: unknown[], timeoutMs?: number) =>
      call(proxy.url('/sync/push'), { body: { stationWallTime: Date.now(), entries }, credential, timeoutMs });
    try {
      const j = new Journals();
      await j.desk(db, north);
      const t0 = Date.UTC(2026, 10, 20, 15);
      const batch = [
        j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
        j.entry(A, 'catalogue.addItem', [item('i1', 'available', north)], t0),
        j.entry(
          A,
          'circulation.checkout',
          [loan('L1', 'i1', 'ana', north, t0 + 1000), item('i1', 'on_loan', north)],
          t0 + 1000,
        ),
      ];

      // The answer is lost after the hub applied the batch: the station sees an error...
      proxy.fault({ kind: 'cut-before-answer' }, 1);
      await expect(push(a.credential, batch)).rejects.toThrow();
      expect(proxy.stats.cuts).toBe(1);
      expect(await count(db, 'SELECT count(*) AS n FROM received')).toBe(3);
      // ...retries the same batch, and gets the first outcomes without anything applied again.
      const retry = await push(a.credential, batch);
      expect(retry.status).toBe(200);
      expect((retry.body as PushResponse).outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied']);
      expect((retry.body as PushResponse).expectedSeq).toBe(4);
      expect(await count(db, `SELECT count(*) AS n FROM rows WHERE table_name = 'loans'`)).toBe(1);

      // South lends the same copy; its request arrives twice (two connections at once):
      // still one entry, one second loan and one "lent twice" exception.
      const lendB = [
        j.entry(B, 'patrons.register', [patron('ben', '22', south)], t0),
        j.entry(
          B,
          'circulation.checkout',
          [loan('L2', 'i1', 'ben', south, t0 + 5000), item('i1', 'on_loan', south)],
          t0 + 5000,
        ),
      ];
      proxy.fault({ kind: 'duplicate' }, 1);
      const dup = await push(b.credential, lendB);
      expect(dup.status).toBe(200);
      expect(proxy.stats.duplicates).toBe(1);
      // The twin request may still be finishing on the hub: wait until the hub is idle for this station.
      await expect
        .poll(async () => (await push(b.credential, lendB)).body, { timeout: 5000 })
        .toMatchObject({ expectedSeq: 3 });
      expect(await count(db, `SELECT count(*) AS n FROM received WHERE station_id = '${b.stationId}'`)).toBe(2);
      expect(await count(db, `SELECT count(*) AS n FROM exceptions WHERE kind = 'lent_twice'`)).toBe(1);
      expect(await count(db, `SELECT count(*) AS n FROM rows WHERE table_name = 'loans'`)).toBe(2);

      // A slow link: the answer arrives late but whole.
      proxy.fault({ kind: 'delay', ms: 400 }, 1);
      const started = Date.now();
      const slow = await push(a.credential, [
        j.entry(
          A,
          'circulation.checkin',
          [loan('L1', 'i1', 'ana', north, t0 + 1000, { returnedAt: t0 + 9000, returnBranchId: north })],
          t0 + 9000,
        ),
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect((slow.body as PushResponse).outcomes[0]!.outcome).toBe('applied');

      // Slower than the station is willing to wait: it gives up, retries, and the entry counts once.
      const late = j.entry(A, 'patrons.register', [patron('cy', '23', north)], t0 + 10_000);
      proxy.fault({ kind: 'delay', ms: 1500 }, 1);
      await expect(push(a.credential, [late], 300)).rejects.toThrow(/timed out/);
      await new Promise((r) => setTimeout(r, 1800));
      const again = await push(a.credential, [late]);
      expect((again.body as PushResponse).outcomes).toEqual([{ id: late.id, outcome: 'applied' }]);
      expect(await count(db, `SELECT count(*) AS n FROM received WHERE station_id = '${a.stationId}'`)).toBe(5);

      // A refused connection leaves nothing behind either.
      proxy.fault({ kind: 'refuse' }, 1);
      await expect(push(a.credential, [j.entry(A, 'x', [], t0)])).rejects.toThrow();
      expect(await count(db, 'SELECT count(*) AS n FROM received')).toBe(7);
    } finally {
      await proxy.close();
      await server.close();
      await db.close();
    }
  }, 60_000);
});
