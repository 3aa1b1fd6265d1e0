// How a handler is typed: its input is what its method's input schema parses to, and its answer
// must be what the method's output schema describes, checked by the compiler (a field missing,
// of the wrong type or optional where the contract says required is a compile error, not an
// answer the core refuses at run time). tests/station/handler-types.check.ts proves it rejects
// wrong answers.
import type { z } from 'zod';
import type { ApiMethod, StationApi } from '../../api/contract';
import type { Actor } from '../../services/command';
import type { GrantedOverride } from '../../services/circulation';
import type { Session } from '../../services/auth';
import type { StationServices } from '../services';
import type { StationDevices } from '../devices';
import type { ImportJobs } from '../imports';
import type { Slip } from '../../devices/slips/types';
import type { FollowUpFailed } from '../../api/schemas';

export interface HandlerContext {
  session: Session | null;
  actor: Actor;
  sessionToken: string | null;
  /** Who granted this command to an account lacking its permission (a supervisor's credentials on the spot), checked by the core. */
  grantedBy?: string | null;
  /** The caller is on the station's own machine (CallContext.local). */
  local?: boolean;
  /** The caller's address as the transport saw it (CallContext.address); absent: not known. Sign-ins are rate limited by it. */
  address?: string;
}

/** One method's handler. The core parses the answer with the output schema too (it strips the fields the contract does not name). */
export type Handler<M extends ApiMethod> = (
  input: z.infer<M['input']>,
  hc: HandlerContext,
) => z.infer<M['output']> | Promise<z.infer<M['output']>>;
/** A handler for every method of a table (an area's, or the whole API's), and for nothing else. */
export type HandlersOf<Api extends Record<string, ApiMethod>> = { [N in keyof Api]: Handler<Api[N]> };
export type Handlers = HandlersOf<StationApi>;

/** What the handlers need from the process around the core: joining a hub starts its sync worker. */
export interface CoreHooks {
  join(input: { hubUrl: string; code: string; stationName: string }): Promise<void>;
  loadingLibrary(): boolean;
  /** One sync round now; the state after it (or not_configured). */
  syncNow(): Promise<Record<string, unknown>>;
}

/** A committed step's answer with the slip it printed (or the HTML for the system printer, or why not). */
export type WithSlip<T> = T & { printJob: number | null; slipHtml: string | null; followUpFailed?: FollowUpFailed };

/** What every area's handlers are made from (src/station/handlers/support.ts, handlerDeps). */
export interface HandlerDeps {
  s: StationServices;
  devices: StationDevices;
  hooks: CoreHooks;
  /** The answer of a command with nothing else to say. */
  ok: { ok: true };
  imports: ImportJobs;
  /** A supervisor's override for a staff caller (never for the kiosk), redeemed once. */
  staffOverride(hc: HandlerContext, o: { token: string; codes: string[] } | undefined): GrantedOverride | undefined;
  withSlip<T extends object>(result: T, made: FollowUp<{ slip: Slip; html: string } | null>): WithSlip<T>;
  /** A package leaves (a lent copy, or a borrowed one going back): its ILL slip prints by itself. */
  illShipped<T extends Parameters<StationDevices['illSlip']>[0]>(request: T): WithSlip<T>;
}

/** Work after a committed command (src/station/handlers/support.ts, followUp): its value, or why it failed. */
export type FollowUp<T> = { ok: true; value: T } | { ok: false; failed: FollowUpFailed };
