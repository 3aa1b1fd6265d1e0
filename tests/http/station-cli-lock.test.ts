// The station administration commands run holding the data folder's lock: against the folder of
// a running `npm run serve` (a real process) a command is refused with the holder's pid and exit
// code 4, and never runs; on a free folder it runs and leaves the folder free.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirOf, runWithDataFolderLock } from '../../src/cli/station-lock';
import { STATION_LOCK_FILE } from '../../src/store/data-lock';
import { freePort, ROOT } from '../support/launch';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'circa-cli-lock-'));
  dirs.push(d);
  return d;
};

describe('station administration commands and the data folder lock', () => {
  it('reads --data as the commands take it', () => {
    expect(dataDirOf(['--data', '/srv/circa', '--file', 'x.mrc'])).toBe('/srv/circa');
    expect(dataDirOf(['--data=/srv/circa'])).toBe('/srv/circa');
    expect(dataDirOf([])).toBe(join(process.cwd(), 'data'));
  });

  it('refuses a command on the folder of a running station, and runs it on a free one', async () => {
    const dataDir = folder();
    const port = await freePort();
    const serve = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src', 'cli', 'serve.ts'),
        '--data',
        dataDir,
        '--port',
        String(port),
        '--no-build',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    try {
      for (let i = 0; i < 200 && !existsSync(join(dataDir, STATION_LOCK_FILE)); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(JSON.parse(readFileSync(join(dataDir, STATION_LOCK_FILE), 'utf8'))).toMatchObject({ pid: serve.pid });

      const said: string[] = [];
      let ran = false;
      const code = await runWithDataFolderLock(
        ['--data', dataDir],
        async () => ((ran = true), 0),
        (line) => said.push(line),
      );
      expect(code).toBe(4);
      expect(ran).toBe(false);
      expect(said.join('\n')).toContain(`is in use by process ${serve.pid}`);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
    // The station has stopped: the command runs, holding the folder while it does.
    let heldWhileRunning = false;
    const code = await runWithDataFolderLock(['--data', dataDir], async () => {
      heldWhileRunning = JSON.parse(readFileSync(join(dataDir, STATION_LOCK_FILE), 'utf8')).pid === process.pid;
      return 0;
    });
    expect(code).toBe(0);
    expect(heldWhileRunning).toBe(true);
    expect(existsSync(join(dataDir, STATION_LOCK_FILE))).toBe(false);
  }, 60_000);
});
