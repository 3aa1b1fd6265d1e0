// A station whose clock is no clock at all (a PC without a clock battery that came up in 1970)
// pushes to a real hub over HTTP: the hub refuses the push and records nothing, and the desk
// warns its staff about the clock as it does for one a few minutes out; set right, it syncs.
// One years out but still a clock (2003, a BIOS default) is believed, recorded and warned about.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { openStation } from '../../src/station/services';
import { enrolWithHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';

let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let url: string;

beforeAll(async () => {
  db = await openHubDb({});
  await migrateHub(db);
  hub = new Hub(db);
  await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  await hub.init({ libraryName: 'County Library' });
  server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('a station whose clock the hub does not believe', () => {
  it('is refused and warned, with nothing recorded at the hub; once its clock is set it syncs', async () => {
    const clock = { skewMs: Date.UTC(1970, 0, 2) - Date.now() };
    const s = openStation(join(mkdtempSync(join(tmpdir(), 'circa-clock-refused-')), 'station.db'), {
      now: () => Date.now() + clock.skewMs,
    });
    try {
      const { credential } = await enrolWithHub(s, {
        hubUrl: url,
        code: await hub.createEnrolmentCode('N'),
        stationName: '1970 desk',
      });
      const stationId = s.ctx.readState('station_id')!;
      const worker = new SyncWorker(s.ctx, new HttpHubClient(url, credential));
      try {
        const refused = await worker.syncNow();
        expect(refused).toMatchObject({
          reachable: false,
          clockWarning: true,
          lastError: expect.stringContaining("station's clock"),
        });
        expect(Math.abs(refused.clockOffsetMs! - clock.skewMs)).toBeLessThan(10_000);
        expect((await hub.listStations()).find((x) => x.id === stationId)).toMatchObject({
          clockOffsetMs: null,
          lastSeenAt: null,
        });

        clock.skewMs = 0;
        const fixed = await worker.syncNow();
        expect(fixed).toMatchObject({ reachable: true, clockWarning: false, lastError: null });
        expect(Math.abs((await hub.listStations()).find((x) => x.id === stationId)!.clockOffsetMs!)).toBeLessThan(
          10_000,
        );
      } finally {
        await worker.stop();
      }
    } finally {
      s.close();
    }
  });

  it('believes a clock years out that is still a clock, records its offset and warns', async () => {
    const skewMs = Date.UTC(2003, 0, 1) - Date.now();
    const s = openStation(join(mkdtempSync(join(tmpdir(), 'circa-clock-2003-')), 'station.db'), {
      now: () => Date.now() + skewMs,
    });
    try {
      const { credential } = await enrolWithHub(s, {
        hubUrl: url,
        code: await hub.createEnrolmentCode('N'),
        stationName: '2003 desk',
      });
      const worker = new SyncWorker(s.ctx, new HttpHubClient(url, credential));
      try {
        expect(await worker.syncNow()).toMatchObject({ reachable: true, clockWarning: true, lastError: null });
      } finally {
        await worker.stop();
      }
      const atHub = (await hub.listStations()).find((x) => x.id === s.ctx.readState('station_id'))!;
      expect(Math.abs(atHub.clockOffsetMs! - skewMs)).toBeLessThan(10_000);
    } finally {
      s.close();
    }
  });
});
