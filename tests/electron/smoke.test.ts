// The real desktop app, opened for real: Electron, its window, the station core in its utility
// process on the Electron build of better-sqlite3. It runs wherever an Electron binary is
// installed and says why it skips where none is (this project's CI machines install Electron
// with ELECTRON_SKIP_BINARY_DOWNLOAD=1). On Linux without a display it starts Xvfb itself.
//   npx vitest run tests/electron/smoke.test.ts                      the source checkout (npm start's app)
//   CIRCA_SMOKE_APP=/opt/Circa/circa npx vitest run tests/electron/smoke.test.ts   an installed package
// A source checkout is driven with Playwright's Electron support. An installed package's fuses
// refuse the Node inspector Playwright's Electron launch relies on, so the package is started
// with Chromium's remote debugging port and its window driven over CDP instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { main as makeElectronSqliteBuild } from '../../electron/sqlite-build';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packaged = process.env.CIRCA_SMOKE_APP;

/** The Electron to run, or why there is none. */
function findApp(): { executable: string } | { skip: string } {
  if (packaged)
    return existsSync(packaged) ? { executable: packaged } : { skip: `CIRCA_SMOKE_APP=${packaged} does not exist` };
  // The electron package's own lookup (its index.js), without its download when the binary is
  // missing: requiring it would fetch Electron from GitHub in the middle of a test run.
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return {
      skip: 'no Electron binary installed (node_modules/electron has no path.txt; installed with ELECTRON_SKIP_BINARY_DOWNLOAD?); get one with `node node_modules/electron/install.js`',
    };
  }
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron';
  const executable = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(dir, 'dist', relative);
  return existsSync(executable) ? { executable } : { skip: `no Electron binary at ${executable}` };
}

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, command)));
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY;
const found = findApp();
const skip =
  'skip' in found
    ? found.skip
    : needsXvfb && !onPath('Xvfb')
      ? 'no DISPLAY and no Xvfb to make one (sudo apt-get install xvfb)'
      : null;
if (skip) console.warn(`desktop smoke test skipped: ${skip}`);

let xvfb: ChildProcess | undefined;
let app: ElectronApplication | undefined;
let packagedApp: ChildProcess | undefined;
let cdp: Browser | undefined;
afterAll(async () => {
  await cdp?.close().catch(() => undefined);
  await app?.close().catch(() => undefined);
  if (packagedApp && packagedApp.exitCode === null) packagedApp.kill('SIGKILL');
  xvfb?.kill('SIGTERM');
});

async function startXvfb(): Promise<Record<string, string>> {
  if (!needsXvfb) return {};
  const display = `:${90 + (process.pid % 400)}`;
  xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const socket = `/tmp/.X11-unix/X${display.slice(1)}`;
  await expect.poll(() => existsSync(socket), { timeout: 10_000 }).toBe(true);
  return { DISPLAY: display };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The source checkout's app, as `npm start` opens it: built, with its Electron build of better-sqlite3. */
async function openCheckout(executable: string, dataDir: string, env: Record<string, string>): Promise<Page> {
  if (!existsSync(join(root, 'dist/electron/main.cjs')) || !existsSync(join(root, 'dist/renderer/index.html'))) {
    expect(
      spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status,
    ).toBe(0);
  }
  await makeElectronSqliteBuild([]);
  app = await _electron.launch({
    executablePath: executable,
    args: [root, '--data', dataDir],
    env: { ...process.env, ...env } as Record<string, string>,
    cwd: root,
  });
  return app.firstWindow();
}

/** An installed package, driven over Chromium's remote debugging port (its fuses forbid the inspector). */
async function openPackage(executable: string, dataDir: string, env: Record<string, string>): Promise<Page> {
  const port = await freePort();
  packagedApp = spawn(executable, ['--data', dataDir, `--remote-debugging-port=${port}`], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  await expect
    .poll(
      async () =>
        (cdp = await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => undefined)) !== undefined,
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
  await expect.poll(() => cdp!.contexts().flatMap((c) => c.pages()).length, { timeout: 30_000 }).toBeGreaterThan(0);
  return cdp!.contexts().flatMap((c) => c.pages())[0]!;
}

describe.skipIf(skip !== null)(`the desktop app, opened for real${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('opens its window on the set-up wizard, which only shows once the station core has answered, and closes cleanly', async () => {
    const executable = (found as { executable: string }).executable;
    const env = await startXvfb();
    const dataDir = join(mkdtempSync(join(tmpdir(), 'circa-smoke-')), 'station');
    const page = packaged ? await openPackage(executable, dataDir, env) : await openCheckout(executable, dataDir, env);

    // The desk renders nothing until setup.status has come back from the core, so the wizard
    // on screen means the core started, opened its database and answered.
    await page.getByRole('heading', { name: 'Set up this station' }).waitFor({ timeout: 60_000 });
    const log = join(dataDir, 'logs', 'circa.log');
    expect(readFileSync(log, 'utf8')).toMatch(/info station core ready/);
    expect(readFileSync(log, 'utf8')).not.toMatch(/station core failed/);
    expect(existsSync(join(dataDir, 'station.db'))).toBe(true);

    if (app) {
      await app.close();
      app = undefined;
    } else {
      const exited = new Promise((resolve) => packagedApp!.once('exit', resolve));
      packagedApp!.kill('SIGTERM');
      await exited;
    }
    // A clean stop: the core checkpointed and closed its database.
    await expect.poll(() => readFileSync(log, 'utf8'), { timeout: 15_000 }).toMatch(/info stopped/);
    expect(existsSync(join(dataDir, 'station.db-wal'))).toBe(false);
  }, 180_000);
});
