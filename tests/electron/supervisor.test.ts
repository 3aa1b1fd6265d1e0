// The core supervisor against real processes: a small test core forked with node, killed with
// SIGKILL, restarted with back-off, and stopped cleanly.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../src/api/contract';
import { CoreSupervisor } from '../../src/transports/ipc/supervisor';
import { forkCore, killAll, spawned } from './fork-port';

const TEST_CORE = fileURLToPath(new URL('./fixtures/test-core.mjs', import.meta.url));
const coreStates = (events: StationEvent[]) => events.flatMap((e) => (e.type === 'core' ? [e.state] : []));

afterEach(killAll);

describe('the core supervisor', () => {
  it('relays calls and events, and restarts a core killed with SIGKILL, telling the desk', async () => {
    const events: StationEvent[] = [];
    const supervisor = new CoreSupervisor({
      spawn: forkCore(TEST_CORE, {}),
      onEvent: (e) => events.push(e),
      restartDelays: [50],
    });
    supervisor.start();
    const first = await supervisor.call('echo', { a: 1 }, 'tok');
    expect(first).toMatchObject({ ok: true, value: { input: { a: 1 }, token: 'tok' } });
    expect(await supervisor.call('event', {}, null)).toEqual({ ok: true, value: null });
    expect(events).toContainEqual({ type: 'scan', barcode: 'B1', kind: 'item', deviceId: 'test' });

    spawned[0]!.kill('SIGKILL');
    await expect.poll(() => coreStates(events)).toEqual(['ready', 'restarting', 'ready']);
    const second = await supervisor.call('echo', {}, null);
    expect(second.ok && (second.value as { pid: number }).pid).not.toBe(
      (first as { value: { pid: number } }).value.pid,
    );
    expect(spawned).toHaveLength(2);
    await supervisor.stop();
  });

  it('answers a call in flight with a clear error when the core dies under it', async () => {
    const supervisor = new CoreSupervisor({
      spawn: forkCore(TEST_CORE, {}),
      onEvent: () => undefined,
      restartDelays: [50],
    });
    supervisor.start();
    await supervisor.call('echo', {}, null);
    const inFlight = supervisor.call('slow', { ms: 5_000 }, null);
    setTimeout(() => spawned[0]!.kill('SIGKILL'), 100);
    expect(await inFlight).toMatchObject({
      ok: false,
      error: { code: 'INTERRUPTED', message: expect.stringMatching(/check whether it was done/i) },
    });
    await supervisor.stop();
  });

  it('waits for a restarting core instead of failing a call, and backs off when the core keeps crashing', async () => {
    const events: StationEvent[] = [];
    const started: number[] = [];
    const crashing = forkCore(TEST_CORE, { TEST_CORE_MODE: 'crash-on-start' });
    const supervisor = new CoreSupervisor({
      spawn: () => {
        started.push(Date.now());
        return crashing();
      },
      onEvent: (e) => events.push(e),
      restartDelays: [50, 200, 600],
      readyTimeoutMs: 500,
      maxFailedStarts: 100,
    });
    supervisor.start();
    expect(await supervisor.call('echo', {}, null)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await expect.poll(() => started.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
    const gaps = started.slice(1).map((t, i) => t - started[i]!);
    expect(gaps[2]!).toBeGreaterThanOrEqual(600);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(coreStates(events)).not.toContain('ready');
    await supervisor.stop();
    const count = started.length;
    await new Promise((r) => setTimeout(r, 800));
    expect(started.length).toBe(count);
  });

  it('stops cleanly: the call in progress finishes, then the core closes and is not restarted', async () => {
    const mark = join(mkdtempSync(join(tmpdir(), 'circa-sup-')), 'closed');
    const events: StationEvent[] = [];
    const supervisor = new CoreSupervisor({
      spawn: forkCore(TEST_CORE, { TEST_CORE_MARK: mark }),
      onEvent: (e) => events.push(e),
      restartDelays: [50],
    });
    supervisor.start();
    await supervisor.call('echo', {}, null);
    const slow = supervisor.call('slow', { ms: 300 }, null);
    await new Promise((r) => setTimeout(r, 50));
    await supervisor.stop();
    expect(await slow).toEqual({ ok: true, value: { slept: 300 } });
    expect(readFileSync(mark, 'utf8')).toBe('closed cleanly');
    expect(spawned[0]!.exitCode).toBe(0);
    expect(coreStates(events)).toEqual(['ready', 'stopped']);
    expect(await supervisor.call('echo', {}, null)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(spawned).toHaveLength(1);
  });

  it('kills a core that does not close in time', async () => {
    const logs: string[] = [];
    const supervisor = new CoreSupervisor({
      spawn: forkCore(TEST_CORE, { TEST_CORE_MODE: 'ignore-shutdown' }),
      onEvent: () => undefined,
      onLog: (_l, m) => logs.push(m),
    });
    supervisor.start();
    await supervisor.call('echo', {}, null);
    await supervisor.stop(300);
    await expect.poll(() => spawned[0]!.signalCode).toBe('SIGKILL');
    expect(logs.join('\n')).toMatch(/did not close in time/);
  });

  it('gives up after three failed starts in a row, tells the desk why, answers calls at once, and starts again on Retry', async () => {
    const events: StationEvent[] = [];
    const logs: string[] = [];
    let mode = 'fatal-on-start';
    const fatal =
      'The database module has no build for Electron 45.4.1: /x/better_sqlite3.node is missing.\nRun `npm run electron:sqlite`, then start again.';
    const supervisor = new CoreSupervisor({
      spawn: () => forkCore(TEST_CORE, { TEST_CORE_MODE: mode, TEST_CORE_FATAL: fatal })(),
      onEvent: (e) => events.push(e),
      onLog: (_level, m) => logs.push(m),
      restartDelays: [30, 60],
      readyTimeoutMs: 20_000,
      logPath: '/data/logs/circa.log',
    });
    supervisor.start();
    // A call made while it starts waits, and is answered as soon as the supervisor gives up.
    const started = Date.now();
    const waiting = await supervisor.call('echo', {}, null);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(waiting).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: `The station could not start: ${fatal.split('\n')[0]}` },
    });
    const failure = { lines: fatal.split('\n'), attempts: 3, logPath: '/data/logs/circa.log' };
    expect(events).toEqual([
      { type: 'core', state: 'restarting' },
      { type: 'core', state: 'restarting' },
      { type: 'core', state: 'failed', failure },
    ]);
    expect(supervisor.status).toEqual({ state: 'failed', failure });
    expect(logs.join('\n')).toMatch(/failed to start 3 times in a row/);
    // No fourth start by itself.
    await new Promise((r) => setTimeout(r, 400));
    expect(spawned).toHaveLength(3);
    expect(await supervisor.call('echo', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('could not start') },
    });

    mode = '';
    expect(supervisor.retry()).toBe(true);
    await expect.poll(() => coreStates(events).slice(3), { timeout: 10_000 }).toEqual(['restarting', 'ready']);
    expect(supervisor.status).toEqual({ state: 'ready' });
    expect(await supervisor.call('echo', { a: 1 }, null)).toMatchObject({ ok: true, value: { input: { a: 1 } } });
    expect(supervisor.retry()).toBe(false);
    await supervisor.stop();
  });

  it('without a fatal message, shows the first lines the last attempt wrote to stderr, or else its exit code', async () => {
    const events: StationEvent[] = [];
    let attempt = 0;
    const crashing = forkCore(TEST_CORE, { TEST_CORE_MODE: 'crash-on-start' });
    const supervisor: CoreSupervisor = new CoreSupervisor({
      spawn: () => {
        const port = crashing();
        // What main.ts passes on from the utility process's stderr, attempt by attempt.
        const said =
          ++attempt === 2 ? 'file:///app/core-host.mjs:1\n\nSyntaxError: Unexpected token\n' : `attempt ${attempt}\n`;
        queueMicrotask(() => supervisor.noteCoreOutput(said));
        return port;
      },
      onEvent: (e) => events.push(e),
      restartDelays: [20],
      maxFailedStarts: 2,
    });
    supervisor.start();
    await expect.poll(() => coreStates(events), { timeout: 10_000 }).toEqual(['restarting', 'failed']);
    expect(events.at(-1)).toEqual({
      type: 'core',
      state: 'failed',
      failure: { lines: ['file:///app/core-host.mjs:1', 'SyntaxError: Unexpected token'], attempts: 2 },
    });
    await supervisor.stop();

    const silent: StationEvent[] = [];
    const quiet = new CoreSupervisor({
      spawn: crashing,
      onEvent: (e) => silent.push(e),
      restartDelays: [20],
      maxFailedStarts: 1,
    });
    quiet.start();
    await expect.poll(() => coreStates(silent), { timeout: 10_000 }).toEqual(['failed']);
    expect(silent[0]).toEqual({
      type: 'core',
      state: 'failed',
      failure: { lines: ['The station core stopped (exit code 2) before it was ready.'], attempts: 1 },
    });
    await quiet.stop();
  });
});
