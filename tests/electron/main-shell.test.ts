// The built main process (main.cjs) run under Node with a stand-in for the 'electron' module: the
// real shell wiring, the real relay and supervisor, the real bundled core in a child process.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../electron/build';
import { electronBuildPath, installedSqlitePackage } from '../../src/store/native-binding';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = `dist/.electron-test-main-${process.pid}`;
const out = join(root, outDir);
const STAND_IN = fileURLToPath(new URL('./fixtures/electron-stand-in.mjs', import.meta.url));
const PRETEND_ELECTRON = fileURLToPath(new URL('./fixtures/pretend-electron.mjs', import.meta.url));

type Report = { type: string; [key: string]: unknown };
let shell: ChildProcess | undefined;
const shells: ChildProcess[] = [];
const corePids: number[] = [];

beforeAll(async () => {
  await buildElectron(outDir);
}, 120_000);
afterAll(() => {
  for (const s of shells) if (s.exitCode === null) s.kill('SIGKILL');
  for (const pid of corePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(out, { recursive: true, force: true });
});

describe('the desktop main process', () => {
  it('opens a locked-down kiosk window, relays validated calls to a supervised core, and shuts down cleanly', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'circa-userdata-'));
    const dataDir = join(mkdtempSync(join(tmpdir(), 'circa-main-')), 'station');
    const reports: Report[] = [];
    shell = fork(join(out, 'main.cjs'), ['--kiosk', '--data', dataDir], {
      execArgv: ['--import', STAND_IN],
      // A build path inherited from the environment must not reach the core.
      env: {
        ...process.env,
        STANDIN_USER_DATA: userData,
        CIRCA_DATA_DIR: '',
        CIRCA_SQLITE_ELECTRON_BUILD: '/tmp/not-ours.node',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    shells.push(shell);
    shell.on('message', (m: Report) => {
      reports.push(m);
      if (m.type === 'core-spawned') corePids.push(m.pid as number);
    });
    const find = (type: string, where: (r: Report) => boolean = () => true) =>
      reports.filter((r) => r.type === type && where(r));
    let nextId = 1;
    const invoke = async (trusted: boolean, ...args: unknown[]) => {
      const id = nextId++;
      shell!.send({ type: 'invoke', id, trusted, args });
      await expect.poll(() => find('result', (r) => r.id === id).length, { timeout: 10_000 }).toBe(1);
      return find('result', (r) => r.id === id)[0]!.result;
    };
    const coreStates = () => find('sent').map((r) => (r.payload as { type: string; state?: string }).state);

    await expect.poll(() => coreStates(), { timeout: 15_000 }).toContain('ready');
    expect(find('sandbox')).toHaveLength(1);
    expect(find('menu')).toEqual([{ type: 'menu', menu: null }]);
    expect(find('permission-answer')).toEqual([{ type: 'permission-answer', g: false }]);
    expect(find('permission-check')).toEqual([{ type: 'permission-check', granted: false }]);
    expect(JSON.stringify(find('headers')[0]!.headers)).toContain("script-src 'self'");
    const [window] = find('window');
    expect(window!.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false },
    });
    expect(find('load')[0]).toMatchObject({ file: join(root, 'dist/renderer/index.html'), options: { hash: 'kiosk' } });
    // Plain Node: no Electron build is named for the core, and the inherited one is dropped.
    expect(find('core-spawned')[0]).toMatchObject({
      modulePath: join(out, 'core-host.mjs'),
      dataDir,
      sqliteBuild: null,
    });
    // The kiosk's guards: downloads refused, and print and file choosers through the DevTools protocol.
    expect(find('session-listener')).toEqual([{ type: 'session-listener', event: 'will-download' }]);
    expect(find('debugger-attach')).toEqual([{ type: 'debugger-attach', version: '1.3' }]);
    expect(find('debugger-command').map((r) => r.method)).toEqual([
      'Page.enable',
      'Page.setInterceptFileChooserDialog',
      'Page.addScriptToEvaluateOnNewDocument',
    ]);

    expect(await invoke(true, 'setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: false } });
    expect(await invoke(false, 'setup.status', {}, null)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invoke(true, 'patrons.lookup', { barcode: '' }, null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });

    process.kill(corePids[0]!, 'SIGKILL');
    await expect.poll(() => coreStates(), { timeout: 15_000 }).toEqual(['ready', 'restarting', 'ready']);
    expect(await invoke(true, 'system.health', {}, null)).toMatchObject({ ok: true, value: { ok: true } });

    const exited = new Promise<number | null>((resolve) => shell!.once('exit', (code) => resolve(code)));
    shell.send({ type: 'quit' });
    expect(await exited).toBe(0);
    expect(find('quit')).toHaveLength(1);
    expect(existsSync(join(dataDir, 'station.db-wal'))).toBe(false);
    const log = readFileSync(join(dataDir, 'logs', 'circa.log'), 'utf8');
    expect(log).toMatch(/started in kiosk mode/);
    expect(log).toMatch(/warn station core restarting/);
    expect(log).toMatch(/info stopped/);
  }, 90_000);

  it('from a source checkout under Electron, names the Electron build for the core; without it, tells the window why and retries on request', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'circa-userdata-'));
    const dataDir = join(mkdtempSync(join(tmpdir(), 'circa-main-')), 'station');
    const reports: Report[] = [];
    // The shell and the cores it forks (they inherit execArgv) report an Electron version that
    // has no build beside the Node one, as on a fresh checkout before npm run electron:sqlite.
    const version = '45.4.1-test';
    const child = fork(join(out, 'main.cjs'), ['--data', dataDir], {
      execArgv: ['--import', STAND_IN, '--import', PRETEND_ELECTRON],
      env: { ...process.env, STANDIN_USER_DATA: userData, CIRCA_DATA_DIR: '', PRETEND_ELECTRON: version },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    shells.push(child);
    child.on('message', (m: Report) => {
      reports.push(m);
      if (m.type === 'core-spawned') corePids.push(m.pid as number);
    });
    const find = (type: string, where: (r: Report) => boolean = () => true) =>
      reports.filter((r) => r.type === type && where(r));
    const sentStates = () => find('sent').map((r) => (r.payload as { state?: string }).state);
    let nextId = 1000;
    const invoke = async (channel: string, ...args: unknown[]) => {
      const id = nextId++;
      child.send({ type: 'invoke', id, trusted: true, channel, args });
      await expect.poll(() => find('result', (r) => r.id === id).length, { timeout: 10_000 }).toBe(1);
      return find('result', (r) => r.id === id)[0]!.result;
    };

    const sqlite = installedSqlitePackage();
    const expected = electronBuildPath({
      nodeModulesDir: sqlite.nodeModulesDir,
      sqliteVersion: sqlite.version,
      electron: version,
      platform: process.platform,
      arch: process.arch,
    });
    await expect.poll(() => sentStates(), { timeout: 20_000 }).toEqual(['restarting', 'restarting', 'failed']);
    expect(find('core-spawned').map((r) => r.sqliteBuild)).toEqual([expected, expected, expected]);
    const logPath = join(dataDir, 'logs', 'circa.log');
    const failed = find('sent').at(-1)!.payload as { failure: { lines: string[]; attempts: number; logPath: string } };
    expect(failed.failure).toMatchObject({ attempts: 3, logPath });
    expect(failed.failure.lines[0]).toContain(`no build for Electron ${version}`);
    expect(failed.failure.lines[0]).toContain(`${expected} is missing`);
    // The page loaded late asks, and is told the same; a call is answered at once, not after 20 s.
    expect(await invoke('circa:core', 'status')).toEqual({
      ok: true,
      value: { state: 'failed', failure: failed.failure },
    });
    expect(await invoke('circa:call', 'setup.status', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('could not start') },
    });
    expect(readFileSync(logPath, 'utf8')).toMatch(/error station core failed to start 3 times in a row/);

    // Retry: three more starts (the build is still missing), and the same failure again.
    expect(await invoke('circa:core', 'retry')).toMatchObject({ ok: true });
    await expect.poll(() => sentStates().filter((s) => s === 'failed').length, { timeout: 20_000 }).toBe(2);
    expect(find('core-spawned')).toHaveLength(6);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.send({ type: 'quit' });
    expect(await exited).toBe(0);
  }, 90_000);
});
