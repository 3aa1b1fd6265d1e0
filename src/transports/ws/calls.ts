// The station API over one WebSocket kept open: the same calls as `POST /api/call/:name`, without
// a request's cost each time (a fetch in Chromium goes through the network service, Fastify's
// routing and hooks, headers both ways; a message on an open socket is one frame each way). The
// desk sends its calls here once the socket is open and over HTTP otherwise (renderer/api/socket.ts).
//
// The trust checks are the HTTP transport's, made at the same places:
// - the handshake is an HTTP request: the station's `onRequest` hook judges its Host (DNS
//   rebinding) and, as for any request that changes something, its Origin and Sec-Fetch-Site
//   (a foreign page's socket), before the upgrade (own-host.ts, `webSocket`);
// - the session goes with every call, as the bearer token goes with every HTTP request: a
//   socket opened signed out stays usable after sign-in, and a call is judged by its own token;
// - "on this machine" is judged on the handshake's socket and headers, as for HTTP (isLocalCaller);
// - a frame may be no larger than an HTTP body (`maxPayload`: the socket is closed with 1009);
// - the core checks each input against the contract and authorises it, as over HTTP.
// A frame that is not a call gets an INVALID answer and the socket stays open; nothing a client
// sends throws out of here.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import type { RawData, WebSocket } from 'ws';
import { stationApi, type ApiErrorBody, type StationCoreApi } from '../../api/contract';
import { httpStatusFor } from '../../api/errors';
import { isLocalCaller } from '../http/own-host';

export const WS_CALLS_PATH = '/api/ws';

/** Calls one socket may have waiting for the core at once; more are refused (as a browser holds at most 6 HTTP requests to a host). */
export const MAX_CALLS_IN_FLIGHT = 32;

/** Open sockets the station keeps at once (desks and kiosks are a handful); more are closed with 1013, try again later. */
export const MAX_SOCKETS = 64;

/** Every socket is pinged this often; one that has not answered the last ping is dropped (a desk PC that slept, a cable pulled). */
export const PING_INTERVAL_MS = 30_000;

/** A call, as the desk sends it: `id` is the client's own, echoed in the answer. */
export interface WsCall {
  id: number;
  name: string;
  input?: unknown;
  token?: string | null;
}

/**
 * The answer to a call: the contract's value or its error body, the HTTP status the same answer
 * would have had, and the station's own time (what Server-Timing says over HTTP). `id` is null
 * for a frame that was not a call at all.
 */
export type WsAnswer =
  | { id: number; ok: true; value: unknown; status: 200; stationMs: number }
  | { id: number | null; ok: false; error: ApiErrorBody; status: number; stationMs: number };

/** The frame as a call, or what is wrong with it. */
export function readCall(data: RawData, isBinary: boolean): WsCall | { id: number | null; error: ApiErrorBody } {
  if (isBinary) return { id: null, error: { code: 'INVALID', message: 'A call is a JSON text frame, not binary.' } };
  let parsed: unknown;
  try {
    // As Fastify parses an HTTP body: a __proto__ or constructor.prototype key is refused, not kept.
    parsed = secureJson.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString(), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch {
    return {
      id: null,
      error: {
        code: 'INVALID',
        message: 'A call is a JSON object: {"id": 1, "name": "...", "input": {...}, "token": "..."}.',
      },
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      id: null,
      error: {
        code: 'INVALID',
        message: 'A call is a JSON object: {"id": 1, "name": "...", "input": {...}, "token": "..."}.',
      },
    };
  }
  const call = parsed as Record<string, unknown>;
  const id = call.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return {
      id: null,
      error: { code: 'INVALID', message: 'A call needs an id: a whole number, echoed in its answer.' },
    };
  }
  if (typeof call.name !== 'string')
    return { id, error: { code: 'INVALID', message: 'A call needs the name of a method.' } };
  if (call.token !== undefined && call.token !== null && typeof call.token !== 'string') {
    return { id, error: { code: 'INVALID', message: 'A session token is a string.' } };
  }
  return { id, name: call.name, input: call.input, token: (call.token as string | null | undefined) ?? null };
}

export interface WsCallsOptions {
  core: StationCoreApi;
  /** Largest frame, bytes: the HTTP transport's body limit. */
  maxPayload: number;
  /** Tests only: a shorter ping interval, fewer sockets. */
  pingIntervalMs?: number;
  maxSockets?: number;
}

