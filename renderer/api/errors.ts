import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError } from './client';

/** Any failure as the API's error shape, for <Problem>. */
export const asError = (err: unknown): ApiErrorBody => (err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });

/** A form's own check failed before anything was sent: shown like the API's INVALID, with where. */
export const invalid = (...paths: string[]): ApiErrorBody => ({ code: 'INVALID', message: 'invalid', issues: paths.map((path) => ({ path, message: path })) });
