// The hub as it runs for real: `src/cli/hub.ts` in child processes. Two hub processes start at
// once on one PostgreSQL database (their migrations must not race) and serve the same station;
// one is killed with SIGKILL in the middle of a push and restarted; nothing is lost or doubled.
// And the hub over HTTPS with a certificate made here, to a client that trusts only that.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/domain/journal';
import type { EnrolResponse, PushResponse } from '../../src/api/sync-protocol';
import { dropSchemas, freshSchema, item, Journals, loan, patron, PG_URL } from './fixtures';
import { call } from './http-client';

const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await dropSchemas();
});

const HUB = ['--import', 'tsx', 'src/cli/hub.ts'];

function admin(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [...HUB, 'admin', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

/** Starts a hub process (node itself, not a wrapper, so SIGKILL reaches the hub) and waits for its address. */
function startHub(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...HUB, '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Circa hub on (\S+?)\/? \(/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`hub exited (${code}): ${err}`)));
  });
}

const codeFrom = (out: string) => /enrolment code[^:]*: (\S+)/.exec(out)![1]!;

describe('hub processes on PostgreSQL', () => {
  it('two processes share one database; one killed with SIGKILL mid-push loses and doubles nothing', async () => {
    const schema = freshSchema();
    const setup = new pg.Client({ connectionString: PG_URL });
    await setup.connect();
    await setup.query(`CREATE SCHEMA "${schema}"`);
    const env = { DATABASE_URL: `${PG_URL}?application_name=${schema}&options=${encodeURIComponent(`-c search_path=${schema}`)}` };
    const count = async (sql: string) => Number((await setup.query(sql.replaceAll('$S', `"${schema}"`))).rows[0].n);
    try {
      // Both start at once: each applies the migrations it needs under the advisory lock.
      const started = await Promise.all([startHub([], env), startHub([], env)]);
      let one = started[0];
      const two = started[1];
      expect(await count(`SELECT count(*) AS n FROM $S.hub_migrations`)).toBe(JSON.parse(readFileSync('migrations/hub/meta/_journal.json', 'utf8')).entries.length);
      admin(['init', '--library', 'County Library', '--branch', 'N:North:America/New_York', '--admin', 'alice', '--password', 'correct horse'], env);
      const enrolled = (await call(`${one.url}/enrol`, { body: { code: codeFrom(admin(['enrol-station', '--branch', 'N'], env)), stationName: 'north desk' } })).body as EnrolResponse;
      const station = { stationId: enrolled.stationId, branchId: enrolled.branchId };

      // A busy day offline: 3 batches of 400 entries (register, add a copy, lend it).
      const j = new Journals();
      const t0 = Date.UTC(2026, 10, 20, 15);
      const entries: JournalEntry[] = [];
      for (let n = 0; n < 400; n += 1) {
        entries.push(j.entry(station, 'patrons.register', [patron(`p${n}`, `card${n}`, station.branchId)], t0 + n));
        entries.push(j.entry(station, 'catalogue.addItem', [item(`i${n}`, 'available', station.branchId)], t0 + n));
        entries.push(j.entry(station, 'circulation.checkout', [loan(`L${n}`, `i${n}`, `p${n}`, station.branchId, t0 + n), item(`i${n}`, 'on_loan', station.branchId)], t0 + n));
      }
      const batches = [entries.slice(0, 400), entries.slice(400, 800), entries.slice(800)];
      const push = (url: string, batch: JournalEntry[]) => call(`${url}/sync/push`, { body: { stationWallTime: Date.now(), entries: batch }, credential: enrolled.credential, timeoutMs: 60_000 });

      expect(((await push(one.url, batches[0]!)).body as PushResponse).expectedSeq).toBe(401);

      // The second batch goes to process one, which is killed while its transaction is open
      // (the station's advisory lock is held).
      const inFlight = push(one.url, batches[1]!).catch((e: Error) => e);
      await expect
        .poll(async () => count(`SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objid <> 7400 AND a.application_name = '${schema}'`), { timeout: 30_000, interval: 5 })
        .toBeGreaterThan(0);
      one.child.kill('SIGKILL');
      expect(await inFlight).toBeInstanceOf(Error);
      // The batch is in whole or not at all, never in part.
      expect([400, 800]).toContain(await count(`SELECT count(*) AS n FROM $S.received`));

      // The station retries everything not acknowledged, through the other process, and the
      // killed one comes back and is sent a copy too.
      one = await startHub([], env);
      const [viaTwo, viaOne] = await Promise.all([push(two.url, [...batches[1]!, ...batches[2]!]), push(one.url, batches[1]!)]);
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
      expect(await count(`SELECT count(*) AS n FROM $S.rows WHERE table_name = 'items' AND data->>'status' = 'on_loan'`)).toBe(400);
      expect(await count(`SELECT count(*) AS n FROM $S.exceptions`)).toBe(0);
      one.child.kill('SIGTERM');
      two.child.kill('SIGTERM');
    } finally {
      await setup.end();
    }
  }, 180_000);
});

describe('the hub over HTTPS', () => {
  it('serves with the given certificate, which a client trusting only that certificate accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-hub-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {
        stdio: 'ignore',
      });
      const ca = readFileSync(join(dir, 'cert.pem'));
      const data = join(dir, 'data');
      admin(['init', '--data', data, '--library', 'County Library', '--branch', 'Main:UTC'], {});
      const code = codeFrom(admin(['enrol-station', '--data', data, '--branch', 'MAIN'], {}));
      const { child, url } = await startHub(['--data', data, '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')], {});
      expect(url).toMatch(/^https:/);
      // Without the certificate the client refuses the hub: no silent trust.
      await expect(call(`${url}/health`)).rejects.toThrow(/self[- ]signed|certificate/i);
      const enrolled = await call(`${url}/enrol`, { body: { code, stationName: 'desk' }, ca });
      expect(enrolled.status).toBe(200);
      const feed = await call(`${url}/sync/changes?after=0`, { credential: (enrolled.body as EnrolResponse).credential, ca });
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
