// `npm run serve -- --data <dir> --port <port> [--host <host>] [--allowed-host <name[:port]>]... [--join <hub> --code <code>] [--hub-ca <file.pem>] [--sip2-port <port> [--sip2-host <addr>]]`:
// the headless station. The desk at http://127.0.0.1:7300/, the kiosk at /kiosk, the API under /api.
// It answers only requests that name it by its own names: loopback ones, the address a request
// arrives at, and those given with --allowed-host or CIRCA_ALLOWED_HOSTS (docs/it-guide.md).
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startStationCore } from '../station/core';
import { storeHubCa } from '../station/sync';
import { createHttpStation } from '../transports/http/server';
import { allowedHostsFrom } from '../transports/http/own-host';
import { startSip2Listener } from '../transports/sip2/listener';
import { DataFolderInUseError, lockDataFolder } from '../store/data-lock';
import { buildRenderer, DEFAULT_RENDERER_DIR, rendererBuildReason } from './renderer-build';
import { cannotListenLine } from './listen-error';

// Exit codes a service manager or script can tell apart (docs/it-guide.md).
const EXIT = { cannotStart: 1, usage: 2, portUnavailable: 3, dataFolderInUse: 4 } as const;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  data: { type: 'string', default: './data' },
  port: { type: 'string', default: '7300' },
  host: { type: 'string', default: '127.0.0.1' },
  renderer: { type: 'string' },
  'no-build': { type: 'boolean' },
  join: { type: 'string' },
  code: { type: 'string' },
  name: { type: 'string' },
  'hub-ca': { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  'sip2-port': { type: 'string' },
  'sip2-host': { type: 'string' },
} as const;

// A mistyped option is one line and exit code 2, not a stack trace.
let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
try {
  values = parseArgs({ options: OPTIONS }).values;
} catch (error) {
  console.error(`npm run serve: ${(error as Error).message} (npm run serve -- --help lists the options)`);
  process.exit(EXIT.usage);
}

if (values.help) {
  console.log(
    'npm run serve -- --data <dir> --port <port> [--host <host>] [--allowed-host <name[:port]>]... [--join <hub> --code <code> [--name <desk name>]] [--hub-ca <file.pem>]:\n' +
      'the headless station. The desk at http://127.0.0.1:7300/, the kiosk at /kiosk, the API under /api.\n' +
      '--allowed-host (repeatable; or CIRCA_ALLOWED_HOSTS=name,name:port): a name other machines reach this station by.\n' +
      '--renderer <dir>: serve the desk from this folder, as it is. Otherwise the desk in dist/renderer (or CIRCA_RENDERER_DIR) is built first\n' +
      'when it is missing or older than its sources; --no-build: never build it.\n' +
      '--sip2-port <port> [--sip2-host <addr>]: the SIP2 server for self-checks and sorters (loopback unless an address is named;\n' +
      '  it opens once the station has a SIP2 account: npm run station -- sip2 add-account). See docs/sip2.md.\n' +
      'Exit codes: 1 could not start, 2 bad options, 3 port in use or not allowed, 4 data folder in use by another station process.',
  );
  process.exit(0);
}

