// The station core's side of the IPC protocol, separate from the process entry (core-host.ts) so
// it can be driven in a test over a real MessageChannel. It answers call messages with results,
// forwards the core's events, and on shutdown lets the calls in progress finish before it closes
// the core (which stops devices and sync and closes the database).
import type { StationCoreApi } from '../../api/contract';
import { issuesOf } from '../../api/errors';
import { ToCoreMessage, type CallResult, type HostPort } from './protocol';

export interface HostOptions {
  port: HostPort;
  openCore(): Promise<StationCoreApi>;
  /** Leaves the process once the core has closed (process.exit in the real entry). */
  exit(code: number): void;
}

const SHUTTING_DOWN: CallResult = {
  ok: false,
  error: { code: 'UNAVAILABLE', message: 'The station is shutting down.' },
};

export interface HostedCore {
  /** Settles once the core is open and 'ready' (or 'fatal') has been sent. */
  ready: Promise<void>;
  /** The same clean shutdown a 'shutdown' message asks for (used when the parent goes away). */
  shutdown(): void;
}

export function hostStationCore({ port, openCore, exit }: HostOptions): HostedCore {
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;
  const opening = openCore();

  port.onMessage((raw) => {
    const parsed = ToCoreMessage.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') {
        port.postMessage({
          type: 'result',
          id,
          ok: false,
          error: { code: 'INVALID', message: 'Malformed message.', issues: issuesOf(parsed.error) },
        });
      }
      return;
    }
    const message = parsed.data;
    if (message.type === 'call') {
      if (closing) {
        port.postMessage({ type: 'result', id: message.id, ...SHUTTING_DOWN });
        return;
      }
      // The Electron window is the station's own screen: its calls are always local, and its sign-ins
      // are counted under an address of their own ('ipc') by the sign-in guard.
      const run = opening
        .then((core) =>
          core.invoke(message.name, message.input, { sessionToken: message.sessionToken, local: true, address: 'ipc' }),
        )
        .catch((): CallResult => ({
          ok: false,
          error: { code: 'INTERNAL', message: 'Something went wrong in the station. Nothing was changed.' },
        }))
        .then((result) => port.postMessage({ type: 'result', id: message.id, ...result }));
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return;
    }
    shutdown();
  });

  function shutdown(): void {
    if (closing) return;
    closing = true;
    void opening
      .then(async (core) => {
        await Promise.allSettled([...inFlight]);
        await core.close();
      })
      .catch(() => undefined)
      .then(() => {
        port.postMessage({ type: 'closed' });
        exit(0);
      });
  }

  const ready = opening.then(
    (core) => {
      core.onEvent((event) => port.postMessage({ type: 'event', event }));
      port.postMessage({ type: 'ready' });
    },
    (error: unknown) => {
      // The message goes to the desk's log: it names a file or a lock, never patron data.
      port.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      exit(1);
    },
  );
  return { ready, shutdown };
}
