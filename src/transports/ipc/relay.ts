// The main process's side of the renderer's IPC: every message is checked against the station
// API contract before it goes to the core (which checks again), so an unknown method, a
// malformed input or a message from a page that is not the app's own never leaves the main
// process. Electron's ipcMain is passed in, so this runs (and is tested) without Electron.
import { StationEvent, stationApi, type ApiErrorBody, type CoreStatus } from '../../api/contract';
import { issuesOf } from '../../api/errors';
import type { CallResult } from './protocol';

/** The channels the preload uses; electron/bridge.ts repeats them (a test keeps both equal). */
export const CALL_CHANNEL = 'circa:call';
export const EVENT_CHANNEL = 'circa:event';
/** The desk asks where the core is ('status') or, once it has failed, asks it to start again ('retry'). */
export const CORE_CHANNEL = 'circa:core';

export type Checked =
  { ok: true; name: string; input: unknown; sessionToken: string | null } | { ok: false; error: ApiErrorBody };

export function checkRendererCall(name: unknown, input: unknown, sessionToken: unknown): Checked {
  if (typeof name !== 'string' || !Object.hasOwn(stationApi, name)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method ${String(name).slice(0, 80)}.` } };
  }
  if (
    sessionToken !== null &&
    sessionToken !== undefined &&
    (typeof sessionToken !== 'string' || sessionToken.length > 200)
  ) {
    return { ok: false, error: { code: 'INVALID', message: 'Bad session token.' } };
  }
  const parsed = stationApi[name as keyof typeof stationApi].input.safeParse(input ?? {});
  if (!parsed.success)
    return {
      ok: false,
      error: { code: 'INVALID', message: 'The request is not valid.', issues: issuesOf(parsed.error) },
    };
  return { ok: true, name, input: parsed.data, sessionToken: (sessionToken as string | null | undefined) ?? null };
}

/** The parts of an IpcMainInvokeEvent the relay looks at. */
export interface InvokeEventLike {
  sender: unknown;
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RelayOptions {
  ipcMain: IpcMainLike;
  /** True only for the app's own window showing the app's own page. */
  isTrustedSender(event: InvokeEventLike): boolean;
  /** Sends a checked call to the core (CoreSupervisor.call). */
  call(name: string, input: unknown, sessionToken: string | null): Promise<CallResult>;
  /** The supervisor's status and Retry (CoreSupervisor.status, .retry). */
  core?: { status(): CoreStatus; retry(): boolean };
}

const FOREIGN: CallResult = { ok: false, error: { code: 'FORBIDDEN', message: 'Not from this app.' } };

/** Installs the call handler; returns a function that removes it. */
export function installIpcRelay({ ipcMain, isTrustedSender, call, core }: RelayOptions): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, name, input, sessionToken) => {
    if (!isTrustedSender(event)) return FOREIGN;
    const checked = checkRendererCall(name, input, sessionToken);
    if (!checked.ok) return checked;
    return call(checked.name, checked.input, checked.sessionToken);
  });
  if (!core) return () => ipcMain.removeHandler(CALL_CHANNEL);
  ipcMain.handle(CORE_CHANNEL, async (event, action): Promise<CallResult> => {
    if (!isTrustedSender(event)) return FOREIGN;
    if (action === 'retry') core.retry();
    else if (action !== 'status') return { ok: false, error: { code: 'NOT_FOUND', message: 'Unknown core action.' } };
    return { ok: true, value: core.status() };
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeHandler(CORE_CHANNEL);
  };
}

/** Only events that match the contract reach the page. */
export function forwardableEvent(event: unknown): StationEvent | null {
  const parsed = StationEvent.safeParse(event);
  return parsed.success ? parsed.data : null;
}
