// The station API: every command and query the desk, the kiosk and the Electron shell may call,
// described once with zod schemas. Both transports (Electron IPC, HTTP) validate every input
// against these schemas before the core sees it, and the core validates again.
//
// A method's `access` says who may call it:
// - 'public': anyone (health, sign-in, set-up status);
// - 'kiosk': a patron signed in at the kiosk with card and PIN, for themselves only, or staff;
// - a Permission: a staff session whose role grants it.

import { z } from 'zod';
import type { Permission } from '../domain/types';

export type Access = 'public' | 'kiosk' | 'staff' | Permission;

export interface ApiMethod<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'command' | 'query';
  access: Access;
  input: I;
  output: O;
}

const method = <I extends z.ZodType, O extends z.ZodType>(
  kind: 'command' | 'query',
  access: Access,
  input: I,
  output: O,
): ApiMethod<I, O> => ({ kind, access, input, output });

export const HealthOutput = z.object({
  ok: z.boolean(),
  version: z.string(),
  stationId: z.string().nullable(),
  configured: z.boolean(),
});

/**
 * The method table. Names are `area.verb`. More methods are added by the issues that need them;
 * the transports and the renderer's client are generic over this table.
 */
export const stationApi = {
  'system.health': method('query', 'public', z.object({}).strict(), HealthOutput),
} as const satisfies Record<string, ApiMethod>;

export type StationApi = typeof stationApi;
export type ApiName = keyof StationApi;
export type ApiInput<N extends ApiName> = z.input<StationApi[N]['input']>;
export type ApiOutput<N extends ApiName> = z.output<StationApi[N]['output']>;

/** Every failure crosses a transport as this shape. */
export const ApiErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  /** For a refused circulation command: every reason, with whether an override may lend anyway. */
  refusals: z
    .array(z.object({ code: z.string(), overridable: z.boolean(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }))
    .optional(),
  /** For a malformed input: where it is wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** Events the core pushes to every client (scans, sync state, device state, slips). */
export const StationEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('scan'), barcode: z.string(), kind: z.enum(['patron', 'item', 'unknown']), deviceId: z.string() }),
  z.object({ type: z.literal('sync'), state: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('device'), deviceId: z.string(), state: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('core'), state: z.enum(['ready', 'restarting', 'stopped']) }),
]);
export type StationEvent = z.infer<typeof StationEvent>;

/** What a client (the renderer, a test) holds: one call function and one event subscription. */
export interface StationClient {
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  subscribe(listener: (event: StationEvent) => void): () => void;
}

/** Who is calling: carried by the transport (an HTTP bearer token, the IPC window's session). */
export interface CallContext {
  sessionToken?: string | null;
}

/**
 * The core the transports drive. `invoke` validates, authorises and runs one method; it never
 * throws for a refusal or bad input but returns `{ ok: false, error }`.
 */
export interface StationCoreApi {
  invoke(name: string, input: unknown, ctx: CallContext): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  onEvent(listener: (event: StationEvent) => void): () => void;
  close(): Promise<void>;
}
