// The hub as it runs for real: `src/cli/hub.ts` in child processes. Two hub processes start at
// once on one PostgreSQL database (their migrations must not race) and serve the same station;
// one is killed with SIGKILL in the middle of a push and restarted; nothing is lost or doubled.
// On PGlite (its data folder) and on PostgreSQL, a real station's journal is pushed to one hub
// process killed with SIGKILL in the middle of pushes, three times, and restarted: the station
// resumes by itself, the hub keeps every entry it acknowledged and applies each exactly once.
// And the hub over HTTPS with a certificate made here, to a client that trusts only that.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/domain/journal';
import type { EnrolResponse, PushResponse } from '../../src/api/sync-protocol';
import { openHubDb, type Queryable } from '../../src/hub/db';
import { unsealPrivateKey } from '../../src/shared/signing';
import { dropSchemas, freshSchema, item, Journals, loan, patron, PG_URL } from './fixtures';
import { call } from './http-client';
import { hubAdmin, killHubChildren, startHubProcess, type HubProcess } from './hub-process';

const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  killHubChildren();
  await dropSchemas();
});

const admin = (args: string[], env: NodeJS.ProcessEnv): string => hubAdmin(args, env);
const startHub = (args: string[], env: NodeJS.ProcessEnv): Promise<HubProcess> => startHubProcess(args, env);

const codeFrom = (out: string) => /enrolment code[^:]*: (\S+)/.exec(out)![1]!;

