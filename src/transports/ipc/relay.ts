// Checks every message from the renderer against the station API contract before it goes to the
// core (which checks again): an unknown method or a malformed input never leaves the main process.
import { stationApi, type ApiErrorBody } from '../../api/contract';
import { issuesOf } from '../../api/errors';

export type Checked = { ok: true; name: string; input: unknown; sessionToken: string | null } | { ok: false; error: ApiErrorBody };

export function checkRendererCall(name: unknown, input: unknown, sessionToken: unknown): Checked {
  if (typeof name !== 'string' || !Object.hasOwn(stationApi, name)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method ${String(name).slice(0, 80)}.` } };
  }
  if (sessionToken !== null && sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken.length > 200)) {
    return { ok: false, error: { code: 'INVALID', message: 'Bad session token.' } };
  }
  const parsed = stationApi[name as keyof typeof stationApi].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'INVALID', message: 'The request is not valid.', issues: issuesOf(parsed.error) } };
  return { ok: true, name, input: parsed.data, sessionToken: (sessionToken as string | null | undefined) ?? null };
}
