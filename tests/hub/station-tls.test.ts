// A station and a hub over HTTPS whose certificate comes from the library's own certificate
// authority, all made here with openssl: the station given that authority (serve --hub-ca, kept in
// its data folder) joins and syncs; with no authority, or another one, it refuses the hub with a
// TLS error in words and changes nothing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { openStation, type StationServices } from '../../src/station/services';
import { startStationCore } from '../../src/station/core';
import { enrolWithHub, HUB_CA_FILE, joinHub, startSync, storeHubCa } from '../../src/station/sync';
import { HubTlsError } from '../../src/sync/http-client';
import { CURSOR_KEY } from '../../src/sync/apply-pulled';

const dir = mkdtempSync(join(tmpdir(), 'circa-hub-ca-'));
const pem = (name: string) => join(dir, name);
let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let url: string;
const opened: StationServices[] = [];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A certificate authority: its key and self-signed certificate. */
function makeCa(name: string): void {
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    pem(`${name}.key`),
    '-out',
    pem(`${name}.crt`),
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

beforeAll(async () => {
  makeCa('library-ca');
  makeCa('other-ca');
  // The hub's certificate, signed by the library's authority, for the address the stations use.
  openssl([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    pem('hub.key'),
    '-out',
    pem('hub.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(
    pem('hub.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl([
    'x509',
    '-req',
    '-in',
    pem('hub.csr'),
    '-CA',
    pem('library-ca.crt'),
    '-CAkey',
    pem('library-ca.key'),
    '-CAcreateserial',
    '-out',
    pem('hub.crt'),
    '-days',
    '1',
    '-extfile',
    pem('hub.ext'),
  ]);

  db = await openHubDb({});
  await migrateHub(db);
  hub = new Hub(db);
  await hub.addBranch({ code: 'MAIN', name: 'Main', timeZone: 'America/New_York' });
  await hub.init({
    libraryName: 'County Library',
    admin: { branchCode: 'MAIN', username: 'alice', displayName: 'Alice', password: 'alice password' },
  });
  server = await createHubServer({
    hub,
    https: { cert: readFileSync(pem('hub.crt')), key: readFileSync(pem('hub.key')) },
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  url = `https://127.0.0.1:${(server.server.address() as { port: number }).port}`;
}, 60_000);

afterAll(async () => {
  for (const s of opened) s.close();
  await server?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A new station in a data folder of its own, with the given authority stored as `serve --hub-ca` stores it. */
function station(ca: string | null): { s: StationServices; data: string } {
  const data = mkdtempSync(join(dir, 'station-'));
  if (ca) storeHubCa(data, pem(ca));
  const s = openStation(join(data, 'station.db'));
  opened.push(s);
  // A station has its own signing key as it has its id (src/services/keyring.ts): made before
  // any hub is asked, so not among what a refused hub may not change.
  s.ctx.keys.stationKey();
  return { s, data };
}

const stationState = (s: StationServices) =>
  s.store.db.prepare('SELECT key, value FROM station_state ORDER BY key').all();
const rowCount = (s: StationServices) =>
  (
    s.store.db
      .prepare(
        'SELECT (SELECT count(*) FROM branches) + (SELECT count(*) FROM staff) + (SELECT count(*) FROM settings) AS n',
      )
      .get() as { n: number }
  ).n;

describe("a station and a hub with the library's own certificate authority", () => {
  it('joins and syncs when given that authority', async () => {
    const { s } = station('library-ca.crt');
    await joinHub(s, { hubUrl: url, code: await hub.createEnrolmentCode('MAIN'), stationName: 'desk' });
    expect(s.ctx.readState(CURSOR_KEY)).not.toBeNull();
    expect(s.admin.isConfigured()).toBe(true);
    expect((s.store.db.prepare("SELECT name FROM branches WHERE code = 'MAIN'").get() as { name: string }).name).toBe(
      'Main',
    );
  }, 60_000);

  it('refuses the hub without it, in words, and changes nothing', async () => {
    const { s } = station(null);
    const before = stationState(s);
    const code = await hub.createEnrolmentCode('MAIN');
    const failure = await enrolWithHub(s, { hubUrl: url, code, stationName: 'desk' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HubTlsError);
    expect((failure as Error).message).toMatch(
      /certificate at 127\.0\.0\.1:\d+ is not trusted: it is not signed by a public certificate authority.*--hub-ca/,
    );
    expect(stationState(s)).toEqual(before);
    expect(rowCount(s)).toBe(0);
    // Nothing reached the hub either: the code still works.
    const ok = station('library-ca.crt');
    await expect(enrolWithHub(ok.s, { hubUrl: url, code, stationName: 'desk' })).resolves.toMatchObject({ url });
  }, 60_000);

  it("tells the desk's set-up screen it is the certificate, not the network", async () => {
    const data = mkdtempSync(join(dir, 'desk-'));
    const core = await startStationCore({ dataDir: data });
    try {
      const r = await core.invoke(
        'setup.join',
        { hubUrl: url, code: await hub.createEnrolmentCode('MAIN'), stationName: 'desk' },
        { local: true },
      );
      expect(r).toMatchObject({ ok: false, error: { code: 'HUB_CERTIFICATE' } });
      expect(await core.invoke('setup.status', {}, {})).toMatchObject({
        ok: true,
        value: { configured: false, loadingLibrary: false },
      });
    } finally {
      await core.close();
    }
  }, 60_000);

  it('refuses the hub with another authority, in words, and changes nothing', async () => {
    const { s } = station('other-ca.crt');
    const before = stationState(s);
    const failure = await enrolWithHub(s, {
      hubUrl: url,
      code: await hub.createEnrolmentCode('MAIN'),
      stationName: 'desk',
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HubTlsError);
    expect((failure as Error).message).toMatch(
      /not trusted: it is not signed by the certificate authority the station was given \(--hub-ca\)/,
    );
    expect(stationState(s)).toEqual(before);
  }, 60_000);

  it('a joined station whose authority no longer matches stops syncing with a TLS error, and keeps its data', async () => {
    const { s, data } = station('library-ca.crt');
    await joinHub(s, { hubUrl: url, code: await hub.createEnrolmentCode('MAIN'), stationName: 'desk' });
    const before = { state: stationState(s), rows: rowCount(s) };
    // The hub's certificate was replaced by one from another authority (here: the station's CA file is).
    writeFileSync(join(data, HUB_CA_FILE), readFileSync(pem('other-ca.crt')));
    const events: unknown[] = [];
    const worker = startSync(s, { emit: (e) => events.push(e) }, 60_000)!;
    try {
      await expect.poll(() => worker.state().lastError, { timeout: 10_000 }).toMatch(/certificate .* is not trusted/);
      expect(worker.state().reachable).toBe(false);
      expect(stationState(s)).toEqual(before.state);
      expect(rowCount(s)).toBe(before.rows);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('npm run serve -- --join ... --hub-ca <file>: the station keeps the authority and joins over HTTPS', async () => {
    const data = mkdtempSync(join(dir, 'serve-'));
    const code = await hub.createEnrolmentCode('MAIN');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/serve.ts',
        '--data',
        data,
        '--port',
        '0',
        '--join',
        url,
        '--code',
        code,
        '--hub-ca',
        pem('library-ca.crt'),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const started = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`the station did not start: ${err}`)), 60_000);
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          if (/Circa station: http/.test(out)) {
            clearTimeout(timer);
            resolve(out);
          }
        });
        child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (status) => reject(new Error(`the station exited (${status}): ${err}`)));
      });
      expect(started).toMatch(/Circa station/);
      expect(readFileSync(join(data, HUB_CA_FILE), 'utf8')).toBe(readFileSync(pem('library-ca.crt'), 'utf8'));
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    // It joined: the station's file names its hub, and the library came.
    const s = openStation(join(data, 'station.db'));
    opened.push(s);
    expect(s.ctx.readState('hub_url')).toBe(url);
    expect(s.admin.isConfigured()).toBe(true);
  }, 120_000);

  it('npm run serve -- --hub-ca <not a certificate> stops at once and says so', () => {
    writeFileSync(pem('junk.pem'), 'not a certificate');
    const data = mkdtempSync(join(dir, 'serve-'));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/serve.ts', '--data', data, '--port', '0', '--hub-ca', pem('junk.pem')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--hub-ca: .*junk\.pem is not a PEM certificate/);
    expect(existsSync(join(data, HUB_CA_FILE))).toBe(false);
  }, 60_000);

  it('refuses a --hub-ca file that holds no certificate', () => {
    writeFileSync(pem('not-a-cert.pem'), 'hello');
    expect(() => storeHubCa(mkdtempSync(join(dir, 'station-')), pem('not-a-cert.pem'))).toThrow(
      /not a PEM certificate/,
    );
  });
});
