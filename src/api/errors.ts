// Error shapes shared by both transports and the core: pure, so the Electron main process can
// use them without loading the core.
import type { z } from 'zod';

const HTTP_STATUS_BY_CODE: Record<string, number> = {
  REFUSED: 409,
  CONFLICT: 409,
  NOT_FOUND: 404,
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_CONFIGURED: 409,
  ALREADY_CONFIGURED: 409,
  HUB_UNREACHABLE: 502,
  ENROLMENT_REFUSED: 403,
  HUB_CERTIFICATE: 502,
  LOCKED: 423,
  RATE_LIMITED: 429,
  NO_PRINTER: 409,
  PRINT_FAILED: 503,
  TARGET_UNREACHABLE: 502,
  TARGET_ERROR: 502,
  INTERNAL: 500,
  // A defect after the command was committed: it is done, and the answer says so (not "nothing changed").
  DONE_UNCONFIRMED: 500,
};

/** The HTTP status a transport should use for an error code. */
export const httpStatusFor = (code: string): number => HTTP_STATUS_BY_CODE[code] ?? 500;

/** Each issue with where it is; a check of ours (a refine with params.reason) says why, for the desk to word it. */
export function issuesOf(error: z.ZodError): { path: string; message: string; reason?: string }[] {
  return error.issues.map((i) => {
    const reason = (i as { params?: { reason?: unknown } }).params?.reason;
    return { path: i.path.join('.'), message: i.message, ...(typeof reason === 'string' ? { reason } : {}) };
  });
}
