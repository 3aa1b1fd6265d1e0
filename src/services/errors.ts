// Errors a service raises. Thrown inside a command's transaction, they roll it back whole:
// a refused check-out writes nothing, not even a journal entry.
import type { Refusal } from '../domain/types';

export type ServiceErrorCode =
  | 'REFUSED'
  | 'NOT_FOUND'
  | 'INVALID'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_CONFIGURED'
  | 'ALREADY_CONFIGURED'
  | 'HUB_UNREACHABLE'
  | 'ENROLMENT_REFUSED'
  | 'HUB_CERTIFICATE'
  /** Too many wrong PINs or passwords for this card or account: refused, even when right, until retryAt. */
  | 'LOCKED'
  /** Too many wrong sign-ins at this station, across accounts: refused for a short while. */
  | 'RATE_LIMITED'
  /** A print was asked for and this station has no receipt printer (or not the one named). */
  | 'NO_PRINTER'
  /** The slip could not be made or queued (an unknown printer model, say). */
  | 'PRINT_FAILED'
  /** Copy cataloguing: the other library's catalogue does not answer (offline, refused, too slow). */
  | 'TARGET_UNREACHABLE'
  /** Copy cataloguing: it answered, but not with records (a diagnostic, not SRU, a broken record). */
  | 'TARGET_ERROR';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly refusals?: Refusal[],
    /** For LOCKED and RATE_LIMITED: when a sign-in may be tried again (epoch ms). */
    readonly retryAt?: number,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const refused = (refusals: Refusal[]): ServiceError =>
  new ServiceError('REFUSED', refusals.map((r) => r.code).join(', '), refusals);
export const notFound = (what: string): ServiceError => new ServiceError('NOT_FOUND', what);
export const invalid = (why: string): ServiceError => new ServiceError('INVALID', why);
export const lockedOut = (until: number, message: string): ServiceError =>
  new ServiceError('LOCKED', message, undefined, until);

/** One field of an input that passed the schema but that the station still refuses, with a reason the desk can put in its own words. */
export interface FieldIssue {
  path: string;
  message: string;
  reason?: string;
  params?: Record<string, string | number>;
}

/** INVALID, naming the fields (a USB printer path that is not a device file): the form shows each under its field. */
export class InvalidFields extends ServiceError {
  constructor(readonly issues: FieldIssue[]) {
    super('INVALID', issues.map((i) => i.message).join('; '));
  }
}
