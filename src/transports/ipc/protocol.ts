// The messages between the Electron main process and the station core process. Plain data, so
// they cross a MessagePort (utilityProcess), a worker_threads port or a child_process channel
// alike. The core process checks every message it receives against ToCoreMessage: the main
// process is trusted, but a malformed message must never reach the core half-understood.
import { z } from 'zod';
import type { ApiErrorBody, StationEvent } from '../../api/contract';

export const CallMessage = z
  .object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    name: z.string().min(1).max(100),
    input: z.unknown(),
    sessionToken: z.string().max(200).nullable(),
  })
  .strict();
export type CallMessage = z.infer<typeof CallMessage>;

export const ToCoreMessage = z.discriminatedUnion('type', [
  CallMessage,
  z.object({ type: z.literal('shutdown') }).strict(),
]);
export type ToCore = z.infer<typeof ToCoreMessage>;

export type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export type FromCore =
  | { type: 'ready' }
  | ({ type: 'result'; id: number } & CallResult)
  | { type: 'event'; event: StationEvent }
  /** The core could not start (a locked or corrupt database, a missing folder). */
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

/** What a core process looks like from the main process: Electron's UtilityProcess and node's ChildProcess both fit. */
export interface CorePort {
  postMessage(message: ToCore): void;
  on(event: 'message', listener: (message: FromCore) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
  kill(): boolean;
}

/** What the core process sees of its parent: Electron's parentPort, a MessagePort, or node's process channel. */
export interface HostPort {
  postMessage(message: FromCore): void;
  onMessage(listener: (message: unknown) => void): void;
}
