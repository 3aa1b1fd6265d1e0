// A library that worked a month on one stand-alone desk grows into a hub: `npm run hub -- admin
// init --from-station` makes a new hub from the station's file, `npm run station -- hub join`
// joins that station with its own id and journal, and a second branch's station then joins the
// usual way and lends a copy of the first branch. Real processes for both commands, a real
// SQLite file worked by the station's own services, the hub on PGlite and on PostgreSQL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry, SyncedTable } from '../../src/domain/journal';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { foundHubFromStation } from '../../src/hub/founding';
import { createHubServer } from '../../src/hub/server';
import { openFoundingStation } from '../../src/cli/hub-from-station';
import { newKeyPair } from '../../src/shared/signing';
import { startStationCore, type StationCore } from '../../src/station/core';
import { openStation, type StationServices } from '../../src/station/services';
import { lockDataFolder } from '../../src/store/data-lock';
import { decodeEntry } from '../../src/store/journal-store';
import { SYNCED_TABLES } from '../../src/store/rows';
import { CURSOR_KEY } from '../../src/sync/apply-pulled';
import { enrolStation } from '../../src/sync/http-client';
import {
  addPatron,
  addTitle,
  createTestStation,
  DESK_RULE,
  itemBarcode,
  patronCard,
  type TestStation,
} from '../support/station';
import { dropSchemas, freshSchema, PG_URL } from '../hub/fixtures';

const ADMIN = { username: 'admin', password: 'correct horse battery' };
const DAY = 86_400_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await dropSchemas();
});

/** Runs `node --import tsx <script> ...args` without blocking this process (the hub it talks to may be served from here). */
function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Four weeks at one desk, through the station's own services on its real file: configuration
 * changed along the way, a technician and a SIP2 self-check, loans, a renewal, a hold trapped and
 * collected, late returns with their fines, a payment.
 */
function aMonthAlone(t: TestStation): void {
  const admin = t.staff;
  const day = (n: number) => (t.clock.now = START + n * DAY);
  t.s.admin.saveRule(DESK_RULE, admin);
  t.s.admin.saveCategory({ code: 'SENIOR', name: 'Senior', cardValidityDays: 730 }, admin);
  t.s.admin.addClosedDay(t.branchId, { kind: 'yearly', month: 12, day: 25, description: 'Navidad' }, admin);
  const tech = t.s.admin.saveStaff(
    { username: 'tomas', displayName: 'Tomás', role: 'technician', password: 'tomas password' },
    admin,
  );
  const sip = t.s.sip2.save(
    { login: 'selfcheck1', password: 'selfcheck password', branchId: t.branchId, allowed: ['checkout', 'checkin'] },
    admin,
  );
  addTitle(t, 'Pedro Páramo', 3, 1);
  const rayuela = addTitle(t, 'Rayuela', 2, 10);
  addTitle(t, 'Ficciones', 2, 20);
  const patrons = [1, 2, 3, 4, 5, 6].map((n) => addPatron(t, n, n % 2 ? { pin: '2468' } : {}));
  const staff = (id: string) => ({ kind: 'staff' as const, staffId: id });

  day(1);
  t.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) }, admin);
  t.s.circulation.checkout({ patronBarcode: patronCard(2), itemBarcode: itemBarcode(2) }, admin);
  t.s.circulation.checkout({ patronBarcode: patronCard(3), itemBarcode: itemBarcode(10) }, admin);
  t.s.circulation.checkout({ patronBarcode: patronCard(4), itemBarcode: itemBarcode(11) }, admin);
  day(2);
  t.s.holds.place({ patronId: patrons[4]!.id, recordId: rayuela.recordId }, admin);
  day(5);
  t.s.circulation.checkout({ patronBarcode: patronCard(6), itemBarcode: itemBarcode(3) }, staff(tech.id));
  day(8);
  t.s.circulation.renew({ itemBarcode: itemBarcode(1) }, admin);
  day(12);
  t.s.patrons.update(patrons[2]!.id, { categoryCode: 'SENIOR' }, admin);
  day(16);
  expect(t.s.circulation.checkin({ itemBarcode: itemBarcode(10) }, staff(tech.id)).hold).toBeTruthy();
  day(17);
  t.s.circulation.checkout({ patronBarcode: patronCard(5), itemBarcode: itemBarcode(10) }, admin);
  day(20);
  t.s.circulation.checkin({ itemBarcode: itemBarcode(2) }, admin);
  t.s.fees.pay({ patronId: patrons[1]!.id, tendered: 200 }, admin);
  day(22);
  t.s.circulation.checkout(
    { patronBarcode: patronCard(6), itemBarcode: itemBarcode(20) },
    { kind: 'sip', staffId: null, sip: { accountId: sip.id, login: sip.login } },
  );
  day(25);
  t.s.admin.updateSettings({ name: 'Biblioteca Municipal' }, admin);
  day(28);
  t.s.circulation.checkin({ itemBarcode: itemBarcode(11) }, admin);
  t.s.circulation.checkin({ itemBarcode: itemBarcode(1) }, admin);
  day(30);
}

