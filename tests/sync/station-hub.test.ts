// Two real stations and a real hub over HTTP: a new station joins with a one-time code and loads
// the library; what one desk does reaches the other by itself, exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubDb } from '../../src/hub/db';
import type { Hub } from '../../src/hub/hub';
import { startTwoBranchHub, stopTwoBranchHub, type TwoBranchHub } from './two-branch-hub';
import { startStationCore, type StationCore } from '../../src/station/core';
import { addPatron, createTestStation, itemBarcode, patronCard } from '../support/station';
import { openStation } from '../../src/station/services';
import { enrolWithHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { INITIAL_LOAD_KEY } from '../../src/sync/initial-load';
import { applyPulledBatch, CURSOR_KEY } from '../../src/sync/apply-pulled';
import { SyncWorker, type SyncState } from '../../src/sync/worker';
import http from 'node:http';
import net from 'node:net';

let db: HubDb;
let hub: Hub;
let url: string;
const cores: StationCore[] = [];

let fixture: TwoBranchHub | undefined;
beforeAll(async () => {
  fixture = await startTwoBranchHub();
  ({ db, hub, url } = fixture);
});
afterAll(() => stopTwoBranchHub(fixture, cores));

async function station(branch: string, name: string): Promise<{ core: StationCore; token: string }> {
  const core = await startStationCore({
    dataDir: mkdtempSync(join(tmpdir(), 'circa-sync-')),
    join: { hubUrl: url, code: await hub.createEnrolmentCode(branch), stationName: name },
    syncIntervalMs: 200,
  });
  cores.push(core);
  const signIn = await core.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {});
  if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
  return { core, token: (signIn.value as { token: string }).token };
}

async function ok(s: { core: StationCore; token: string }, name: string, input: unknown) {
  const r = await s.core.invoke(name, input, { sessionToken: s.token });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as Record<string, unknown>;
}

describe('stations and the hub', () => {
  it("joins with a code, loads the library, and carries each desk's work to the other", async () => {
    const north = await station('N', 'north desk');
    // The library came from the hub: its name, and the admin can sign in offline from now on.
    expect(await ok(north, 'setup.status', {})).toMatchObject({
      configured: true,
      libraryName: 'County Library',
      branchName: 'North',
    });

    const record = await ok(north, 'catalogue.addRecord', { title: 'Los detectives salvajes' });
    await ok(north, 'catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
    await ok(north, 'patrons.register', {
      cardBarcode: patronCard(1),
      firstName: 'Ulises',
      lastName: 'Lima',
      categoryCode: 'ADULT',
    });
    await ok(north, 'circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    await expect.poll(() => north.core.services.ctx.journal.waitingCount(), { timeout: 10_000 }).toBe(0);
    // The round that pushed may still be pulling: the state says reachable once it is over.
    await expect
      .poll(async () => (await ok(north, 'status.get', {})).sync, { timeout: 10_000 })
      .toMatchObject({ state: 'configured', reachable: true });

    const south = await station('S', 'south desk');
    const seen = await ok(south, 'patrons.lookup', { barcode: patronCard(1) });
    expect(seen).toMatchObject({ patron: { firstName: 'Ulises' }, loans: [{ title: 'Los detectives salvajes' }] });

    // Returned in the south: the north learns it by itself, and nothing was applied twice.
    await ok(south, 'circulation.checkin', { itemBarcode: itemBarcode(1) });
    await expect
      .poll(async () => ((await ok(north, 'patrons.lookup', { barcode: patronCard(1) })).loans as unknown[]).length, {
        timeout: 10_000,
      })
      .toBe(0);
    const received = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM received');
    const entries = north.core.services.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number };
    const southEntries = south.core.services.store.db.prepare('SELECT count(*) AS n FROM journal').get() as {
      n: number;
    };
    await expect.poll(() => south.core.services.ctx.journal.waitingCount(), { timeout: 10_000 }).toBe(0);
    expect(Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM received'))[0]!.n)).toBe(
      entries.n + southEntries.n,
    );
    void received;
  }, 60_000);
});

/**
 * A TCP link between a station and the hub that cuts the first snapshot answer after `cutAfter`
 * bytes: the station has read part of the stream, as when a line drops mid-download.
 */
async function linkCuttingSnapshot(
  target: number,
  cutAfter: number,
): Promise<{ url: string; cuts: () => number; close(): Promise<void> }> {
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const sock of [client, upstream]) {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => sock.destroy());
    }
    let snapshot = false;
    let sent = 0;
    client.on('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('GET /sync/snapshot')) snapshot = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (snapshot && cuts === 0 && sent + chunk.length > cutAfter) {
        cuts += 1;
        upstream.destroy();
        client.write(chunk.subarray(0, cutAfter - sent), () => client.destroy());
        return;
      }
      sent += chunk.length;
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cuts: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const sock of sockets) sock.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The size of the whole compressed snapshot, to cut it half-way. */
function snapshotBytes(credential: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(
        `${url}/sync/snapshot?after=0`,
        { agent: false, headers: { authorization: `Bearer ${credential}`, 'accept-encoding': 'gzip' } },
        (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        },
      )
      .on('error', reject);
  });
}

