// The station core: the one entry point that both transports drive. `npm run serve` runs it
// in-process behind HTTP; the Electron app runs it in a separate process behind IPC. It
// validates every input against the contract (again, after the transport did), authorises the
// caller, runs the handler and shapes every failure as an ApiErrorBody.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { httpStatusFor, issuesOf } from '../api/errors';
import {
  stationApi,
  type ApiErrorBody,
  type ApiMethod,
  type ApiName,
  type CallContext,
  type StationCoreApi,
  type StationEvent,
} from '../api/contract';
import type { Actor } from '../services/command';
import { InvalidFields, ServiceError } from '../services/errors';
import type { Session } from '../services/auth';
import type { Permission } from '../domain/types';
import { createHandlers, type CoreHooks, type HandlerContext } from './handlers';
import { openStation, type StationServices } from './services';
import { STATION_WAL_RESERVE_MIB } from '../store/open';
import { StationDevices } from './devices';
import { enrolWithHub, joinHub, startSync } from './sync';
import type { SyncWorker } from '../sync/worker';
import { HubTlsError } from '../sync/http-client';
import { purgeExpiredLoanHistory } from '../services/privacy';
import { redactJournalReadingHistory } from '../services/journal-privacy';
import { redactJournalSecrets } from '../services/journal-secrets';
import { startNoticeScheduler } from './notice-scheduler';

export { httpStatusFor, issuesOf };

export interface StationCoreOptions {
  dataDir: string;
  /** Join a hub on first start (a fresh station only): its address and a one-time code. */
  join?: { hubUrl: string; code: string; stationName: string } | null;
  /** How often the sync worker tries when idle, ms. */
  syncIntervalMs?: number;
  /** A fixed clock, for tests. */
  now?: () => number;
  /** How often the loan history purge runs after the one at start, ms (default: daily). */
  privacyPurgeIntervalMs?: number;
  /** How often the notice pass runs, ms (default: every 5 minutes; src/station/notice-scheduler.ts). */
  noticeIntervalMs?: number;
}

const DAY_MS = 86_400_000;

export interface StationCore extends StationCoreApi {
  services: StationServices;
  devices: StationDevices;
  emit(event: StationEvent): void;
}

export function stationDatabasePath(dataDir: string): string {
  return join(dataDir, 'station.db');
}

/** Commands a staff account lacking their permission may run on a supervisor's one-time grant. */
const GRANTABLE = new Set<ApiName>(['fees.waive']);

function authorise(method: ApiMethod, session: Session | null): ApiErrorBody | null {
  const access = method.access;
  if (access === 'public') return null;
  if (!session) return { code: 'UNAUTHENTICATED', message: 'Please sign in.' };
  if (session.kind === 'kiosk') {
    return access === 'kiosk' ? null : { code: 'FORBIDDEN', message: 'Not available at the self-checkout.' };
  }
  if (access === 'staff') return null;
  const needed = access === 'kiosk' ? 'circulate' : access;
  return session.permissions.has(needed)
    ? null
    : { code: 'FORBIDDEN', message: `Your account lacks the ${needed} permission.` };
}

function actorOf(session: Session | null, sessionToken: string | null): Actor {
  if (!session) return { kind: 'system', staffId: null };
  if (session.kind === 'kiosk') return { kind: 'kiosk', staffId: null, patronId: session.patronId };
  return { kind: 'staff', staffId: session.staff.id, sessionToken };
}

export function toApiError(error: unknown): ApiErrorBody {
  if (error instanceof ServiceError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.refusals
        ? {
            refusals: error.refusals.map((r) => ({
              code: r.code,
              overridable: r.overridable,
              ...(r.params ? { params: r.params } : {}),
            })),
          }
        : {}),
      ...(error.retryAt !== undefined ? { retryAt: error.retryAt } : {}),
      ...(error instanceof InvalidFields ? { issues: error.issues } : {}),
    };
  }
  // Anything else is a defect: say so plainly, log it without the input (it may hold patron data).
  console.error('station core: unexpected error', error instanceof Error ? error.stack : String(error));
  return { code: 'INTERNAL', message: 'Something went wrong in the station. Nothing was changed.' };
}

