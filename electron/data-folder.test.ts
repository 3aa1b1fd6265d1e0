// The desktop app and its data folder: a real lock file, a real `npm run serve`-like holder (a
// child process); Electron's dialog and exit are the stand-ins.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STATION_LOCK_FILE } from '../src/store/data-lock';
import { claimDataFolder } from './data-folder';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function shell() {
  const said = { boxes: [] as string[], exits: [] as number[], logs: [] as string[] };
  return {
    said,
    showErrorBox: (_t: string, c: string) => void said.boxes.push(c),
    exit: (code: number) => void said.exits.push(code),
    log: (_l: string, m: string) => void said.logs.push(m),
  };
}

describe('the desktop app and its data folder', () => {
  it('refuses to start on a folder another station process holds, saying which, and exits with 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-electron-lock-'));
    dirs.push(dir);
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(
        join(dir, STATION_LOCK_FILE),
        JSON.stringify({
          pid: holder.pid,
          host: hostname(),
          bootedAt: Date.now() - uptime() * 1000,
          startedAt: Date.now(),
          command: 'serve.ts --data x',
        }),
      );
      const s = shell();
      expect(claimDataFolder(dir, s)).toBe(false);
      expect(s.said.exits).toEqual([4]);
      expect(s.said.boxes[0]).toContain(`in use by process ${holder.pid}`);
      expect(JSON.parse(readFileSync(join(dir, STATION_LOCK_FILE), 'utf8')).pid).toBe(holder.pid);
    } finally {
      holder.kill();
    }
  });

  it('takes a free folder (and one left by a dead process) and holds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-electron-lock-'));
    dirs.push(dir);
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(
      join(dir, STATION_LOCK_FILE),
      JSON.stringify({
        pid: gone.pid,
        host: hostname(),
        bootedAt: Date.now() - uptime() * 1000,
        startedAt: Date.now(),
        command: 'main.cjs',
      }),
    );
    const s = shell();
    expect(claimDataFolder(dir, s)).toBe(true);
    expect(s.said.exits).toEqual([]);
    expect(s.said.logs.join('\n')).toContain('stale lock');
    expect(existsSync(join(dir, STATION_LOCK_FILE))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, STATION_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });
});
