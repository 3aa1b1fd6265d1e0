// The files the desktop app ships, built with electron/build.ts, and the core entry point run for
// real from its bundle: forked as the supervisor forks it, killed with SIGKILL mid-way, restarted,
// and shut down cleanly with its database closed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../src/api/contract';
import { CoreSupervisor } from '../../src/transports/ipc/supervisor';
import { buildElectron } from '../../electron/build';
import { forkCore, killAll, spawned } from './fork-port';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Two levels below the repository, like dist/electron, so the bundle finds migrations/ the same way.
const outDir = `dist/.electron-test-${process.pid}`;
const out = join(root, outDir);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

beforeAll(async () => {
  await buildElectron(outDir);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(killAll);

/** The module names a bundle loads at run time. */
function loads(file: string): string[] {
  const source = readFileSync(join(out, file), 'utf8');
  const names = [...source.matchAll(/require\("([^"]+)"\)|^import .*? from "([^"]+)"|import\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return [...new Set(names)].sort();
}

const packageOf = (id: string) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!);
const shippable = (id: string) => id === 'electron' || builtinModules.includes(id.replace(/^node:/, '')) || Object.hasOwn(pkg.dependencies, packageOf(id));

describe('the desktop bundles', () => {
  it('are the three files package.json and the main process point at', () => {
    for (const file of ['main.cjs', 'preload.cjs', 'core-host.mjs']) expect(existsSync(join(out, file)), file).toBe(true);
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });

  it('give the sandboxed preload nothing to load but electron', () => {
    expect(loads('preload.cjs')).toEqual(['electron']);
  });

  it('load only Node built-ins, electron and production dependencies (what the package ships)', () => {
    for (const file of ['main.cjs', 'core-host.mjs']) {
      const unshippable = loads(file).filter((id) => !shippable(id));
      expect(unshippable, file).toEqual([]);
    }
    expect(loads('core-host.mjs')).not.toContain('electron');
    expect(loads('main.cjs')).not.toContain('better-sqlite3');
  });
});

describe('the bundled core entry point, for real', () => {
  const SETUP = {
    libraryName: 'Villa Library',
    branchCode: 'MAIN',
    branchName: 'Main',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    locale: 'es-ES',
    admin: { username: 'admin', displayName: 'Ana', password: 'long enough' },
  };

  it('serves the station, survives SIGKILL with committed data intact, and closes its database on shutdown', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'circa-bundle-'));
    const events: StationEvent[] = [];
    const supervisor = new CoreSupervisor({ spawn: forkCore(join(out, 'core-host.mjs'), { CIRCA_DATA_DIR: dataDir }), onEvent: (e) => events.push(e), restartDelays: [50] });
    supervisor.start();
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: false } });
    expect(await supervisor.call('setup.initialize', SETUP, null)).toMatchObject({ ok: true });
    expect(await supervisor.call('no.such', {}, null)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    spawned[0]!.kill('SIGKILL');
    await expect.poll(() => events.filter((e) => e.type === 'core').map((e) => (e as { state: string }).state), { timeout: 15_000 }).toEqual(['ready', 'restarting', 'ready']);
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: true, libraryName: 'Villa Library' } });
    const signIn = await supervisor.call('auth.signIn', { username: 'admin', password: 'long enough' }, null);
    expect(signIn).toMatchObject({ ok: true });
    expect(await supervisor.call('staff.list', {}, (signIn as { value: { token: string } }).value.token)).toMatchObject({ ok: true, value: [{ username: 'admin' }] });

    await supervisor.stop();
    expect(spawned[1]!.exitCode).toBe(0);
    expect(existsSync(join(dataDir, 'station.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'station.db-wal'))).toBe(false);
  }, 60_000);
});
