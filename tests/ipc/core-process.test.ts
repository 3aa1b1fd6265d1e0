// The desktop app's core process, for real: the same core-host entry Electron starts, here as a
// node child process, supervised, killed with SIGKILL, and restarted.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../src/api/contract';
import type { CorePort } from '../../src/transports/ipc/protocol';
import { checkRendererCall } from '../../src/transports/ipc/relay';
import { CoreSupervisor } from '../../src/transports/ipc/supervisor';

const HOST = fileURLToPath(new URL('../../src/transports/ipc/core-host.ts', import.meta.url));
/** The bundle Electron's utilityProcess runs (npm run build:electron, part of npm test). */
const BUNDLE = fileURLToPath(new URL('../../dist/electron/core-host.mjs', import.meta.url));
const children: ChildProcess[] = [];

function spawnCore(dataDir: string, entry = HOST): () => CorePort {
  return () => {
    const child = fork(entry, [], {
      execArgv: entry === HOST ? ['--import', 'tsx'] : [],
      env: { ...process.env, CIRCA_DATA_DIR: dataDir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    return {
      postMessage: (m) => void child.send(m),
      on: (event: 'message' | 'exit', listener: (arg: never) => void) => void child.on(event, listener as never),
      kill: () => child.kill('SIGKILL'),
    } as CorePort;
  };
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('the core process under supervision', () => {
  it('answers calls, survives a SIGKILL by restarting, and keeps what it had committed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'circa-ipc-'));
    const events: StationEvent[] = [];
    const supervisor = new CoreSupervisor({
      spawn: spawnCore(dataDir),
      onEvent: (e) => events.push(e),
      restartDelays: [50],
      readyTimeoutMs: 30_000,
    });
    supervisor.start();
    expect(await supervisor.call('system.health', {}, null)).toMatchObject({
      ok: true,
      value: { ok: true, configured: false },
    });
    const setup = await supervisor.call(
      'setup.initialize',
      {
        libraryName: 'L',
        branchCode: 'M',
        branchName: 'Main',
        timeZone: 'UTC',
        currency: 'EUR',
        locale: 'es-ES',
        admin: { username: 'admin', displayName: 'A', password: 'long enough' },
      },
      null,
    );
    expect(setup.ok).toBe(true);

    children.at(-1)!.kill('SIGKILL');
    // A restarted core loads its modules again: seconds on a busy machine.
    await expect
      .poll(() => events.filter((e) => e.type === 'core').map((e) => (e as { state: string }).state), {
        timeout: 20_000,
      })
      .toEqual(['ready', 'restarting', 'ready']);
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({
      ok: true,
      value: { configured: true, libraryName: 'L' },
    });
    await supervisor.stop();
  }, 60_000);

  it('runs from the bundle the desktop app ships, migrations included', async () => {
    const supervisor = new CoreSupervisor({
      spawn: spawnCore(mkdtempSync(join(tmpdir(), 'circa-ipc-')), BUNDLE),
      onEvent: () => undefined,
      readyTimeoutMs: 30_000,
    });
    supervisor.start();
    expect(await supervisor.call('setup.status', {}, null)).toMatchObject({ ok: true, value: { configured: false } });
    expect(await supervisor.call('no.such', {}, null)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await supervisor.stop();
  }, 60_000);

  it('shuts down cleanly when asked', async () => {
    const supervisor = new CoreSupervisor({
      spawn: spawnCore(mkdtempSync(join(tmpdir(), 'circa-ipc-'))),
      onEvent: () => undefined,
      readyTimeoutMs: 30_000,
    });
    supervisor.start();
    await supervisor.call('system.health', {}, null);
    const child = children.at(-1)!;
    await supervisor.stop();
    // The core closes its store, answers, then exits: the exit itself follows a moment later.
    await expect.poll(() => child.exitCode, { timeout: 10_000 }).toBe(0);
  }, 60_000);
});

describe('the IPC relay', () => {
  it('refuses unknown methods and malformed input before they reach the core', () => {
    expect(checkRendererCall('fs.readFile', {}, null)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(checkRendererCall('circulation.checkout', { patronBarcode: 1 }, null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(checkRendererCall('system.health', {}, { evil: true })).toMatchObject({ ok: false });
    expect(checkRendererCall('circulation.checkin', { itemBarcode: ' 30234000000012 ' }, 'tok')).toEqual({
      ok: true,
      name: 'circulation.checkin',
      input: { itemBarcode: '30234000000012' },
      sessionToken: 'tok',
    });
  });
});
