// `npm run hub -- [--data <dir>] [--port 7400] [--host 127.0.0.1] [--cert <file> --key <file>]`: the
// hub, on embedded PGlite in <dir>/pglite by default, on PostgreSQL when DATABASE_URL is set.
// `npm run hub -- admin <command>` sets the library up (same --data / DATABASE_URL):
//   admin init --library "County Library" [--branch "MAIN:Main Library:America/New_York"] [--admin alice [--password ...]]
//   admin init --from-station <station.db> [--name "Main desk"]   (a new hub made from a stand-alone station, its history with it)
//   admin add-branch --branch "EAST:East Branch:America/New_York"   (or "East:America/New_York": code EAST)
//   admin add-admin --branch MAIN --username bob [--name "Bob B"] [--password ...]
//   admin enrol-station --branch MAIN [--station <id>]   (prints a one-time code, valid 24 hours; --station: for the station the hub was made from)
//   admin stations                           (enrolled stations, last push, clock offset)
//   admin remove-station <id>                (a lost or stolen desk: its credential and key stop working)
//   admin exceptions [--all]                 (sync exceptions to work through; --all: resolved ones too)
//   admin resolve-exception <id> --note "..." [--by name]   (every branch concerned sees it resolved)
// Without --password a one-time password is generated and printed once.
// Against a running hub (PGlite included: its data folder is the hub's alone), every command but
// init goes through the hub's admin API: `--hub http://127.0.0.1:7400` (or CIRCA_HUB_URL), found
// by itself for a PGlite hub running on the same --data folder; sign in as an administrator with
// `--as alice` (or CIRCA_HUB_ADMIN) and CIRCA_HUB_ADMIN_PASSWORD (or the password asked for).
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataFolderInUseError } from '../hub/data-lock';
import { migrateHub, openHubDb, type HubDb } from '../hub/db';
import type { HubExceptionView } from '../hub/exceptions';
import { Hub, HubError } from '../hub/hub';
import { foundHubFromStation } from '../hub/founding';
import { createHubServer } from '../hub/server';
import { AdminBranchRequest, AdminStaffRequest } from '../hub/admin-api';
import { FromStationError, openFoundingStation } from './hub-from-station';
import { askPassword, HUB_ENDPOINT_FILE, RemoteHubAdmin, runningHubUrl } from './hub-admin-remote';
import { parseCommandLine, printUsage, USAGE_EXIT } from './args';
import { cannotListenLine } from './listen-error';

const USAGE =
  'npm run hub -- [--data <dir>] [--port 7400] [--host 127.0.0.1] [--cert <file> --key <file>]: the\nhub, on embedded PGlite in <dir>/pglite by default, on PostgreSQL when DATABASE_URL is set.\nnpm run hub -- admin <command> sets the library up (same --data / DATABASE_URL):\n  admin init --library "County Library" [--branch "MAIN:Main Library:America/New_York"] [--admin alice [--password ...]]\n  admin init --from-station <station.db> [--name "Main desk"]   (a new, empty hub made from a stopped stand-alone station)\n  admin add-branch --branch "EAST:East Branch:America/New_York"   (or "East:America/New_York": code EAST)\n  admin add-admin --branch MAIN --username bob [--name "Bob B"] [--password ...]\n  admin enrol-station --branch MAIN [--station <id>]   (a one-time code, 24 hours; --station: for the station the hub was made from)\n  admin stations                           (enrolled stations, last push, clock offset)\n  admin remove-station <id>                (a lost or stolen desk: its credential and key stop working)\n  admin exceptions [--all]                 (sync exceptions to work through; --all: resolved ones too)\n  admin resolve-exception <id> --note "..." [--by name]\nWithout --password a one-time password is generated and printed once.\nWhile the hub runs, admin commands (but init) go through its admin API: --hub <url> (or CIRCA_HUB_URL; found\nby itself for a PGlite hub on the same --data), signed in with --as <admin> (or CIRCA_HUB_ADMIN) and\nCIRCA_HUB_ADMIN_PASSWORD (or asked for).';

