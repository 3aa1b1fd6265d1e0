// The renderer's only way to the station: one typed client over the station API. In the desktop
// app it goes through the preload's `window.circa` (Electron IPC); in a browser, over HTTP.
import type { ApiErrorBody, ApiInput, ApiName, ApiOutput, StationClient, StationEvent } from '../../src/api/contract';

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

interface Bridge {
  call(name: string, input: unknown, token: string | null): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  subscribe(listener: (event: StationEvent) => void): () => void;
}

declare global {
  interface Window {
    circa?: Bridge;
  }
}

export interface SessionClient extends StationClient {
  setToken(token: string | null): void;
}

export function createClient(base = ''): SessionClient {
  let token: string | null = null;
  const bridge = typeof window !== 'undefined' ? window.circa : undefined;

  async function call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
    if (bridge) {
      const result = await bridge.call(name, input, token);
      if (!result.ok) throw new ApiError(result.error);
      return result.value as ApiOutput<N>;
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
    if (typeof EventSource === 'undefined') return () => {};
    const source = new EventSource(`${base}/api/events`);
    source.onmessage = (m) => listener(JSON.parse(m.data as string) as StationEvent);
    return () => source.close();
  }

  return { call, subscribe, setToken: (t) => (token = t) };
}

export const client = createClient();

/** Staff sign-in: the session token goes with every later call. */
export async function staffSignIn(username: string, password: string) {
  const r = await client.call('auth.signIn', { username, password });
  client.setToken(r.token);
  return r;
}
