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
// Without --password a one-time password is generated and printed once. On PGlite the data folder
// is one process's at a time: run admin commands with the hub stopped.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataFolderInUseError } from '../hub/data-lock';
import { migrateHub, openHubDb } from '../hub/db';
import { Hub, HubError } from '../hub/hub';
import { foundHubFromStation } from '../hub/founding';
import { createHubServer } from '../hub/server';
import { FromStationError, openFoundingStation } from './hub-from-station';

const { values, positionals } = parseArgs({
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
  },
});

if (values.help) {
  console.log('npm run hub -- [--data <dir>] [--port 7400] [--host 127.0.0.1] [--cert <file> --key <file>]: the\nhub, on embedded PGlite in <dir>/pglite by default, on PostgreSQL when DATABASE_URL is set.\nnpm run hub -- admin <command> sets the library up (same --data / DATABASE_URL):\n  admin init --library "County Library" [--branch "MAIN:Main Library:America/New_York"] [--admin alice [--password ...]]\n  admin init --from-station <station.db> [--name "Main desk"]   (a new, empty hub made from a stopped stand-alone station)\n  admin add-branch --branch "EAST:East Branch:America/New_York"   (or "East:America/New_York": code EAST)\n  admin add-admin --branch MAIN --username bob [--name "Bob B"] [--password ...]\n  admin enrol-station --branch MAIN [--station <id>]   (a one-time code, 24 hours; --station: for the station the hub was made from)\n  admin stations                           (enrolled stations, last push, clock offset)\n  admin remove-station <id>                (a lost or stolen desk: its credential and key stop working)\n  admin exceptions [--all]                 (sync exceptions to work through; --all: resolved ones too)\n  admin resolve-exception <id> --note "..." [--by name]\nWithout --password a one-time password is generated and printed once. On PGlite the data folder is one\nprocess\'s at a time: run admin commands with the hub stopped.');
  process.exit(0);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) fail(`--${name} is required`);
  return v;
}

/** "CODE:Name:Zone/City" or "Name:Zone/City" (the code is the name in capitals). */
function parseBranch(spec: string): { code: string; name: string; timeZone: string } {
  const parts = spec.split(':').map((p) => p.trim());
  const [code, name, timeZone] = parts.length === 3 ? parts : [parts[0]!.toUpperCase().replace(/[^A-Z0-9]+/g, '-'), parts[0], parts[1]];
  if (!code || !name || !timeZone || !Intl.supportedValuesOf('timeZone').concat('UTC').includes(timeZone)) {
    fail(`--branch "${spec}": expected "CODE:Name:Zone/City" or "Name:Zone/City" with an IANA time zone`);
  }
  return { code, name, timeZone };
}

function passwordOrGenerated(): { password: string; generated: boolean } {
  return values.password ? { password: values.password, generated: false } : { password: randomBytes(12).toString('base64url'), generated: true };
}

// init --from-station reads the station first: a running station, or one joined to a hub, is
// refused before the hub's database is opened (or a PGlite folder made).
const founding = positionals[0] === 'admin' && positionals[1] === 'init' && values['from-station'] ? openStationOrFail(values['from-station']) : null;