const parsed = parseCommandLine('npm run hub', USAGE, {
  allowPositionals: true,
  options: {
    help: { type: 'boolean', short: 'h' },
    data: { type: 'string', default: './hub-data' },
    port: { type: 'string', default: '7400' },
    host: { type: 'string', default: '127.0.0.1' },
    cert: { type: 'string' },
    key: { type: 'string' },
    library: { type: 'string' },
    currency: { type: 'string' },
    locale: { type: 'string' },
    branch: { type: 'string' },
    admin: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    all: { type: 'boolean', default: false },
    note: { type: 'string' },
    by: { type: 'string' },
    'from-station': { type: 'string' },
    station: { type: 'string' },
    hub: { type: 'string' },
    as: { type: 'string' },
    'hub-ca': { type: 'string' },
  },
});
if (!parsed) process.exit(USAGE_EXIT);
const { values, positionals } = parsed;

if (values.help) process.exit(printUsage(USAGE, true));
// Only `admin ...` takes words: anything else mistyped must not start a hub.
if (positionals.length > 0 && positionals[0] !== 'admin')
  fail(
    `npm run hub: no command "${positionals[0]}": it is \`npm run hub -- admin <command>\`, or options only for the hub itself (--help)`,
  );

/** The hub's exit code when it cannot listen on its port (in use, or not allowed), as npm run serve's. */
const EXIT_PORT_UNAVAILABLE = 3;

function fail(message: string): never {
  console.error(message);
  process.exit(USAGE_EXIT);
}

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) fail(`--${name} is required`);
  return v;
}

/** "CODE:Name:Zone/City" or "Name:Zone/City" (the code is the name in capitals). */
function parseBranch(spec: string): { code: string; name: string; timeZone: string } {
  const parts = spec.split(':').map((p) => p.trim());
  const [code, name, timeZone] =
    parts.length === 3 ? parts : [parts[0]!.toUpperCase().replace(/[^A-Z0-9]+/g, '-'), parts[0], parts[1]];
  if (!code || !name || !timeZone || !Intl.supportedValuesOf('timeZone').concat('UTC').includes(timeZone)) {
    fail(`--branch "${spec}": expected "CODE:Name:Zone/City" or "Name:Zone/City" with an IANA time zone`);
  }
  // What the running hub's admin API would refuse is refused here too.
  const checked = AdminBranchRequest.safeParse({ code, name, timeZone });
  if (!checked.success) fail(`--branch "${spec}": ${problems(checked.error)}`);
  return checked.data;
}