const dataDir = resolve(values.data!);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not "${values.port}"`);
  process.exit(EXIT.usage);
}
let sip2Port: number | null = null;
if (values['sip2-port'] !== undefined) {
  sip2Port = Number(values['sip2-port']);
  if (!/^\d+$/.test(values['sip2-port']) || sip2Port > 65535) {
    console.error(`--sip2-port must be a port number, not "${values['sip2-port']}"`);
    process.exit(EXIT.usage);
  }
}
if (values['sip2-host'] !== undefined && sip2Port === null) {
  console.error('--sip2-host needs --sip2-port');
  process.exit(EXIT.usage);
}
let allowedHosts;
try {
  allowedHosts = allowedHostsFrom(values['allowed-host'] ?? [], process.env.CIRCA_ALLOWED_HOSTS, values.host);
} catch (error) {
  console.error(`--allowed-host / CIRCA_ALLOWED_HOSTS: ${(error as Error).message}`);
  process.exit(EXIT.usage);
}

// The data folder is this process's alone (src/store/data-lock.ts): a second station on it would
// run as the same station id. Taken before anything is written in it.
let releaseLock: () => void;
try {
  releaseLock = lockDataFolder(dataDir);
} catch (error) {
  if (!(error instanceof DataFolderInUseError)) throw error;
  console.error(`Circa station: ${error.message}`);
  process.exit(EXIT.dataFolderInUse);
}

// The desk it serves. Its build (dist/renderer, or CIRCA_RENDERER_DIR) is made first when it is
// missing (a fresh checkout) or older than its sources (a checkout pulled since); a folder given
// with --renderer is served as it is.
const rendererDir = values.renderer
  ? resolve(values.renderer)
  : process.env.CIRCA_RENDERER_DIR
    ? resolve(process.env.CIRCA_RENDERER_DIR)
    : DEFAULT_RENDERER_DIR;
const buildReason = values['no-build'] || values.renderer ? null : rendererBuildReason(rendererDir);
if (buildReason) {
  console.log(`Circa station: building the desk first: ${buildReason} (--no-build skips this)`);
  try {
    buildRenderer(rendererDir);
  } catch (error) {
    console.error(`Circa station: ${(error as Error).message}`);
    process.exit(EXIT.cannotStart);
  }
}

// `--join https://hub:7400 --code XXXX [--name "Front desk"]`: a new station joins the hub and
// loads the library before it opens.
const join = values.join
  ? { hubUrl: values.join, code: values.code ?? '', stationName: values.name ?? 'station' }
  : null;
if (join && !join.code) {
  console.error('--join needs --code (from `npm run hub -- admin enrol-station`)');
  process.exit(EXIT.usage);
}
// `--hub-ca <file.pem>`: the library's own certificate authority for its hub's HTTPS. Stored in the
// data folder, so later starts need not repeat it.
if (values['hub-ca']) {
  mkdirSync(dataDir, { recursive: true });
  try {
    storeHubCa(dataDir, resolve(values['hub-ca']));
  } catch (error) {
    console.error(`--hub-ca: ${(error as Error).message}`);
    process.exit(EXIT.usage);
  }
}
let core: Awaited<ReturnType<typeof startStationCore>>;
try {
  core = await startStationCore({ dataDir, join });
} catch (error) {
  console.error(`Circa station: could not open the data folder ${dataDir}: ${(error as Error).message}`);
  process.exit(EXIT.cannotStart);
}
let sip2: Awaited<ReturnType<typeof startSip2Listener>>;
try {
  sip2 = await startSip2Listener(core.services, { port: sip2Port, host: values['sip2-host'] ?? null });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Circa station: the SIP2 port ${sip2Port} is already in use. Stop what holds it or choose another with --sip2-port.`
      : `Circa station: could not start the SIP2 server: ${(error as Error).message}`,
  );
  await core.close();
  process.exit(EXIT.portUnavailable);
}
const app = await createHttpStation({ core, rendererDir, allowedHosts });
try {
  await app.listen({ host: values.host!, port });
} catch (error) {
  console.error(cannotListenLine('station', values.host!, port, error));
  await core.close();
  process.exit(EXIT.portUnavailable);
}
const address = app.server.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
console.log(`Circa station: http://${values.host}:${actualPort}/ (kiosk: /kiosk, data: ${dataDir})`);

/** Past this, a close that still waits (a request that never ends) is cut short: a service manager waits no longer. */
const SHUTDOWN_DEADLINE_MS = 10_000;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing the current work and closing the station`);
  const deadline = setTimeout(() => {
    console.error(
      `Circa station: still closing after ${SHUTDOWN_DEADLINE_MS / 1000} s; stopping now (the database recovers from its journal).`,
    );
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  // Ends open event streams and idle keep-alive connections, then waits for requests in flight.
  await app.close();
  await sip2.close();
  await core.close();
  releaseLock();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
