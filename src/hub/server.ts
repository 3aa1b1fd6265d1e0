// The hub's HTTP API (Fastify). Stations enrol once with a one-time code, then push their journal
// and pull the change feed with their own credential. HTTPS with a given certificate and key.
import Fastify, { type FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { EnrolRequest, PushRequest, ResolveExceptionRequest } from '../api/sync-protocol';
import type { JournalEntry } from '../domain/journal';
import { registerAdminApi } from './admin-api';
import { HubError, type Hub } from './hub';
import { integerParam, jsonDeeperThan, MAX_JSON_DEPTH, PUSH_BODY_LIMIT, SMALL_BODY_LIMIT } from './request-limits';

export interface HubServerOptions {
  hub: Hub;
  https?: { cert: string | Buffer; key: string | Buffer } | null;
}

export async function createHubServer({ hub, https }: HubServerOptions): Promise<FastifyInstance> {
  // Every body is small but a push's (src/hub/request-limits.ts says why these sizes).
  const app = Fastify({ logger: false, bodyLimit: SMALL_BODY_LIMIT, ...(https ? { https } : {}) });

  // JSON nested deeper than any station writes is refused before it is parsed, let alone checked
  // against a schema or stored: a 5,000-deep body costs one pass over its text. Otherwise
  // Fastify's own parser (which refuses __proto__ keys).
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(
        Object.assign(new Error(`The body is nested more than ${MAX_JSON_DEPTH} levels deep; nothing was applied.`), {
          statusCode: 400,
        }),
        undefined,
      );
      return;
    }
    // Fastify's own parser answers through `done` (its type allows a promise; it returns none).
    void parseJson(request, body as string, done);
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof HubError)
      return reply.status(error.status).send({ ...error.details, code: error.code, message: error.message });
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) console.error('hub:', error.message);
    if (status === 413)
      return reply
        .status(413)
        .send({ code: 'TOO_LARGE', message: 'The request is larger than the hub accepts; nothing was applied.' });
    return reply.status(status).send({
      code: status === 500 ? 'INTERNAL' : 'INVALID',
      message: status === 500 ? 'The hub failed; nothing was applied.' : error.message,
    });
  });

  const invalid = (message: string, error: { issues: { path: PropertyKey[]; message: string }[] }) => ({
    code: 'INVALID',
    message,
    issues: error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
  /** ?after= : a cursor from a previous answer (digits), 0 when absent. */
  const cursor = (value: unknown) => {
    const n = integerParam(value, 0);
    if (n === null)
      throw new HubError(400, 'INVALID', 'after must be a cursor from a previous answer (a whole number).');
    return n;
  };

  // When each request arrived, on the hub's clock, before its body was read: a push answers with
  // it (t1 of the station's round-trip clock measurement, src/domain/clock-offset.ts).
  const ARRIVED = new WeakMap<object, number>();
  const arrivedAt = (request: object) => ARRIVED.get(request) ?? hub.clock();
  app.addHook('onRequest', async (request) => {
    ARRIVED.set(request, hub.clock());
  });

  app.get('/health', async () => ({ ok: true, database: hub.db.kind }));

  app.post('/enrol', async (request, reply) => {
    const parsed = EnrolRequest.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.status(400).send(invalid("An enrolment needs the code and the station's name.", parsed.error));
    return hub.enrol(
      parsed.data.code,
      parsed.data.stationName,
      parsed.data.publicKey ?? null,
      parsed.data.stationId ?? null,
    );
  });

  app.post('/sync/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const parsed = PushRequest.safeParse(request.body);
    // A corrupt batch is refused whole, with where it is wrong; nothing of it is applied.
    if (!parsed.success) return reply.status(400).send(invalid('The batch is not valid.', parsed.error));
    const signing = await hub.stationKey(station, parsed.data.stationPublicKey);
    return hub.push(
      signing,
      parsed.data.entries as JournalEntry[],
      parsed.data.stationWallTime,
      parsed.data.secrets ?? {},
      {
        receivedAt: arrivedAt(request),
        ...(parsed.data.clock ? { clock: parsed.data.clock } : {}),
      },
    );
  });

  app.get<{ Querystring: { after?: unknown; limit?: unknown } }>('/sync/changes', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const after = cursor(request.query.after);
    const limit = integerParam(request.query.limit, 1000, 1, 5000);
    if (limit === null) throw new HubError(400, 'INVALID', 'limit must be a whole number from 1 to 5000.');
    const page = await hub.changes(after, limit, station);
    // Large first syncs travel compressed.
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply
        .header('content-encoding', 'gzip')
        .type('application/json')
        .send(gzipSync(JSON.stringify(page)));
    }
    return page;
  });

  app.get<{ Querystring: { after?: unknown } }>('/sync/snapshot', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const after = cursor(request.query.after);
    const lines = Readable.from(hub.snapshot(after, 5000, station));
    reply.type('application/x-ndjson');
    if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.send(lines);
    const gzip = createGzip({ level: 1 });
    lines.on('error', (error) => gzip.destroy(error));
    return reply.header('content-encoding', 'gzip').send(lines.pipe(gzip));
  });

  app.get<{ Querystring: { after?: unknown } }>('/sync/exceptions', async (request) => {
    const station = await hub.authenticate(request.headers.authorization);
    const after = cursor(request.query.after);
    return hub.exceptionsFor(station.branchId, after);
  });

  // Resolving an exception from a station (or any client holding a station's credential): only
  // one that concerns the station's branch. Stations themselves send resolutions through their
  // journal (src/services/exceptions.ts says why); both paths keep the first resolution.
  app.post<{ Params: { id: string } }>('/sync/exceptions/:id/resolve', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const parsed = ResolveExceptionRequest.safeParse(request.body ?? {});
    if (!parsed.success) return reply.status(400).send(invalid('The request is not valid.', parsed.error));
    // A station's credential proves the station, not who at it: the resolution is recorded as the
    // station's. (A desk's own resolutions travel as signed journal entries, which name the account.)
    const by = `station ${station.stationId}${parsed.data.staffId ? ` (for ${parsed.data.staffId}, unverified)` : ''}`;
    const { exception, alreadyResolved } = await hub.resolveException(
      request.params.id,
      by,
      parsed.data.note?.trim() || null,
      station.branchId,
    );
    const { branchIds: _branches, ...notice } = exception;
    return { exception: notice, alreadyResolved };
  });

  registerAdminApi(app, hub);

  return app;
}