/** A month and a bit ago, 10:00 in New York: the month alone ends the day before today. */
const START = Math.floor(Date.now() / DAY) * DAY - 32 * DAY + 14 * 3_600_000;

/** Every synced table: the station holds exactly the hub's rows (secrets included: one branch, all its own staff). */
async function expectSameRows(db: HubDb, s: StationServices, label: string): Promise<number> {
  let compared = 0;
  for (const table of Object.keys(SYNCED_TABLES) as SyncedTable[]) {
    const hubRows = await db.query<{ id: string; data: Record<string, unknown> }>(
      'SELECT id, data FROM rows WHERE table_name = $1 AND deleted = 0 ORDER BY id',
      [table],
    );
    const ids = (s.store.db.prepare(`SELECT id FROM "${table}" ORDER BY id`).all() as { id: string }[]).map(
      (r) => r.id,
    );
    expect(ids, `${label}: ${table} ids`).toEqual(hubRows.map((r) => r.id).sort());
    for (const r of hubRows)
      expect(s.ctx.rows.get(table, r.id), `${label}: ${table} ${r.id}`).toEqual(s.ctx.rows.pick(table, r.data));
    compared += hubRows.length;
  }
  return compared;
}

function journalOf(s: StationServices): JournalEntry[] {
  return (s.store.db.prepare('SELECT * FROM journal ORDER BY seq').all() as Record<string, unknown>[]).map(decodeEntry);
}

async function signedIn(core: StationCore, username: string, password: string) {
  const r = await core.invoke('auth.signIn', { username, password }, {});
  return r.ok ? (r.value as { token: string }).token : r.error;
}

async function call(core: StationCore, token: string, name: string, input: unknown): Promise<Record<string, unknown>> {
  const r = await core.invoke(name, input, { sessionToken: token });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as Record<string, unknown>;
}

interface HubPlace {
  /** Arguments and environment that put `npm run hub -- admin` on this database. */
  args: string[];
  env: NodeJS.ProcessEnv;
  open(): Promise<HubDb>;
}