/** Registers `GET /api/ws` (the upgrade) on the HTTP station; the station's hooks have judged the handshake. */
export async function registerWsCalls(app: FastifyInstance, options: WsCallsOptions): Promise<void> {
  const { core } = options;
  await app.register(websocket, {
    options: { maxPayload: options.maxPayload, perMessageDeflate: false },
    // A socket's errors are the client's (a frame over maxPayload, a broken frame): ws has already
    // answered with its close code (1009, 1002) and closes the socket itself. Nothing to log.
    errorHandler: () => undefined,
  });
  const sockets = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();
  // A socket outside Node's request timeouts: without this, half-open sockets would pile up for ever.
  const pinger = setInterval(() => {
    for (const s of sockets) {
      if (!alive.has(s)) {
        s.terminate();
        continue;
      }
      alive.delete(s);
      s.ping();
    }
  }, options.pingIntervalMs ?? PING_INTERVAL_MS);
  pinger.unref();
  app.addHook('onClose', async () => clearInterval(pinger));
  // The answers a socket may leave unread before it is dropped: a client sending calls (or junk)
  // without reading what comes back would otherwise grow the station's memory without bound.
  const maxUnread = Math.max(4 * options.maxPayload, 1 << 20);

  app.get(WS_CALLS_PATH, { websocket: true }, (socket: WebSocket, request) => {
    if (sockets.size >= (options.maxSockets ?? MAX_SOCKETS)) {
      socket.close(1013, 'Too many connections: try again later.');
      return;
    }
    sockets.add(socket);
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    socket.on('close', () => sockets.delete(socket));
    const local = isLocalCaller(request.socket.remoteAddress, request.headers);
    // The upgrade request's socket peer (never a forwarding header): sign-ins are rate limited by it.
    const address = request.socket.remoteAddress;
    let inFlight = 0;
    const answer = (a: WsAnswer) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > maxUnread) {
        socket.terminate();
        return;
      }
      let text: string;
      try {
        text = JSON.stringify(a);
      } catch (error) {
        // A value JSON cannot carry is the station's defect: answered as the HTTP error handler would.
        console.error('ws station:', error instanceof Error ? error.message : String(error));
        text = JSON.stringify({
          id: a.id,
          ok: false,
          error: { code: 'INTERNAL', message: 'Something went wrong.' },
          status: 500,
          stationMs: 0,
        });
      }
      socket.send(text);
    };
    socket.on('message', (data, isBinary) => {
      const call = readCall(data, isBinary);
      if ('error' in call)
        return answer({
          id: call.id,
          ok: false,
          error: call.error,
          status: httpStatusFor(call.error.code),
          stationMs: 0,
        });
      if (!Object.hasOwn(stationApi, call.name)) {
        return answer({
          id: call.id,
          ok: false,
          error: { code: 'NOT_FOUND', message: `Unknown method ${call.name.slice(0, 100)}.` },
          status: 404,
          stationMs: 0,
        });
      }
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        const error: ApiErrorBody = {
          code: 'RATE_LIMITED',
          message: `At most ${MAX_CALLS_IN_FLIGHT} calls at once on one connection: wait for answers.`,
        };
        return answer({ id: call.id, ok: false, error, status: httpStatusFor(error.code), stationMs: 0 });
      }
      inFlight++;
      const started = performance.now();
      // Not awaited: calls on one socket run side by side, as HTTP requests do; each answers itself.
      void core
        .invoke(call.name, call.input ?? {}, {
          sessionToken: call.token ?? null,
          local,
          ...(address ? { address } : {}),
        })
        .then((result) => {
          const stationMs = Math.round((performance.now() - started) * 100) / 100;
          if (result.ok) answer({ id: call.id, ok: true, value: result.value, status: 200, stationMs });
          else
            answer({
              id: call.id,
              ok: false,
              error: result.error,
              status: httpStatusFor(result.error.code),
              stationMs,
            });
        })
        // invoke never throws by contract; a defect still answers, as the HTTP error handler does.
        .catch((error: unknown) => {
          console.error('ws station:', error instanceof Error ? error.message : String(error));
          answer({
            id: call.id,
            ok: false,
            error: { code: 'INTERNAL', message: 'Something went wrong.' },
            status: 500,
            stationMs: 0,
          });
        })
        .finally(() => inFlight--);
    });
  });
}