describe('the first load of a new station', () => {
  it('streams the snapshot, survives a cut half-way, resumes from the last chunk kept and ends with every row exactly once', async () => {
    // A library large enough to come in several chunks, written straight into the hub's rows.
    const north = (await db.query<{ id: string }>("SELECT id FROM branches WHERE code = 'N'"))[0]!.id;
    await db.query(
      `INSERT INTO rows (table_name, id, data, deleted, change_seq)
       SELECT 'records', 'rec-' || g, jsonb_build_object('id', 'rec-' || g, 'title', 'Title ' || g, 'author', null, 'isbn', null, 'issn', null, 'publisher', null, 'year', 2000, 'callNumber', null), 0, nextval('change_seq')
       FROM generate_series(1, 3000) AS g`,
    );
    await db.query(
      `INSERT INTO rows (table_name, id, data, deleted, change_seq)
       SELECT 'items', 'item-' || g, jsonb_build_object('id', 'item-' || g, 'barcode', 'load-' || g, 'recordId', 'rec-' || (1 + g % 3000), 'homeBranchId', $1::text, 'currentBranchId', $1::text,
         'itemTypeCode', 'BOOK', 'status', 'available', 'damaged', false, 'notForLoan', false, 'replacementPrice', 2500, 'transitToBranchId', null), 0, nextval('change_seq')
       FROM generate_series(1, 30000) AS g`,
      [north],
    );
    // A row changed after it was first written: its latest version comes later in the stream.
    await db.query(
      `UPDATE rows SET data = data || '{"title": "Title 1, revised"}'::jsonb, change_seq = nextval('change_seq') WHERE table_name = 'records' AND id = 'rec-1'`,
    );
    const hubRows = await db.query<{ table_name: string; n: number }>(
      'SELECT table_name, count(*)::int AS n FROM rows WHERE deleted = 0 GROUP BY table_name',
    );
    const total = hubRows.reduce((sum, r) => sum + Number(r.n), 0);

    const s = openStation(join(mkdtempSync(join(tmpdir(), 'circa-load-')), 'station.db'));
    const { credential } = await enrolWithHub(s, {
      hubUrl: url,
      code: await hub.createEnrolmentCode('N'),
      stationName: 'loading desk',
    });
    // Cut at 40% of the compressed stream: several chunks are in, the rest is not.
    const link = await linkCuttingSnapshot(
      Number(new URL(url).port),
      Math.floor((await snapshotBytes(credential)) * 0.4),
    );
    try {
      const worker = new SyncWorker(s.ctx, new HttpHubClient(link.url, credential));
      const seen: NonNullable<SyncState['initialLoad']>[] = [];
      worker.onState((state) => {
        if (state.initialLoad) seen.push({ ...state.initialLoad });
      });
      const first = await worker.syncNow();
      expect(link.cuts()).toBe(1);
      expect(first.lastError).toMatch(/first load was cut/);
      expect(first.initialLoad).toMatchObject({ total });
      const kept = JSON.parse(s.ctx.readState(INITIAL_LOAD_KEY)!) as { cursor: string; done: number; total: number };
      expect(kept.done).toBeGreaterThanOrEqual(5000);
      expect(kept.done).toBeLessThan(total);
      expect(s.ctx.readState(CURSOR_KEY)).toBeNull();
      const count = (table: string) =>
        (s.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('items') + count('records')).toBeLessThan(33_000);

      const second = await worker.syncNow();
      expect(second.lastError).toBeNull();
      expect(second.initialLoad).toBeNull();
      expect(s.ctx.readState(INITIAL_LOAD_KEY)).toBeNull();
      // Every row of the hub, each stored once: the resumed stream began after the last row kept.
      expect(second.pulled).toBe(total);
      for (const r of hubRows) expect(count(r.table_name)).toBe(Number(r.n));
      expect(
        (s.store.db.prepare("SELECT title FROM records WHERE id = 'rec-1'").get() as { title: string }).title,
      ).toBe('Title 1, revised');
      // Progress went up to the total, for the status bar.
      expect(seen.some((p) => p.total === total && p.done > 0 && p.done < total)).toBe(true);
      // The change feed took over from the snapshot's end cursor.
      expect(Number(s.ctx.readState(CURSOR_KEY))).toBe(
        Number((await db.query<{ m: string }>('SELECT max(change_seq) AS m FROM rows'))[0]!.m),
      );
      await worker.stop();
    } finally {
      s.close();
      await link.close();
    }
  }, 120_000);
});

