// A station killed with SIGKILL in the middle of pushing its journal: restarted, it sends the
// rest, and the hub holds every entry exactly once, in order. Nothing the station confirmed is
// lost, nothing is applied twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';

const CHILD = fileURLToPath(new URL('./station-child.ts', import.meta.url));
const ENTRIES = 3000;

let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let url: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await openHubDb({});
  await migrateHub(db);
  hub = new Hub(db);
  await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  await hub.init({
    libraryName: 'County Library',
    admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
  });
  server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await server.close();
  await db.close();
});

/** Starts the station process; resolves once it runs, with a way to read what it says. */
function startStation(dataDir: string, code: string): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url, code, String(ENTRIES)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
      if (parts.includes('ready')) resolve({ child, lines });
    });
    child.once('exit', (code) => reject(new Error(`station exited early (${code})`)));
  });
}

const receivedCount = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM received'))[0]!.n);

describe('a station killed during a sync', () => {
  it('sends the rest after a restart: every entry reaches the hub exactly once, in order', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'circa-kill-'));
    const code = await hub.createEnrolmentCode('N');
    const first = await startStation(dataDir, code);
    // Kill it the moment the hub has part of the journal: some batches in, others not sent yet.
    await expect.poll(receivedCount, { timeout: 30_000, interval: 5 }).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const atKill = await receivedCount();
    expect(atKill).toBeLessThan(ENTRIES);
    console.log(`killed with ${atKill} of ${ENTRIES} entries at the hub`);

    // Restarted (the code is spent; the station already holds its credential).
    const second = await startStation(dataDir, code);
    await expect.poll(() => second.lines.at(-1), { timeout: 60_000 }).toBe('waiting 0');
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));

    // The hub: every entry once, seqs 1..N with no gap, and as many patrons as were registered.
    const rows = await db.query<{ n: string; distinct_ids: string; min: string; max: string }>(
      'SELECT count(*) AS n, count(DISTINCT entry_id) AS distinct_ids, min(seq) AS min, max(seq) AS max FROM received',
    );
    expect(Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]))).toEqual({
      n: ENTRIES,
      distinct_ids: ENTRIES,
      min: 1,
      max: ENTRIES,
    });
    const patrons = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM rows WHERE table_name = 'patrons' AND deleted = 0`,
    );
    expect(Number(patrons[0]!.n)).toBe(ENTRIES);
    // The station: everything acknowledged, nothing lost from its own journal.
    const station = new Database(join(dataDir, 'station.db'), { readonly: true });
    const journal = station.prepare('SELECT count(*) AS n, sum(acked_at IS NULL) AS waiting FROM journal').get() as {
      n: number;
      waiting: number;
    };
    station.close();
    expect(journal).toEqual({ n: ENTRIES, waiting: 0 });
  }, 120_000);
});
