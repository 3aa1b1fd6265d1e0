// The hub's administration over HTTP, for the CLI (`npm run hub -- admin ...`) against a RUNNING
// hub: PGlite's data folder is one process's, so the CLI cannot open it while the hub serves;
// through this API nothing needs stopping. Every route needs an administrator's username and
// password (HTTP Basic): an active staff account of the library with the admin role, checked
// against its scrypt hash off the event loop. The password is never logged or stored here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isSupportedTimeZone } from '../domain/text';
import { verifySecretAsync } from '../shared/secrets';
import { HubError, type Hub } from './hub';

const Code = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
export const AdminBranchRequest = z.object({ code: Code, name: z.string().trim().min(1).max(200), timeZone: z.string().refine(isSupportedTimeZone, 'an IANA time zone') }).strict();
export const AdminStaffRequest = z
  .object({ branchCode: Code, username: z.string().trim().min(1).max(64), displayName: z.string().trim().min(1).max(200).optional(), password: z.string().min(8).max(200) })
  .strict();
/** stationId: a code only that station may redeem (the station a hub was made from). */
export const AdminEnrolmentRequest = z.object({ branchCode: Code, stationId: z.string().min(1).max(100).optional() }).strict();
export const AdminResolveRequest = z.object({ note: z.string().trim().min(1).max(2000), by: z.string().trim().max(200).optional() }).strict();

/** Failed sign-ins per username before the admin API refuses it for a while (a password guessed by brute force). */
const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

export function registerAdminApi(app: FastifyInstance, hub: Hub): void {
  const failures = new Map<string, { count: number; until: number }>();

  async function administrator(request: FastifyRequest): Promise<string> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new HubError(401, 'UNAUTHENTICATED', "An administrator's username and password are required.");
    const username = decoded.slice(0, colon).toLowerCase();
    const password = decoded.slice(colon + 1);
    const locked = failures.get(username);
    if (locked && locked.count >= MAX_FAILURES && locked.until > hub.clock()) throw new HubError(429, 'LOCKED', 'Too many wrong passwords for that account: try again later.');
    const account = await hub.adminAccount(username);
    if (!(await verifySecretAsync(password, account?.passwordHash)) || !account) {
      const f = failures.get(username) ?? { count: 0, until: 0 };
      failures.set(username, { count: f.count + 1, until: hub.clock() + LOCK_MS });
      throw new HubError(401, 'UNAUTHENTICATED', 'Unknown administrator or wrong password.');
    }
    failures.delete(username);
    return username;
  }

  const body = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HubError(400, 'INVALID', `The request is not valid: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'bad body'}.`);
    }
    return parsed.data;
  };

  app.get('/admin/whoami', async (request) => ({ username: await administrator(request) }));

  app.post('/admin/branches', async (request) => {
    await administrator(request);
    const b = body(AdminBranchRequest, request.body);
    return { id: await hub.addBranch(b), code: b.code };
  });

  app.post('/admin/staff', async (request) => {
    await administrator(request);
    const s = body(AdminStaffRequest, request.body);
    const id = await hub.addAdmin({ branchCode: s.branchCode, username: s.username, displayName: s.displayName ?? s.username, password: s.password });
    return { id, username: s.username.toLowerCase(), role: 'admin' };
  });

  app.post('/admin/enrolment-codes', async (request) => {
    await administrator(request);
    const { branchCode, stationId } = body(AdminEnrolmentRequest, request.body);
    return { code: await hub.createEnrolmentCode(branchCode, stationId ?? null), validHours: 24 };
  });

  app.get('/admin/stations', async (request) => {
    await administrator(request);
    return { stations: await hub.listStations() };
  });

  app.delete<{ Params: { id: string } }>('/admin/stations/:id', async (request) => {
    await administrator(request);
    if (!(await hub.removeStation(request.params.id))) throw new HubError(404, 'NOT_FOUND', `No station ${request.params.id}.`);
    return { removed: request.params.id };
  });

  app.get<{ Querystring: { all?: string } }>('/admin/exceptions', async (request) => {
    await administrator(request);
    return { exceptions: await hub.listExceptions(request.query.all === '1' || request.query.all === 'true'), branches: await hub.branchCodes() };
  });

  app.post<{ Params: { id: string } }>('/admin/exceptions/:id/resolve', async (request) => {
    const username = await administrator(request);
    const r = body(AdminResolveRequest, request.body);
    return hub.resolveException(request.params.id, r.by || `hub admin ${username}`, r.note);
  });
}