describe('a station whose clock is wrong', () => {
  it('is warned at its first round with nothing waiting, and again at the first round after a restart', async () => {
    const skewMs = 5 * 60_000;
    const path = join(mkdtempSync(join(tmpdir(), 'circa-clock-')), 'station.db');
    const now = () => Date.now() + skewMs;
    let s = openStation(path, { now });
    const { credential } = await enrolWithHub(s, {
      hubUrl: url,
      code: await hub.createEnrolmentCode('S'),
      stationName: 'fast clock desk',
    });
    const stationId = s.ctx.readState('station_id')!;
    const roundWithNothingWaiting = async () => {
      const worker = new SyncWorker(s.ctx, new HttpHubClient(url, credential));
      // A worker starts knowing nothing of the clock: the offset is not kept across a restart.
      expect(worker.state()).toMatchObject({ clockOffsetMs: null, clockWarning: false });
      expect(s.ctx.journal.waitingCount()).toBe(0);
      const state = await worker.syncNow();
      await worker.stop();
      expect(state).toMatchObject({ lastError: null, waiting: 0, clockWarning: true });
      expect(Math.abs(state.clockOffsetMs! - skewMs)).toBeLessThan(10_000);
      // The hub measured it from the (empty) push, and received no entry from this station.
      const atHub = (await hub.listStations()).find((x) => x.id === stationId)!;
      expect(Math.abs(atHub.clockOffsetMs! - skewMs)).toBeLessThan(10_000);
      expect(await db.query('SELECT 1 FROM received WHERE station_id = $1', [stationId])).toEqual([]);
    };
    try {
      // Joined, nothing done at this desk yet: the first round already warns, before any due date is set.
      await roundWithNothingWaiting();
      // Restarted (a new store and worker), still nothing waiting: warned again at once.
      s.close();
      s = openStation(path, { now });
      await roundWithNothingWaiting();

      // A station on time is not warned.
      const onTime = openStation(join(mkdtempSync(join(tmpdir(), 'circa-clock-')), 'station.db'));
      try {
        const enrolled = await enrolWithHub(onTime, {
          hubUrl: url,
          code: await hub.createEnrolmentCode('S'),
          stationName: 'on time desk',
        });
        const worker = new SyncWorker(onTime.ctx, new HttpHubClient(url, enrolled.credential));
        const state = await worker.syncNow();
        await worker.stop();
        expect(state).toMatchObject({ lastError: null, waiting: 0, clockWarning: false });
        expect(Math.abs(state.clockOffsetMs!)).toBeLessThan(10_000);
      } finally {
        onTime.close();
      }
    } finally {
      s.close();
    }
  }, 60_000);
});

describe('pulled rows and local changes still waiting', () => {
  it('leaves a row with a waiting local change alone until the hub has acknowledged it, batch after batch', () => {
    const t = createTestStation();
    try {
      const ctx = t.s.ctx;
      const seqOf = (patronId: string) =>
        (
          t.s.store.db
            .prepare("SELECT seq FROM journal WHERE command = 'patrons.register' AND payload LIKE ?")
            .get(`%${patronId}%`) as { seq: number }
        ).seq;
      const fromHub = (patronId: string) => ({
        table: 'patrons' as const,
        op: 'upsert' as const,
        row: { ...t.s.ctx.rows.get<Record<string, unknown>>('patrons', patronId)!, id: patronId, firstName: 'FromHub' },
      });
      const name = (patronId: string) => t.s.ctx.rows.get<{ firstName: string }>('patrons', patronId)!.firstName;
      // Everything the set-up wrote has reached the hub.
      const setupSeqs = (t.s.store.db.prepare('SELECT seq FROM journal').all() as { seq: number }[]).map((r) => ({
        seq: r.seq,
        outcome: 'applied',
      }));
      ctx.journal.acknowledge(setupSeqs, ctx.now());

      const first = addPatron(t, 1, { firstName: 'Local' });
      expect(applyPulledBatch(ctx, [fromHub(first.id)], '1')).toMatchObject({ applied: 0, keptLocal: 1 });
      // An entry written after the first batch is seen by the next one.
      const second = addPatron(t, 2, { firstName: 'Local' });
      const third = addPatron(t, 3, { firstName: 'Local' });
      expect(applyPulledBatch(ctx, [fromHub(first.id), fromHub(second.id), fromHub(third.id)], '2')).toMatchObject({
        applied: 0,
        keptLocal: 3,
      });
      // The hub acknowledged the first entry, then (out of order) the third: those rows take the hub's version.
      ctx.journal.acknowledge([{ seq: seqOf(first.id), outcome: 'applied' }], ctx.now());
      ctx.journal.acknowledge([{ seq: seqOf(third.id), outcome: 'applied' }], ctx.now());
      expect(applyPulledBatch(ctx, [fromHub(first.id), fromHub(second.id), fromHub(third.id)], '3')).toMatchObject({
        applied: 2,
        keptLocal: 1,
      });
      expect([name(first.id), name(second.id), name(third.id)]).toEqual(['FromHub', 'Local', 'FromHub']);
      ctx.journal.acknowledge([{ seq: seqOf(second.id), outcome: 'applied' }], ctx.now());
      expect(applyPulledBatch(ctx, [fromHub(second.id)], '4')).toMatchObject({ applied: 1, keptLocal: 0 });
      expect(name(second.id)).toBe('FromHub');
    } finally {
      t.close();
    }
  });
});
