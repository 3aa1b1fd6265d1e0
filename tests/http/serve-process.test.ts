// `npm run serve` as a service manager and a technician meet it, as real processes: it exits
// promptly on SIGTERM with a signed-in desk's event stream open, says in one line that its port
// is busy, refuses a second station on the same data folder (and takes over a lock left by a
// killed one), and builds the desk it serves when it is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendererBuildReason } from '../../src/cli/renderer-build';
import { STATION_LOCK_FILE } from '../../src/store/data-lock';
import { freePort, ROOT } from '../support/launch';

interface Serve {
  child: ChildProcess;
  url: string;
  port: number;
  dataDir: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'circa-serve-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(
  options: { dataDir?: string; port?: number; args?: string[]; env?: Record<string, string> } = {},
): Promise<Serve> {
  const dataDir = options.dataDir ?? folder();
  const port = options.port ?? (await freePort());
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
      ...(options.args ?? ['--no-build']),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, url: `http://127.0.0.1:${port}`, port, dataDir, output: () => output, exited };
}

/** Waits until the station answers, or until it has exited (then says so). */
async function answering(s: Serve, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`serve exited with ${s.child.exitCode}: ${s.output()}`);
    try {
      if ((await fetch(`${s.url}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`serve did not answer: ${s.output()}`);
}

async function call(url: string, name: string, input: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return (await res.json()) as Record<string, unknown>;
}

async function signedInDesk(url: string): Promise<string> {
  await call(url, 'setup.initialize', {
    libraryName: 'Library',
    branchCode: 'MAIN',
    branchName: 'Main',
    timeZone: 'America/Chicago',
    currency: 'USD',
    locale: 'en-US',
    admin: { username: 'admin', displayName: 'Admin', password: 'a good password' },
  });
  return (await call(url, 'auth.signIn', { username: 'admin', password: 'a good password' })).token as string;
}

/** A process that has already ended: its pid names nobody. */
async function goneProcessPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => gone.once('exit', r));
  return gone.pid!;
}

describe('npm run serve, the process', () => {
  it('exits within seconds of SIGTERM while a signed-in desk holds its event stream and keep-alive connections open', async () => {
    const s = await serve();
    await answering(s);
    const token = await signedInDesk(s.url);
    // The desk's EventSource: a response that never ends, as long as the page is open.
    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${s.url}/api/events?token=${encodeURIComponent(token)}`, { agent }, resolve).on('error', reject);
    });
    expect(stream.statusCode).toBe(200);
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
    // And a finished request whose connection the browser keeps for the next one.
    await new Promise<void>((resolve, reject) => {
      http.get(`${s.url}/api/health`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });

    const asked = Date.now();
    s.child.kill('SIGTERM');
    const { code } = await s.exited;
    expect(code).toBe(0);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(existsSync(join(s.dataDir, STATION_LOCK_FILE))).toBe(false);
  }, 90_000);

  it('says in one line that its port is busy, with exit code 3, and leaves the data folder free', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

    const s = await serve({ port });
    const { code } = await s.exited;
    expect(code).toBe(3);
    const lines = s.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`port 127.0.0.1:${port} is already in use`);
    expect(lines[0]).toContain('--port');
    expect(s.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
    expect(existsSync(join(s.dataDir, STATION_LOCK_FILE))).toBe(false);
  }, 90_000);

  it('says in one line that an option is mistyped, with exit code 2', async () => {
    const s = await serve({ args: ['--prot', '7300'] });
    expect((await s.exited).code).toBe(2);
    expect(s.output().trim().split('\n')).toEqual([expect.stringContaining("Unknown option '--prot'")]);
  }, 60_000);

  it('refuses a second station on the same data folder with a clear message and exit code 4', async () => {
    const first = await serve();
    await answering(first);
    const lock = JSON.parse(readFileSync(join(first.dataDir, STATION_LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(first.child.pid);

    const second = await serve({ dataDir: first.dataDir });
    const { code } = await second.exited;
    expect(code).toBe(4);
    expect(second.output()).toContain(`is in use by process ${first.child.pid}`);
    expect(second.output()).not.toMatch(/\n\s+at /);
    // The first goes on serving, and still holds the folder.
    expect((await fetch(`${first.url}/api/health`)).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(first.dataDir, STATION_LOCK_FILE), 'utf8'))).toMatchObject({
      pid: first.child.pid,
    });
  }, 90_000);

  it('takes over a lock left by a station that was killed', async () => {
    const dataDir = folder();
    const pid = await goneProcessPid();
    writeFileSync(
      join(dataDir, STATION_LOCK_FILE),
      JSON.stringify({
        pid,
        host: hostname(),
        bootedAt: Date.now() - uptime() * 1000,
        startedAt: Date.now() - 60_000,
        command: 'serve.ts --data x',
      }),
    );
    const s = await serve({ dataDir });
    await answering(s);
    expect(s.output()).toContain(`stale lock`);
    expect(JSON.parse(readFileSync(join(dataDir, STATION_LOCK_FILE), 'utf8'))).toMatchObject({ pid: s.child.pid });
  }, 90_000);

  it('builds the desk it serves when it is missing, so / is the desk on a fresh checkout', async () => {
    // Where the build goes (dist/renderer unless CIRCA_RENDERER_DIR says otherwise): here an empty
    // folder, as a fresh checkout's dist/renderer is.
    const rendererDir = join(folder(), 'renderer');
    const s = await serve({ args: [], env: { CIRCA_RENDERER_DIR: rendererDir } });
    await answering(s, 120_000);
    expect(s.output()).toContain('building the desk first: the desk is not built yet');
    expect(existsSync(join(rendererDir, 'index.html'))).toBe(true);
    const page = await (await fetch(`${s.url}/`)).text();
    expect(page).toContain('<div id="root">');
    expect(page).not.toContain('build:renderer');
  }, 180_000);

  it('builds the desk again when it is older than its sources, and not when it is up to date', () => {
    const dir = folder();
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    utimesSync(join(dir, 'index.html'), new Date('2001-01-01'), new Date('2001-01-01'));
    expect(rendererBuildReason(dir)).toContain('older than its sources');
    const future = new Date(Date.now() + 86_400_000);
    utimesSync(join(dir, 'index.html'), future, future);
    expect(rendererBuildReason(dir)).toBeNull();
    expect(rendererBuildReason(join(dir, 'nothing-here'))).toContain('not built yet');
  });

  it('serves a --renderer folder as it is, never building into it', async () => {
    const rendererDir = join(folder(), 'typo');
    const s = await serve({ args: ['--renderer', rendererDir] });
    await answering(s);
    expect(existsSync(rendererDir)).toBe(false);
    expect(await (await fetch(`${s.url}/`)).text()).toContain('without its desk');
  }, 90_000);
});
