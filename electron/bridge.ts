// What the preload puts in the page: exactly one object, `window.circa`, with a call into the
// station API and an event subscription. No Node, no Electron, no ipcRenderer reaches the page.
// Kept apart from preload.ts so a test can drive it with stand-ins for contextBridge and
// ipcRenderer. It imports nothing: the sandboxed preload may only require 'electron'.

/** Must equal CALL_CHANNEL, EVENT_CHANNEL and CORE_CHANNEL of src/transports/ipc/relay (a test checks). */
export const CALL_CHANNEL = 'circa:call';
export const EVENT_CHANNEL = 'circa:event';
export const CORE_CHANNEL = 'circa:core';

export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: unknown): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function exposeStationBridge(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  const circa = {
    // The session token is the renderer's own, as over HTTP; the main process checks it is a
    // short string and the core decides what it allows.
    call: (name: string, input: unknown, sessionToken: string | null = null) =>
      ipcRenderer.invoke(CALL_CHANNEL, name, input, sessionToken),
    // Where the station core is, and Retry once it has failed to start (the desk's failure screen).
    core: (action: 'status' | 'retry') => ipcRenderer.invoke(CORE_CHANNEL, action === 'retry' ? 'retry' : 'status'),
    subscribe: (listener: (event: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
      // Only the event itself is passed on: the IPC event object would carry `sender`.
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(EVENT_CHANNEL, handler);
      return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    },
  };
  contextBridge.exposeInMainWorld('circa', Object.freeze(circa));
}
