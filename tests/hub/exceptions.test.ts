// Resolving sync exceptions at the hub, on PGlite and PostgreSQL: by a station's journal entry
// (applied once, like any entry), by a station over POST /sync/exceptions/:id/resolve, and by
// an administrator (Hub.resolveException, and the `admin exceptions` / `admin resolve-exception`
// commands). The first resolution stands; every branch concerned sees it in its exceptions feed;
// a station acts only for its own branch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExceptionNotice, PushResponse, ResolveExceptionResponse } from '../../src/api/sync-protocol';
import type { JournalEntry } from '../../src/domain/journal';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub, type StationIdentity } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { databases, dropSchemas, freshSchema, item, Journals, loan, patron, PG_URL } from './fixtures';
import { call } from './http-client';

afterAll(dropSchemas);

const t0 = Date.UTC(2026, 10, 20, 15);

/** Two branches lend the same copy while apart: one lent_twice exception for both. */
async function library(db: HubDb) {
  await migrateHub(db);
  const hub = new Hub(db);
  const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  const east = await hub.addBranch({ code: 'E', name: 'East', timeZone: 'America/New_York' });
  const enrol = async (code: string, branchId: string) => {
    const e = await hub.enrol(await hub.createEnrolmentCode(code), `${code} desk`);
    return { id: { stationId: e.stationId, branchId } as StationIdentity, credential: e.credential };
  };
  const a = await enrol('N', north);
  const b = await enrol('S', south);
  const c = await enrol('E', east);
  const j = new Journals();
  // The accounts whose desks resolve exceptions below, and the one that does the rest.
  await j.desk(db, north, 'staff-al');
  await j.desk(db, south, 'staff-bea');
  await j.desk(db, north);
  await hub.push(
    a.id,
    [
      j.entry(a.id, 'patrons.register', [patron('ana', '21', north)], t0),
      j.entry(a.id, 'catalogue.addItem', [item('i1', 'available', north)], t0),
    ],
    Date.now(),
  );
  await hub.push(
    a.id,
    [
      j.entry(
        a.id,
        'circulation.checkout',
        [loan('L1', 'i1', 'ana', north, t0 + 1000), item('i1', 'on_loan', north)],
        t0 + 1000,
      ),
    ],
    Date.now(),
  );
  const lent = await hub.push(
    b.id,
    [
      j.entry(b.id, 'patrons.register', [patron('ben', '22', south)], t0),
      j.entry(
        b.id,
        'circulation.checkout',
        [loan('L2', 'i1', 'ben', south, t0 + 5000), item('i1', 'on_loan', south)],
        t0 + 5000,
      ),
    ],
    Date.now(),
  );
  const exception = lent.exceptions![0]!;
  expect(exception).toMatchObject({ kind: 'lent_twice' });
  return { hub, north, south, east, a, b, c, j, exception };
}

const resolution = (
  j: Journals,
  s: StationIdentity,
  id: string,
  note: string | null,
  staffId = 'staff-bea',
): JournalEntry =>
  j.sign({
    ...j.entry(s, 'sync.resolveException', [], t0 + 60_000),
    staffId,
    payload: { input: { id, note }, effects: [] },
  });

