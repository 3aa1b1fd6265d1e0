// The PGlite data folder's lock (src/hub/data-lock.ts): one process at a time, and a lock left by a
// process that is gone (killed with SIGKILL, a machine restarted) never stops a start. The hub
// process killed mid-push and restarted on its folder is in tests/hub/process.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, LOCK_FILE, lockDataFolder } from '../../src/hub/data-lock';
import { openHubDb } from '../../src/hub/db';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'circa-hub-lock-'));
  dirs.push(d);
  return d;
};
const bootedAt = () => Date.now() - uptime() * 1000;
const lockOf = (pid: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    pid,
    host: hostname(),
    bootedAt: bootedAt(),
    startedAt: Date.now() - 60_000,
    command: 'hub.ts --data x',
    ...extra,
  });

/** A process that runs until killed, and one that has already ended. */
async function processes() {
  const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => gone.once('exit', r));
  return { live, gonePid: gone.pid! };
}

describe('the PGlite data folder lock', () => {
  it('is taken, refused to a second opener in the same process, and released', () => {
    const dir = folder();
    const release = lockDataFolder(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    expect(() => lockDataFolder(dir)).toThrow(DataFolderInUseError);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataFolder(dir)();
  });

  it('is refused while the process holding it runs, naming it', async () => {
    const dir = folder();
    const { live } = await processes();
    try {
      writeFileSync(join(dir, LOCK_FILE), lockOf(live.pid!));
      expect(() => lockDataFolder(dir)).toThrow(
        new RegExp(
          `in use by process ${live.pid} \\(hub\\.ts --data x, since .*stop that hub before running admin commands.*delete ${join(dir, LOCK_FILE).replaceAll('/', '\\/')}`,
        ),
      );
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: live.pid });
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('left by a process that is gone, from before a restart of the machine, or cut short: taken over with a line', async () => {
    const { live, gonePid } = await processes();
    try {
      const cases: [string, RegExp][] = [
        [lockOf(gonePid), new RegExp(`taken over: process ${gonePid} is no longer running \\(killed or crashed\\)`)],
        // Its pid runs again, but as another process: the machine has restarted since.
        [
          lockOf(live.pid!, { bootedAt: bootedAt() - 3 * 3600_000 }),
          new RegExp(`taken over: process ${live.pid} ran before the machine restarted`),
        ],
        ['{"pid":12', /taken over: it is unreadable/],
      ];
      for (const [content, said] of cases) {
        const dir = folder();
        writeFileSync(join(dir, LOCK_FILE), content);
        const lines: string[] = [];
        const release = lockDataFolder(dir, (line) => lines.push(line));
        expect(lines).toEqual([expect.stringMatching(said)]);
        expect(lines[0]).toContain(`hub: stale lock ${join(dir, LOCK_FILE)}`);
        expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
        release();
      }
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('keeps a second PGlite off an open hub database, and lets it in once closed', async () => {
    const dir = folder();
    const db = await openHubDb({ dataDir: dir });
    await expect(openHubDb({ dataDir: dir })).rejects.toThrow(DataFolderInUseError);
    await db.query('CREATE TABLE t (n int)');
    await db.query('INSERT INTO t VALUES (1)');
    await db.close();
    const again = await openHubDb({ dataDir: dir });
    expect(await again.query('SELECT n FROM t')).toEqual([{ n: 1 }]);
    await again.close();
  }, 60_000);
});