/** A zod error as "field: what is wrong; ...". */
function problems(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'value'}: ${i.message}`).join('; ');
}

/** An administrator as the admin API checks one (src/hub/admin-api.ts), or the reason on stderr and exit 2. */
function checkedAdmin(a: { branchCode: string; username: string; displayName: string; password: string }): typeof a {
  const checked = AdminStaffRequest.safeParse(a);
  if (!checked.success)
    fail(
      `administrator ${a.username}: ${checked.error.issues.map((i) => (i.path[0] === 'password' ? 'the password must have at least 8 characters (and at most 200)' : `${i.path.map(String).join('.')}: ${i.message}`)).join('; ')}`,
    );
  return a;
}

function passwordOrGenerated(): { password: string; generated: boolean } {
  return values.password
    ? { password: values.password, generated: false }
    : { password: randomBytes(12).toString('base64url'), generated: true };
}

/** What the admin commands need, from the hub's database here or from a running hub's admin API. */
interface AdminOps {
  addBranch(b: { code: string; name: string; timeZone: string }): Promise<void>;
  addAdmin(a: { username: string; displayName: string; password: string; branchCode: string }): Promise<void>;
  /** stationId: a code only that station may use (the station a hub was made from, src/hub/founding.ts). */
  enrolmentCode(branchCode: string, stationId: string | null): Promise<string>;
  stations(): Promise<Awaited<ReturnType<Hub['listStations']>>>;
  removeStation(id: string): Promise<boolean>;
  exceptions(all: boolean): Promise<{ list: HubExceptionView[]; codes: Map<string, string> }>;
  resolve(
    id: string,
    by: string | undefined,
    note: string,
  ): Promise<{ exception: HubExceptionView; alreadyResolved: boolean }>;
  close(): Promise<void>;
}

function localOps(hub: Hub, db: HubDb): AdminOps {
  return {
    addBranch: async (b) => void (await hub.addBranch(b)),
    addAdmin: async (a) => void (await hub.addAdmin(a)),
    enrolmentCode: (b, station) => hub.createEnrolmentCode(b, station),
    stations: () => hub.listStations(),
    removeStation: (id) => hub.removeStation(id),
    exceptions: async (all) => ({
      list: await hub.listExceptions(all),
      codes: new Map(Object.entries(await hub.branchCodes())),
    }),
    resolve: (id, by, note) => hub.resolveException(id, by ?? `hub admin ${process.env.USER ?? ''}`.trim(), note),
    close: () => db.close(),
  };
}

async function remoteOps(url: string): Promise<AdminOps> {
  const username = values.as ?? process.env.CIRCA_HUB_ADMIN;
  if (!username)
    fail(
      `The hub at ${url} is running: admin commands go through its admin API. Sign in with --as <administrator> (or CIRCA_HUB_ADMIN) and CIRCA_HUB_ADMIN_PASSWORD.`,
    );
  const password =
    process.env.CIRCA_HUB_ADMIN_PASSWORD ??
    (await askPassword(`password for ${username} at ${url}: `).catch((error: Error) => fail(error.message)));
  const api = new RemoteHubAdmin(url, username, password, values['hub-ca'] ? readFileSync(values['hub-ca']) : null);
  return {
    addBranch: async (b) => void (await api.call('POST', '/admin/branches', b)),
    addAdmin: async (a) => void (await api.call('POST', '/admin/staff', a)),
    enrolmentCode: async (branchCode, stationId) =>
      (
        await api.call<{ code: string }>('POST', '/admin/enrolment-codes', {
          branchCode,
          ...(stationId ? { stationId } : {}),
        })
      ).code,
    stations: async () =>
      (await api.call<{ stations: Awaited<ReturnType<Hub['listStations']>> }>('GET', '/admin/stations')).stations,
    removeStation: async (id) => {
      try {
        await api.call('DELETE', `/admin/stations/${encodeURIComponent(id)}`);
        return true;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    },
    exceptions: async (all) => {
      const r = await api.call<{ exceptions: HubExceptionView[]; branches: Record<string, string> }>(
        'GET',
        `/admin/exceptions${all ? '?all=1' : ''}`,
      );
      return { list: r.exceptions, codes: new Map(Object.entries(r.branches)) };
    },
    resolve: (id, by, note) =>
      api.call('POST', `/admin/exceptions/${encodeURIComponent(id)}/resolve`, { note, ...(by ? { by } : {}) }),
    close: async () => api.close(),
  };
}

// init --from-station reads the station first: a running station, or one joined to a hub, is
// refused before the hub's database is opened (or a PGlite folder made).
const founding =
  positionals[0] === 'admin' && positionals[1] === 'init' && values['from-station']
    ? openStationOrFail(values['from-station'])
    : null;

function openStationOrFail(file: string): ReturnType<typeof openFoundingStation> {
  if (values.library || values.branch || values.admin)
    fail(
      'init --from-station takes the library, its branches and staff from the station: no --library, --branch or --admin',
    );
  try {
    return openFoundingStation(file, values.name);
  } catch (error) {
    if (!(error instanceof FromStationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const dataDir = resolve(values.data!);
const isAdmin = positionals[0] === 'admin';

// The hub itself: its port and certificate are checked before its database is opened.
if (!isAdmin && !(/^\d+$/.test(values.port!) && Number(values.port) <= 65535))
  fail(`--port must be a port number, not "${values.port}"`);
function readPem(option: 'cert' | 'key'): Buffer {
  const file = need(option);
  try {
    return readFileSync(file);
  } catch (error) {
    fail(`--${option} ${file}: ${(error as Error).message}`);
  }
}
const https = !isAdmin && (values.cert || values.key) ? { cert: readPem('cert'), key: readPem('key') } : null;
const hubUrl = values.hub ?? process.env.CIRCA_HUB_URL ?? null;

/** The local database, or null when a running PGlite hub holds the folder (its API is used instead). */
async function openLocal(): Promise<HubDb | null> {
  try {
    const db = await openHubDb({ dataDir, databaseUrl: process.env.DATABASE_URL ?? null });
    await migrateHub(db);
    return db;
  } catch (error) {
    if (!(error instanceof DataFolderInUseError)) throw error;
    if (isAdmin && positionals[1] === 'init')
      fail(
        `admin init sets up a new hub on its own database, before the hub first starts; the hub on ${dataDir} is running (${error.message})`,
      );
    if (isAdmin && runningHubUrl(dataDir)) return null;
    fail(`${error.message}${isAdmin ? " Give the running hub's address with --hub <url> to administer it." : ''}`);
  }
}

const db = isAdmin && hubUrl && positionals[1] !== 'init' ? null : await openLocal();
const hub = db ? new Hub(db) : null;

/**
 * admin init --from-station: a new hub made from a stand-alone station's file, its library,
 * staff and history with it, and that station enrolled (src/hub/founding.ts). It then joins with
 * the code printed here, keeping its id and journal.
 */
async function initFromStation(file: string, opened: ReturnType<typeof openFoundingStation>): Promise<void> {
  try {
    const r = await foundHubFromStation(hub!, opened.station);
    const others = r.outcomes.applied_with_warning + r.outcomes.conflict;
    console.log(
      `library "${opened.station.libraryName}" ready, made from station ${opened.station.stationId} (branch ${r.branchCode})`,
    );
    console.log(
      `  ${r.entries} journal entries received as if synced from the first day${others ? ` (${r.outcomes.applied_with_warning} with a warning, ${r.outcomes.conflict} conflicts: admin exceptions)` : ''}; ${r.rows} library rows, ${r.staff} staff account${r.staff === 1 ? '' : 's'}`,
    );
    console.log(`one-time code for that station (24 hours, single use): ${r.code}`);
    console.log(
      `  with the station stopped: npm run station -- hub join --data ${dirname(resolve(file.endsWith('.db') ? file : `${file}/station.db`))} --hub <this hub's address> --code=${r.code}`,
    );
  } finally {
    opened.close();
  }
}