describe.each(databases())('resolving sync exceptions at the hub on %s', (_name, open) => {
  it("takes a resolution from a station's journal once, shows it to every branch concerned, and keeps the first", async () => {
    const db = await open();
    try {
      const { hub, north, south, east, a, b, c, j, exception } = await library(db);
      const cursorN = (await hub.exceptionsFor(north)).nextCursor;
      const cursorS = (await hub.exceptionsFor(south)).nextCursor;
      expect((await hub.exceptionsFor(east)).exceptions).toEqual([]);

      // South's desk resolves it; the batch arrives twice (a lost answer): applied once.
      const batch = [resolution(j, b.id, exception.id, 'Ben keeps it; Ana called')];
      const first = await hub.push(b.id, batch, Date.now());
      expect(first.outcomes).toEqual([{ id: batch[0]!.id, outcome: 'applied' }]);
      expect(await hub.push(b.id, batch, Date.now())).toMatchObject({ outcomes: first.outcomes });
      const [resolved] = (await hub.listExceptions(true)).filter((x) => x.id === exception.id);
      expect(resolved).toMatchObject({
        resolvedAt: t0 + 60_000,
        resolvedBy: 'staff-bea',
        resolutionNote: 'Ben keeps it; Ana called',
      });
      expect(await hub.listExceptions()).toEqual([]);

      // Both branches concerned get it again, resolved, after their cursors; East gets nothing.
      for (const [branch, cursor] of [
        [north, cursorN],
        [south, cursorS],
      ] as const) {
        const feed = await hub.exceptionsFor(branch, Number(cursor));
        expect(feed.exceptions).toEqual([
          expect.objectContaining({ id: exception.id, resolvedAt: t0 + 60_000, resolvedBy: 'staff-bea' }),
        ]);
        expect(Number(feed.nextCursor)).toBeGreaterThan(Number(cursor));
        expect((await hub.exceptionsFor(branch, Number(feed.nextCursor))).exceptions).toEqual([]);
      }
      expect((await hub.exceptionsFor(east)).exceptions).toEqual([]);

      // North resolves it too (it had not heard): the first resolution stands, and North is told.
      const late = await hub.push(
        a.id,
        [resolution(j, a.id, exception.id, 'lent to Ana again', 'staff-al')],
        Date.now(),
      );
      expect(late.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: 'already resolved by staff-bea',
      });
      expect((await hub.listExceptions(true))[0]).toMatchObject({
        resolvedBy: 'staff-bea',
        resolutionNote: 'Ben keeps it; Ana called',
      });

      // East may not resolve what does not concern it, nor anything that does not exist.
      const east1 = await hub.push(
        c.id,
        [resolution(j, c.id, exception.id, null), resolution(j, c.id, 'hub-99999', null)],
        Date.now(),
      );
      expect(east1.outcomes.map((o) => [o.outcome, o.reason])).toEqual([
        ['rejected', 'that exception does not concern this branch'],
        ['rejected', 'no exception hub-99999 at the hub'],
      ]);
    } finally {
      await db.close();
    }
  });

  it('counts the branch whose entry made an exception among those it concerns: the desk that was told lists it, hears of it resolved, and may resolve it', async () => {
    const db = await open();
    try {
      const { hub, north, east, a, c, j } = await library(db);
      // A copy of North's is missing; a hold for its title waits at North.
      const hold = {
        id: 'H1',
        patronId: 'ana',
        recordId: 'r1',
        itemId: null,
        itemLevel: false,
        pickupBranchId: north,
        placedAt: t0,
        status: 'pending',
        suspendedUntil: null,
        waitingSince: null,
        shelfExpiresOn: null,
      };
      await hub.push(
        a.id,
        [
          j.entry(a.id, 'catalogue.addItem', [item('i2', 'missing', north)], t0),
          j.entry(a.id, 'holds.place', [{ table: 'holds', op: 'upsert', row: hold }], t0),
        ],
        Date.now(),
      );
      // East's desk finds it (the copy stays North's: no loan to close): the hub answers East that
      // a hold waits for it, so East's desk lists a hold_to_pull naming a copy in East's hands.
      const cursorE = Number((await hub.exceptionsFor(east)).nextCursor);
      const found = await hub.push(
        c.id,
        [j.entry(c.id, 'catalogue.setItemStatus', [item('i2', 'available', north)], t0 + 10_000)],
        Date.now(),
      );
      expect(found.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('pull it from the shelf'),
      });
      const pull = found.exceptions![0]!;
      expect(pull).toMatchObject({ kind: 'hold_to_pull', itemId: 'i2', patronIds: ['ana'] });
      // The exception East was told of is in East's feed, as it is in North's...
      expect((await hub.exceptionsFor(east, cursorE)).exceptions.map((x) => x.id)).toEqual([pull.id]);
      expect((await hub.exceptionsFor(north)).exceptions.map((x) => x.id)).toContain(pull.id);
      // ...so East's staff may resolve it (before, the hub rejected that: 'does not concern this
      // branch', and East's list kept it open, or resolved at East alone, for ever).
      const done = await hub.push(c.id, [resolution(j, c.id, pull.id, 'pulled it')], Date.now());
      expect(done.outcomes.map((o) => o.outcome)).toEqual(['applied']);
      const feed = await hub.exceptionsFor(north);
      expect(feed.exceptions.find((x) => x.id === pull.id)).toMatchObject({
        resolvedBy: 'staff-bea',
        resolutionNote: 'pulled it',
      });
    } finally {
      await db.close();
    }
  });

  it('resolves over HTTP for a station of a branch concerned, and for an administrator', async () => {
    const db = await open();
    const { hub, a, b, c, j, north, south, east } = await library(db);
    const server = await createHubServer({ hub });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = (path: string) => `http://127.0.0.1:${(server.server.address() as AddressInfo).port}${path}`;
    try {
      // A second exception: two desks registered the same card.
      const dup = (await hub.push(
        b.id,
        [j.entry(b.id, 'patrons.register', [patron('ana2', '21', south)], t0)],
        Date.now(),
      )) as PushResponse;
      const duplicate = dup.exceptions![0]!;
      const [lentTwice] = (await hub.listExceptions()).map((x) => x.id);

      expect((await call(url(`/sync/exceptions/${lentTwice}/resolve`), { body: { note: 'x' } })).status).toBe(401);
      expect(
        (await call(url(`/sync/exceptions/${lentTwice}/resolve`), { body: { note: 'x' }, credential: c.credential }))
          .status,
      ).toBe(403);
      expect(
        (await call(url('/sync/exceptions/hub-424242/resolve'), { body: {}, credential: a.credential })).status,
      ).toBe(404);
      expect(
        (await call(url(`/sync/exceptions/${lentTwice}/resolve`), { body: { note: 7 }, credential: a.credential }))
          .status,
      ).toBe(400);

      const done = await call(url(`/sync/exceptions/${lentTwice}/resolve`), {
        body: { staffId: 'staff-al', note: 'Ana brought it back' },
        credential: a.credential,
      });
      expect(done.status).toBe(200);
      // The credential proves the station, not the staff id the body claims: recorded as the station's.
      const byStation = `station ${a.id.stationId} (for staff-al, unverified)`;
      expect(done.body as ResolveExceptionResponse).toMatchObject({
        alreadyResolved: false,
        exception: { id: lentTwice, resolvedBy: byStation, resolutionNote: 'Ana brought it back' },
      });
      // Again (a retry after a lost answer, or another desk): nothing changes.
      const again = await call(url(`/sync/exceptions/${lentTwice}/resolve`), {
        body: { note: 'second try' },
        credential: b.credential,
      });
      expect(again.body as ResolveExceptionResponse).toMatchObject({
        alreadyResolved: true,
        exception: { resolvedBy: byStation, resolutionNote: 'Ana brought it back' },
      });
      // The feed a station pulls shows it resolved (after the duplicate card, which North sees
      // too: card 21 was first registered there).
      const feed = await call(url('/sync/exceptions?after=0'), { credential: a.credential });
      expect((feed.body as { exceptions: ExceptionNotice[] }).exceptions).toEqual([
        expect.objectContaining({ id: duplicate.id, resolvedAt: null }),
        expect.objectContaining({ id: lentTwice, resolvedBy: byStation }),
      ]);

      // The administrator deals with the duplicate card, which North's and South's desks see.
      const admin = await hub.resolveException(duplicate.id.replace('hub-', ''), 'hub admin alice', 'merged into ana');
      expect(admin).toMatchObject({
        alreadyResolved: false,
        exception: { id: duplicate.id, resolvedBy: 'hub admin alice' },
      });
      await expect(hub.resolveException('nonsense', 'alice', null)).rejects.toMatchObject({ status: 404 });
      expect(await hub.listExceptions()).toEqual([]);
      expect((await hub.listExceptions(true)).map((x) => x.id)).toEqual([lentTwice, duplicate.id]);
      expect((await hub.exceptionsFor(north)).exceptions.map((x) => x.id)).toEqual([lentTwice, duplicate.id]);
      expect((await hub.exceptionsFor(east)).exceptions.map((x) => x.id)).toEqual([]);
    } finally {
      await server.close();
      await db.close();
    }
  });
});

