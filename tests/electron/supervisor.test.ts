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
    const supervisor = new CoreSupervisor({ spawn: forkCore(TEST_CORE, {}), onEvent: (e) => events.push(e), restartDelays: [50] });
    supervisor.start();
    const first = await supervisor.call('echo', { a: 1 }, 'tok');
    expect(first).toMatchObject({ ok: true, value: { input: { a: 1 }, token: 'tok' } });
    expect(await supervisor.call('event', {}, null)).toEqual({ ok: true, value: null });
    expect(events).toContainEqual({ type: 'scan', barcode: 'B1', kind: 'item', deviceId: 'test' });

    spawned[0]!.kill('SIGKILL');
    await expect.poll(() => coreStates(events)).toEqual(['ready', 'restarting', 'ready']);
    const second = await supervisor.call('echo', {}, null);
    expect(second.ok && (second.value as { pid: number }).pid).not.toBe((first as { value: { pid: number } }).value.pid);
    expect(spawned).toHaveLength(2);
    await supervisor.stop();
  });

  it('answers a call in flight with a clear error when the core dies under it', async () => {
    const supervisor = new CoreSupervisor({ spawn: forkCore(TEST_CORE, {}), onEvent: () => undefined, restartDelays: [50] });
    supervisor.start();
    await supervisor.call('echo', {}, null);
    const inFlight = supervisor.call('slow', { ms: 5_000 }, null);
    setTimeout(() => spawned[0]!.kill('SIGKILL'), 100);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'INTERRUPTED', message: expect.stringMatching(/check whether it was done/i) } });
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
    const supervisor = new CoreSupervisor({ spawn: forkCore(TEST_CORE, { TEST_CORE_MARK: mark }), onEvent: (e) => events.push(e), restartDelays: [50] });
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
    const supervisor = new CoreSupervisor({ spawn: forkCore(TEST_CORE, { TEST_CORE_MODE: 'ignore-shutdown' }), onEvent: () => undefined, onLog: (_l, m) => logs.push(m) });
    supervisor.start();
    await supervisor.call('echo', {}, null);
    await supervisor.stop(300);
    await expect.poll(() => spawned[0]!.signalCode).toBe('SIGKILL');
    expect(logs.join('\n')).toMatch(/did not close in time/);
  });
});
