// The hub as it runs (`npm run hub`, a child process on PGlite) against a station credential used
// by something that is not a station: bodies nested 5,000 deep, entries of megabytes, clocks of
// -9e15, empty enrolments and cursors that are not cursors. Each is a clear 4xx (or, for one
// oversized entry, that entry's rejection), the hub keeps answering, and nothing is recorded:
// `admin stations` still shows the station's real clock offset.
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesResponse, EnrolResponse, PushResponse } from '../../src/api/sync-protocol';
import type { JournalEntry } from '../../src/domain/journal';
import { Journals, patron } from './fixtures';
import { unsealPrivateKey } from '../../src/shared/signing';
import type { KeyObject } from 'node:crypto';
import { call } from './http-client';
import { hubAdmin, killHubChildren, startHubProcess, type HubProcess } from './hub-process';

afterAll(killHubChildren);

const admin = (dataDir: string, args: string[]): string => hubAdmin([...args, '--data', dataDir]);
const startHub = (dataDir: string): Promise<HubProcess> => startHubProcess(['--data', dataDir]);

function raw(
  url: string,
  opts: { method?: string; body?: string; contentType?: string | null; credential?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      u,
      {
        method: opts.method ?? 'POST',
        agent: false,
        headers: {
          ...(opts.contentType === null ? {} : { 'content-type': opts.contentType ?? 'application/json' }),
          ...(opts.body !== undefined ? { 'content-length': Buffer.byteLength(opts.body) } : {}),
          ...(opts.credential ? { authorization: `Bearer ${opts.credential}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
      },
    );
    // A hub that refuses a body before reading it all answers, then closes the socket while we
    // are still writing: the answer counts, the write error after it does not.
    req.on('error', (error) => setTimeout(() => reject(error), 1000));
    req.end(opts.body);
  });
}

/**
 * Sends a push body of `bytes`. Announced (Content-Length): only the headers, then waits for the
 * answer, which must come on the length alone. Chunked (no length): 1 MB at a time until the hub
 * answers or cuts the connection; a cut counts only once more than the limit has been sent (a
 * client still writing when the hub answers may lose that answer to the reset, as any would).
 */
function oversized(
  url: string,
  credential: string,
  bytes: number,
  announce: boolean,
): Promise<{ status: number; body: Record<string, unknown> } | { cutAfter: number }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let sent = 0;
    const req = http.request(
      new URL(url),
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${credential}`,
          ...(announce ? { 'content-length': bytes } : {}),
        },
      },
      (res) => {
        answered = true;
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }),
        );
      },
    );
    req.on('error', (error) => (answered ? undefined : announce ? reject(error) : resolve({ cutAfter: sent })));
    if (announce) {
      req.flushHeaders();
      setTimeout(() => (answered ? undefined : reject(new Error('no answer to the announced length'))), 10_000).unref();
      return;
    }
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const next = () => {
      if (answered || req.destroyed) return;
      if (sent >= bytes) return void req.end();
      const piece =
        sent === 0
          ? Buffer.concat([Buffer.from('{"stationWallTime":1,"entries":[],"pad":"'), chunk]).subarray(0, chunk.length)
          : chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += piece.length;
      if (req.write(piece)) setTimeout(next, 5);
      else req.once('drain', () => setTimeout(next, 5));
    };
    next();
  });
}

