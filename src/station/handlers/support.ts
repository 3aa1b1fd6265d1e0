// What the handlers of several areas share: work that follows a committed command (a slip, a
// receipt), a print's refusal, a supervisor's override, and the dependencies each area gets.
import type { GrantedOverride } from '../../services/circulation';
import type { Slip } from '../../devices/slips/types';
import type { RefusalCode } from '../../domain/types';
import type { FollowUpFailed } from '../../api/schemas';
import { ServiceError } from '../../services/errors';
import type { StationServices } from '../services';
import type { StationDevices } from '../devices';
import { ImportJobs } from '../imports';
import type { CoreHooks, FollowUp, HandlerContext, HandlerDeps, WithSlip } from './types';

/**
 * Runs work that follows a committed command (a slip, a receipt): the command is done whatever
 * happens here, so a failure is logged and handed back for the answer to say, never thrown
 * (thrown, the desk would read it as "nothing was changed" and take the money again).
 */
export function followUp<T>(code: FollowUpFailed['code'], work: () => T): FollowUp<T> {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    // The error's own words (a printer's, Intl's): no patron data goes into a slip's error.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`station: ${code} after a committed command: ${message}`);
    return { ok: false, failed: { code, message: `The command is done; its slip could not be printed (${message}).` } };
  }
}

/** A print asked for on its own (a test page, a check-out slip): a clear refusal, not a defect. */
export function printError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  return new ServiceError(
    'PRINT_FAILED',
    `The slip could not be printed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export function handlerDeps(s: StationServices, devices: StationDevices, hooks: CoreHooks): HandlerDeps {
  const grant = (
    o: { token: string; codes: string[] } | undefined,
    sessionToken: string | null,
  ): GrantedOverride | undefined =>
    o ? { codes: o.codes as RefusalCode[], grantedBy: s.auth.redeemOverride(o.token, sessionToken) } : undefined;
  const imports = new ImportJobs(s);
  const staffOverride = (hc: HandlerContext, o: { token: string; codes: string[] } | undefined) =>
    hc.actor.kind === 'kiosk' ? undefined : grant(o, hc.sessionToken);

  /** A committed step's answer with its slip: printed on the receipt printer if there is one, and as HTML for the system printer. */
  const withSlip = <T extends object>(result: T, made: FollowUp<{ slip: Slip; html: string } | null>): WithSlip<T> => {
    if (!made.ok) return { ...result, printJob: null, slipHtml: null, followUpFailed: made.failed };
    if (!made.value) return { ...result, printJob: null, slipHtml: null };
    const { slip, html } = made.value;
    const printed = followUp('SLIP_NOT_PRINTED', () => devices.print(slip));
    return printed.ok
      ? { ...result, printJob: printed.value, slipHtml: html }
      : { ...result, printJob: null, slipHtml: html, followUpFailed: printed.failed };
  };
  /** A package leaves (a lent copy, or a borrowed one going back): its ILL slip prints by itself. */
  const illShipped = <T extends Parameters<StationDevices['illSlip']>[0]>(request: T): WithSlip<T> =>
    withSlip(
      request,
      followUp('SLIP_NOT_PRINTED', () => {
        const slip = devices.illSlip(request);
        return { slip, html: devices.manager.renderSlipHtml(slip) };
      }),
    );
  return { s, devices, hooks, ok: { ok: true }, imports, staffOverride, withSlip, illShipped };
}
