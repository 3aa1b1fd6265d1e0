// The headless station (`npm run serve`, a real process on a real port) answers only its own
// pages. A web page that rebinds its own name to 127.0.0.1 (DNS rebinding) reaches the port with
// `Host: evil.example`: refused on every route, and nothing changes (an unconfigured station
// stays unconfigured, no request leaves for the attacker's "hub"). A page of another site may not
// POST to it. Setting the station up, or joining it to a hub, only from the station's own machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { startStationCore, type StationCore } from '../../src/station/core';
import { createHttpStation } from '../../src/transports/http/server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVE = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'serve.ts')];
const LAN = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

const SETUP = {
  libraryName: 'Evil Library',
  branchCode: 'EVIL',
  branchName: 'Evil',
  timeZone: 'UTC',
  currency: 'USD',
  locale: 'en-US',
  admin: { username: 'mallory', displayName: 'Mallory', password: 'mallory password' },
};

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

/** A built renderer stand-in: the static files are served (and guarded) like the real ones. */
function rendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'circa-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Circa</title><h1>desk</h1>');
  return dir;
}

/** `npm run serve` in a fresh data folder on a free port; resolves with where it listens. */
function serve(
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ host: string; port: number; child: ChildProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'circa-own-host-'));
  const child = spawn(
    process.execPath,
    [...SERVE, '--data', dataDir, '--port', '0', '--renderer', rendererDir(), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the station did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Circa station: http:\/\/(\S+):(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ host: m[1]!, port: Number(m[2]), child });
      }
    });
    child.on('exit', (code) => reject(new Error(`the station exited (${code}): ${err}`)));
  });
}

interface Answer {
  status: number;
  body: string;
  json(): Record<string, unknown>;
}

/** One request over a real socket with exactly the headers given (Host included: fetch would not send ours). */
function request(
  target: { address: string; port: number },
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: unknown; noHost?: boolean },
): Promise<Answer> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.address,
        port: target.port,
        method: opts.method ?? (payload ? 'POST' : 'GET'),
        path: opts.path,
        agent: false,
        setHost: !opts.noHost,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        // An event stream that was let through never ends: its first bytes are enough.
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (String(res.headers['content-type']).startsWith('text/event-stream')) res.destroy();
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) as Record<string, unknown> });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const call = (
  target: { address: string; port: number },
  name: string,
  input: unknown,
  headers: Record<string, string> = {},
) => request(target, { path: `/api/call/${name}`, body: input, headers });

/** A listening socket standing in for the attacker's "hub": it counts who connects. */
async function attackerHub(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, connections: () => connections };
}

