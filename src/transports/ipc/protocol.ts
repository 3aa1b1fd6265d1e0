// The messages between the Electron main process and the station core process. Plain data, so
// they cross a MessagePort (utilityProcess) or a child_process channel (tests) alike.
import type { ApiErrorBody, StationEvent } from '../../api/contract';

export interface CallMessage {
  type: 'call';
  id: number;
  name: string;
  input: unknown;
  sessionToken: string | null;
}

export type ToCore = CallMessage | { type: 'shutdown' };

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorBody }
  | { type: 'event'; event: StationEvent }
  | { type: 'closed' };

/** What a core process looks like from the main process: Electron's UtilityProcess and node's ChildProcess both fit. */
export interface CorePort {
  postMessage(message: ToCore): void;
  on(event: 'message', listener: (message: FromCore) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
  kill(): boolean;
}