function openStationOrFail(file: string): ReturnType<typeof openFoundingStation> {
  if (values.library || values.branch || values.admin) fail('init --from-station takes the library, its branches and staff from the station: no --library, --branch or --admin');
  try {
    return openFoundingStation(file, values.name);
  } catch (error) {
    if (!(error instanceof FromStationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const db = await openHubDb({ dataDir: resolve(values.data!), databaseUrl: process.env.DATABASE_URL ?? null }).catch((error: unknown) => {
  if (error instanceof DataFolderInUseError) fail(error.message);
  throw error;
});
await migrateHub(db);
const hub = new Hub(db);

/**
 * admin init --from-station: a new hub made from a stand-alone station's file, its library,
 * staff and history with it, and that station enrolled (src/hub/founding.ts). It then joins with
 * the code printed here, keeping its id and journal.
 */
async function initFromStation(file: string, opened: ReturnType<typeof openFoundingStation>): Promise<void> {
  try {
    const r = await foundHubFromStation(hub, opened.station);
    const others = r.outcomes.applied_with_warning + r.outcomes.conflict;
    console.log(`library "${opened.station.libraryName}" ready, made from station ${opened.station.stationId} (branch ${r.branchCode})`);
    console.log(`  ${r.entries} journal entries received as if synced from the first day${others ? ` (${r.outcomes.applied_with_warning} with a warning, ${r.outcomes.conflict} conflicts: admin exceptions)` : ''}; ${r.rows} library rows, ${r.staff} staff accounts`);
    console.log(`one-time code for that station (24 hours, single use): ${r.code}`);
    console.log(`  with the station stopped: npm run station -- hub join --data ${dirname(resolve(file.endsWith('.db') ? file : `${file}/station.db`))} --hub <this hub's address> --code=${r.code}`);
  } finally {
    opened.close();
  }
}

async function admin(command: string | undefined): Promise<void> {
  switch (command) {
    case 'init': {
      if (founding && values['from-station']) return initFromStation(values['from-station'], founding);
      const branch = values.branch ? parseBranch(values.branch) : null;
      if (branch) await hub.addBranch(branch);
      await hub.init({ libraryName: need('library'), currency: values.currency, locale: values.locale });
      console.log(`library "${values.library}" ready${branch ? `, branch ${branch.code}` : ''}`);
      if (values.admin) {
        if (!branch) fail('--admin needs --branch');
        const { password, generated } = passwordOrGenerated();
        await hub.addAdmin({ branchCode: branch.code, username: values.admin, displayName: values.name ?? values.admin, password });
        console.log(`administrator ${values.admin.toLowerCase()} created${generated ? `; initial password (shown once, change it): ${password}` : ''}`);
      }
      return;
    }
    case 'add-branch': {
      const branch = parseBranch(need('branch'));
      await hub.addBranch(branch);
      console.log(`branch ${branch.code} ready`);
      return;
    }
    case 'add-admin': {
      const { password, generated } = passwordOrGenerated();
      const username = need('username');
      await hub.addAdmin({ branchCode: need('branch'), username, displayName: values.name ?? username, password });
      console.log(`administrator ${username.toLowerCase()} created${generated ? `; initial password (shown once, change it): ${password}` : ''}`);
      return;
    }
    case 'enrol-station':
      // --station <id>: a new code for the station the hub was made from, if its code was lost or expired.
      console.log(`one-time enrolment code (24 hours, single use): ${await hub.createEnrolmentCode(need('branch'), values.station ?? null)}`);
      return;
    case 'stations':
      for (const s of await hub.listStations()) {
        const offset = s.clockOffsetMs === null ? 'never pushed' : `clock ${s.clockOffsetMs >= 0 ? '+' : ''}${Math.round(s.clockOffsetMs / 1000)} s`;
        console.log(`${s.id}  ${s.branchCode}  ${s.name}  ${s.lastSeenAt ? new Date(s.lastSeenAt).toISOString() : '-'}  ${offset}`);
      }
      return;
    case 'remove-station': {
      const id = positionals[2];
      if (!id) fail('admin remove-station <station id>   (ids: admin stations)');
      if (!(await hub.removeStation(id))) {
        console.error(`no station ${id}`);
        process.exitCode = 1;
        return;
      }
      console.log(`station ${id} removed: its credential and signing key are refused from now on`);
      return;
    }
    case 'exceptions': {
      const codes = new Map((await db.query<{ id: string; code: string }>('SELECT id, code FROM branches')).map((b) => [b.id, b.code]));
      const list = await hub.listExceptions(values.all);
      if (list.length === 0) console.log(values.all ? 'no exceptions' : 'no unresolved exceptions');
      for (const x of list) {
        const branches = x.branchIds.map((b) => codes.get(b) ?? b).join(',');
        const state = x.resolvedAt ? `resolved ${new Date(x.resolvedAt).toISOString()} by ${x.resolvedBy ?? '-'}${x.resolutionNote ? `: ${x.resolutionNote}` : ''}` : 'open';
        console.log(`${x.id}  ${x.kind}  ${new Date(x.createdAt).toISOString()}  ${branches}  ${state}\n    ${x.message}${x.itemId ? ` item ${x.itemId}` : ''}${x.patronIds?.length ? ` patrons ${x.patronIds.join(', ')}` : ''}`);
      }
      return;
    }
    case 'resolve-exception': {
      const id = positionals[2];
      if (!id) fail('admin resolve-exception <id> --note "what was done"');
      const { exception, alreadyResolved } = await hub.resolveException(id, values.by ?? `hub admin ${process.env.USER ?? ''}`.trim(), need('note'));
      console.log(
        alreadyResolved
          ? `${exception.id} was already resolved by ${exception.resolvedBy ?? '-'}${exception.resolutionNote ? `: ${exception.resolutionNote}` : ''}; nothing changed`
          : `${exception.id} resolved; every branch concerned sees it resolved on its next sync`,
      );
      return;
    }
    default:
      fail('admin commands: init, add-branch, add-admin, enrol-station, stations, remove-station, exceptions, resolve-exception');
  }
}

if (positionals[0] === 'admin') {
  try {
    await admin(positionals[1]);
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
} else {
  const https = values.cert || values.key ? { cert: readFileSync(need('cert')), key: readFileSync(need('key')) } : null;
  const app = await createHubServer({ hub, https });
  await app.listen({ host: values.host!, port: Number(values.port) });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : values.port;
  console.log(`Circa hub on ${https ? 'https' : 'http'}://${values.host}:${port}/ (${db.kind})`);
  const stop = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
