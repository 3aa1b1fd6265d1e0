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
  | 'RATE_LIMITED';

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
export const lockedOut = (until: number, message: string): ServiceError => new ServiceError('LOCKED', message, undefined, until);