/** The command committed, but the disk did not confirm it: a power cut now could undo it. */
function notFlushed(): ApiErrorBody {
  return {
    code: 'DONE_UNCONFIRMED',
    message:
      'The station did this, but its disk did not confirm it was saved. Look again before repeating it, and tell IT: the disk may be failing.',
  };
}

/** The command ran and is committed, but the station could not finish its answer. */
function doneUnconfirmed(): ApiErrorBody {
  return {
    code: 'DONE_UNCONFIRMED',
    message: 'The station did this, but could not finish its answer. Look again before repeating it.',
  };
}

export function createStationCore(services: StationServices, hooks?: CoreHooks): StationCore {
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const devices = new StationDevices(services, (event) => events.emit('event', event));
  const handlers = createHandlers(services, devices, hooks);
  let closed = false;
  // Counts committed commands, so a failure can tell whether its call had already committed one.
  let commits = 0;
  services.ctx.onCommit(() => {
    commits += 1;
  });

  const core: StationCore = {
    services,
    devices,
    emit(event) {
      events.emit('event', event);
    },
    async invoke(name, input, ctx: CallContext) {
      if (closed) return { ok: false, error: { code: 'INTERNAL', message: 'The station is shutting down.' } };
      if (!Object.hasOwn(stationApi, name))
        return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method ${name}.` } };
      const apiName = name as ApiName;
      const method: ApiMethod = stationApi[apiName];
      // Before the input is even read: set-up and joining a hub are for the station's own machine.
      if (method.localOnly && ctx.local !== true) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN',
            message:
              'Setting up this station, and joining it to a hub, can only be done on its own machine (the desktop app, or http://127.0.0.1:<port>/ there), not over the network.',
          },
        };
      }
      const parsed = method.input.safeParse(input ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'INVALID', message: 'The request is not valid.', issues: issuesOf(parsed.error) },
        };
      }
      const session = services.auth.session(ctx.sessionToken ?? null);
      const denied = authorise(method, session);
      const grant = (parsed.data as { override?: { token: string } }).override;
      // A staff account without the permission may still do this one command on a supervisor's
      // grant (fees.waive): the granting account must hold the permission itself.
      const onGrant =
        denied?.code === 'FORBIDDEN' && session?.kind === 'staff' && GRANTABLE.has(apiName) && grant !== undefined;
      if (denied && !onGrant) return { ok: false, error: denied };
      const commitsBefore = commits;
      try {
        const sessionToken = ctx.sessionToken ?? null;
        const grantedBy = onGrant
          ? services.auth.redeemGrantFor(grant.token, method.access as Permission, sessionToken)
          : null;
        const hc: HandlerContext = {
          session,
          actor: actorOf(session, sessionToken),
          sessionToken,
          grantedBy,
          local: ctx.local === true,
          ...(ctx.address !== undefined ? { address: ctx.address } : {}),
        };
        const value = await (handlers[apiName] as (i: unknown, h: HandlerContext) => unknown)(parsed.data, hc);
        // Nothing is confirmed before it is on the disk; the flush is shared with whatever else
        // committed meanwhile (src/store/durability.ts).
        try {
          await services.ctx.store.durable();
        } catch (error) {
          console.error(
            `station core: ${apiName} committed but could not be flushed to the disk`,
            error instanceof Error ? error.message : String(error),
          );
          return { ok: false, error: notFlushed() };
        }
        // Parsing the output strips every field the contract does not name (a PIN hash, a
        // password hash) before it leaves the core.
        const output = method.output.safeParse(value);
        if (!output.success) {
          // A defect, and the command has run: saying "nothing was changed" would be false.
          console.error(`station core: ${apiName} answered outside its contract`, issuesOf(output.error));
          return { ok: false, error: doneUnconfirmed() };
        }
        return { ok: true, value: output.data };
      } catch (error) {
        // A defect after this call committed its command (work after runCommand returned): the
        // command stands, so the answer must not say nothing changed. A refusal (ServiceError)
        // comes from inside the transaction and rolled it back; an async handler may overlap
        // another call's commit, so only defects are judged by the count.
        if (commits !== commitsBefore && !(error instanceof ServiceError)) {
          console.error(
            `station core: ${apiName} failed after its command was committed`,
            error instanceof Error ? error.stack : String(error),
          );
          return { ok: false, error: doneUnconfirmed() };
        }
        return { ok: false, error: toApiError(error) };
      }
    },
    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await devices.stop();
      services.close();
    },
  };
  return core;
}

/** Set once the first full sync after joining a hub has finished: until then the desk shows the library loading. */
const LIBRARY_LOADED = 'library_loaded';

export async function startStationCore(opts: StationCoreOptions): Promise<StationCore> {
  const services = openStation(stationDatabasePath(opts.dataDir), {
    now: opts.now,
    walReserveMiB: STATION_WAL_RESERVE_MIB,
  });
  if (opts.join && !services.admin.isConfigured()) await joinHub(services, opts.join);
  services.auth.purgeExpiredSessions();
  // Privacy: returned loans past the library's retention period lose their patron, at start and
  // daily (a station left running for weeks purges too). The timer never keeps the process alive.
  const purgeLoanHistory = () => {
    if (!services.admin.isConfigured()) return;
    try {
      purgeExpiredLoanHistory(services.ctx);
      // Then the journal entries of loans that have lost their patron lose it too.
      redactJournalReadingHistory(services.ctx);
      // Older entries lose their PIN and password hashes (once, after the upgrade; a no-op after).
      redactJournalSecrets(services.ctx);
    } catch (error) {
      // Never stops the desk; tried again at the next run. No row data in the message.
      console.error('station core: journal privacy run failed', error instanceof Error ? error.message : String(error));
    }
  };
  purgeLoanHistory();
  const purgeTimer = setInterval(purgeLoanHistory, opts.privacyPurgeIntervalMs ?? DAY_MS);
  purgeTimer.unref();
  let sync: SyncWorker | null = null;
  const startWorker = () => {
    sync = startSync(services, core, opts.syncIntervalMs);
    sync?.onState((state) => {
      if (state.lastSuccessAt !== null && services.ctx.readState(LIBRARY_LOADED) === null)
        services.ctx.writeState(LIBRARY_LOADED, '1');
    });
  };
  const hooks: CoreHooks = {
    async join(input) {
      try {
        await enrolWithHub(services, input);
      } catch (error) {
        throw joinError(error);
      }
      // The library arrives in the background; the desk shows its progress until it is in.
      startWorker();
    },
    loadingLibrary: () => services.ctx.readState('hub_url') !== null && services.ctx.readState(LIBRARY_LOADED) === null,
    async syncNow() {
      const worker = sync as SyncWorker | null;
      if (!worker) return { state: 'not_configured' };
      return { state: 'configured', ...(await worker.syncNow()) };
    },
  };
  const core = createStationCore(services, hooks);
  await core.devices.start();
  startWorker();
  // Notices: a station stopped mid-send finds its interrupted notices at once, before any pass.
  if (services.admin.isConfigured()) {
    try {
      services.notices.recoverInterrupted();
    } catch (error) {
      console.error('station core: notice recovery failed', error instanceof Error ? error.message : String(error));
    }
  }
  const notices = startNoticeScheduler(services, opts.noticeIntervalMs);
  const close = core.close.bind(core);
  core.close = async () => {
    notices.stop();
    clearInterval(purgeTimer);
    await (sync as SyncWorker | null)?.stop();
    await close();
  };
  return core;
}

/** A failed enrolment in words for the person at the desk: a wrong code, or no hub at that address. */
function joinError(error: unknown): unknown {
  if (error instanceof ServiceError) return error;
  // The hub answered with a certificate this station does not trust: not a network fault.
  if (error instanceof HubTlsError) return new ServiceError('HUB_CERTIFICATE', error.message);
  const message = error instanceof Error ? error.message : String(error);
  if (/^hub answered 4\d\d/.test(message))
    return new ServiceError(
      'ENROLMENT_REFUSED',
      `The hub refused the enrolment code (used, expired or mistyped): ${message}`,
    );
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new ServiceError('HUB_UNREACHABLE', `The hub at that address does not answer (${message}${cause}).`);
}
