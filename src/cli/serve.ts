// `npm run serve -- --data <dir> --port <port> [--host <host>] [--allowed-host <name[:port]>]... [--join <hub> --code <code>] [--hub-ca <file.pem>] [--sip2-port <port> [--sip2-host <addr>]]`:
// the headless station. The desk at http://127.0.0.1:7300/, the kiosk at /kiosk, the API under /api.
// It answers only requests that name it by its own names: loopback ones, the address a request
// arrives at, and those given with --allowed-host or CIRCA_ALLOWED_HOSTS (docs/it-guide.md).
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStationCore } from '../station/core';
import { storeHubCa } from '../station/sync';
import { createHttpStation } from '../transports/http/server';
import { allowedHostsFrom } from '../transports/http/own-host';
import { startSip2Listener } from '../transports/sip2/listener';

const { values } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h' },
    data: { type: 'string', default: './data' },
    port: { type: 'string', default: '7300' },
    host: { type: 'string', default: '127.0.0.1' },
    renderer: { type: 'string' },
    join: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    'hub-ca': { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
    'sip2-port': { type: 'string' },
    'sip2-host': { type: 'string' },
  },
});

if (values.help) {
  console.log(
    'npm run serve -- --data <dir> --port <port> [--host <host>] [--allowed-host <name[:port]>]... [--join <hub> --code <code>] [--hub-ca <file.pem>]:\n' +
      'the headless station. The desk at http://127.0.0.1:7300/, the kiosk at /kiosk, the API under /api.\n' +
      '--allowed-host (repeatable; or CIRCA_ALLOWED_HOSTS=name,name:port): a name other machines reach this station by.\n' +
      '--sip2-port <port> [--sip2-host <addr>]: the SIP2 server for self-checks and sorters (loopback unless an address is named;\n' +
      '  it opens once the station has a SIP2 account: npm run station -- sip2 add-account). See docs/sip2.md.',
  );
  process.exit(0);
}

const dataDir = resolve(values.data!);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not "${values.port}"`);
  process.exit(2);
}
let sip2Port: number | null = null;
if (values['sip2-port'] !== undefined) {
  sip2Port = Number(values['sip2-port']);
  if (!/^\d+$/.test(values['sip2-port']) || sip2Port > 65535) {
    console.error(`--sip2-port must be a port number, not "${values['sip2-port']}"`);
    process.exit(2);
  }
}
if (values['sip2-host'] !== undefined && sip2Port === null) {
  console.error('--sip2-host needs --sip2-port');
  process.exit(2);
}
let allowedHosts;
try {
  allowedHosts = allowedHostsFrom(values['allowed-host'] ?? [], process.env.CIRCA_ALLOWED_HOSTS, values.host);
} catch (error) {
  console.error(`--allowed-host / CIRCA_ALLOWED_HOSTS: ${(error as Error).message}`);
  process.exit(2);
}
const rendererDir = values.renderer ? resolve(values.renderer) : fileURLToPath(new URL('../../dist/renderer', import.meta.url));

// `--join https://hub:7400 --code XXXX [--name "Front desk"]`: a new station joins the hub and
// loads the library before it opens.
const join = values.join ? { hubUrl: values.join, code: values.code ?? '', stationName: values.name ?? 'station' } : null;
if (join && !join.code) {
  console.error('--join needs --code (from `npm run hub -- admin enrol-station`)');
  process.exit(2);
}
// `--hub-ca <file.pem>`: the library's own certificate authority for its hub's HTTPS. Stored in the
// data folder, so later starts need not repeat it.
if (values['hub-ca']) {
  mkdirSync(dataDir, { recursive: true });
  try {
    storeHubCa(dataDir, resolve(values['hub-ca']));
  } catch (error) {
    console.error(`--hub-ca: ${(error as Error).message}`);
    process.exit(2);
  }
}
const core = await startStationCore({ dataDir, join });
const sip2 = await startSip2Listener(core.services, { port: sip2Port, host: values['sip2-host'] ?? null });
const app = await createHttpStation({ core, rendererDir, allowedHosts });
await app.listen({ host: values.host!, port });
const address = app.server.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
console.log(`Circa station: http://${values.host}:${actualPort}/ (kiosk: /kiosk, data: ${dataDir})`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing the current work and closing the station`);
  await app.close();
  await sip2.close();
  await core.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
