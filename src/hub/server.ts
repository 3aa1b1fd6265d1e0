// The hub's HTTP API (Fastify). Stations enrol once with a one-time code, then push their journal
// and pull the change feed with their own credential. HTTPS with a given certificate and key.
import Fastify, { type FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { EnrolRequest, PushRequest, ResolveExceptionRequest } from '../api/sync-protocol';
import type { JournalEntry } from '../domain/journal';
import { HubError, type Hub } from './hub';

export interface HubServerOptions {
  hub: Hub;
  https?: { cert: string | Buffer; key: string | Buffer } | null;
}

export async function createHubServer({ hub, https }: HubServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, ...(https ? { https } : {}) });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof HubError) return reply.status(error.status).send({ code: error.code, message: error.message });
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) console.error('hub:', error.message);
    return reply.status(status).send({ code: status === 500 ? 'INTERNAL' : 'INVALID', message: status === 500 ? 'The hub failed; nothing was applied.' : error.message });
  });

  app.get('/health', async () => ({ ok: true, database: hub.db.kind }));

  app.post('/enrol', async (request) => {
    const body = EnrolRequest.parse(request.body);
    return hub.enrol(body.code, body.stationName, body.publicKey ?? null);
  });

  app.post('/sync/push', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const parsed = PushRequest.safeParse(request.body);
    // A corrupt batch is refused whole, with where it is wrong; nothing of it is applied.
    if (!parsed.success) return reply.status(400).send({ code: 'INVALID', message: 'The batch is not valid.', issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const signing = await hub.stationKey(station, parsed.data.stationPublicKey);
    return hub.push(signing, parsed.data.entries as JournalEntry[], parsed.data.stationWallTime, parsed.data.secrets ?? {});
  });

  app.get<{ Querystring: { after?: string; limit?: string } }>('/sync/changes', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const after = Number(request.query.after ?? 0);
    const limit = Math.min(5000, Math.max(1, Number(request.query.limit ?? 1000)));
    if (!Number.isFinite(after) || after < 0) throw new HubError(400, 'INVALID', 'after must be a cursor from a previous answer.');
    const page = await hub.changes(after, limit, station);
    // Large first syncs travel compressed.
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').type('application/json').send(gzipSync(JSON.stringify(page)));
    }
    return page;
  });

  app.get<{ Querystring: { after?: string } }>('/sync/snapshot', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const after = Number(request.query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) throw new HubError(400, 'INVALID', 'after must be a cursor from a previous answer.');
    const lines = Readable.from(hub.snapshot(after, 5000, station));
    reply.type('application/x-ndjson');
    if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.send(lines);
    const gzip = createGzip({ level: 1 });
    lines.on('error', (error) => gzip.destroy(error));
    return reply.header('content-encoding', 'gzip').send(lines.pipe(gzip));
  });

  app.get<{ Querystring: { after?: string } }>('/sync/exceptions', async (request) => {
    const station = await hub.authenticate(request.headers.authorization);
    const after = Number(request.query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) throw new HubError(400, 'INVALID', 'after must be a cursor from a previous answer.');
    return hub.exceptionsFor(station.branchId, after);
  });

  // Resolving an exception from a station (or any client holding a station's credential): only
  // one that concerns the station's branch. Stations themselves send resolutions through their
  // journal (src/services/exceptions.ts says why); both paths keep the first resolution.
  app.post<{ Params: { id: string } }>('/sync/exceptions/:id/resolve', async (request, reply) => {
    const station = await hub.authenticate(request.headers.authorization);
    const parsed = ResolveExceptionRequest.safeParse(request.body ?? {});
    if (!parsed.success) return reply.status(400).send({ code: 'INVALID', message: 'The request is not valid.', issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })) });
    // A station's credential proves the station, not who at it: the resolution is recorded as the
    // station's. (A desk's own resolutions travel as signed journal entries, which name the account.)
    const by = `station ${station.stationId}${parsed.data.staffId ? ` (for ${parsed.data.staffId}, unverified)` : ''}`;
    const { exception, alreadyResolved } = await hub.resolveException(request.params.id, by, parsed.data.note?.trim() || null, station.branchId);
    const { branchIds: _branches, ...notice } = exception;
    return { exception: notice, alreadyResolved };
  });

  return app;
}