describe('a hub process fed what no station sends', () => {
  let dataDir: string;
  let hub: Awaited<ReturnType<typeof startHub>>;
  let station: EnrolResponse;
  let offsetLine: string;
  const j = new Journals();
  let alice: { id: string; key: KeyObject };
  let me: { stationId: string; branchId: string };
  // Every push the hub should believe comes from a clock 90 s fast: what `admin stations` must show at the end.
  const push = (entries: JournalEntry[], stationWallTime = Date.now() + 90_000) =>
    call(`${hub.url}/sync/push`, {
      body: { stationWallTime, entries },
      credential: station.credential,
      timeoutMs: 60_000,
    });
  const alive = async () => expect((await call(`${hub.url}/health`)).status).toBe(200);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'circa-hub-limits-'));
    admin(dataDir, [
      'init',
      '--library',
      'County Library',
      '--branch',
      'MAIN:Main:America/New_York',
      '--admin',
      'alice',
      '--password',
      'alice password',
    ]);
    const code = /enrolment code[^:]*: (\S+)/.exec(admin(dataDir, ['enrol-station', '--branch', 'MAIN']))![1]!;
    hub = await startHub(dataDir);
    const enrolled = await call(`${hub.url}/enrol`, { body: { code, stationName: 'north desk' } });
    expect(enrolled.status).toBe(200);
    station = enrolled.body as EnrolResponse;
    me = { stationId: station.stationId, branchId: station.branchId };
    // The entries are Alice's, signed with her key as her desk would after she signs in: the hub
    // sends her row (an administrator's) with the key sealed under her password.
    const feed = (await call(`${hub.url}/sync/changes?after=0&limit=5000`, { credential: station.credential }))
      .body as ChangesResponse;
    const row = feed.changes.find((c) => c.table === 'staff' && c.row.username === 'alice')!.row;
    alice = { id: row.id, key: (await unsealPrivateKey(String(row.sealedKey), 'alice password'))! };
    j.signer(alice.id, alice.key);
    j.defaultStaff = alice.id;
    // A real clock, 90 s fast: the offset `admin stations` must still show at the end.
    const first = await push([], Date.now() + 90_000);
    expect(first.status).toBe(200);
    offsetLine = `clock +${Math.round((first.body as PushResponse).clockOffsetMs / 1000)} s`;
  }, 120_000);

  it('refuses JSON 5,000 levels deep with a 400, on every route that takes a body, and keeps answering', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const entry = j.entry(me, 'patrons.register', [patron('deep', '29000000000001', me.branchId)], Date.now());
    const body = JSON.stringify({
      stationWallTime: Date.now(),
      entries: [{ ...entry, payload: { ...entry.payload, input: '@DEEP@' } }],
    }).replace('"@DEEP@"', deep);
    const res = await raw(`${hub.url}/sync/push`, { body, credential: station.credential });
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'INVALID', message: expect.stringContaining('64 levels') },
    });
    expect((await raw(`${hub.url}/enrol`, { body: deep })).status).toBe(400);
    expect(
      (
        await raw(`${hub.url}/sync/exceptions/hub-1/resolve`, {
          body: `{"note":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
          credential: station.credential,
        })
      ).status,
    ).toBe(400);
    // 64 levels is still JSON the hub reads (the schema then says what is wrong with it).
    const at64 = await raw(`${hub.url}/sync/push`, {
      body: `{"x":${'['.repeat(63)}${']'.repeat(63)}}`,
      credential: station.credential,
    });
    expect(at64).toMatchObject({ status: 400, body: { message: 'The batch is not valid.' } });
    await alive();
    // Nothing of it was applied: the hub still wants this station's first entry.
    expect(((await push([])).body as PushResponse).expectedSeq).toBe(1);
  });

  it('rejects an entry of 5 MB on its own, applies the rest of its batch, and takes a batch of 1000 ordinary entries', async () => {
    const fresh = new Journals();
    fresh.signer(alice.id, alice.key);
    fresh.defaultStaff = alice.id;
    const huge = fresh.entry(me, 'patrons.register', [patron('huge', '29000000000003', me.branchId)], Date.now());
    huge.payload.input = { notes: 'x'.repeat(5 * 1024 * 1024) };
    const after = fresh.entry(me, 'patrons.register', [patron('after', '29000000000004', me.branchId)], Date.now());
    const res = await push([huge, after]);
    expect(res.status).toBe(200);
    expect((res.body as PushResponse).outcomes).toEqual([
      { id: huge.id, outcome: 'rejected', reason: expect.stringContaining("over the hub's limit") },
      { id: after.id, outcome: 'applied' },
    ]);
    // A body past the push limit is refused whole, before it is read.
    expect(await oversized(`${hub.url}/sync/push`, station.credential, 17 * 1024 * 1024, true)).toMatchObject({
      status: 413,
      body: { code: 'TOO_LARGE' },
    });
    const chunked = await oversized(`${hub.url}/sync/push`, station.credential, 17 * 1024 * 1024, false);
    if ('cutAfter' in chunked) expect(chunked.cutAfter).toBeGreaterThan(16 * 1024 * 1024);
    else expect(chunked).toMatchObject({ status: 413, body: { code: 'TOO_LARGE' } });
    await alive();
    // A thousand entries of a desk's ordinary size (~2 KB each, with notes) still go in at once.
    const batch = Array.from({ length: 1000 }, (_, i) => {
      const p = patron(`p${i}`, String(29100000000000 + i), me.branchId);
      return fresh.entry(me, 'patrons.register', [{ ...p, row: { ...p.row, notes: 'n'.repeat(1500) } }], Date.now());
    });
    const big = await push(batch);
    expect(big.status).toBe(200);
    const outcomes = (big.body as PushResponse).outcomes;
    expect(outcomes).toHaveLength(1000);
    expect(outcomes.every((o) => o.outcome === 'applied')).toBe(true);
    const changes = await call(`${hub.url}/sync/changes?after=0&limit=5000`, { credential: station.credential });
    const ids = new Set((changes.body as { changes: { row: { id: string } }[] }).changes.map((c) => c.row.id));
    expect(ids.has('after') && ids.has('p999')).toBe(true);
    expect(ids.has('huge')).toBe(false);
  }, 120_000);

  it('answers an empty enrolment and cursors that are not cursors with a 400, never a 500', async () => {
    for (const [body, contentType] of [
      [undefined, null],
      ['', null],
      ['{}', 'application/json'],
      ['null', 'application/json'],
      ['', 'application/json'],
      ['code=x', 'text/plain'],
    ] as const) {
      const res = await raw(`${hub.url}/enrol`, { ...(body === undefined ? {} : { body }), contentType });
      expect(res.status, `${contentType}: ${body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${contentType}: ${body}`).toBeLessThan(500);
    }
    expect((await raw(`${hub.url}/enrol`, { body: '{}' })).body).toMatchObject({
      code: 'INVALID',
      issues: [{ path: 'code' }, { path: 'stationName' }],
    });
    const queries = [
      'after=abc',
      'after=-1',
      'after=1.5',
      'after=1e400',
      'after=100000000000000000000',
      'after=1&after=2',
      'after=',
      'limit=abc',
      'limit=0',
      'limit=99999999',
      'limit=1&limit=2',
    ];
    for (const route of ['/sync/changes', '/sync/snapshot', '/sync/exceptions']) {
      for (const q of queries) {
        if (route !== '/sync/changes' && q.startsWith('limit')) continue;
        const res = await call(`${hub.url}${route}?${q}`, { credential: station.credential });
        expect(res.status, `${route}?${q}`).toBe(400);
        expect(res.body, `${route}?${q}`).toMatchObject({ code: 'INVALID' });
      }
    }
    expect(
      (
        await call(`${hub.url}/sync/exceptions/hub-99999999999999999999/resolve`, {
          body: {},
          credential: station.credential,
        })
      ).status,
    ).toBe(404);
    await alive();
    expect(hub.stderr()).not.toMatch(/hub:/);
  });

  it('refuses a station clock of -9e15 (and an entry dated so) with a 400 and records no offset', async () => {
    const wall = await push([], -9e15);
    expect(wall).toMatchObject({ status: 400, body: { code: 'CLOCK_IMPLAUSIBLE', clockOffsetMs: expect.any(Number) } });
    expect((await push([], 9e15)).status).toBe(400);
    expect((await push([], Date.UTC(1999, 11, 31))).status).toBe(400);
    const dated = {
      ...j.entry(me, 'patrons.register', [patron('old', '29000000000002', me.branchId)], Date.now()),
      wallTime: -9e15,
    };
    expect((await push([dated])).status).toBe(400);
    await alive();
    // (No push after these: the offset `admin stations` shows next is the last one the hub believed.)
  });

  it("shows the station's real clock offset in `admin stations` afterwards", async () => {
    hub.child.kill('SIGTERM');
    await new Promise((r) => hub.child.once('exit', r));
    const listed = admin(dataDir, ['stations']);
    expect(listed).toContain('north desk');
    // The last push the hub believed was 90 s fast; -9e15 was never recorded.
    expect(listed).toMatch(/clock \+(89|90|91) s/);
    expect(offsetLine).toMatch(/clock \+(89|90|91) s/);
  }, 120_000);

  it("refuses a removed station: a lost desk PC's credential and key stop working", async () => {
    expect(admin(dataDir, ['remove-station', station.stationId])).toContain(`station ${station.stationId} removed`);
    expect(admin(dataDir, ['stations'])).not.toContain('north desk');
    hub = await startHub(dataDir);
    const refused = await push([
      j.entry(me, 'patrons.register', [patron('late', '29000000000009', me.branchId)], Date.now()),
    ]);
    expect(refused.status).toBe(401);
    expect((await call(`${hub.url}/sync/changes?after=0`, { credential: station.credential })).status).toBe(401);
    hub.child.kill('SIGTERM');
    await new Promise((r) => hub.child.once('exit', r));
    // A mistyped id says so.
    expect(() => admin(dataDir, ['remove-station', 'no-such-station'])).toThrow(/no station no-such-station/);
  }, 120_000);
});