async function admin(command: string | undefined, ops: AdminOps): Promise<void> {
  switch (command) {
    case 'init': {
      if (!hub)
        fail(
          'admin init sets up a new hub on its own database: run it before the hub first starts (or with DATABASE_URL).',
        );
      if (founding && values['from-station']) return initFromStation(values['from-station'], founding);
      // Everything is checked before anything is written: a refused init leaves the hub as it was.
      const libraryName = need('library');
      const branch = values.branch ? parseBranch(values.branch) : null;
      if (values.admin && !branch) fail('--admin needs --branch');
      const { password, generated } = passwordOrGenerated();
      const firstAdmin =
        values.admin && branch
          ? checkedAdmin({
              branchCode: branch.code,
              username: values.admin,
              displayName: values.name ?? values.admin,
              password,
            })
          : null;
      const held = (await db!.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name;
      if (held !== undefined) {
        console.error(
          `This hub already holds the library "${held}": admin init sets up a new hub once. Nothing was changed; add-branch and add-admin add to it.`,
        );
        process.exitCode = 1;
        return;
      }
      if (branch) await hub.addBranch(branch);
      await hub.init({ libraryName, currency: values.currency, locale: values.locale });
      console.log(`library "${libraryName}" ready${branch ? `, branch ${branch.code}` : ''}`);
      if (firstAdmin && values.admin) {
        await hub.addAdmin(firstAdmin);
        console.log(
          `administrator ${values.admin.toLowerCase()} created${generated ? `; initial password (shown once, change it): ${password}` : ''}`,
        );
      }
      return;
    }
    case 'add-branch': {
      const branch = parseBranch(need('branch'));
      await ops.addBranch(branch);
      console.log(`branch ${branch.code} ready`);
      return;
    }
    case 'add-admin': {
      const { password, generated } = passwordOrGenerated();
      const username = need('username');
      await ops.addAdmin(
        checkedAdmin({ branchCode: need('branch'), username, displayName: values.name ?? username, password }),
      );
      console.log(
        `administrator ${username.toLowerCase()} created${generated ? `; initial password (shown once, change it): ${password}` : ''}`,
      );
      return;
    }
    case 'enrol-station':
      // --station <id>: a new code for the station the hub was made from, if its code was lost or expired.
      console.log(
        `one-time enrolment code (24 hours, single use): ${await ops.enrolmentCode(need('branch'), values.station ?? null)}`,
      );
      return;
    case 'stations': {
      const stations = await ops.stations();
      if (stations.length === 0)
        console.log('no stations enrolled yet (admin enrol-station --branch <code> makes a code for one)');
      for (const s of stations) {
        const offset =
          s.clockOffsetMs === null
            ? 'never pushed'
            : `clock ${s.clockOffsetMs >= 0 ? '+' : ''}${Math.round(s.clockOffsetMs / 1000)} s`;
        console.log(
          `${s.id}  ${s.branchCode}  ${s.name}  ${s.lastSeenAt ? new Date(s.lastSeenAt).toISOString() : '-'}  ${offset}`,
        );
      }
      return;
    }
    case 'remove-station': {
      const id = positionals[2];
      if (!id) fail('admin remove-station <station id>   (ids: admin stations)');
      if (!(await ops.removeStation(id))) {
        console.error(`no station ${id}`);
        process.exitCode = 1;
        return;
      }
      console.log(`station ${id} removed: its credential and signing key are refused from now on`);
      return;
    }
    case 'exceptions': {
      const { list, codes } = await ops.exceptions(values.all!);
      if (list.length === 0) console.log(values.all ? 'no exceptions' : 'no unresolved exceptions');
      for (const x of list) {
        const branches = x.branchIds.map((b) => codes.get(b) ?? b).join(',');
        const state = x.resolvedAt
          ? `resolved ${new Date(x.resolvedAt).toISOString()} by ${x.resolvedBy ?? '-'}${x.resolutionNote ? `: ${x.resolutionNote}` : ''}`
          : 'open';
        console.log(
          `${x.id}  ${x.kind}  ${new Date(x.createdAt).toISOString()}  ${branches}  ${state}\n    ${x.message}${x.itemId ? ` item ${x.itemId}` : ''}${x.patronIds?.length ? ` patrons ${x.patronIds.join(', ')}` : ''}`,
        );
      }
      return;
    }
    case 'resolve-exception': {
      const id = positionals[2];
      if (!id) fail('admin resolve-exception <id> --note "what was done"');
      const { exception, alreadyResolved } = await ops.resolve(id, values.by, need('note'));
      console.log(
        alreadyResolved
          ? `${exception.id} was already resolved by ${exception.resolvedBy ?? '-'}${exception.resolutionNote ? `: ${exception.resolutionNote}` : ''}; nothing changed`
          : `${exception.id} resolved; every branch concerned sees it resolved on its next sync`,
      );
      return;
    }
    default:
      fail(
        'admin commands: init, add-branch, add-admin, enrol-station, stations, remove-station, exceptions, resolve-exception',
      );
  }
}

/** The network error's code when the hub could not be reached at all (its cause's, for a wrapped one). */
function unreachableCode(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
    if (
      typeof e.code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(e.code)
    )
      return e.code;
    e = e.cause as typeof e;
  }
  return null;
}

