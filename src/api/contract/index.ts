// The station API: every command and query the desk, the kiosk and the Electron shell may call,
// described once with zod schemas. Both transports (Electron IPC, HTTP) validate every input
// against these schemas before the core sees it, and the core validates again.
//
// The methods are written by area, one file each in this folder, beside the handlers that answer
// them (src/station/handlers/<area>.ts, typed against these schemas: a handler whose answer is not
// its method's output does not compile). This file assembles the areas into the one table.

import { z } from 'zod';
import type { ApiMethod } from './method';
import { sessionApi } from './session';
import { kioskApi } from './kiosk';
import { circulationApi } from './circulation';
import { holdsApi } from './holds';
import { patronsApi } from './patrons';
import { feesApi } from './fees';
import { catalogueApi } from './catalogue';
import { adminApi } from './admin';
import { noticesApi } from './notices';
import { reportsApi } from './reports';
import { illApi } from './ill';
import { devicesApi } from './devices';
import { syncApi } from './sync';

export type { Access, ApiMethod } from './method';
export { NoticeSchema } from './notices';
export { Sip2AccountSchema } from './admin';
export { StatisticsReportSchema } from './reports';
export { HealthOutput } from './session';
export { IllViewSchema } from './ill';

/**
 * The method table. Names are `area.verb`. More methods are added by the issues that need them;
 * the transports and the renderer's client are generic over this table.
 */
export const stationApi = {
  ...sessionApi,
  ...kioskApi,
  ...circulationApi,
  ...holdsApi,
  ...patronsApi,
  ...feesApi,
  ...catalogueApi,
  ...adminApi,
  ...noticesApi,
  ...reportsApi,
  ...illApi,
  ...devicesApi,
  ...syncApi,
} as const satisfies Record<string, ApiMethod>;

/** The names two areas both define: the later spread would silently win, so any is a compile error. */
type Areas = [
  typeof sessionApi,
  typeof kioskApi,
  typeof circulationApi,
  typeof holdsApi,
  typeof patronsApi,
  typeof feesApi,
  typeof catalogueApi,
  typeof adminApi,
  typeof noticesApi,
  typeof reportsApi,
  typeof illApi,
  typeof devicesApi,
  typeof syncApi,
];
type Overlaps<T extends readonly object[], Seen = never> = T extends readonly [
  infer Head extends object,
  ...infer Rest extends readonly object[],
]
  ? (keyof Head & Seen) | Overlaps<Rest, Seen | keyof Head>
  : never;
const noMethodInTwoAreas: [Overlaps<Areas>] extends [never] ? true : { defined: Overlaps<Areas> } = true;
void noMethodInTwoAreas;

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
    .array(
      z.object({
        code: z.string(),
        overridable: z.boolean(),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  /** For a malformed input: where it is wrong (and, for a check beyond the schema, why, for the desk to say in its language). */
  issues: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        reason: z.string().optional(),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  /** For LOCKED and RATE_LIMITED: when a sign-in may be tried again (epoch ms). */
  retryAt: z.number().int().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/**
 * The desktop app's station core could not start, several times in a row, and is no longer
 * restarted by itself: what it said, and where the whole story is. Staff see it with a Retry.
 */
export const CoreFailure = z.object({
  /** The first lines of the core's own error (a file, a lock, a missing native build: no patron data). */
  lines: z.array(z.string().max(1_000)).max(20),
  /** How many starts in a row failed. */
  attempts: z.number().int().nonnegative(),
  /** The desktop app's log file. */
  logPath: z.string().max(1_000).optional(),
});
export type CoreFailure = z.infer<typeof CoreFailure>;

/** Where the desktop app's station core is (the desk asks once it is loaded, then hears events). */
export const CoreStatus = z.object({
  state: z.enum(['starting', 'ready', 'restarting', 'stopped', 'failed']),
  failure: CoreFailure.optional(),
});
export type CoreStatus = z.infer<typeof CoreStatus>;

/** Events the core pushes to every client (scans, sync state, device state, slips). */
export const StationEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('scan'),
    barcode: z.string(),
    kind: z.enum(['patron', 'item', 'unknown']),
    deviceId: z.string(),
    /** The AIM symbology identifier (e.g. ]F0 for Codabar) when the scanner reports it (USB HID POS). */
    symbology: z.string().optional(),
  }),
  z.object({ type: z.literal('sync'), state: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('device'), deviceId: z.string(), state: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal('core'),
    state: z.enum(['ready', 'restarting', 'stopped', 'failed']),
    failure: CoreFailure.optional(),
  }),
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
  /**
   * The caller is on the station's own machine: the Electron window (IPC) always; over HTTP a
   * loopback socket with no proxy in between. Absent means not known to be local: the core then
   * refuses the methods marked localOnly.
   */
  local?: boolean;
  /**
   * The caller's address as the transport saw it: the remote IP of the HTTP or WebSocket
   * connection's socket (never a header such as X-Forwarded-For, which any client may write;
   * behind a proxy it is the proxy's), 'ipc' for the Electron window. Absent: not known. The
   * sign-in guard's rate limit counts wrong tries per address (src/services/lockouts.ts).
   */
  address?: string;
}

/**
 * The core the transports drive. `invoke` validates, authorises and runs one method; it never
 * throws for a refusal or bad input but returns `{ ok: false, error }`.
 */
export interface StationCoreApi {
  invoke(
    name: string,
    input: unknown,
    ctx: CallContext,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  onEvent(listener: (event: StationEvent) => void): () => void;
  close(): Promise<void>;
}
