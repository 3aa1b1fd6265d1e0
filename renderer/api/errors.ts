import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError } from './client';

/**
 * Any failure as the API's error shape, for <Problem>. A failure on this screen (not the
 * station's answer) may come after the station did what was asked: it is not said as
 * "nothing was changed" (INTERNAL) but as UNEXPECTED, "look before doing it again".
 */
export const asError = (err: unknown): ApiErrorBody =>
  err instanceof ApiError ? err.body : { code: 'UNEXPECTED', message: String(err) };

/** A form's own check failed before anything was sent: shown like the API's INVALID, with where. */
export const invalid = (...paths: string[]): ApiErrorBody => ({
  code: 'INVALID',
  message: 'invalid',
  issues: paths.map((path) => ({ path, message: path })),
});
