// The renderer's only way to the station: one typed client over the station API. In the desktop
// app it goes through the preload's `window.circa` (Electron IPC); in a browser, over a WebSocket
// kept open to the station when it is open (socket.ts), over HTTP otherwise.
import type {
  ApiErrorBody,
  ApiInput,
  ApiName,
  ApiOutput,
  CoreStatus,
  StationClient,
  StationEvent,
} from '../../src/api/contract';
import { createSocketCalls, socketUrl, type SocketCalls } from './socket';

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

interface Bridge {
  call(
    name: string,
    input: unknown,
    token: string | null,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  subscribe(listener: (event: StationEvent) => void): () => void;
  /** The desktop app's station core: where it is, or start it again once it has failed. */
  core?(action: 'status' | 'retry'): Promise<{ ok: true; value: CoreStatus } | { ok: false; error: ApiErrorBody }>;
}

declare global {
  interface Window {
    circa?: Bridge;
  }
}

export interface SessionClient extends StationClient {
  setToken(token: string | null): void;
  /**
   * The kiosk, while nobody is signed in: hear library card scans from the station's own
   * scanners (the station streams them only to a browser on its machine). Off by default.
   */
  hearCardScansSignedOut(on: boolean): void;
}

/** The desktop app's own station core, which the desk can ask about and retry (none over HTTP). */
export interface CoreControl {
  coreStatus(): Promise<CoreStatus | null>;
  retryCore(): Promise<CoreStatus | null>;
  subscribe(listener: (event: StationEvent) => void): () => void;
}

export function createCoreControl(
  bridge: Bridge | undefined = typeof window !== 'undefined' ? window.circa : undefined,
): CoreControl {
  const ask = async (action: 'status' | 'retry') => {
    if (!bridge?.core) return null;
    const result = await bridge.core(action);
    return result.ok ? result.value : null;
  };
  return {
    coreStatus: () => ask('status'),
    retryCore: () => ask('retry'),
    subscribe: (listener) => (bridge ? bridge.subscribe(listener) : () => undefined),
  };
}

export function createClient(base = '', options: { webSocket?: boolean } = {}): SessionClient {
  let token: string | null = null;
  const bridge = typeof window !== 'undefined' ? window.circa : undefined;
  // Opened at the first call (not at import: a component test's page has no station), used from
  // the first call after it is open; the calls before go over HTTP.
  let sockets: SocketCalls | null = null;
  const socketsWanted =
    options.webSocket !== false && !bridge && typeof WebSocket !== 'undefined' && typeof location !== 'undefined';
  // Over HTTP, one event stream for every listener, opened with the session's token (the station
  // streams only to a signed-in session; EventSource cannot set a header, so it goes as ?token=)
  // and opened again whenever the session changes: at sign-in, at sign-out (then none, or at the
  // kiosk the card scans), at the kiosk between patrons. The station ends a stream whose session
  // ended.
  const listeners = new Set<(event: StationEvent) => void>();
  let source: EventSource | null = null;
  let cardScansSignedOut = false;
  function reopen() {
    source?.close();
    source = null;
    if (bridge || typeof EventSource === 'undefined' || listeners.size === 0) return;
    const url = token
      ? `${base}/api/events?token=${encodeURIComponent(token)}`
      : cardScansSignedOut
        ? `${base}/api/kiosk/card-scans`
        : null;
    if (!url) return;
    const opened = new EventSource(url);
    opened.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as StationEvent;
      for (const listener of listeners) listener(event);
    };
    source = opened;
  }

  async function call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
    if (bridge) {
      const result = await bridge.call(name, input, token);
      if (!result.ok) throw new ApiError(result.error);
      return result.value as ApiOutput<N>;
    }
    if (socketsWanted) {
      sockets ??= createSocketCalls(socketUrl(base, location));
      const answer = sockets.send(name, input, token);
      if (answer) {
        const result = await answer;
        if (!result.ok) throw new ApiError(result.error);
        return result.value as ApiOutput<N>;
      }
    }
    let res: Response;
    try {
      res = await fetch(`${base}/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new ApiError({ code: 'NETWORK', message: 'The station does not answer.' });
    }
    const body = (await res.json().catch(() => ({ code: 'INTERNAL', message: 'Bad answer' }))) as unknown;
    if (!res.ok) throw new ApiError(body as ApiErrorBody);
    return body as ApiOutput<N>;
  }

  function subscribe(listener: (event: StationEvent) => void): () => void {
    if (bridge) return bridge.subscribe(listener);
    listeners.add(listener);
    if (!source) reopen();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) reopen();
    };
  }

  function setToken(next: string | null) {
    if (next === token) return;
    token = next;
    reopen();
  }

  function hearCardScansSignedOut(on: boolean) {
    if (on === cardScansSignedOut) return;
    cardScansSignedOut = on;
    if (!token) reopen();
  }

  return { call, subscribe, setToken, hearCardScansSignedOut };
}

export const client = createClient();

/** Staff sign-in: the session token goes with every later call. */
export async function staffSignIn(username: string, password: string) {
  const r = await client.call('auth.signIn', { username, password });
  client.setToken(r.token);
  return r;
}
