import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CALL_CHANNEL as RELAY_CALL,
  CORE_CHANNEL as RELAY_CORE,
  EVENT_CHANNEL as RELAY_EVENT,
} from '../src/transports/ipc/relay';
import { CALL_CHANNEL, CORE_CHANNEL, EVENT_CHANNEL, exposeStationBridge } from './bridge';

/** contextBridge and ipcRenderer, reduced to what the preload uses: the one allowed stand-in. */
function standIns() {
  const exposed: [string, unknown][] = [];
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  return {
    exposed,
    invoked,
    listeners,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'v' }),
      on: (channel: string, l: (event: unknown, payload: unknown) => void) =>
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
      removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) =>
        listeners.get(channel)?.delete(l),
    },
  };
}

describe('the preload bridge', () => {
  it('exposes exactly one object, window.circa, with call, core and subscribe and nothing else', () => {
    const s = standIns();
    exposeStationBridge(s.contextBridge, s.ipcRenderer);
    expect(s.exposed.map(([key]) => key)).toEqual(['circa']);
    const api = s.exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'core', 'subscribe']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it("sends calls on the relay's channel and passes events on without the IPC event object", async () => {
    const s = standIns();
    exposeStationBridge(s.contextBridge, s.ipcRenderer);
    const circa = s.exposed[0]![1] as {
      call(n: string, i: unknown, t?: string | null): Promise<unknown>;
      subscribe(l: (e: unknown) => void): () => void;
    };
    expect(await circa.call('system.health', {})).toEqual({ ok: true, value: 'v' });
    await circa.call('staff.list', {}, 'tok');
    expect(s.invoked).toEqual([
      [RELAY_CALL, 'system.health', {}, null],
      [RELAY_CALL, 'staff.list', {}, 'tok'],
    ]);
    const seen: unknown[] = [];
    const unsubscribe = circa.subscribe((e) => seen.push(e));
    for (const l of s.listeners.get(RELAY_EVENT)!) l({ sender: 'ipc internals' }, { type: 'core', state: 'ready' });
    expect(seen).toEqual([{ type: 'core', state: 'ready' }]);
    unsubscribe();
    expect(s.listeners.get(RELAY_EVENT)!.size).toBe(0);
    expect(CALL_CHANNEL).toBe(RELAY_CALL);
    expect(EVENT_CHANNEL).toBe(RELAY_EVENT);
  });

  it("asks for the core's status or a retry on the relay's core channel, and nothing else", async () => {
    const s = standIns();
    exposeStationBridge(s.contextBridge, s.ipcRenderer);
    const circa = s.exposed[0]![1] as { core(action: string): Promise<unknown> };
    await circa.core('status');
    await circa.core('retry');
    await circa.core('shell.openExternal');
    expect(s.invoked).toEqual([
      [RELAY_CORE, 'status'],
      [RELAY_CORE, 'retry'],
      [RELAY_CORE, 'status'],
    ]);
    expect(CORE_CHANNEL).toBe(RELAY_CORE);
  });

  it('imports nothing, so the sandboxed preload needs only electron', () => {
    const source = readFileSync(new URL('./bridge.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import\s/m);
  });
});
