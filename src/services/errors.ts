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
  /** A print was asked for and this station has no receipt printer (or not the one named). */
  | 'NO_PRINTER'
  /** The slip could not be made or queued (an unknown printer model, say). */
  | 'PRINT_FAILED';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly refusals?: Refusal[],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const refused = (refusals: Refusal[]): ServiceError =>
  new ServiceError('REFUSED', refusals.map((r) => r.code).join(', '), refusals);
export const notFound = (what: string): ServiceError => new ServiceError('NOT_FOUND', what);
export const invalid = (why: string): ServiceError => new ServiceError('INVALID', why);
