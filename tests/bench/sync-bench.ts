// `npm run bench:sync`: how fast stations and the hub sync, with real parts: a hub process serving
// HTTP on a real socket, its database (PostgreSQL by default, in a schema of its own that is
// dropped at the end; `--pglite` for the embedded one), and real station stores on disk.
//
//   a. a busy day offline: 10,000 journal entries (check-outs, check-ins, renewals, payments,
//      registrations, made by the station's own services) pushed until the hub has applied all;
//   b. the first sync of a 1,000,000-item, 200,000-patron, 300,000-record library to a new
//      station, from enrolment until it is ready (the hub's database is seeded with bulk SQL);
//   c. 50 stations pushing at once: the hub's throughput and the p99 of a push request.
//
// `--scale 0.01` for a quick run, `--json` for a JSON last line, `--pg <url>` (or DATABASE_URL)
// for another PostgreSQL, `--only a,c` to run some of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { luhnCheckDigit } from '../../src/domain/barcode';
import type { KeyObject } from 'node:crypto';
import { signEntry, unsealPrivateKey } from '../../src/shared/signing';
import type { JournalEntry, RowChange } from '../../src/domain/journal';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { openStation, type StationServices } from '../../src/station/services';
import { enrolWithHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const scale = Number(option('scale', '1'));
const json = flag('json');
const usePglite = flag('pglite');
const only = new Set(option('only', 'a,b,c').split(','));
const PG_URL = option('pg', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const log = (...m: unknown[]) => {
  if (!json) console.log(...m);
};

const SIZE = {
  dayEntries: Math.max(100, Math.round(10_000 * scale)),
  items: Math.max(1000, Math.round(1_000_000 * scale)),
  patrons: Math.max(200, Math.round(200_000 * scale)),
  records: Math.max(300, Math.round(300_000 * scale)),
  stations: 50,
  perStation: Math.max(20, Math.round(1000 * scale)),
};
/** The library of scenarios a and c: large enough that lookups use the indexes, small enough to load quickly. */
const SMALL = { items: 20_000, patrons: 5_000, records: 6_000 };

const barcode = (kind: 2 | 3, n: number) => {
  const first13 = `${kind}0234${String(n).padStart(8, '0')}`;
  return `${first13}${luhnCheckDigit(first13)}`;
};
const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

// --- the hub's database and process --------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'circa-sync-bench-'));
const schemas: string[] = [];
const children = new Set<ChildProcess>();

interface HubSetup {
  db: HubDb;
  hub: Hub;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  mainBranch: string;
}

async function openBenchHub(name: string): Promise<HubSetup> {
  const dataDir = join(work, `hub-${name}`);
  let db: HubDb;
  let env: NodeJS.ProcessEnv = {};
  if (usePglite) {
    db = await openHubDb({ dataDir });
  } else {
    const schema = `circa_bench_${name}_${randomBytes(3).toString('hex')}`;
    schemas.push(schema);
    db = await openHubDb({ databaseUrl: PG_URL, schema });
    const sep = PG_URL.includes('?') ? '&' : '?';
    env = { DATABASE_URL: `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` };
  }
  await migrateHub(db);
  const hub = new Hub(db);
  const mainBranch = await hub.addBranch({ code: 'MAIN', name: 'Main Library', timeZone: 'America/New_York' });
  await hub.addBranch({ code: 'EAST', name: 'East Branch', timeZone: 'America/New_York' });
  await hub.init({
    libraryName: 'Bench County Library',
    admin: { branchCode: 'MAIN', username: 'admin', displayName: 'Admin', password: 'bench password' },
  });
  // A generous rule, so that the day's work is not refused by limits the bench does not test.
  await db.query(
    `UPDATE rows SET data = data || '{"renewalsAllowed": 1000, "maxLoans": null}'::jsonb, change_seq = nextval('change_seq') WHERE table_name = 'circulation_rules'`,
  );
  await db.query(
    `UPDATE rows SET data = data || '{"totalMaxLoans": null}'::jsonb, change_seq = nextval('change_seq') WHERE table_name = 'patron_limits'`,
  );
  return { db, hub, env, dataDir, mainBranch };
}

/**
 * The library straight into the hub's rows table with INSERT ... SELECT over generate_series:
 * what a migration from another system would do, and a minute rather than an hour of API calls.
 * Barcodes carry a check digit, computed here and passed as one array per table.
 */
async function seedLibrary(h: HubSetup, size: { items: number; patrons: number; records: number }): Promise<void> {
  const t0 = performance.now();
  const chunk = 200_000;
  await h.db.query(
    `INSERT INTO rows (table_name, id, data, deleted, change_seq)
     SELECT 'records', 'rec-' || g, jsonb_build_object('id', 'rec-' || g, 'title', 'Title ' || g || ' ' || md5(g::text), 'author', 'Author ' || (g % 5000),
       'isbn', '978' || lpad(g::text, 10, '0'), 'issn', null, 'publisher', 'Publisher ' || (g % 300), 'year', 1950 + g % 75, 'callNumber', (g % 1000) || '.' || (g % 97)),
       0, nextval('change_seq')
     FROM generate_series(1, $1::int) AS g`,
    [size.records],
  );
  for (let start = 1; start <= size.items; start += chunk) {
    const codes = Array.from({ length: Math.min(chunk, size.items - start + 1) }, (_, i) => barcode(3, start + i));
    await h.db.query(
      `INSERT INTO rows (table_name, id, data, deleted, change_seq)
       SELECT 'items', 'item-' || g, jsonb_build_object('id', 'item-' || g, 'barcode', code, 'recordId', 'rec-' || (1 + g % $3::int),
         'homeBranchId', $4::text, 'currentBranchId', $4::text, 'itemTypeCode', 'BOOK', 'status', 'available', 'damaged', false, 'notForLoan', false,
         'replacementPrice', 2500, 'transitToBranchId', null),
         0, nextval('change_seq')
       FROM unnest($2::text[]) WITH ORDINALITY AS u(code, k), LATERAL (SELECT $1::int + k::int - 1 AS g) AS n`,
      [start, codes, size.records, h.mainBranch],
    );
  }
  for (let start = 1; start <= size.patrons; start += chunk) {
    const cards = Array.from({ length: Math.min(chunk, size.patrons - start + 1) }, (_, i) => barcode(2, start + i));
    await h.db.query(
      `INSERT INTO rows (table_name, id, data, deleted, change_seq)
       SELECT 'patrons', 'pat-' || g, jsonb_build_object('id', 'pat-' || g, 'cardBarcode', code, 'firstName', 'First' || g, 'lastName', 'Last' || (g % 9000),
         'email', 'p' || g || '@example.org', 'phone', null, 'address', null, 'homeBranchId', $3::text, 'categoryCode', 'ADULT', 'cardExpiresOn', '2030-12-31',
         'pinHash', null, 'notes', '', 'keepReadingHistory', false, 'createdAt', 1700000000000),
         0, nextval('change_seq')
       FROM unnest($2::text[]) WITH ORDINALITY AS u(code, k), LATERAL (SELECT $1::int + k::int - 1 AS g) AS n`,
      [start, cards, h.mainBranch],
    );
  }
  await h.db.query('ANALYZE rows');
  log(
    `  seeded ${size.records.toLocaleString()} records, ${size.items.toLocaleString()} items, ${size.patrons.toLocaleString()} patrons in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

interface RunningHub {
  url: string;
  stop(): Promise<void>;
}

/**
 * The hub in a process of its own on PostgreSQL, as in production. PGlite is one process's
 * database (a folder one process opens), so on PGlite the hub serves from this process, still
 * over a real socket, and shares its CPU with the stations.
 */
async function startHub(h: HubSetup): Promise<RunningHub> {
  if (usePglite) {
    const app = await createHubServer({ hub: h.hub });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, stop: () => app.close() };
  }
  const { child, url } = await startHubProcess(h);
  return { url, stop: () => stopHub(child) };
}

function startHubProcess(h: HubSetup): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/hub.ts', '--port', '0', '--data', h.dataDir], {
    env: { ...process.env, ...h.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (!json) process.stderr.write(c);
    });
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

async function stopHub(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** A new station on disk, enrolled with the hub; the library not loaded yet. */
async function newStation(
  h: HubSetup,
  url: string,
  name: string,
  clock?: { now: number },
): Promise<{ s: StationServices; client: HttpHubClient }> {
  const s = openStation(join(work, `${name}.db`), clock ? { now: () => clock.now } : {});
  const code = await h.hub.createEnrolmentCode('MAIN');
  const { credential } = await enrolWithHub(s, { hubUrl: url, code, stationName: name });
  return { s, client: new HttpHubClient(url, credential) };
}

// --- a. a busy day offline -----------------------------------------------------------------------

async function busyDay(h: HubSetup, url: string): Promise<{ entries: number; seconds: number }> {
  const clock = { now: Date.UTC(2026, 10, 16, 14, 0, 0) };
  const { s, client } = await newStation(h, url, 'day', clock);
  const worker = new SyncWorker(s.ctx, client);
  await worker.syncNow();
  // The desk's work is the administrator's, signed with her key as at a real desk after sign-in.
  await s.auth.signIn('admin', 'bench password');
  const staffId = (s.store.db.prepare("SELECT id FROM staff WHERE username = 'admin'").get() as { id: string }).id;
  const staff = { kind: 'staff' as const, staffId };
  const target = SIZE.dayEntries;
  const count = () => (s.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  const t0 = performance.now();
  // The mix of a busy desk: 40% check-outs, 15% renewals, 30% check-ins, 5% payments, 10% registrations.
  const lent: string[] = [];
  const borrowerOf = s.store.db.prepare(
    'SELECT l.patron_id FROM loans l JOIN items i ON i.id = l.item_id WHERE i.barcode = ? AND l.returned_at IS NULL',
  );
  const finedPatrons: string[] = [];
  let nextItem = 1;
  let nextCard = SMALL.patrons + 1;
  const tryDo = (fn: () => void) => {
    try {
      fn();
    } catch {
      // A refusal writes nothing; the loop simply does something else.
    }
  };
  while (count() < target) {
    const left = target - count();
    const r = rand();
    clock.now += 2_000;
    if (r < 0.1 || left < 5) {
      tryDo(() =>
        s.patrons.register(
          {
            cardBarcode: barcode(2, nextCard++),
            firstName: 'New',
            lastName: 'Reader',
            categoryCode: 'ADULT',
            keepReadingHistory: false,
            pin: null,
          },
          staff,
        ),
      );
    } else if (r < 0.5 && nextItem <= SMALL.items) {
      const item = barcode(3, nextItem++);
      tryDo(() => {
        s.circulation.checkout(
          { patronBarcode: barcode(2, 1 + Math.floor(rand() * SMALL.patrons)), itemBarcode: item },
          staff,
        );
        lent.push(item);
      });
    } else if (r < 0.65 && lent.length > 0) {
      tryDo(() => s.circulation.renew({ itemBarcode: lent[Math.floor(rand() * lent.length)]! }, staff));
    } else if (r < 0.95 && lent.length > 0) {
      const item = lent.splice(Math.floor(rand() * lent.length), 1)[0]!;
      // Some come back late: a fine, which some patrons pay at once.
      const late = rand() < 0.2;
      if (late) clock.now += 30 * 86_400_000;
      const borrower = (borrowerOf.get(item) as { patron_id: string | null } | undefined)?.patron_id ?? null;
      tryDo(() => {
        const result = s.circulation.checkin({ itemBarcode: item }, staff);
        if (result.fine && borrower) finedPatrons.push(borrower);
      });
      if (late) clock.now -= 30 * 86_400_000;
    } else if (finedPatrons.length > 0) {
      const patronId = finedPatrons.pop()!;
      tryDo(() => s.fees.pay({ patronId, tendered: 100_000 }, staff));
    }
  }
  const kinds = s.store.db
    .prepare('SELECT command, count(*) AS n FROM journal GROUP BY command ORDER BY n DESC')
    .all() as { command: string; n: number }[];
  log(
    `  a day's work made offline in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${kinds.map((k) => `${k.command} ${k.n}`).join(', ')}`,
  );

  const entries = s.ctx.journal.waitingCount();
  const start = performance.now();
  let doneAt = 0;
  worker.onState((state) => {
    if (state.waiting === 0 && doneAt === 0) doneAt = performance.now();
  });
  await worker.syncNow();
  if (doneAt === 0 || s.ctx.journal.waitingCount() > 0)
    throw new Error(`the day did not reach the hub: ${worker.state().lastError}`);
  const received = Number((await h.db.query<{ n: string }>('SELECT count(*) AS n FROM received'))[0]!.n);
  if (received < entries) throw new Error(`the hub has ${received} of ${entries} entries`);
  s.close();
  return { entries, seconds: (doneAt - start) / 1000 };
}

// --- b. the first sync of a large library ---------------------------------------------------------

async function firstSync(h: HubSetup, url: string): Promise<{ rows: number; seconds: number }> {
  const expected = Number((await h.db.query<{ n: string }>('SELECT count(*) AS n FROM rows WHERE deleted = 0'))[0]!.n);
  const t0 = performance.now();
  const { s, client } = await newStation(h, url, 'first');
  const worker = new SyncWorker(s.ctx, client);
  let lastLog = 0;
  worker.onState((state) => {
    const load = (state as { initialLoad?: { done: number; total: number } | null }).initialLoad;
    if (load && performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      log(`  loading: ${load.done.toLocaleString()} / ${load.total.toLocaleString()} rows`);
    }
  });
  const state = await worker.syncNow();
  const seconds = (performance.now() - t0) / 1000;
  if (state.lastError) throw new Error(`first sync failed: ${state.lastError}`);
  const items = (s.store.db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  const patrons = (s.store.db.prepare('SELECT count(*) AS n FROM patrons').get() as { n: number }).n;
  if (items !== SIZE.items || patrons < SIZE.patrons)
    throw new Error(`the station has ${items} items and ${patrons} patrons`);
  s.close();
  return { rows: expected, seconds };
}

// --- c. fifty stations at once -----------------------------------------------------------------------

/** A station's journal as the desk writes it: whole new rows for each command's effects. */
/** Entries as a desk signs them: the administrator's, with her key (src/shared/signing.ts). */
interface Signer {
  staffId: string;
  key: KeyObject;
}

async function adminSigner(h: HubSetup): Promise<Signer> {
  const row = (
    await h.hub.db.query<{ id: string; sealed: string }>(
      `SELECT id, data->>'sealedKey' AS sealed FROM rows WHERE table_name = 'staff' AND data->>'username' = 'admin'`,
    )
  )[0]!;
  return { staffId: row.id, key: (await unsealPrivateKey(row.sealed, 'bench password'))! };
}

function stationJournal(
  signer: Signer,
  stationId: string,
  branchId: string,
  n: number,
  firstItem: number,
  itemsEach: number,
): JournalEntry[] {
  const entries: JournalEntry[] = [];
  const open: { loan: Record<string, unknown> & { id: string }; item: number }[] = [];
  let free = Array.from({ length: itemsEach }, (_, i) => firstItem + i);
  let at = Date.UTC(2026, 10, 16, 14, 0, 0);
  const itemRow = (k: number, status: string) => ({
    id: `item-${k}`,
    barcode: barcode(3, k),
    recordId: `rec-${1 + (k % SMALL.records)}`,
    homeBranchId: branchId,
    currentBranchId: branchId,
    itemTypeCode: 'BOOK',
    status,
    damaged: false,
    notForLoan: false,
    replacementPrice: 2500,
    transitToBranchId: null,
  });
  const push = (command: string, effects: RowChange[]) => {
    at += 1500;
    const seq = entries.length + 1;
    const unsigned = {
      id: `${stationId}-${seq}`,
      stationId,
      hlc: `${new Date(at).toISOString()}-0000-${stationId}`,
      wallTime: at,
      staffId: signer.staffId,
      branchId,
      command,
      payload: { input: {}, effects },
    };
    entries.push({ ...unsigned, seq, signature: signEntry(unsigned, signer.key) });
  };
  for (let i = 0; entries.length < n; i++) {
    const r = rand();
    if (r < 0.4 && free.length > 0) {
      const k = free.pop()!;
      const loan = {
        id: `${stationId}-loan-${i}`,
        itemId: `item-${k}`,
        patronId: `pat-${1 + Math.floor(rand() * SMALL.patrons)}`,
        branchId,
        checkedOutAt: at,
        dueAt: at + 21 * 864e5,
        renewals: 0,
        lastRenewedAt: null,
        returnedAt: null,
        returnBranchId: null,
      };
      open.push({ loan, item: k });
      push('circulation.checkout', [
        { table: 'loans', op: 'upsert', row: loan },
        { table: 'items', op: 'upsert', row: itemRow(k, 'on_loan') },
      ]);
    } else if (r < 0.55 && open.length > 0) {
      const o = open[Math.floor(rand() * open.length)]!;
      o.loan = { ...o.loan, renewals: Number(o.loan.renewals) + 1, lastRenewedAt: at, dueAt: at + 21 * 864e5 };
      push('circulation.renew', [{ table: 'loans', op: 'upsert', row: o.loan }]);
    } else if (r < 0.85 && open.length > 0) {
      const o = open.splice(Math.floor(rand() * open.length), 1)[0]!;
      free = [o.item, ...free];
      push('circulation.checkin', [
        { table: 'loans', op: 'upsert', row: { ...o.loan, returnedAt: at, returnBranchId: branchId } },
        { table: 'items', op: 'upsert', row: itemRow(o.item, 'available') },
      ]);
    } else if (r < 0.9) {
      const patronId = `pat-${1 + Math.floor(rand() * SMALL.patrons)}`;
      const fee = {
        id: `${stationId}-fee-${i}`,
        patronId,
        kind: 'manual',
        amount: 150,
        outstanding: 0,
        currency: 'USD',
        loanId: null,
        itemId: null,
        description: 'printing',
        createdAt: at,
      };
      const payment = {
        id: `${stationId}-pay-${i}`,
        patronId,
        amount: 150,
        tendered: 200,
        currency: 'USD',
        method: 'cash',
        staffId: null,
        createdAt: at,
      };
      push('fees.pay', [
        { table: 'fees', op: 'upsert', row: fee },
        { table: 'payments', op: 'upsert', row: payment },
        {
          table: 'payment_allocations',
          op: 'upsert',
          row: { id: `${stationId}-alloc-${i}`, paymentId: payment.id, feeId: fee.id, amount: 150 },
        },
      ]);
    } else {
      const id = `${stationId}-patron-${i}`;
      push('patrons.register', [
        {
          table: 'patrons',
          op: 'upsert',
          row: {
            id,
            cardBarcode: `29${stationId.slice(-6)}${String(i).padStart(6, '0')}`,
            firstName: 'New',
            lastName: 'Reader',
            email: null,
            phone: null,
            address: null,
            homeBranchId: branchId,
            categoryCode: 'ADULT',
            cardExpiresOn: '2029-12-31',
            pinHash: null,
            notes: '',
            keepReadingHistory: false,
            createdAt: at,
          },
        },
      ]);
    }
  }
  return entries;
}

async function manyStations(
  h: HubSetup,
  url: string,
): Promise<{ entries: number; seconds: number; perSecond: number; p99Ms: number; p50Ms: number }> {
  const clients: { client: HttpHubClient; entries: JournalEntry[] }[] = [];
  const itemsEach = Math.floor((SMALL.items - SIZE.dayEntries) / SIZE.stations);
  const signer = await adminSigner(h);
  for (let k = 0; k < SIZE.stations; k++) {
    const code = await h.hub.createEnrolmentCode('EAST');
    const res = await fetch(`${url}/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, stationName: `desk ${k}` }),
    });
    const enrolled = (await res.json()) as { stationId: string; credential: string; branchId: string };
    // Items past those scenario a lent, a range of its own for each station.
    const firstItem = SIZE.dayEntries + 1 + k * itemsEach;
    clients.push({
      client: new HttpHubClient(url, enrolled.credential),
      entries: stationJournal(signer, enrolled.stationId, enrolled.branchId, SIZE.perStation, firstItem, itemsEach),
    });
  }
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    clients.map(async ({ client, entries }) => {
      // As the worker does: 500 at a time, the next batch once the last is answered.
      for (let i = 0; i < entries.length; i += 500) {
        const batch = entries.slice(i, i + 500);
        const started = performance.now();
        const answer = await client.push(batch, Date.now());
        latencies.push(performance.now() - started);
        if (answer.outcomes.length !== batch.length)
          throw new Error(`the hub answered ${answer.outcomes.length} of ${batch.length}`);
        // A benchmark of rejections would measure nothing: every entry must go in.
        const refused = answer.outcomes.find((o) => o.outcome === 'rejected');
        if (refused) throw new Error(`the hub rejected an entry: ${refused.reason}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const entries = clients.reduce((s, c) => s + c.entries.length, 0);
  return {
    entries,
    seconds,
    perSecond: entries / seconds,
    p99Ms: percentile(latencies, 99),
    p50Ms: percentile(latencies, 50),
  };
}

// --- the run -------------------------------------------------------------------------------------------

async function cleanUp(): Promise<void> {
  for (const c of children) c.kill('SIGKILL');
  if (schemas.length > 0) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    for (const s of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  }
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

interface Figure {
  name: string;
  value: number;
  unit: string;
  bar: string;
  pass: boolean;
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const result: Record<string, unknown> = { database: usePglite ? 'pglite' : 'postgres', scale, size: SIZE };
  log(`sync bench on ${usePglite ? 'PGlite' : PG_URL.replace(/\/\/[^@]*@/, '//')} (scale ${scale})`);

  if (only.has('a') || only.has('c')) {
    const h = await openBenchHub('small');
    await seedLibrary(h, SMALL);
    const { url, stop } = await startHub(h);
    if (only.has('a')) {
      log('a. a busy day offline, pushed');
      const a = await busyDay(h, url);
      const bar = 5 * (SIZE.dayEntries / 10_000);
      figures.push({
        name: `a. ${a.entries.toLocaleString()} entries from one station, until applied`,
        value: a.seconds,
        unit: 's',
        bar: `<= ${bar} s`,
        pass: a.seconds <= bar,
      });
      result.a = { ...a, perSecond: Math.round(a.entries / a.seconds) };
      log(`  ${a.entries} entries in ${a.seconds.toFixed(2)} s (${Math.round(a.entries / a.seconds)} entries/s)`);
    }
    if (only.has('c')) {
      log(`c. ${SIZE.stations} stations pushing at once`);
      const c = await manyStations(h, url);
      figures.push({
        name: `c. ${SIZE.stations} stations at once: hub throughput`,
        value: c.perSecond,
        unit: 'entries/s',
        bar: '>= 2000 entries/s',
        pass: c.perSecond >= 2000,
      });
      figures.push({
        name: 'c. push request (500 entries) p99',
        value: c.p99Ms,
        unit: 'ms',
        bar: '(reported)',
        pass: true,
      });
      result.c = c;
      log(
        `  ${c.entries} entries in ${c.seconds.toFixed(2)} s; push p50 ${c.p50Ms.toFixed(0)} ms, p99 ${c.p99Ms.toFixed(0)} ms`,
      );
    }
    await stop();
    await h.db.close();
  }

  if (only.has('b')) {
    log('b. first sync of a large library');
    const h = await openBenchHub('large');
    await seedLibrary(h, SIZE);
    const { url, stop } = await startHub(h);
    const b = await firstSync(h, url);
    const bar = 60 * Math.max(0.05, scale);
    figures.push({
      name: `b. first sync, ${b.rows.toLocaleString()} rows, enrolment to ready`,
      value: b.seconds,
      unit: 's',
      bar: `<= ${bar} s`,
      pass: b.seconds <= bar,
    });
    result.b = { ...b, rowsPerSecond: Math.round(b.rows / b.seconds) };
    log(`  ${b.rows} rows in ${b.seconds.toFixed(1)} s (${Math.round(b.rows / b.seconds)} rows/s)`);
    await stop();
    await h.db.close();
  }

  if (!json) {
    const w = Math.max(...figures.map((f) => f.name.length));
    console.log(`\n${'figure'.padEnd(w)}  ${'measured'.padStart(18)}  ${'bar'.padEnd(18)}  result`);
    for (const f of figures) {
      const v =
        f.unit === 'entries/s'
          ? `${Math.round(f.value)} ${f.unit}`
          : `${f.value.toFixed(f.unit === 'ms' ? 0 : 2)} ${f.unit}`;
      console.log(
        `${f.name.padEnd(w)}  ${v.padStart(18)}  ${f.bar.padEnd(18)}  ${f.bar === '(reported)' ? '' : f.pass ? 'PASS' : 'FAIL'}`,
      );
    }
  }
  result.figures = figures;
  result.pass = figures.every((f) => f.pass);
  if (json) console.log(JSON.stringify(result));
}

try {
  await main();
} finally {
  await cleanUp();
}
