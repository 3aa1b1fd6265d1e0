// The SIP2 server as IT starts it: `npm run serve -- --sip2-port <port>` on a fresh, unconfigured
// folder (the port opens once there is a SIP2 account), and `npm run station -- sip2 ...` on a
// stopped station's folder (exits 0; never prints or journals the password in clear).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../support/launch';
import * as m from './client';
import { SipClient } from './client';

const running: ChildProcess[] = [];
afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGTERM');
});

async function serve(dataDir: string, sip2Port: number): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src', 'cli', 'serve.ts'),
      '--data',
      dataDir,
      '--port',
      String(port),
      '--renderer',
      join(dataDir, 'none'),
      '--sip2-port',
      String(sip2Port),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  running.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the station did not start');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function ok(url: string, name: string, input: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Whether something answers at the port. */
function listening(port: number): Promise<boolean> {
  return SipClient.open(port).then(
    (c) => (c.close(), true),
    () => false,
  );
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

const station = (...args: string[]) => stationWith({}, ...args);
const stationWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'station.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });

describe('SIP2 from the command line', () => {
  it('serve --sip2-port runs on a fresh folder, opens the port once a SIP2 account exists; the station CLI manages accounts on a stopped folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'circa-sip2-cli-'));
    const sipPort = await freePort();
    let s = await serve(dataDir, sipPort);
    // Unconfigured, no account: the station runs, the SIP2 port stays shut.
    expect(await listening(sipPort)).toBe(false);
    await ok(s.url, 'setup.initialize', {
      libraryName: 'Library',
      branchCode: 'MAIN',
      branchName: 'Main',
      timeZone: 'America/Chicago',
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Admin', password: 'a good password' },
    });
    const admin = (await ok(s.url, 'auth.signIn', { username: 'admin', password: 'a good password' })).token as string;
    expect(await listening(sipPort)).toBe(false);
    // An account made at the desk (Settings › SIP2): the port opens.
    const db = new Database(join(dataDir, 'station.db'), { readonly: true });
    const mainId = (db.prepare("SELECT id FROM branches WHERE code = 'MAIN'").get() as { id: string }).id;
    db.close();
    await ok(
      s.url,
      'sip2.saveAccount',
      {
        login: 'selfcheck1',
        password: 'desk-made-1',
        branchId: mainId,
        allowed: ['checkout', 'checkin', 'patron_info'],
      },
      admin,
    );
    await until(() => listening(sipPort));
    const c = await SipClient.open(sipPort);
    expect((await c.send(m.login('selfcheck1', 'desk-made-1'))).raw).toBe('941\r');
    expect((await c.send(m.scStatus())).get('AO')).toBe('MAIN');
    c.close();
    const settings = (await ok(s.url, 'sip2.settings', {}, admin)) as { listening: boolean; listeningPort: number };
    expect(settings).toMatchObject({ listening: true, listeningPort: sipPort });
    await stop(s.child);

    // The stopped station's folder: add an account from the command line.
    const add = station(
      'sip2',
      'add-account',
      '--data',
      dataDir,
      '--login',
      'sorter1',
      '--password',
      'cli-secret-9',
      '--branch',
      'MAIN',
      '--allow',
      'checkin',
    );
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toContain('SIP2 account sorter1 added for branch MAIN: checkin');
    // Signed by the station alone: IT is told a hub made from this station would refuse it.
    expect(add.stdout).toMatch(/Signed by this station, not by an administrator.*--from-station.*--admin <username>/);
    expect(add.stdout + add.stderr).not.toContain('cli-secret-9');
    const list = station('sip2', 'list', '--data', dataDir, '--json');
    expect(list.status).toBe(0);
    const accounts = JSON.parse(list.stdout.trim().split('\n').at(-1)!) as {
      login: string;
      allowed: string[];
      active: boolean;
    }[];
    expect(accounts.map((a) => [a.login, a.allowed, a.active])).toEqual([
      ['selfcheck1', ['checkout', 'checkin', 'patron_info'], true],
      ['sorter1', ['checkin'], true],
    ]);
    expect(JSON.stringify(accounts)).not.toMatch(/scrypt|passwordHash/);
    // Refused with a reason, and nothing changed.
    const bad = station(
      'sip2',
      'add-account',
      '--data',
      dataDir,
      '--login',
      'x',
      '--password',
      'pw-long-enough',
      '--branch',
      'NOWHERE',
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no branch with the code NOWHERE');
    // Neither password, nor its hash, is in the journal.
    const journal = readFileSync(join(dataDir, 'station.db'));
    expect(journal.includes('cli-secret-9')).toBe(false);
    const jdb = new Database(join(dataDir, 'station.db'), { readonly: true });
    const payloads = (
      jdb.prepare("SELECT payload FROM journal WHERE command LIKE 'sip2.%'").all() as { payload: string }[]
    ).map((r) => r.payload);
    jdb.close();
    expect(payloads).toHaveLength(2);
    for (const p of payloads) {
      expect(p).not.toContain('scrypt$');
      expect(p).toMatch(/"passwordHash":"secret:[0-9a-f]{64}"/);
    }

    // Started again: the CLI's account logs in.
    s = await serve(dataDir, sipPort);
    await until(() => listening(sipPort));
    const sorter = await SipClient.open(sipPort);
    expect((await sorter.send(m.login('sorter1', 'cli-secret-9'))).raw).toBe('941\r');
    sorter.close();
    await stop(s.child);
    const remove = station('sip2', 'remove', '--data', dataDir, '--login', 'sorter1');
    expect(remove.status).toBe(0);
    expect(station('sip2', 'list', '--data', dataDir).stdout).toMatch(/sorter1\s+MAIN\s+removed/);

    // Signed by an administrator (as a station joined to a hub needs): the entry names the account, and its session ends.
    const wrong = stationWith(
      { CIRCA_ADMIN_PASSWORD: 'not it' },
      'sip2',
      'add-account',
      '--data',
      dataDir,
      '--login',
      'gate1',
      '--password',
      'gate-secret-1',
      '--branch',
      'MAIN',
      '--admin',
      'admin',
    );
    expect(wrong.status).not.toBe(0);
    const countSessions = () => {
      const db2 = new Database(join(dataDir, 'station.db'), { readonly: true });
      const n = (db2.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
      db2.close();
      return n;
    };
    const sessionsBefore = countSessions();
    const signed = stationWith(
      { CIRCA_ADMIN_PASSWORD: 'a good password' },
      'sip2',
      'add-account',
      '--data',
      dataDir,
      '--login',
      'gate1',
      '--password',
      'gate-secret-1',
      '--branch',
      'MAIN',
      '--admin',
      'admin',
    );
    expect(signed.status).toBe(0);
    const sdb = new Database(join(dataDir, 'station.db'), { readonly: true });
    const last = sdb
      .prepare(
        "SELECT j.staff_id AS staffId, s.username FROM journal j JOIN staff s ON s.id = j.staff_id WHERE j.command = 'sip2.saveAccount' ORDER BY j.seq DESC LIMIT 1",
      )
      .get();
    sdb.close();
    expect(last).toMatchObject({ username: 'admin' });
    expect(countSessions()).toBe(sessionsBefore);
  }, 120_000);
});
