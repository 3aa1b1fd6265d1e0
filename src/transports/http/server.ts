// The HTTP transport: the headless station. The same renderer the desktop app shows is served
// at `/` (the desk) and `/kiosk`; the station API is under `/api`, one POST per method, with the
// caller's session as a bearer token. Every input is validated against the contract here, before
// the core sees it (and the core validates again).
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  stationApi,
  type ApiErrorBody,
  type ApiMethod,
  type StationCoreApi,
  type StationEvent,
} from '../../api/contract';
import { httpStatusFor } from '../../api/errors';
import { registerWsCalls } from '../ws/calls';
import { isLocalCaller, isLoopbackName, judgeRequest, type AllowedHost } from './own-host';

export interface HttpStationOptions {
  core: StationCoreApi;
  /** The built renderer (vite build output); the API works without it. */
  rendererDir?: string | null;
  host?: string;
  port?: number;
  /** Largest request body, bytes. */
  bodyLimit?: number;
  /**
   * Names besides the loopback ones and the address a connection arrives at that this station
   * answers to (`--allowed-host`, CIRCA_ALLOWED_HOSTS): see own-host.ts.
   */
  allowedHosts?: AllowedHost[];
  /** The API over a WebSocket kept open too (`/api/ws`, src/transports/ws): on unless false. */
  webSocket?: boolean;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopback(address: string | undefined): boolean {
  return !!address && isLoopbackName(address);
}

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/** The OpenAPI 3.1 description of the station API, made from the same zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(stationApi) as [string, ApiMethod][]) {
    const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });
    paths[`/api/call/${name}`] = {
      post: {
        operationId: name,
        summary: `${m.kind}: ${name}`,
        description: `Access: ${m.access}${m.localOnly ? " (only from the station's own machine)" : ''}`,
        security: m.access === 'public' ? [] : [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: schema(m.input, 'input') } } },
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: schema(m.output, 'output') } } },
          default: {
            description: 'An error (ApiErrorBody)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
          },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Circa station API', version: '1' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { ApiError: z.toJSONSchema(z.object({ code: z.string(), message: z.string() }).passthrough()) },
    },
  };
}

export async function createHttpStation(options: HttpStationOptions): Promise<FastifyInstance> {
  const { core } = options;
  const bodyLimit = options.bodyLimit ?? 1_048_576;
  const app = Fastify({
    logger: false,
    bodyLimit,
    // At close, idle keep-alive connections are dropped at once (a desk's browser keeps several
    // open); a request being answered is finished first.
    forceCloseConnections: 'idle',
  });

  // Open event streams (a signed-in desk holds one for as long as it is open). Fastify does not
  // know them (they are hijacked), so closing the server would wait for each browser to hang up:
  // at close they are ended first, and the desk's EventSource finds the station gone.
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cache-Control', reply.getHeader('Cache-Control') ?? 'no-store');
    return payload;
  });

  // Before anything else, on every route (API, event streams, the renderer's files): a request
  // must name this station by one of its own names, and one that changes something must come
  // from one of its own pages (or from no page at all). DNS rebinding and cross-site pages stop here.
  const policy = { allowed: options.allowedHosts ?? [] };
  app.addHook('onRequest', async (request, reply) => {
    const header = (name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const verdict = judgeRequest(policy, {
      method: request.method,
      path: request.url.split('?')[0]!,
      host: header('host'),
      origin: header('origin'),
      secFetchSite: header('sec-fetch-site'),
      webSocket: header('upgrade')?.toLowerCase() === 'websocket',
      localAddress: request.socket.localAddress,
      localPort: request.socket.localPort,
    });
    if (!verdict.ok) {
      return reply.status(verdict.status).send({
        code: verdict.status === 421 ? 'WRONG_HOST' : 'FORBIDDEN',
        message: verdict.message,
      } satisfies ApiErrorBody);
    }
  });

  // A WebSocket handshake answered with HTTP (refused above, or a path with no socket): its
  // connection is closed after the answer. Node hands an upgrade's socket over instead of keeping
  // it with the server's connections, so nothing else would close it, and a refused client could
  // hold it open, and the station's close would wait for it.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket?.destroy();
  });

  // Malformed JSON and other request errors get the same error shape as everything else.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const body: ApiErrorBody = {
      code: status === 500 ? 'INTERNAL' : 'INVALID',
      message: status === 500 ? 'Something went wrong.' : error.message,
    };
    if (status === 500) console.error('http station:', error.message);
    void reply.status(status).send(body);
  });

  app.post<{ Params: { name: string } }>('/api/call/:name', async (request, reply) => {
    const name = request.params.name;
    if (!Object.hasOwn(stationApi, name)) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: `Unknown method ${name}.` } satisfies ApiErrorBody);
    }
    // The core checks the input against the contract (an INVALID answer is a 400 here): checking
    // it here too would parse every request twice.
    const started = performance.now();
    const result = await core.invoke(name, request.body ?? {}, {
      sessionToken: bearer(request.headers.authorization),
      local: isLocalCaller(request.socket.remoteAddress, request.headers),
      // The socket's own peer, not request.ip or X-Forwarded-For: a header is whatever the client wrote.
      ...(request.socket.remoteAddress ? { address: request.socket.remoteAddress } : {}),
    });
    // How long the station itself took, so the desk's own timing (npm run bench:ui) can tell the
    // station's share from the transport's. Only the duration: nothing about what was done.
    void reply.header('server-timing', `station;dur=${(performance.now() - started).toFixed(2)}`);
    if (result.ok) return reply.status(200).send(result.value);
    return reply.status(httpStatusFor(result.error.code)).send(result.error);
  });

  if (options.webSocket !== false) await registerWsCalls(app, { core, maxPayload: bodyLimit });

  app.get('/api/health', async (_request, reply) => {
    const result = await core.invoke('system.health', {}, {});
    return reply.status(result.ok ? 200 : 503).send(result.ok ? result.value : result.error);
  });

  const openapi = openApiDocument();
  app.get('/api/openapi.json', async () => openapi);

  /**
   * What a session may hear: staff everything; a patron signed in at the kiosk the scans (the
   * items they borrow) and the core's state; nobody else anything. Scans carry patron barcodes.
   */
  const eventsFor = async (
    token: string | null,
  ): Promise<((event: StationEvent) => boolean) | null | 'unavailable'> => {
    if (!token) return null;
    const r = await core.invoke('auth.session', {}, { sessionToken: token });
    if (!r.ok) return 'unavailable';
    const kind = (r.value as { kind: string }).kind;
    if (kind === 'staff') return () => true;
    if (kind === 'kiosk') return (event) => event.type === 'scan' || event.type === 'core';
    return null;
  };

