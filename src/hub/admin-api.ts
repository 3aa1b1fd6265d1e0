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

const Code = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
export const AdminBranchRequest = z
  .object({
    code: Code,
    name: z.string().trim().min(1).max(200),
    timeZone: z.string().refine(isSupportedTimeZone, 'an IANA time zone'),
  })
  .strict();
export const AdminStaffRequest = z
  .object({
    branchCode: Code,
    username: z.string().trim().min(1).max(64),
    displayName: z.string().trim().min(1).max(200).optional(),
    password: z.string().min(8).max(200),
  })
  .strict();
/** stationId: a code only that station may redeem (the station a hub was made from). */
export const AdminEnrolmentRequest = z
  .object({ branchCode: Code, stationId: z.string().min(1).max(100).optional() })
  .strict();
export const AdminResolveRequest = z
  .object({ note: z.string().trim().min(1).max(2000), by: z.string().trim().max(200).optional() })
  .strict();

/** Failed sign-ins per username before the admin API refuses it for a while (a password guessed by brute force). */
const MAX_FAILURES = 5;
/** Failed sign-ins from one address, whatever the usernames (a guesser spraying many accounts). */
const MAX_FAILURES_PER_ADDRESS = 20;
const LOCK_MS = 15 * 60_000;
/** The most failure counts kept: past it the oldest go first, so a flood of made-up usernames cannot fill the memory. */
export const MAX_TRACKED = 10_000;

/** Failure counts by key ("user:alice", "ip:10.0.0.9"), each locking for LOCK_MS after its last failure; a success clears a username's. */
export class FailureCounts {
  private readonly counts = new Map<string, { count: number; until: number }>();
  constructor(private readonly clock: () => number) {}
  locked(key: string, max: number): boolean {
    const f = this.counts.get(key);
    return !!f && f.count >= max && f.until > this.clock();
  }
  fail(key: string): void {
    const now = this.clock();
    // The count outlives its lock, as before: after a lock ends, the next wrong password locks again.
    const count = (this.counts.get(key)?.count ?? 0) + 1;
    this.counts.delete(key); // re-inserted last: the Map's order is the order of last failure
    this.counts.set(key, { count, until: now + LOCK_MS });
    while (this.counts.size > MAX_TRACKED) this.counts.delete(this.counts.keys().next().value!);
  }
  clear(key: string): void {
    this.counts.delete(key);
  }
  get size(): number {
    return this.counts.size;
  }
}

export function registerAdminApi(app: FastifyInstance, hub: Hub): void {
  const failures = new FailureCounts(() => hub.clock());

  async function administrator(request: FastifyRequest): Promise<string> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new HubError(401, 'UNAUTHENTICATED', "An administrator's username and password are required.");
    const username = decoded.slice(0, colon).toLowerCase();
    const password = decoded.slice(colon + 1);
    const user = `user:${username}`;
    const address = `ip:${request.ip}`;
    if (failures.locked(user, MAX_FAILURES))
      throw new HubError(429, 'LOCKED', 'Too many wrong passwords for that account: try again later.');
    if (failures.locked(address, MAX_FAILURES_PER_ADDRESS))
      throw new HubError(429, 'LOCKED', 'Too many wrong passwords from this address: try again later.');
    const account = await hub.adminAccount(username);
    if (!(await verifySecretAsync(password, account?.passwordHash)) || !account) {
      failures.fail(user);
      failures.fail(address);
      throw new HubError(401, 'UNAUTHENTICATED', 'Unknown administrator or wrong password.');
    }
    failures.clear(user);
    return username;
  }

  const body = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HubError(
        400,
        'INVALID',
        `The request is not valid: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'bad body'}.`,
      );
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
    const id = await hub.addAdmin({
      branchCode: s.branchCode,
      username: s.username,
      displayName: s.displayName ?? s.username,
      password: s.password,
    });
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
    if (!(await hub.removeStation(request.params.id)))
      throw new HubError(404, 'NOT_FOUND', `No station ${request.params.id}.`);
    return { removed: request.params.id };
  });

  app.get<{ Querystring: { all?: string } }>('/admin/exceptions', async (request) => {
    await administrator(request);
    return {
      exceptions: await hub.listExceptions(request.query.all === '1' || request.query.all === 'true'),
      branches: await hub.branchCodes(),
    };
  });

  app.post<{ Params: { id: string } }>('/admin/exceptions/:id/resolve', async (request) => {
    const username = await administrator(request);
    const r = body(AdminResolveRequest, request.body);
    return hub.resolveException(request.params.id, r.by || `hub admin ${username}`, r.note);
  });
}