if (isAdmin) {
  const ops = hub && db ? localOps(hub, db) : await remoteOps(hubUrl ?? runningHubUrl(dataDir)!);
  try {
    await admin(positionals[1], ops);
  } catch (error) {
    // A refusal from the hub here (HubError) or from its API (an answer with a status): its words.
    const unreachable = hub ? null : unreachableCode(error);
    if (unreachable) {
      // The running hub's admin API, not reached: said in a line, not as a stack trace.
      console.error(
        `No hub answers at ${hubUrl ?? runningHubUrl(dataDir) ?? '(unknown address)'} (${unreachable}): is it running, and is the address right (--hub, CIRCA_HUB_URL)?`,
      );
    } else if (!(error instanceof HubError) && typeof (error as { status?: unknown }).status !== 'number') {
      throw error;
    } else console.error((error as Error).message);
    process.exitCode = 1;
  } finally {
    await ops.close();
  }
} else {
  if (!hub || !db) fail('no database');
  const app = await createHubServer({ hub, https });
  try {
    await app.listen({ host: values.host!, port: Number(values.port) });
  } catch (error) {
    console.error(cannotListenLine('hub', values.host!, values.port!, error));
    await app.close();
    await db.close();
    process.exit(EXIT_PORT_UNAVAILABLE);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : values.port;
  const url = `${https ? 'https' : 'http'}://${values.host}:${port}/`;
  console.log(`Circa hub on ${url} (${db.kind})`);
  // A PGlite hub's folder is its alone: the admin CLI finds the hub's API here instead.
  const endpoint = join(dataDir, HUB_ENDPOINT_FILE);
  if (db.kind === 'pglite') writeFileSync(endpoint, `${JSON.stringify({ url, pid: process.pid })}\n`);
  const stop = async () => {
    if (db.kind === 'pglite') rmSync(endpoint, { force: true });
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