async function pgliteHub(): Promise<HubPlace> {
  const dir = mkdtempSync(join(tmpdir(), 'circa-grow-hub-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return { args: ['--data', dir], env: { DATABASE_URL: '' }, open: () => openHubDb({ dataDir: dir }) };
}

async function postgresHub(): Promise<HubPlace> {
  const schema = freshSchema();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  return {
    args: [],
    env: { DATABASE_URL: `${PG_URL}?options=-c%20search_path%3D${schema}` },
    open: () => openHubDb({ databaseUrl: PG_URL, schema }),
  };
}

describe.each([
  ['PGlite', pgliteHub],
  ['PostgreSQL', postgresHub],
])('a stand-alone desk grows into a hub (%s)', (_kind, place) => {
  it('makes the hub from its month alone, joins it with nothing pushed twice or lost, and a second branch lends its copy', async () => {
    const t = createTestStation({ start: START });
    cleanup.push(() => rmSync(t.dir, { recursive: true, force: true }));
    aMonthAlone(t);
    const adminKey = t.s.ctx.keys.staffKey(t.staff.staffId!)!;
    const alone = journalOf(t.s);
    t.s.close();
    const hubAt = await place();
    const init = (file: string) =>
      run('src/cli/hub.ts', ['admin', 'init', '--from-station', file, '--name', 'Main desk', ...hubAt.args], hubAt.env);

    // Refused while the station runs: its data folder is held (here by this process, alive).
    const release = lockDataFolder(t.dir);
    const whileRunning = await init(t.path);
    release();
    expect(whileRunning.code).toBe(1);
    expect(whileRunning.stderr).toMatch(/The station is running: .*in use by process/);

    const made = await init(t.path);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(
      new RegExp(`library "Biblioteca Municipal" ready.*\\n  ${alone.length} journal entries received`),
    );
    const code = /single use\): (\S+)/.exec(made.stdout)![1]!;

    const db = await hubAt.open();
    await migrateHub(db);
    const hub = new Hub(db);
    // A hub that is not empty is refused, and keeps what it has (the same call the command makes).
    const heldBefore = await db.query('SELECT count(*) AS n, max(change_seq) AS top FROM rows');
    const second = openFoundingStation(t.path, 'again');
    await expect(foundHubFromStation(hub, second.station)).rejects.toThrow(
      /^This hub already holds the library "Biblioteca Municipal" \(1 library, 1 branches, \d+ library rows, 1 stations, \d+ received\)/,
    );
    second.close();
    expect(await db.query('SELECT count(*) AS n, max(change_seq) AS top FROM rows')).toEqual(heldBefore);
    const server: FastifyInstance = await createHubServer({ hub });
    // Every entry id a station pushes, to count what came twice.
    const pushed: string[] = [];
    server.addHook('preHandler', async (request) => {
      if (request.url.startsWith('/sync/push'))
        pushed.push(...(request.body as { entries: { id: string }[] }).entries.map((e) => e.id));
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    const cores: StationCore[] = [];
    cleanup.push(async () => {
      for (const c of cores) await c.close();
      await server.close();
      await db.close();
    });

    // The whole month is at the hub, each entry once, in the station's own seqs, all applied.
    const received = await db.query<{ entry_id: string; seq: string; station_id: string; outcome: string }>(
      'SELECT entry_id, seq, station_id, outcome FROM received ORDER BY seq',
    );
    expect(received.map((r) => [r.entry_id, Number(r.seq), r.station_id, r.outcome])).toEqual(
      alone.map((e) => [e.id, e.seq, e.stationId, 'applied']),
    );
    const looked = openStation(t.path);
    const rowsAtInit = await expectSameRows(db, looked, 'at init');
    expect(rowsAtInit).toBeGreaterThan(40);
    looked.close();

    // Back at work before joining: this entry waits and goes with the first sync.
    const back = createTestStation({ dir: t.dir, start: START + 31 * DAY, adminKey });
    back.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: itemBarcode(21) }, back.staff);
    const afterInit = journalOf(back.s).slice(alone.length);
    expect(afterInit).toHaveLength(1);
    back.s.close();

    // The founding code joins only that station; another code does not join it.
    const otherKey = newKeyPair().publicKey;
    await expect(enrolStation(url, code, 'someone else', {}, otherKey)).rejects.toThrow(
      /403: That code is for the station this hub was made from \(Main desk\)/,
    );
    const stationKey = await (async () => {
      const s = openStation(t.path);
      const k = s.ctx.keys.stationPublicKey();
      s.close();
      return k;
    })();
    await expect(
      enrolStation(url, await hub.createEnrolmentCode('MAIN'), 'Main desk', {}, stationKey, alone[0]!.stationId),
    ).rejects.toThrow(/409: That code enrols a new station/);
    expect((await db.query('SELECT id FROM stations')).length).toBe(1);

    const joined = await run('src/cli/station.ts', ['hub', 'join', '--data', t.dir, '--hub', url, `--code=${code}`]);
    expect(joined.stderr).toBe('');
    expect(joined.stdout).toMatch(
      new RegExp(
        `joined the hub at ${url} as station ${alone[0]!.stationId}: the hub holds this station's journal through entry ${alone.length}`,
      ),
    );

    // Started, it syncs by itself: only what came after the init is pushed.
    const main = await startStationCore({ dataDir: t.dir, syncIntervalMs: 200 });
    cores.push(main);
    await expect.poll(() => main.services.ctx.journal.waitingCount(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => main.services.ctx.readState(CURSOR_KEY) !== null, { timeout: 15_000 }).toBe(true);
    const mainJournal = journalOf(main.services);
    expect(
      pushed.filter((id) => alone.some((e) => e.id === id)),
      'entries of the month pushed again',
    ).toEqual([]);
    expect([...new Set(pushed)].sort()).toEqual(
      mainJournal
        .slice(alone.length)
        .map((e) => e.id)
        .sort(),
    );
    expect(pushed.length, 'no entry pushed twice').toBe(new Set(pushed).size);
    expect(main.services.store.db.prepare('SELECT count(*) AS n FROM journal WHERE acked_at IS NULL').get()).toEqual({
      n: 0,
    });
    const all = await db.query<{ entry_id: string; seq: string }>(
      'SELECT entry_id, seq FROM received WHERE station_id = $1 ORDER BY seq',
      [alone[0]!.stationId],
    );
    expect(all.map((r) => [r.entry_id, Number(r.seq)])).toEqual(mainJournal.map((e) => [e.id, e.seq]));
    await expectSameRows(db, main.services, 'after joining');

    // A second branch: added at the hub, its station joins the usual way and pulls everything.
    await hub.addBranch({ code: 'EAST', name: 'East Branch', timeZone: 'America/New_York' });
    const eastDir = mkdtempSync(join(tmpdir(), 'circa-grow-east-'));
    cleanup.push(() => rmSync(eastDir, { recursive: true, force: true }));
    const east = await startStationCore({
      dataDir: eastDir,
      join: { hubUrl: url, code: await hub.createEnrolmentCode('EAST'), stationName: 'East desk' },
      syncIntervalMs: 200,
    });
    cores.push(east);
    const eastToken = await signedIn(east, ADMIN.username, ADMIN.password);
    expect(typeof eastToken, 'the administrator signs in at the new branch').toBe('string');
    // A technician of the first branch does not: its password reaches only its own branch's desks.
    expect(await signedIn(east, 'tomas', 'tomas password')).toMatchObject({ code: 'UNAUTHENTICATED' });
    for (const table of [
      'patrons',
      'items',
      'loans',
      'fees',
      'holds',
      'circulation_rules',
      'closed_days',
      'sip_accounts',
    ] as const) {
      const atHub = Number(
        (
          await db.query<{ n: string }>('SELECT count(*) AS n FROM rows WHERE table_name = $1 AND deleted = 0', [table])
        )[0]!.n,
      );
      expect(
        (east.services.store.db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n,
        `east: ${table}`,
      ).toBe(atHub);
    }
    expect(await call(east, eastToken as string, 'setup.status', {})).toMatchObject({
      libraryName: 'Biblioteca Municipal',
      branchName: 'East Branch',
    });

    // East lends a copy of the first branch (returned there on day 28) to a patron registered there.
    await call(east, eastToken as string, 'circulation.checkout', {
      patronBarcode: patronCard(1),
      itemBarcode: itemBarcode(1),
    });
    await expect.poll(() => east.services.ctx.journal.waitingCount(), { timeout: 15_000 }).toBe(0);
    const mainToken = (await signedIn(main, ADMIN.username, ADMIN.password)) as string;
    await expect
      .poll(
        async () =>
          (
            (await call(main, mainToken, 'patrons.lookup', { barcode: patronCard(1) })).loans as {
              barcode?: string;
              itemBarcode?: string;
            }[]
          ).length,
        { timeout: 15_000 },
      )
      .toBe(2);
    const eastBranch = (await db.query<{ id: string }>(`SELECT id FROM branches WHERE code = 'EAST'`))[0]!.id;
    const loan = (
      await db.query<{ data: { branchId: string; returnedAt: number | null } }>(
        `SELECT l.data FROM rows l JOIN rows i ON i.table_name = 'items' AND i.id = l.data->>'itemId' WHERE l.table_name = 'loans' AND i.data->>'barcode' = $1 AND l.data->>'returnedAt' IS NULL`,
        [itemBarcode(1)],
      )
    )[0]!.data;
    expect(loan).toMatchObject({ branchId: eastBranch, returnedAt: null });
    const counted = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM received'))[0]!.n);
    expect(counted).toBe(journalOf(main.services).length + journalOf(east.services).length);
    expect(await db.query(`SELECT outcome, reason FROM received WHERE outcome <> 'applied'`)).toEqual([]);

    // A station joined to a hub is not made into another hub.
    await main.close();
    cores.splice(cores.indexOf(main), 1);
    const elsewhere = await place();
    const twice = await run(
      'src/cli/hub.ts',
      ['admin', 'init', '--from-station', t.path, ...elsewhere.args],
      elsewhere.env,
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(new RegExp(`This station is joined to a hub already \\(${url}\\)`));
  }, 400_000);
});
