// The HTTP transport: the headless station. The same renderer the desktop app shows is served
// at `/` (the desk) and `/kiosk`; the station API is under `/api`, one POST per method, with the
// caller's session as a bearer token. Every input is validated against the contract here, before
// the core sees it (and the core validates again).
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { stationApi, type ApiErrorBody, type ApiMethod, type StationCoreApi } from '../../api/contract';
import { httpStatusFor, issuesOf } from '../../api/errors';

export interface HttpStationOptions {
  core: StationCoreApi;
  /** The built renderer (vite build output); the API works without it. */
  rendererDir?: string | null;
  host?: string;
  port?: number;
  /** Largest request body, bytes. */
  bodyLimit?: number;
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
        description: `Access: ${m.access}`,
        security: m.access === 'public' ? [] : [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: schema(m.input, 'input') } } },
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: schema(m.output, 'output') } } },
          default: { description: 'An error (ApiErrorBody)', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } },
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
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 1_048_576 });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cache-Control', reply.getHeader('Cache-Control') ?? 'no-store');
    return payload;
  });

  // Malformed JSON and other request errors get the same error shape as everything else.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const body: ApiErrorBody = { code: status === 500 ? 'INTERNAL' : 'INVALID', message: status === 500 ? 'Something went wrong.' : error.message };
    if (status === 500) console.error('http station:', error.message);
    void reply.status(status).send(body);
  });

  app.post<{ Params: { name: string } }>('/api/call/:name', async (request, reply) => {
    const name = request.params.name;
    if (!Object.hasOwn(stationApi, name)) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: `Unknown method ${name}.` } satisfies ApiErrorBody);
    }
    const method: ApiMethod = stationApi[name as keyof typeof stationApi];
    const parsed = method.input.safeParse(request.body ?? {});
    if (!parsed.success) {
      return reply
        .status(400)
        .send({ code: 'INVALID', message: 'The request is not valid.', issues: issuesOf(parsed.error) } satisfies ApiErrorBody);
    }
    const result = await core.invoke(name, parsed.data, { sessionToken: bearer(request.headers.authorization) });
    if (result.ok) return reply.status(200).send(result.value);
    return reply.status(httpStatusFor(result.error.code)).send(result.error);
  });

  app.get('/api/health', async (_request, reply) => {
    const result = await core.invoke('system.health', {}, {});
    return reply.status(result.ok ? 200 : 503).send(result.ok ? result.value : result.error);
  });

  const openapi = openApiDocument();
  app.get('/api/openapi.json', async () => openapi);

  // Scanner, sync and device events as Server-Sent Events.
  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(': connected\n\n');
    const unsubscribe = core.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

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
      reply.type('text/plain; charset=utf-8').send('Circa station API is running. Build the desk with `npm run build:renderer`.'),
    );
  }
  return app;
}
