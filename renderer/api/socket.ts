// The desk's calls over one WebSocket kept open to the station (src/transports/ws/calls.ts),
// in a browser. A scan's check-out then costs one frame each way instead of a fetch (Chromium's
// network service, the station's routing and headers each time): about 3 ms of the 20 the desk
// has from a scan to its row on screen (docs/performance.md).
//
// Only while the socket is open: before it opens, after it closed, or where it cannot open at all
// (a proxy that drops upgrades), `send` says so and the client goes over HTTP as before. A call
// whose socket closes before its answer fails as a fetch that lost its connection does
// (NETWORK): it is never sent again on its own, since it may have been done.
import type { ApiErrorBody } from '../../src/api/contract';

type Answer = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

interface WireAnswer {
  id: number | null;
  ok: boolean;
  value?: unknown;
  error?: ApiErrorBody;
  stationMs?: number;
}

/** How long after a socket failed to open or closed the next is tried (calls go over HTTP meanwhile). */
const RETRY_AFTER_MS = 5_000;

export interface SocketCalls {
  /** The call sent over the open socket, or null: not open now, go over HTTP. */
  send(name: string, input: unknown, token: string | null): Promise<Answer> | null;
  close(): void;
}

/** `ws://host/api/ws` for the page's own http://host (wss for https). */
export function socketUrl(base: string, location: { protocol: string; host: string }): string {
  const page = new URL(base || '/', `${location.protocol}//${location.host}/`);
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/api/ws`;
}

/** Calls the desk keeps waiting on the socket at once; more go over HTTP (the station takes 32). */
export const SOCKET_CALLS_AT_ONCE = 16;

export function createSocketCalls(url: string): SocketCalls {
  let socket: WebSocket | null = null;
  let open = false;
  let closedAt = -Infinity;
  let nextId = 1;
  let closed = false;
  const waiting = new Map<number, { resolve(answer: Answer): void; name: string; sentAt: number }>();

  function connect() {
    if (closed || socket || performance.now() - closedAt < RETRY_AFTER_MS) return;
    let opened: WebSocket;
    try {
      opened = new WebSocket(url);
    } catch {
      closedAt = performance.now();
      return;
    }
    socket = opened;
    opened.onopen = () => {
      open = true;
    };
    opened.onmessage = (m) => {
      let answer: WireAnswer;
      try {
        answer = JSON.parse(m.data as string) as WireAnswer;
      } catch {
        return;
      }
      const call = answer.id === null ? undefined : waiting.get(answer.id);
      if (!call) return;
      waiting.delete(answer.id!);
      timed(call.name, call.sentAt, answer.stationMs ?? 0);
      call.resolve(
        answer.ok
          ? { ok: true, value: answer.value }
          : { ok: false, error: answer.error ?? { code: 'INTERNAL', message: 'Bad answer' } },
      );
    };
    opened.onclose = () => {
      open = false;
      socket = null;
      closedAt = performance.now();
      for (const call of waiting.values())
        call.resolve({ ok: false, error: { code: 'NETWORK', message: 'The station does not answer.' } });
      waiting.clear();
    };
  }

  connect();
  return {
    send(name, input, token) {
      if (!open || !socket) {
        connect();
        return null;
      }
      // The station answers at most MAX_CALLS_IN_FLIGHT at once per socket: a bulk action (renew
      // thirty loans) past the desk's share goes over HTTP, as the browser would queue fetches.
      if (waiting.size >= SOCKET_CALLS_AT_ONCE) return null;
      const id = nextId++;
      const sentAt = performance.now();
      const live = socket;
      return new Promise<Answer>((resolve) => {
        waiting.set(id, { resolve, name, sentAt });
        live.send(JSON.stringify({ id, name, input: input ?? {}, token }));
      });
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}

/**
 * The call's time, as DevTools' Performance panel and `npm run bench:ui` read it: a User Timing
 * measure `circa.call <name>`, from sent to answered, with the station's own share in its detail
 * (what Server-Timing tells of a fetch). Only the last of each name is kept, so eight hours at
 * the desk do not fill the page's timeline.
 */
function timed(name: string, sentAt: number, stationMs: number) {
  const label = `circa.call ${name}`;
  performance.clearMeasures(label);
  performance.measure(label, { start: sentAt, end: performance.now(), detail: { stationMs } });
}
