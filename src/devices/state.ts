// Every device reports one of these, and the station API shows them (status bar, settings).
export type DeviceStatus = 'connected' | 'disconnected' | 'error' | 'unavailable';

export interface DeviceState {
  id: string;
  kind: 'scanner' | 'printer';
  status: DeviceStatus;
  /** Why it is not connected, in words an IT person can act on. */
  reason: string | null;
  /** Print jobs waiting for this printer. */
  queued?: number;
}

/** Reconnect attempts: quick at first (250 ms), doubling, then every 10 s. */
export const reconnectDelay = (attempt: number): number =>
  Math.min(10_000, 250 * 2 ** Math.min(Math.max(attempt, 0), 6));

export const sameState = (a: DeviceState | undefined, b: DeviceState): boolean =>
  !!a && a.status === b.status && a.reason === b.reason && a.queued === b.queued && a.kind === b.kind;
