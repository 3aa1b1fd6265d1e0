// `npm run hub` as IT types it, mistakes included: a mistyped command, an `admin init` without
// its library or run a second time, a password or branch code the hub's admin API would refuse,
// `--hub` where no hub answers, `admin init` against the running hub. Each is one line on stderr
// and an exit code, changes nothing, and never starts a hub or prints a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/launch';
import { killHubChildren, startHubProcess } from './hub-process';

afterAll(killHubChildren);

const PGLITE = { DATABASE_URL: '' };

function hub(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/hub.ts', ...args], {
    env: { ...process.env, ...PGLITE, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `admin init` of the County Library on `data`, with `extra` (its branch, its administrator...). */
const init = (data: string, ...extra: string[]) =>
  hub(['admin', 'init', '--data', data, '--library', 'County Library', ...extra]);
const MAIN = ['--branch', 'MAIN:Main Library:America/New_York'];

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |node:internal|triggerUncaughtException/);

it(
  'refuses what IT mistypes at the hub in one line, with an exit code, changing nothing',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-hub-usage-'));
    const data = join(dir, 'hub-data');
    try {
      // A mistyped command is not the hub: it says so and exits (spawnSync's timeout would catch a hub that serves).
      const typo = hub(['amdin', 'stations', '--data', data, '--port', '0']);
      expect(typo.status).toBe(2);
      expect(typo.stderr).toMatch(/no command "amdin"/);
      expect(typo.stdout).not.toContain('Circa hub on');

      // init without --library writes nothing: not even the branch it names.
      const noLibrary = hub(['admin', 'init', '--data', data, ...MAIN]);
      expect(noLibrary.status).toBe(2);
      expect(noLibrary.stderr).toMatch(/--library is required/);
      expect(hub(['admin', 'enrol-station', '--data', data, '--branch', 'MAIN']).stderr).toMatch(/No branch MAIN/);

      // The administrator's password and a branch's code as the admin API checks them.
      const shortPassword = init(data, ...MAIN, '--admin', 'alice', '--password', 'x');
      expect(shortPassword.status).toBe(2);
      expect(shortPassword.stderr).toMatch(/password.*8 characters/);
      noStackTrace(shortPassword.stderr);
      const badCode = init(data, '--branch', 'MAIN ST:Main:UTC');
      expect(badCode.status).toBe(2);
      expect(badCode.stderr).toMatch(/MAIN ST.*letters, digits, - and _ only/);

      const made = init(data, ...MAIN, '--admin', 'alice', '--password', 'alice password');
      expect(made.status).toBe(0);
      expect(made.stdout).toContain('library "County Library" ready, branch MAIN');
      expect(
        hub(['admin', 'add-admin', '--data', data, '--branch', 'MAIN', '--username', 'bob', '--password', 'short'])
          .status,
      ).toBe(2);

      // A second init does not rename the library or its branch.
      const again = hub(['admin', 'init', '--data', data, '--library', 'Another', '--branch', 'MAIN:Renamed:UTC']);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/already holds the library "County Library"/);
      expect(again.stdout).toBe('');

      // No station yet: said, not an empty answer.
      const none = hub(['admin', 'stations', '--data', data]);
      expect(none.status).toBe(0);
      expect(none.stdout).toMatch(/no stations enrolled/);

      // --hub where nothing listens.
      const port = await freePort();
      const away = hub(['admin', 'stations', '--hub', `http://127.0.0.1:${port}`, '--as', 'alice'], {
        CIRCA_HUB_ADMIN_PASSWORD: 'alice password',
      });
      expect(away.status).toBe(1);
      expect(away.stderr).toMatch(new RegExp(`No hub answers at http://127.0.0.1:${port}`));
      noStackTrace(away.stderr);

      // init while the hub runs: it is not an admin API command.
      const running = await startHubProcess(['--data', data], PGLITE);
      // No password and no terminal to ask it on: said, not thrown.
      const noPassword = hub(['admin', 'stations', '--data', data, '--as', 'alice'], {
        CIRCA_HUB_ADMIN_PASSWORD: undefined,
      });
      expect(noPassword.status).toBe(2);
      expect(noPassword.stderr).toMatch(/set CIRCA_HUB_ADMIN_PASSWORD/);
      noStackTrace(noPassword.stderr);
      const initRunning = hub(['admin', 'init', '--data', data, '--library', 'Another'], {
        CIRCA_HUB_ADMIN: 'alice',
        CIRCA_HUB_ADMIN_PASSWORD: 'alice password',
      });
      expect(initRunning.status).toBe(2);
      expect(initRunning.stderr).toMatch(/admin init sets up a new hub/);
      // The hub itself: a port that is not one, a port in use, a certificate that is not there.
      const badPort = hub(['--data', join(dir, 'other'), '--port', 'abc']);
      expect([badPort.status, badPort.stderr.trim()]).toEqual([2, '--port must be a port number, not "abc"']);
      const busy = hub(['--data', join(dir, 'other'), '--port', new URL(running.url).port]);
      expect(busy.status).toBe(3);
      expect(busy.stderr).toMatch(/is already in use/);
      noStackTrace(busy.stderr);
      const noCert = hub([
        '--data',
        join(dir, 'other'),
        '--cert',
        join(dir, 'none.crt'),
        '--key',
        join(dir, 'none.key'),
      ]);
      expect(noCert.status).toBe(2);
      expect(noCert.stderr).toMatch(/--cert .*none\.crt: ENOENT/);
      noStackTrace(noCert.stderr);
      running.child.kill('SIGTERM');
      await running.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
