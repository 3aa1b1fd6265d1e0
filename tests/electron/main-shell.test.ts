// The built main process (main.cjs) run under Node with a stand-in for the 'electron' module: the
// real shell wiring, the real relay and supervisor, the real bundled core in a child process.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../electron/build';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = `dist/.electron-test-main-${process.pid}`;
const out = join(root, outDir);
const STAND_IN = fileURLToPath(new URL('./fixtures/electron-stand-in.mjs', import.meta.url));

type Report = { type: string; [key: string]: unknown };
let shell: ChildProcess | undefined;
const corePids: number[] = [];

beforeAll(async () => {
  await buildElectron(outDir);
}, 120_000);
afterAll(() => {
  if (shell && shell.exitCode === null) shell.kill('SIGKILL');
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
      env: { ...process.env, STANDIN_USER_DATA: userData, CIRCA_DATA_DIR: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    shell.on('message', (m: Report) => {
      reports.push(m);
      if (m.type === 'core-spawned') corePids.push(m.pid as number);
    });
    const find = (type: string, where: (r: Report) => boolean = () => true) => reports.filter((r) => r.type === type && where(r));
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
    expect(window!.options).toMatchObject({ kiosk: true, fullscreen: true, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false } });
    expect(find('load')[0]).toMatchObject({ file: join(root, 'dist/renderer/index.html'), options: { hash: 'kiosk' } });
    expect(find('core-spawned')[0]).toMatchObject({ modulePath: join(out, 'core-host.mjs'), dataDir });
    // The kiosk's guards: downloads refused, and print and file choosers through the DevTools protocol.
    expect(find('session-listener')).toEqual([{ type: 'session-listener', event: 'will-download' }]);
    expect(find('debugger-attach')).toEqual([{ type: 'debugger-attach', version: '1.3' }]);
    expect(find('debugger-command').map((r) => r.method)).toEqual(['Page.enable', 'Page.setInterceptFileChooserDialog', 'Page.addScriptToEvaluateOnNewDocument']);

    expect(await invoke(true, 'setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: false } });
    expect(await invoke(false, 'setup.status', {}, null)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invoke(true, 'patrons.lookup', { barcode: '' }, null)).toMatchObject({ ok: false, error: { code: 'INVALID' } });

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
});