describe('hub processes on PostgreSQL', () => {
  it('two processes share one database; one killed with SIGKILL mid-push loses and doubles nothing', async () => {
    const schema = freshSchema();
    const setup = new pg.Client({ connectionString: PG_URL });
    await setup.connect();
    await setup.query(`CREATE SCHEMA "${schema}"`);
    const env = {
      DATABASE_URL: `${PG_URL}?application_name=${schema}&options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    };
    const count = async (sql: string) => Number((await setup.query(sql.replaceAll('$S', `"${schema}"`))).rows[0].n);
    try {
      // Both start at once: each applies the migrations it needs under the advisory lock.
      const started = await Promise.all([startHub([], env), startHub([], env)]);
      let one = started[0];
      const two = started[1];
      expect(await count(`SELECT count(*) AS n FROM $S.hub_migrations`)).toBe(
        JSON.parse(readFileSync('migrations/hub/meta/_journal.json', 'utf8')).entries.length,
      );
      admin(
        [
          'init',
          '--library',
          'County Library',
          '--branch',
          'N:North:America/New_York',
          '--admin',
          'alice',
          '--password',
          'correct horse',
        ],
        env,
      );
      const enrolled = (
        await call(`${one.url}/enrol`, {
          body: { code: codeFrom(admin(['enrol-station', '--branch', 'N'], env)), stationName: 'north desk' },
        })
      ).body as EnrolResponse;
      const station = { stationId: enrolled.stationId, branchId: enrolled.branchId };

      // A busy day offline at alice's desk: 3 batches of 400 entries (register, add a copy, lend
      // it), signed with the key `admin init` sealed with her password, as her desk signs them.
      const j = new Journals();
      const alice = (
        await setup.query<{ id: string; data: { sealedKey: string } }>(
          `SELECT id, data FROM "${schema}".rows WHERE table_name = 'staff' AND data->>'username' = 'alice'`,
        )
      ).rows[0]!;
      j.signer(alice.id, (await unsealPrivateKey(alice.data.sealedKey, 'correct horse'))!);
      j.defaultStaff = alice.id;
      const t0 = Date.UTC(2026, 10, 20, 15);
      const entries: JournalEntry[] = [];
      for (let n = 0; n < 400; n += 1) {
        entries.push(j.entry(station, 'patrons.register', [patron(`p${n}`, `card${n}`, station.branchId)], t0 + n));
        entries.push(j.entry(station, 'catalogue.addItem', [item(`i${n}`, 'available', station.branchId)], t0 + n));
        entries.push(
          j.entry(
            station,
            'circulation.checkout',
            [loan(`L${n}`, `i${n}`, `p${n}`, station.branchId, t0 + n), item(`i${n}`, 'on_loan', station.branchId)],
            t0 + n,
          ),
        );
      }
      const batches = [entries.slice(0, 400), entries.slice(400, 800), entries.slice(800)];
      const push = (url: string, batch: JournalEntry[]) =>
        call(`${url}/sync/push`, {
          body: { stationWallTime: Date.now(), entries: batch },
          credential: enrolled.credential,
          timeoutMs: 60_000,
        });

      expect(((await push(one.url, batches[0]!)).body as PushResponse).expectedSeq).toBe(401);

      // The second batch goes to process one, which is killed while its transaction is open
      // (the station's advisory lock is held).
      const inFlight = push(one.url, batches[1]!).catch((e: Error) => e);
      await expect
        .poll(
          async () =>
            count(
              `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objid <> 7400 AND a.application_name = '${schema}'`,
            ),
          { timeout: 30_000, interval: 5 },
        )
        .toBeGreaterThan(0);
      one.child.kill('SIGKILL');
      expect(await inFlight).toBeInstanceOf(Error);
      // The batch is in whole or not at all, never in part.
      expect([400, 800]).toContain(await count(`SELECT count(*) AS n FROM $S.received`));

      // The station retries everything not acknowledged, through the other process, and the
      // killed one comes back and is sent a copy too.
      one = await startHub([], env);
      const [viaTwo, viaOne] = await Promise.all([
        push(two.url, [...batches[1]!, ...batches[2]!]),
        push(one.url, batches[1]!),
      ]);
      expect(viaTwo.status).toBe(200);
      expect(viaOne.status).toBe(200);
      expect(((await push(one.url, batches[2]!)).body as PushResponse).expectedSeq).toBe(1201);
      // Every entry answers with its one outcome.
      for (const part of [entries.slice(0, 1000), entries.slice(1000)]) {
        const again = (await push(two.url, part)).body as PushResponse;
        expect(again.outcomes.map((o) => [o.id, o.outcome])).toEqual(part.map((e) => [e.id, 'applied']));
      }

      expect(await count(`SELECT count(*) AS n FROM $S.received`)).toBe(1200);
      expect(await count(`SELECT count(DISTINCT seq) AS n FROM $S.received`)).toBe(1200);
      expect(await count(`SELECT count(*) AS n FROM $S.rows WHERE table_name = 'loans'`)).toBe(400);
      expect(
        await count(`SELECT count(*) AS n FROM $S.rows WHERE table_name = 'items' AND data->>'status' = 'on_loan'`),
      ).toBe(400);
      expect(await count(`SELECT count(*) AS n FROM $S.exceptions`)).toBe(0);
      one.child.kill('SIGTERM');
      two.child.kill('SIGTERM');
    } finally {
      await setup.end();
    }
  }, 180_000);
});

/** A push seen by the relay: when it reached the hub whole, and when its answer started back. */
interface PushSeen {
  bytes: number;
  deliveredAt: number;
  answeredAt: number | null;
  /** Its answer was kept from the station. */
  held: boolean;
  /** Its connection closed before any answer. */
  cut: boolean;
}

/**
 * Between the station and the hub, a TCP relay that reads the HTTP it carries just enough to see
 * when a push has reached the hub whole and whether its answer has started: the moment to kill
 * the hub. Its target follows the hub when it restarts (the station keeps one address, as it
 * would behind a name or a load balancer).
 */
interface Relay {
  url: string;
  target: number;
  pushes: PushSeen[];
  /** Keep the answers to pushes from the station (the hub committed, the station does not know). */
  holdAnswers: boolean;
  close(): Promise<void>;
}

async function startRelay(target: number): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    return s;
  };
  const pushes: PushSeen[] = [];
  const relay: Relay = { url: '', target, pushes, holdAnswers: false, close: async () => undefined };
  const server = net.createServer((client) => {
    track(client).pause();
    const upstream = track(net.connect({ port: relay.target, host: '127.0.0.1' }));
    upstream.on('connect', () => client.resume());
    let head = Buffer.alloc(0);
    let bodyLeft = 0;
    let request = { push: false, bytes: 0 };
    let waiting: PushSeen | null = null;
    let holding = false;
    const delivered = () => {
      if (!request.push) return;
      waiting = { bytes: request.bytes, deliveredAt: performance.now(), answeredAt: null, held: false, cut: false };
      pushes.push(waiting);
    };
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      let rest = chunk;
      while (rest.length > 0) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, rest.length);
          bodyLeft -= n;
          rest = rest.subarray(n);
          if (bodyLeft === 0) delivered();
          continue;
        }
        head = Buffer.concat([head, rest]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) break;
        const text = head.subarray(0, end).toString('latin1');
        rest = head.subarray(end + 4);
        head = Buffer.alloc(0);
        bodyLeft = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
        request = { push: text.startsWith('POST /sync/push '), bytes: bodyLeft };
        if (bodyLeft === 0) delivered();
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (waiting) {
        waiting.answeredAt = performance.now();
        waiting.held = holding = relay.holdAnswers;
      }
      waiting = null;
      if (!holding) client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (waiting) waiting.cut = true;
      client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  relay.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return relay;
}

const STATION = fileURLToPath(new URL('../sync/station-child.ts', import.meta.url));
const ENTRIES = 3000; // six batches of the station's 500
const BATCH = 500;

/** The station of tests/sync/station-kill.test.ts: joins, journals ENTRIES registrations offline, syncs them by itself. */
function startStation(dataDir: string, hubUrl: string, code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', STATION, dataDir, hubUrl, code, String(ENTRIES)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.split('\n').includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`station exited early (${code})`)));
  });
}

/** The station's journal, by seq: which entries the hub acknowledged, and with what. */
function stationJournal(dataDir: string): { id: string; seq: number; outcome: string | null }[] {
  const db = new Database(join(dataDir, 'station.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, seq, outcome FROM journal ORDER BY seq').all() as {
      id: string;
      seq: number;
      outcome: string | null;
    }[];
  } finally {
    db.close();
  }
}

interface Backend {
  name: string;
  /** Arguments of the hub command and of its admin commands. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Reads the hub's database, its hub process gone (killed, or stopped when `final`). */
  read<T>(fn: (db: Queryable) => Promise<T>, final: boolean): Promise<T>;
  /** Checks what a hub killed with SIGKILL left behind. */
  afterKill(): void;
  /** Checks the restarted hub's first words. */
  afterRestart(stderr: string): void;
  afterStop(): void;
  cleanup(): Promise<void>;
}

async function onPglite(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'circa-hub-kill-'));
  const data = join(dir, 'data');
  return {
    name: 'PGlite',
    args: ['--data', data],
    env: { DATABASE_URL: '' },
    async read(fn, final) {
      // Between a kill and the restart, a copy: the folder itself keeps the stale lock and
      // postmaster.pid the killed hub left, for the restarted hub to deal with.
      let folder = data;
      if (!final) {
        folder = join(dir, `copy-${Date.now()}`);
        cpSync(data, folder, { recursive: true });
        rmSync(join(folder, 'hub.lock'));
      }
      const db = await openHubDb({ dataDir: folder });
      try {
        return await fn(db);
      } finally {
        await db.close();
        if (!final) rmSync(folder, { recursive: true, force: true });
      }
    },
    afterKill() {
      // The lock of the killed process, and PGlite's own postmaster.pid, are still there.
      expect(JSON.parse(readFileSync(join(data, 'hub.lock'), 'utf8'))).toMatchObject({ pid: expect.any(Number) });
      expect(existsSync(join(data, 'pglite', 'postmaster.pid'))).toBe(true);
    },
    afterRestart(stderr) {
      // They do not stop the restart; the takeover is said in a line.
      expect(stderr).toMatch(
        /hub: stale lock \S+hub\.lock taken over: process \d+ is no longer running \(killed or crashed\)/,
      );
      // A second process on the folder while the hub runs would write over its WAL: it never
      // opens the database, and admin commands go to the running hub's admin API instead, which
      // asks who is asking (docs/hub.md).
      let refusal = '';
      try {
        admin(['stations', '--data', data], { DATABASE_URL: '' });
      } catch (error) {
        refusal = String((error as { stderr?: string }).stderr);
      }
      expect(refusal).toMatch(
        /The hub at http:\/\/127\.0\.0\.1:\d+\/ is running: admin commands go through its admin API\. Sign in with --as/,
      );
    },
    afterStop() {
      expect(existsSync(join(data, 'hub.lock'))).toBe(false);
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function onPostgres(): Promise<Backend> {
  const schema = freshSchema();
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  const env = {
    DATABASE_URL: `${PG_URL}?application_name=${schema}&options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  };
  return {
    name: 'PostgreSQL',
    args: [],
    env,
    async read(fn) {
      // Until the server has seen the killed hub's connections go, its open transaction may yet end.
      await expect
        .poll(
          async () =>
            Number(
              (await client.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [schema]))
                .rows[0].n,
            ),
          { timeout: 30_000, interval: 20 },
        )
        .toBe(0);
      return fn({
        query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
      });
    },
    afterKill: () => undefined,
    afterRestart: () => undefined,
    afterStop: () => undefined,
    cleanup: () => client.end(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of [onPglite, onPostgres]) {
  describe(`a hub process on ${backend === onPglite ? 'PGlite (its data folder)' : 'PostgreSQL'}`, () => {
    it('killed with SIGKILL mid-push three times and restarted: the station resumes, every entry is applied once, nothing acknowledged is lost', async () => {
      const b = await backend();
      const stationDir = mkdtempSync(join(tmpdir(), 'circa-hub-kill-station-'));
      try {
        // Set up before the hub runs: on PGlite, admin commands need the folder to themselves.
        admin(
          [
            'init',
            ...b.args,
            '--library',
            'County Library',
            '--branch',
            'N:North:America/New_York',
            '--admin',
            'alice',
            '--password',
            'alice password',
          ],
          b.env,
        );
        const code = codeFrom(admin(['enrol-station', ...b.args, '--branch', 'N'], b.env));
        let hub = await startHub(b.args, b.env);
        const relay = await startRelay(Number(new URL(hub.url).port));
        const station = await startStation(stationDir, relay.url, code);
        const full = (p: PushSeen) => p.bytes > 50_000; // a batch, not an empty push

        // The first batch goes through: how long the hub takes over one.
        await expect
          .poll(() => relay.pushes.find(full)?.answeredAt ?? null, { timeout: 60_000, interval: 5 })
          .not.toBeNull();
        const first = relay.pushes.find(full)!;
        const takes = first.answeredAt! - first.deliveredAt;

        // Killed with a whole push at the hub: as it arrives, half way through (no answer yet),
        // and the instant it answers, its answer kept from the station (committed, unacknowledged).
        const kills: string[] = [];
        for (const moment of [{ fraction: 0 }, { fraction: 0.5 }, { hold: true }]) {
          let delay = takes * (moment.fraction ?? 0);
          relay.holdAnswers = moment.hold === true;
          // From the push at the hub now, if one is (the station may have come back already).
          const current = relay.pushes.findIndex((p) => p.answeredAt === null && !p.cut);
          for (let seen = current < 0 ? relay.pushes.length : current; ; seen = relay.pushes.length) {
            await expect.poll(() => relay.pushes.slice(seen).some(full), { timeout: 60_000, interval: 1 }).toBe(true);
            const push = relay.pushes.slice(seen).find(full)!;
            if (moment.hold) {
              await expect.poll(() => push.held, { timeout: 60_000, interval: 1 }).toBe(true);
              break;
            }
            if (delay > 0) await sleep(delay - (performance.now() - push.deliveredAt));
            if (push.answeredAt === null) break;
            delay *= 0.5; // answered first: sooner on the next batch
          }
          hub.child.kill('SIGKILL');
          await hub.exited;
          b.afterKill();

          // The hub's data as the kill left it, then the station's acknowledgements, final now
          // that no hub answers (an answer already on its way has had time to land).
          const atHub = await b.read(
            (db) => db.query<{ entry_id: string; seq: string }>('SELECT entry_id, seq FROM received ORDER BY seq'),
            false,
          );
          await sleep(300);
          const journal = stationJournal(stationDir);
          const acked = journal.filter((e) => e.outcome !== null);
          expect(acked.map((e) => e.seq)).toEqual(acked.map((_, i) => i + 1));
          // Nothing the hub acknowledged is lost.
          expect(atHub.slice(0, acked.length).map((r) => r.entry_id)).toEqual(acked.map((e) => e.id));
          // The batch in flight is in whole or not at all, and what is in is the journal's order.
          expect(atHub.map((r) => Number(r.seq))).toEqual(atHub.map((_, i) => i + 1));
          expect(atHub.map((r) => r.entry_id)).toEqual(journal.slice(0, atHub.length).map((e) => e.id));
          expect([acked.length, acked.length + Math.min(BATCH, ENTRIES - acked.length)]).toContain(atHub.length);
          kills.push(`${acked.length} acknowledged, ${atHub.length - acked.length} committed unanswered`);
          expect(acked.length, 'the station finished before the kills did').toBeLessThan(ENTRIES);

          if (moment.hold)
            expect(atHub.length, 'the held answer was for a committed batch').toBeGreaterThan(acked.length);
          relay.holdAnswers = false;

          // Restarted on the same data; the station, backing off, finds it again by itself.
          hub = await startHub(b.args, b.env);
          relay.target = Number(new URL(hub.url).port);
          b.afterRestart(hub.stderr());
        }
        console.log(`${b.name}: a push takes ${Math.round(takes)} ms; killed with ${kills.join('; ')}`);

        await expect
          .poll(() => stationJournal(stationDir).every((e) => e.outcome !== null), { timeout: 120_000, interval: 100 })
          .toBe(true);
        station.kill('SIGTERM');
        hub.child.kill('SIGTERM');
        await hub.exited;
        await relay.close();
        b.afterStop();

        // Every entry once, in the station's order, applied; nothing doubled.
        const journal = stationJournal(stationDir);
        const atHub = await b.read(
          async (db) => ({
            received: await db.query<{ entry_id: string; seq: string; outcome: string }>(
              'SELECT entry_id, seq, outcome FROM received ORDER BY seq',
            ),
            patrons: Number(
              (await db.query<{ n: string }>(`SELECT count(*) AS n FROM rows WHERE table_name = 'patrons'`))[0]!.n,
            ),
            exceptions: Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM exceptions'))[0]!.n),
          }),
          true,
        );
        expect(journal).toHaveLength(ENTRIES);
        expect(journal.every((e) => e.outcome === 'applied')).toBe(true);
        expect(atHub.received.map((r) => [r.entry_id, Number(r.seq), r.outcome])).toEqual(
          journal.map((e) => [e.id, e.seq, 'applied']),
        );
        expect(atHub.patrons).toBe(ENTRIES);
        expect(atHub.exceptions).toBe(0);
      } finally {
        await b.cleanup();
        rmSync(stationDir, { recursive: true, force: true });
      }
    }, 300_000);
  });
}

describe('the hub over HTTPS', () => {
  it('serves with the given certificate, which a client trusting only that certificate accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-hub-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
        ],
        {
          stdio: 'ignore',
        },
      );
      const ca = readFileSync(join(dir, 'cert.pem'));
      const data = join(dir, 'data');
      admin(['init', '--data', data, '--library', 'County Library', '--branch', 'Main:UTC'], {});
      const code = codeFrom(admin(['enrol-station', '--data', data, '--branch', 'MAIN'], {}));
      const { child, url } = await startHub(
        ['--data', data, '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')],
        {},
      );
      expect(url).toMatch(/^https:/);
      // Without the certificate the client refuses the hub: no silent trust.
      await expect(call(`${url}/health`)).rejects.toThrow(/self[- ]signed|certificate/i);
      const enrolled = await call(`${url}/enrol`, { body: { code, stationName: 'desk' }, ca });
      expect(enrolled.status).toBe(200);
      const feed = await call(`${url}/sync/changes?after=0`, {
        credential: (enrolled.body as EnrolResponse).credential,
        ca,
      });
      expect(feed.body).toMatchObject({ more: false });
      expect((feed.body as { changes: { table: string }[] }).changes.some((c) => c.table === 'branches')).toBe(true);
      // Plain HTTP on the TLS port gets nothing.
      await expect(call(url.replace('https:', 'http:') + '/health', { timeoutMs: 3000 })).rejects.toThrow();
      child.kill('SIGTERM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
