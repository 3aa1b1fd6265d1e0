// The files the desktop app ships, built with electron/build.ts, and the core entry point run for
// real from its bundle: forked as the supervisor forks it, killed with SIGKILL mid-way, restarted,
// and shut down cleanly with its database closed.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../src/api/contract';
import { CoreSupervisor } from '../../src/transports/ipc/supervisor';
import { buildElectron } from '../../electron/build';
import { ELECTRON_BUILD_ENV, installedSqlitePackage } from '../../src/store/native-binding';
import { forkCore, killAll, spawned } from './fork-port';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Two levels below the repository, like dist/electron, so the bundle finds migrations/ the same way.
const outDir = `dist/.electron-test-${process.pid}`;
const out = join(root, outDir);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
};

beforeAll(async () => {
  await buildElectron(outDir);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(killAll);

/** The module names a bundle loads at run time. */
function loads(file: string): string[] {
  const source = readFileSync(join(out, file), 'utf8');
  const names = [...source.matchAll(/require\("([^"]+)"\)|^import .*? from "([^"]+)"|import\("([^"]+)"\)/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
  return [...new Set(names)].sort();
}

const packageOf = (id: string) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!);
const shippable = (id: string) =>
  id === 'electron' ||
  builtinModules.includes(id.replace(/^node:/, '')) ||
  Object.hasOwn(pkg.dependencies, packageOf(id));

describe('the desktop bundles', () => {
  it('are the three files package.json and the main process point at', () => {
    for (const file of ['main.cjs', 'preload.cjs', 'core-host.mjs'])
      expect(existsSync(join(out, file)), file).toBe(true);
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
    const supervisor = new CoreSupervisor({
      spawn: forkCore(join(out, 'core-host.mjs'), { CIRCA_DATA_DIR: dataDir }),
      onEvent: (e) => events.push(e),
      restartDelays: [50],
    });
    supervisor.start();
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: false } });
    expect(await supervisor.call('setup.initialize', SETUP, null)).toMatchObject({ ok: true });
    expect(await supervisor.call('no.such', {}, null)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    spawned[0]!.kill('SIGKILL');
    await expect
      .poll(() => events.filter((e) => e.type === 'core').map((e) => (e as { state: string }).state), {
        timeout: 15_000,
      })
      .toEqual(['ready', 'restarting', 'ready']);
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({
      ok: true,
      value: { configured: true, libraryName: 'Villa Library' },
    });
    const signIn = await supervisor.call('auth.signIn', { username: 'admin', password: 'long enough' }, null);
    expect(signIn).toMatchObject({ ok: true });
    expect(await supervisor.call('staff.list', {}, (signIn as { value: { token: string } }).value.token)).toMatchObject(
      { ok: true, value: [{ username: 'admin' }] },
    );

    await supervisor.stop();
    expect(spawned[1]!.exitCode).toBe(0);
    expect(existsSync(join(dataDir, 'station.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'station.db-wal'))).toBe(false);
  }, 60_000);
});

describe('the bundled core entry point choosing its better-sqlite3 build', () => {
  const PRETEND_ELECTRON = fileURLToPath(new URL('./fixtures/pretend-electron.mjs', import.meta.url));
  const NODE_BUILD = join(installedSqlitePackage().dir, 'build', 'Release', 'better_sqlite3.node');
  const coreStates = (events: StationEvent[]) => events.flatMap((e) => (e.type === 'core' ? [e.state] : []));

  /** The bundled core under a supervisor, as the desktop app runs it; `electron` pretends to be Electron. */
  function supervise(env: Record<string, string>, electron: boolean) {
    const events: StationEvent[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'circa-binding-'));
    const supervisor = new CoreSupervisor({
      spawn: forkCore(
        join(out, 'core-host.mjs'),
        { CIRCA_DATA_DIR: dataDir, ...env },
        electron ? ['--import', PRETEND_ELECTRON] : [],
      ),
      onEvent: (e) => events.push(e),
      restartDelays: [20],
      logPath: join(dataDir, 'logs', 'circa.log'),
    });
    supervisor.start();
    return { supervisor, events, dataDir };
  }

  it('under Electron with its build missing: the core says which file and what to run, and the supervisor stops after three tries', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'circa-nobuild-')), 'better_sqlite3.node');
    const { supervisor, events, dataDir } = supervise({ [ELECTRON_BUILD_ENV]: missing }, true);
    await expect.poll(() => coreStates(events), { timeout: 20_000 }).toEqual(['restarting', 'restarting', 'failed']);
    const failed = events.at(-1) as Extract<StationEvent, { type: 'core' }>;
    expect(failed.failure).toMatchObject({ attempts: 3, logPath: join(dataDir, 'logs', 'circa.log') });
    expect(failed.failure!.lines[0]).toContain(
      `no build for Electron 45.4.1 (${process.platform}-${process.arch}, NODE_MODULE_VERSION ${process.versions.modules}): ${missing} is missing`,
    );
    expect(failed.failure!.lines[1]).toContain('Run `npm run electron:sqlite`');
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('could not start') },
    });
    expect(spawned).toHaveLength(3);
    await supervisor.stop();
  }, 30_000);

  it('under Electron opens its database on the build it was pointed at, and refuses one that does not load', async () => {
    // The Node build, copied to where the Electron build goes, stands for it (this is Node).
    const dir = mkdtempSync(join(tmpdir(), 'circa-build-'));
    const copy = join(dir, 'better_sqlite3.node');
    copyFileSync(NODE_BUILD, copy);
    const good = supervise({ [ELECTRON_BUILD_ENV]: copy }, true);
    expect(await good.supervisor.call('setup.status', {}, null)).toMatchObject({
      ok: true,
      value: { configured: false },
    });
    await good.supervisor.stop();

    const broken = join(dir, 'broken.node');
    writeFileSync(broken, 'not a native module');
    const bad = supervise({ [ELECTRON_BUILD_ENV]: broken }, true);
    await expect.poll(() => coreStates(bad.events), { timeout: 20_000 }).toContain('failed');
    const failed = bad.events.at(-1) as Extract<StationEvent, { type: 'core' }>;
    expect(failed.failure!.lines[0]).toContain(`build at ${broken} does not load in Electron 45.4.1`);
    expect(failed.failure!.lines[1]).toContain(`Delete the folder ${dir}`);
    await bad.supervisor.stop();
  }, 40_000);

  it('under plain Node ignores an inherited Electron build and opens the Node build', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'circa-build-')), 'broken.node');
    writeFileSync(broken, 'not a native module');
    const { supervisor } = supervise({ [ELECTRON_BUILD_ENV]: broken }, false);
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: false } });
    await supervisor.stop();
  });
});
