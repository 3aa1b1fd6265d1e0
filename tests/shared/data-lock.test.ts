// The one data-folder lock (src/shared/data-lock.ts), as the station and the hub word it. Each
// program's own behaviour is tested with it: tests/hub/data-lock.test.ts (PGlite's folder),
// tests/http/station-cli-lock.test.ts and tests/http/serve-process.test.ts (the station's).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as hub from '../../src/hub/data-lock';
import * as station from '../../src/store/data-lock';
import { DataFolderInUseError, lockFolder } from '../../src/shared/data-lock';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'circa-lock-'));
  dirs.push(d);
  return d;
};
const lockOf = (pid: number) =>
  JSON.stringify({
    pid,
    host: hostname(),
    bootedAt: Date.now() - uptime() * 1000,
    startedAt: Date.now() - 60_000,
    command: 'x.ts --data x',
  });

describe('the data-folder lock both programs use', () => {
  it('is one lock: the station and the hub throw the same error class', () => {
    expect(station.DataFolderInUseError).toBe(DataFolderInUseError);
    expect(hub.DataFolderInUseError).toBe(DataFolderInUseError);
  });

  it('keeps the station and the hub apart by their lock files, even in one folder', () => {
    const dir = folder();
    const releaseStation = station.lockDataFolder(dir);
    const releaseHub = hub.lockDataFolder(dir);
    expect(existsSync(join(dir, station.STATION_LOCK_FILE))).toBe(true);
    expect(existsSync(join(dir, hub.LOCK_FILE))).toBe(true);
    expect(() => station.lockDataFolder(dir)).toThrow("The station's data folder");
    expect(() => hub.lockDataFolder(dir)).toThrow("The hub's data folder");
    releaseStation();
    releaseStation();
    expect(existsSync(join(dir, station.STATION_LOCK_FILE))).toBe(false);
    expect(existsSync(join(dir, hub.LOCK_FILE))).toBe(true);
    releaseHub();
    expect(existsSync(join(dir, hub.LOCK_FILE))).toBe(false);
  });

  it('names a live holder in each program’s words, with its pid', async () => {
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const dir = folder();
      writeFileSync(join(dir, station.STATION_LOCK_FILE), lockOf(live.pid!));
      writeFileSync(join(dir, hub.LOCK_FILE), lockOf(live.pid!));
      const refused = (take: () => void) => {
        try {
          take();
        } catch (error) {
          return error as DataFolderInUseError;
        }
        throw new Error('taken');
      };
      const s = refused(() => station.lockDataFolder(dir));
      expect(s).toBeInstanceOf(DataFolderInUseError);
      expect(s.holderPid).toBe(live.pid);
      expect(s.message).toContain(`is in use by process ${live.pid} (x.ts --data x, since `);
      expect(s.message).toContain('One station program at a time may open it');
      const h = refused(() => hub.lockDataFolder(dir));
      expect(h.holderPid).toBe(live.pid);
      expect(h.message).toContain('stop that hub before running admin commands');
      expect(h.message).toContain(`If no such process runs any more, delete ${join(dir, hub.LOCK_FILE)}.`);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('takes over a stale lock with one line, saying what the owner adds', async () => {
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    const dir = join(folder(), 'not-yet');
    const lines: string[] = [];
    // The folder is made if need be.
    const release = lockFolder({ file: 'x.lock', program: 'x', advice: 'Stop it.' }, dir, (l) => lines.push(l));
    release();
    writeFileSync(join(dir, 'x.lock'), lockOf(gone.pid!));
    lockFolder({ file: 'x.lock', program: 'x', advice: 'Stop it.', afterTakeover: 'All is well.' }, dir, (l) =>
      lines.push(l),
    )();
    expect(lines).toEqual([
      `x: stale lock ${join(dir, 'x.lock')} taken over: process ${gone.pid} is no longer running (killed or crashed). All is well.`,
    ]);
  });
});
