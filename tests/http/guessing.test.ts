// Guessing PINs and passwords against a real headless station (`npm run serve`, its own process),
// over real TCP, as the attack was made: every card and account locks after five wrong tries,
// even the right secret is then refused, the lock is journaled and outlives a restart, a machine
// spraying guesses across accounts is refused while the desk at another address signs in, a spray
// spread over many addresses is refused to everyone, an unknown username costs what a known one
// does, and the station answers others while the guesses are checked.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../support/launch';
import { patronCard } from '../support/station';

interface Station {
  url: string;
  dataDir: string;
  child: ChildProcess;
}

const running: Station[] = [];
afterAll(async () => {
  for (const s of running) await stop(s);
});

async function start(dataDir = mkdtempSync(join(tmpdir(), 'circa-guess-'))): Promise<Station> {
  const port = await freePort();
  // No renderer: only the API is attacked here.
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
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const station = { url: `http://127.0.0.1:${port}`, dataDir, child };
  running.push(station);
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${station.url}/api/health`)).ok) return station;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the station did not start');
}

async function stop(s: Station): Promise<void> {
  if (s.child.exitCode !== null) return;
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
}

async function call(
  s: Station,
  name: string,
  input: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * The call from another machine: a client socket bound to `from`, another loopback address (all
 * of 127.0.0.0/8 is this machine's on Linux), to the station's own 127.0.0.1 (so the Host check
 * passes, as for `call`), and no Origin (not from a page).
 */
function callFrom(
  s: Station,
  from: string,
  name: string,
  input: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(`/api/call/${name}`, s.url);
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function ok(s: Station, name: string, input: unknown, token?: string): Promise<Record<string, unknown>> {
  const r = await call(s, name, input, token);
  if (r.status !== 200) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A set-up station with its admin signed in. */
async function library(): Promise<{ s: Station; admin: string }> {
  const s = await start();
  await ok(s, 'setup.initialize', {
    libraryName: 'Library',
    branchCode: 'MAIN',
    branchName: 'Main',
    timeZone: 'America/Chicago',
    currency: 'USD',
    locale: 'en-US',
    admin: { username: 'admin', displayName: 'Admin', password: 'a good password' },
  });
  return { s, admin: (await ok(s, 'auth.signIn', { username: 'admin', password: 'a good password' })).token as string };
}

const codes = (rs: { body: Record<string, unknown> }[]) => rs.map((r) => r.body.code);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timed<T>(run: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

describe('guessing at a station', () => {
  let s: Station;
  let admin: string;
  let patronId: string;

  it('locks a card after five wrong PINs: the right one is then refused, the lock is journaled, and a restart keeps it', async () => {
    ({ s, admin } = await library());
    patronId = (
      (
        await ok(
          s,
          'patrons.register',
          { cardBarcode: patronCard(1), firstName: 'Ana', lastName: 'Lima', categoryCode: 'ADULT', pin: '2468' },
          admin,
        )
      ).patron as { id: string }
    ).id;
    const pin = (p: string) => call(s, 'auth.kioskSignIn', { cardBarcode: patronCard(1), pin: p });
    const before = Date.now();
    const wrong = [];
    for (let i = 0; i < 6; i++) wrong.push(await pin(String(1000 + i)));
    expect(codes(wrong)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'LOCKED',
      'LOCKED',
    ]);
    const right = await pin('2468');
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('LOCKED');
    // Locked for the library's 15 minutes, and the answer says until when.
    expect(right.body.retryAt).toBeGreaterThanOrEqual(before + 15 * 60_000);
    expect(right.body.retryAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(right.body).not.toHaveProperty('token');

    // The lock is a journal entry of the system's, with the lockouts row the hub and the other stations take.
    const db = new Database(join(s.dataDir, 'station.db'), { readonly: true });
    const entries = db
      .prepare("SELECT staff_id AS staffId, payload FROM journal WHERE command = 'auth.lockout'")
      .all() as { staffId: string | null; payload: string }[];
    db.close();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.staffId).toBeNull();
    expect(JSON.parse(entries[0]!.payload).effects).toEqual([
      {
        table: 'lockouts',
        op: 'upsert',
        row: expect.objectContaining({
          id: `patron:${patronId}`,
          kind: 'patron',
          subjectId: patronId,
          failures: 5,
          lockedUntil: right.body.retryAt,
        }),
      },
    ]);
    expect(entries[0]!.payload).not.toContain('2468');

    // Restarted (the wrong tries counted in memory are gone), the station still refuses the card.
    await stop(s);
    s = await start(s.dataDir);
    expect((await pin('2468')).body.code).toBe('LOCKED');
  });

  it('lets staff unlock the card at the desk: the right PIN then works, and the clearing is journaled under their name', async () => {
    const pin = (p: string) => call(s, 'auth.kioskSignIn', { cardBarcode: patronCard(1), pin: p });
    // The admin's session outlived the restart.
    expect(await ok(s, 'auth.clearLockout', { patronId }, admin)).toEqual({ wasLocked: true });
    expect((await pin('2468')).status).toBe(200);
    expect(await ok(s, 'auth.clearLockout', { patronId }, admin)).toEqual({ wasLocked: false });
    // Only staff who manage patrons may; a kiosk session may not.
    const kioskToken = (await ok(s, 'auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '2468' })).token as string;
    expect((await call(s, 'auth.clearLockout', { patronId }, kioskToken)).status).toBe(403);
    const db = new Database(join(s.dataDir, 'station.db'), { readonly: true });
    const cleared = db.prepare("SELECT staff_id AS staffId FROM journal WHERE command = 'auth.clearLockout'").all();
    const adminId = (db.prepare("SELECT id FROM staff WHERE username = 'admin'").get() as { id: string }).id;
    db.close();
    expect(cleared).toEqual([{ staffId: adminId }]);
  });

  it('locks a staff account after five wrong passwords, for sign-in and overrides alike; an unknown username answers the same', async () => {
    await ok(
      s,
      'staff.save',
      { username: 'sup', displayName: 'Sam', role: 'supervisor', password: 'supervisor pass' },
      admin,
    );
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push(await call(s, 'auth.signIn', { username: 'sup', password: `guess ${i}` }));
    expect(codes(tries)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'LOCKED',
      'LOCKED',
    ]);
    const right = await call(s, 'auth.signIn', { username: 'sup', password: 'supervisor pass' });
    expect(right).toMatchObject({ status: 423, body: { code: 'LOCKED' } });
    expect(
      await call(s, 'auth.verifySupervisor', { username: 'sup', password: 'supervisor pass' }, admin),
    ).toMatchObject({ status: 423, body: { code: 'LOCKED' } });
    // A name nobody has gets the same answers, in the same order: guessing does not tell which names exist.
    const ghost = [];
    for (let i = 0; i < 6; i++)
      ghost.push(await call(s, 'auth.signIn', { username: 'nobody', password: `guess ${i}` }));
    expect(codes(ghost)).toEqual(codes(tries));
    // Another account is not held up by it.
    expect((await call(s, 'auth.signIn', { username: 'admin', password: 'a good password' })).status).toBe(200);
  });

  it('refuses every staff sign-in from an address for a while once 20 from it fail within a minute across accounts', async () => {
    // 10 failures so far (5 for sup, 5 for nobody); 10 more names, one try each, reach 20.
    for (let i = 0; i < 10; i++)
      expect((await call(s, 'auth.signIn', { username: `spray${i}`, password: 'password1' })).body.code).toBe(
        'UNAUTHENTICATED',
      );
    const limited = await call(s, 'auth.signIn', { username: 'admin', password: 'a good password' });
    expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(limited.body.retryAt).toBeGreaterThan(Date.now() + 30_000);
    // The kiosk's PINs are counted apart: the desk's spray does not stop patrons.
    expect((await call(s, 'auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '2468' })).status).toBe(200);
  });
});

describe('guessing from other machines on the network', () => {
  it('refuses the machine that guessed 20 times, not the desk at another address, nor its own kiosk PINs', async () => {
    const { s, admin } = await library();
    await ok(
      s,
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Ana', lastName: 'Lima', categoryCode: 'ADULT', pin: '2468' },
      admin,
    );
    await ok(
      s,
      'staff.save',
      { username: 'sup', displayName: 'Sam', role: 'supervisor', password: 'supervisor pass' },
      admin,
    );
    // Each guess claims to be relayed for another client: a header is not believed, the socket's address counts.
    const guesses = [];
    for (let i = 0; i < 20; i++)
      guesses.push(
        await callFrom(s, '127.0.0.2', 'auth.signIn', { username: `spray${i}`, password: 'password1' }, undefined, {
          'x-forwarded-for': `10.0.0.${i}`,
        }),
      );
    expect(codes(guesses)).toEqual(Array(20).fill('UNAUTHENTICATED'));
    // The supervisor at the desk signs in, and overrides.
    const desk = await callFrom(s, '127.0.0.3', 'auth.signIn', { username: 'sup', password: 'supervisor pass' });
    expect(desk.status).toBe(200);
    expect(desk.body.token).toEqual(expect.any(String));
    const override = await callFrom(
      s,
      '127.0.0.3',
      'auth.verifySupervisor',
      { username: 'sup', password: 'supervisor pass' },
      desk.body.token as string,
    );
    expect(override.status).toBe(200);
    expect(override.body.overrideToken).toEqual(expect.any(String));
    // The guessing machine is refused even the right password, and told when it may try again.
    const limited = await callFrom(s, '127.0.0.2', 'auth.signIn', { username: 'sup', password: 'supervisor pass' });
    expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(limited.body.retryAt).toBeGreaterThan(Date.now() + 30_000);
    expect(limited.body).not.toHaveProperty('token');
    // Its patrons' PINs are counted apart.
    expect(
      (await callFrom(s, '127.0.0.2', 'auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '2468' })).status,
    ).toBe(200);
  });

  it('refuses everyone once 100 wrong tries within a minute come from many addresses', async () => {
    const { s } = await library();
    // Ten machines, ten wrong tries each: each under its own limit of 20.
    const guesses = [];
    for (let i = 0; i < 100; i++)
      guesses.push(
        await callFrom(s, `127.0.1.${1 + (i % 10)}`, 'auth.signIn', { username: `spray${i}`, password: 'password1' }),
      );
    expect(codes(guesses)).toEqual(Array(100).fill('UNAUTHENTICATED'));
    const fresh = await callFrom(s, '127.0.0.4', 'auth.signIn', { username: 'admin', password: 'a good password' });
    expect(fresh).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(fresh.body.retryAt).toBeGreaterThan(Date.now() + 30_000);
    expect((await call(s, 'auth.signIn', { username: 'admin', password: 'a good password' })).status).toBe(429);
  });
});

describe('the cost of a guess', () => {
  it('is the same for an unknown username as for a known one (medians of 8 tries each)', async () => {
    const { s } = await library();
    await ok(s, 'auth.signIn', { username: 'admin', password: 'a good password' }); // warm up both paths
    await call(s, 'auth.signIn', { username: 'warm-up', password: 'x' });
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      // Interleaved, so that a burst of load elsewhere on the machine falls on both.
      known.push(await timed(() => call(s, 'auth.signIn', { username: 'admin', password: `wrong ${i}` })));
      unknown.push(await timed(() => call(s, 'auth.signIn', { username: `ghost${i}`, password: `wrong ${i}` })));
      // A right password now and then resets the admin's count before it locks.
      if (i % 3 === 2) await ok(s, 'auth.signIn', { username: 'admin', password: 'a good password' });
    }
    const ratio = median(known) / median(unknown);
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeGreaterThan(
      1 / 1.5,
    );
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeLessThan(1.5);
  });

  it('does not stall the station: /api/health answers promptly to another client while 20 guesses are checked at once', async () => {
    const { s } = await library();
    // Baseline from the same machine as it is loaded now.
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) idle.push(await timed(() => fetch(`${s.url}/api/health`).then((r) => r.json())));
    let attacking = true;
    const attack = Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(s, 'auth.signIn', { username: `attacker${i}`, password: `guess ${i}` }),
      ),
    ).finally(() => (attacking = false));
    const during: number[] = [];
    while (attacking) during.push(await timed(() => fetch(`${s.url}/api/health`).then((r) => r.json())));
    const answers = await attack;
    // Every guess was checked (none refused by the station's limit before scrypt ran).
    expect(codes(answers)).toEqual(Array(20).fill('UNAUTHENTICATED'));
    expect(during.length, 'health samples during the attack').toBeGreaterThanOrEqual(3);
    expect(
      median(during),
      `health p50 ${median(during).toFixed(1)} ms during (idle ${median(idle).toFixed(1)} ms, ${during.length} samples)`,
    ).toBeLessThan(50);
  });
});