describe('a station reached by DNS rebinding (Host: evil.example)', () => {
  let station: { address: string; port: number };
  let evil: Awaited<ReturnType<typeof attackerHub>>;
  beforeAll(async () => {
    const s = await serve();
    station = { address: '127.0.0.1', port: s.port };
    evil = await attackerHub();
  }, 60_000);
  afterAll(() => evil.server.close());

  it('refuses set-up, joining a hub and every other route, and stays unconfigured', async () => {
    const rebound = { host: `evil.example:${station.port}` };
    const setup = await call(station, 'setup.initialize', SETUP, rebound);
    expect(setup.status).toBe(421);
    expect(setup.json()).toMatchObject({ code: 'WRONG_HOST' });
    const join = await call(
      station,
      'setup.join',
      { hubUrl: `http://127.0.0.1:${evil.port}`, code: 'abcdefgh', stationName: 'pwned' },
      rebound,
    );
    expect(join.status).toBe(421);
    for (const path of [
      '/api/kiosk/card-scans',
      '/api/events?token=x',
      '/api/health',
      '/api/openapi.json',
      '/',
      '/kiosk',
      '/index.html',
    ]) {
      const res = await request(station, { path, headers: rebound });
      expect(res.status, path).toBe(421);
      expect(res.body, path).not.toContain('<h1>desk</h1>');
    }
    // The station never called out to the attacker's address, and is still waiting for its set-up.
    expect(evil.connections()).toBe(0);
    expect((await call(station, 'setup.status', {})).json()).toMatchObject({
      configured: false,
      loadingLibrary: false,
    });
  });

  it('knows a loopback name from one that only starts like one', async () => {
    const p = station.port;
    for (const host of [
      `127.0.0.1:${p}`,
      `localhost:${p}`,
      `LOCALHOST:${p}`,
      `[::1]:${p}`,
      `127.0.0.2:${p}`,
      `127.255.0.1:${p}`,
    ]) {
      expect((await request(station, { path: '/api/health', headers: { host } })).status, host).toBe(200);
    }
    for (const host of [
      `127.0.0.1.evil.example:${p}`,
      `localhost.evil.example:${p}`,
      `127.evil.example:${p}`,
      'evil.example',
      `127.0.0.1:${p + 1}`,
      '127.0.0.1',
      `[::2]:${p}`,
      `a@127.0.0.1:${p}`,
    ]) {
      expect((await request(station, { path: '/api/health', headers: { host } })).status, host).toBe(421);
    }
    // A request without any Host names nothing: refused (by Node's own parser, 400, or by the station).
    expect([400, 421]).toContain((await request(station, { path: '/api/health', noHost: true })).status);
  });

  it("refuses a POST from another site's page, and one a browser marks cross-site", async () => {
    const own = `http://127.0.0.1:${station.port}`;
    const crossSite: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: `http://evil.example:${station.port}` },
      { origin: 'null' },
      { origin: `https://127.0.0.1:${station.port}` },
      { origin: `http://localhost:${station.port + 1}` },
      { origin: own, 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const res = await call(station, 'setup.initialize', SETUP, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    // Another site's page may not open the kiosk's card-scan stream either (a cross-site EventSource).
    expect(
      (await request(station, { path: '/api/kiosk/card-scans', headers: { 'sec-fetch-site': 'cross-site' } })).status,
    ).toBe(403);
    // A link from another site to the desk still opens it.
    expect(
      (await request(station, { path: '/', headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } }))
        .status,
    ).toBe(200);
    expect((await call(station, 'setup.status', {})).json()).toMatchObject({ configured: false });
    // The station's own page (same origin) may.
    expect((await call(station, 'setup.status', {}, { origin: own, 'sec-fetch-site': 'same-origin' })).status).toBe(
      200,
    );
  });

  it('lets a browser on this machine set it up, but not one whose request a proxy relayed', async () => {
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
    ];
    for (const headers of relayed) {
      const res = await call(station, 'setup.initialize', SETUP, headers);
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('own machine') });
    }
    expect((await call(station, 'setup.status', {})).json()).toMatchObject({ configured: false });
    const own = `http://127.0.0.1:${station.port}`;
    expect(
      (await call(station, 'setup.initialize', SETUP, { origin: own, 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(200);
    expect((await call(station, 'setup.status', {})).json()).toMatchObject({
      configured: true,
      libraryName: 'Evil Library',
    });
  });
});

describe('the names IT allows', () => {
  it('answers to a name given with --allowed-host or CIRCA_ALLOWED_HOSTS, from its page over http or https', async () => {
    const s = await serve(['--allowed-host', 'desk.library.example', '--allowed-host', 'kiosk.library.example:8443'], {
      CIRCA_ALLOWED_HOSTS: 'front.library.example, 10.1.2.3:7300',
    });
    const station = { address: '127.0.0.1', port: s.port };
    for (const host of [
      'desk.library.example',
      `desk.library.example:${s.port}`,
      'kiosk.library.example:8443',
      'front.library.example',
      '10.1.2.3:7300',
    ]) {
      expect((await request(station, { path: '/api/health', headers: { host } })).status, host).toBe(200);
    }
    for (const host of ['kiosk.library.example', 'kiosk.library.example:443', '10.1.2.3', 'evil.example']) {
      expect((await request(station, { path: '/api/health', headers: { host } })).status, host).toBe(421);
    }
    // A TLS proxy in front: the page's origin is https, the Host the proxy passes on the station's own.
    const behindProxy = {
      host: `127.0.0.1:${s.port}`,
      origin: 'https://desk.library.example',
      'sec-fetch-site': 'same-origin',
    };
    expect((await call(station, 'setup.status', {}, behindProxy)).status).toBe(200);
    expect((await call(station, 'setup.status', {}, { origin: 'https://kiosk.library.example:8443' })).status).toBe(
      200,
    );
    expect(
      (await call(station, 'setup.status', {}, { origin: 'https://desk.library.example.evil.example' })).status,
    ).toBe(403);
    // But a relayed request is not this machine's: no set-up through the proxy.
    expect(
      (await call(station, 'setup.initialize', SETUP, { ...behindProxy, 'x-forwarded-for': '10.0.0.7' })).status,
    ).toBe(403);
  }, 60_000);

  it('will not start with an entry that is not a host name', () => {
    for (const bad of ['http://desk.example/', 'desk.example:99999', 'user@desk.example']) {
      const r = spawnSync(
        process.execPath,
        [...SERVE, '--data', mkdtempSync(join(tmpdir(), 'circa-bad-host-')), '--port', '0', '--allowed-host', bad],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain('--allowed-host');
    }
  }, 120_000);
});

describe.skipIf(!LAN)('a station listening on the network', () => {
  it('answers at the address it was reached by, but takes its set-up and its hub only from its own machine', async () => {
    const s = await serve(['--host', LAN!]);
    const station = { address: LAN!, port: s.port };
    const evil = await attackerHub();
    try {
      expect((await request(station, { path: '/api/health' })).status).toBe(200);
      expect((await request(station, { path: '/' })).body).toContain('<h1>desk</h1>');
      const setup = await call(station, 'setup.initialize', SETUP, { origin: `http://${LAN}:${s.port}` });
      expect(setup.status).toBe(403);
      expect(setup.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('own machine') });
      const join = await call(station, 'setup.join', {
        hubUrl: `http://127.0.0.1:${evil.port}`,
        code: 'abcdefgh',
        stationName: 'pwned',
      });
      expect(join.status).toBe(403);
      expect(evil.connections()).toBe(0);
      expect((await request(station, { path: '/api/kiosk/card-scans' })).status).toBe(403);
      expect((await call(station, 'setup.status', {})).json()).toMatchObject({ configured: false });
    } finally {
      evil.server.close();
    }
  }, 60_000);
});

describe('the public status answer', () => {
  let db: HubDb;
  let hubServer: Awaited<ReturnType<typeof createHubServer>>;
  let core: StationCore;
  let app: Awaited<ReturnType<typeof createHttpStation>>;
  let hubUrl: string;
  beforeAll(async () => {
    db = await openHubDb({});
    await migrateHub(db);
    const hub = new Hub(db);
    await hub.addBranch({ code: 'N', name: 'North', timeZone: 'UTC' });
    await hub.init({
      libraryName: 'County Library',
      admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
    });
    hubServer = await createHubServer({ hub });
    await hubServer.listen({ host: '127.0.0.1', port: 0 });
    hubUrl = `http://127.0.0.1:${(hubServer.server.address() as { port: number }).port}`;
    core = await startStationCore({
      dataDir: mkdtempSync(join(tmpdir(), 'circa-status-')),
      join: { hubUrl, code: await hub.createEnrolmentCode('N'), stationName: 'north desk' },
    });
    app = await createHttpStation({ core, rendererDir: null });
    await app.listen({ host: LAN ? '0.0.0.0' : '127.0.0.1', port: 0 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await core?.close();
    await hubServer?.close();
    await db?.close();
  });

  it('shows no hub address and no backlog without a staff session; staff see both', async () => {
    const port = (app.server.address() as { port: number }).port;
    const local = { address: '127.0.0.1', port };
    const signIn = (await call(local, 'auth.signIn', { username: 'alice', password: 'alice password' })).json();
    // Something waiting to go, so that there is a backlog to hide.
    const token = signIn.token as string;
    expect(
      (await call(local, 'catalogue.addRecord', { title: 'Nada' }, { authorization: `Bearer ${token}` })).status,
    ).toBe(200);
    const staff = (await call(local, 'status.get', {}, { authorization: `Bearer ${token}` })).json();
    expect(staff).toMatchObject({
      journalWaiting: expect.any(Number),
      sync: { state: 'configured', hubUrl, waiting: expect.any(Number) },
    });

    const targets = [local, ...(LAN ? [{ address: LAN, port }] : [])];
    for (const target of targets) {
      const res = await call(target, 'status.get', {});
      expect(res.status).toBe(200);
      const body = res.json();
      expect(res.body, target.address).not.toContain(hubUrl.replace('http://', ''));
      expect(body, target.address).not.toHaveProperty('journalWaiting');
      expect(body.sync, target.address).toMatchObject({ state: 'configured' });
      expect(body.sync, target.address).not.toHaveProperty('hubUrl');
      expect(body.sync, target.address).not.toHaveProperty('waiting');
    }
    // Over the network, not even the last sync error (it names the hub's address when it fails).
    if (LAN) expect((await call({ address: LAN, port }, 'status.get', {})).json().sync).not.toHaveProperty('lastError');
  });
});