describe('the admin commands for exceptions', () => {
  it('lists open exceptions, resolves one with a note, and lists it with --all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-hub-cli-'));
    try {
      const db = await openHubDb({ dataDir: dir });
      const { exception } = await library(db);
      await db.close();
      const admin = (...args: string[]) =>
        execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/hub.ts', 'admin', ...args, '--data', dir], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, DATABASE_URL: '' },
        });
      expect(admin('exceptions')).toMatch(new RegExp(`${exception.id}\\s+lent_twice\\s+\\S+\\s+N,S\\s+open`));
      expect(
        admin('resolve-exception', exception.id.replace('hub-', ''), '--note', 'Ben keeps it', '--by', 'alice'),
      ).toContain(`${exception.id} resolved`);
      expect(admin('exceptions')).toContain('no unresolved exceptions');
      expect(admin('exceptions', '--all')).toMatch(/resolved \S+ by alice: Ben keeps it/);
      expect(admin('resolve-exception', exception.id, '--note', 'again')).toContain('already resolved by alice');
      expect(() => admin('resolve-exception', exception.id)).toThrow(/--note is required/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the exceptions feed on PostgreSQL with a late commit', () => {
  it("never lets a station's cursor pass an exception whose transaction commits late", async () => {
    const schema = freshSchema();
    const db = await openHubDb({ databaseUrl: PG_URL, schema });
    const late = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    try {
      const { hub, north, exception } = await library(db);
      const start = Number((await hub.exceptionsFor(north)).nextCursor);
      // Another hub process is half-way through a push that makes an exception for North.
      await late.connect();
      await late.query('BEGIN');
      await late.query(
        `INSERT INTO exceptions (kind, message, patron_ids, item_id, entry_ids, branch_ids, created_at) VALUES ('lent_twice', 'late', '[]', NULL, '[]', $1, 0)`,
        [JSON.stringify([north])],
      );
      // Meanwhile North's exception is resolved here: it waits for the late one to commit...
      let done = false;
      const resolving = hub.resolveException(exception.id, 'alice', 'meanwhile').then(() => (done = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(done).toBe(false);
      // ...so a station reading now moves its cursor past neither.
      expect((await hub.exceptionsFor(north, start)).exceptions).toEqual([]);
      await late.query('COMMIT');
      await resolving;
      const feed = await hub.exceptionsFor(north, start);
      expect(feed.exceptions.map((x) => (x.message === 'late' ? 'late' : x.resolvedBy))).toEqual(['late', 'alice']);
    } finally {
      await late.end();
      await db.close();
    }
  });
});
