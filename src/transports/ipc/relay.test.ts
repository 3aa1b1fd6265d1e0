import { describe, expect, it } from 'vitest';
import { checkRendererCall, forwardableEvent, installIpcRelay, type InvokeEventLike } from './relay';

/** Electron's ipcMain, reduced to what the relay uses: the one allowed stand-in. */
function standInIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  return {
    handlers,
    handle: (channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const own = { sender: 'main-window', senderFrame: { url: 'file:///app/dist/renderer/index.html' } };

describe('the IPC relay', () => {
  it('refuses unknown methods and malformed input before they reach the core', () => {
    expect(checkRendererCall('fs.readFile', {}, null)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(checkRendererCall('__proto__', {}, null)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(checkRendererCall('circulation.checkout', { patronBarcode: 1 }, null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID', issues: expect.any(Array) },
    });
    expect(checkRendererCall('system.health', { extra: true }, null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(checkRendererCall('system.health', {}, { evil: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(checkRendererCall('system.health', {}, 'x'.repeat(201))).toMatchObject({ ok: false });
  });

  it('passes a valid call on as the contract parsed it', () => {
    expect(checkRendererCall('circulation.checkin', { itemBarcode: ' 30234000000012 ' }, 'tok')).toEqual({
      ok: true,
      name: 'circulation.checkin',
      input: { itemBarcode: '30234000000012' },
      sessionToken: 'tok',
    });
  });

  it('sends only checked calls from the app window to the core', async () => {
    const ipcMain = standInIpcMain();
    const sent: unknown[][] = [];
    const remove = installIpcRelay({
      ipcMain,
      isTrustedSender: (event) => event.sender === 'main-window',
      call: async (...args) => {
        sent.push(args);
        return { ok: true, value: 'done' };
      },
    });
    const handler = ipcMain.handlers.get('circa:call')!;
    expect(await handler(own, 'patrons.lookup', { barcode: ' 2001 ' }, 'tok')).toEqual({ ok: true, value: 'done' });
    expect(await handler(own, 'patrons.lookup', { barcode: '' }, 'tok')).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(await handler(own, 'shell.openExternal', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await handler(
        { sender: 'some-other-frame', senderFrame: { url: 'https://evil.example/' } },
        'system.health',
        {},
        null,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(sent).toEqual([['patrons.lookup', { barcode: '2001' }, 'tok']]);
    remove();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it("answers the app window's core status and Retry, and no other sender", async () => {
    const ipcMain = standInIpcMain();
    const failure = { lines: ['no build for Electron 45.4.1'], attempts: 3, logPath: '/d/logs/circa.log' };
    let failed = true;
    const retried: string[] = [];
    installIpcRelay({
      ipcMain,
      isTrustedSender: (event) => event.sender === 'main-window',
      call: async () => ({ ok: true, value: null }),
      core: {
        status: () => (failed ? { state: 'failed', failure } : { state: 'starting' }),
        retry: () => (retried.push('retry'), (failed = false), true),
      },
    });
    const handler = ipcMain.handlers.get('circa:core')!;
    expect(await handler(own, 'status')).toEqual({ ok: true, value: { state: 'failed', failure } });
    expect(await handler({ sender: 'other', senderFrame: { url: 'https://evil.example/' } }, 'retry')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(retried).toEqual([]);
    expect(await handler(own, 'kill')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await handler(own, 'retry')).toEqual({ ok: true, value: { state: 'starting' } });
    expect(retried).toEqual(['retry']);
  });

  it('forwards to the page only events the contract knows', () => {
    expect(forwardableEvent({ type: 'core', state: 'failed', failure: { lines: ['x'], attempts: 3 } })).toEqual({
      type: 'core',
      state: 'failed',
      failure: { lines: ['x'], attempts: 3 },
    });
    expect(forwardableEvent({ type: 'core', state: 'restarting' })).toEqual({ type: 'core', state: 'restarting' });
    expect(forwardableEvent({ type: 'core', state: 'on fire' })).toBeNull();
    expect(forwardableEvent({ type: 'secret', path: '/etc' })).toBeNull();
  });
});