  // Scanner, sync and device events as Server-Sent Events, for a signed-in session only. A
  // browser's EventSource cannot set a header, so the token may come as `?token=` instead of
  // `Authorization: Bearer`. The session is checked again before each event and keep-alive: a
  // stream ends when its session does (signed out, expired, account disabled).
  app.get<{ Querystring: { token?: unknown } }>('/api/events', async (request, reply) => {
    const token =
      bearer(request.headers.authorization) ??
      (typeof request.query.token === 'string' && request.query.token ? request.query.token : null);
    const first = await eventsFor(token);
    if (first === 'unavailable')
      return reply.status(503).send({ code: 'INTERNAL', message: 'The station is not ready.' } satisfies ApiErrorBody);
    if (!first)
      return reply.status(401).send({ code: 'UNAUTHENTICATED', message: 'Please sign in.' } satisfies ApiErrorBody);
    return streamEvents(reply, () => eventsFor(token));
  });

  // The kiosk's welcome screen, before anyone has signed in, hears the card scanner attached to
  // this station: library card scans (no devices, no sync), and only for a browser on this
  // machine, the kiosk's own screen. A card number is what a patron shows the kiosk anyway, and
  // anything on this machine could read the station's files; a request relayed by a proxy
  // (X-Forwarded-For, Forwarded, X-Real-IP) may come from anywhere, so it is refused. Any other
  // scan (a book, a misread card) is told without its barcode: enough for the welcome screen to
  // say it could not read a card, nothing of what was scanned.
  const cardScansOnly = (event: StationEvent) => event.type === 'scan';
  const withoutOtherBarcodes = (event: StationEvent): StationEvent =>
    event.type === 'scan' && event.kind !== 'patron' ? { ...event, barcode: '' } : event;
  app.get('/api/kiosk/card-scans', async (request, reply) => {
    if (!isLocalCaller(request.socket.remoteAddress, request.headers)) {
      return reply
        .status(403)
        .send({ code: 'FORBIDDEN', message: 'Card scans are heard only on the kiosk itself.' } satisfies ApiErrorBody);
    }
    return streamEvents(reply, async () => cardScansOnly, withoutOtherBarcodes);
  });

  /**
   * Streams the core's events that `allowedNow` lets through, asked again before each event and
   * keep-alive (one check at a time, so events keep their order); it ends the stream when the
   * answer becomes null (the session ended). `told` is what of an event the stream may say.
   */
  function streamEvents(
    reply: FastifyReply,
    allowedNow: () => Promise<((event: StationEvent) => boolean) | null | 'unavailable'>,
    told: (event: StationEvent) => StationEvent = (event) => event,
  ) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.write(': connected\n\n');
    let open = true;
    let queue = Promise.resolve();
    const send = (text: string, event?: StationEvent) => {
      queue = queue
        .then(async () => {
          if (!open) return;
          const allowed = await allowedNow();
          if (!open || allowed === 'unavailable') return;
          if (!allowed) return close();
          if (!event || allowed(event)) res.write(text);
        })
        .catch(() => close());
    };
    const unsubscribe = core.onEvent((event) => send(`data: ${JSON.stringify(told(event))}\n\n`, event));
    const keepAlive = setInterval(() => send(': keep-alive\n\n'), 15_000);
    function close() {
      if (!open) return;
      open = false;
      openStreams.delete(close);
      clearInterval(keepAlive);
      unsubscribe();
      res.end();
      // The socket too: an ended response on a keep-alive connection would otherwise hold it open.
      res.socket?.destroySoon();
    }
    openStreams.add(close);
    res.on('close', close);
    return reply;
  }

  const rendererDir = options.rendererDir;
  if (rendererDir && existsSync(join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'], wildcard: false });
    // The kiosk and every client-side route get the single page; the app picks the screen by path.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
      return reply.status(404).send({ code: 'NOT_FOUND', message: 'Not found.' } satisfies ApiErrorBody);
    });
  } else {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'Circa station API is running, without its desk: this station was started with --no-build or a --renderer folder that holds none. Start it without --no-build (npm run serve builds the desk), or run npm run build:renderer.',
        ),
    );
  }
  return app;
}
