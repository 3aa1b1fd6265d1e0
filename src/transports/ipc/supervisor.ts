// Runs the station core in its own process and keeps it running. A synchronous database call in
// the core can never freeze the windows; if the core dies, calls in flight get a clear error,
// the desk is told ("restarting"), and a new core is started with back-off.
import type { ApiErrorBody, StationEvent } from '../../api/contract';
import type { CorePort, FromCore } from './protocol';

export interface SupervisorOptions {
  /** Starts one core process (Electron: utilityProcess.fork; tests: child_process.fork). */
  spawn(): CorePort;
  onEvent(event: StationEvent): void;
  /** Restart delays, ms: the first restart is immediate-ish, then slower. */
  restartDelays?: number[];
}

type Pending = { resolve(r: { ok: true; value: unknown } | { ok: false; error: ApiErrorBody }): void };

export class CoreSupervisor {
  private port: CorePort | null = null;
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private restarts = 0;
  private stopping = false;
  private readonly delays: number[];

  constructor(private readonly options: SupervisorOptions) {
    this.delays = options.restartDelays ?? [200, 1_000, 5_000, 15_000];
  }

  start(): void {
    this.stopping = false;
    const port = this.options.spawn();
    this.port = port;
    this.ready = false;
    port.on('message', (m: FromCore) => this.onMessage(m));
    port.on('exit', (code) => this.onExit(port, code));
  }

  private onMessage(m: FromCore): void {
    if (m.type === 'ready') {
      this.ready = true;
      this.restarts = 0;
      this.options.onEvent({ type: 'core', state: 'ready' });
      for (const go of this.waiting.splice(0)) go();
    } else if (m.type === 'result') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
    } else if (m.type === 'event') {
      this.options.onEvent(m.event);
    }
  }

  private onExit(port: CorePort, _code: number | null): void {
    if (port !== this.port) return;
    this.port = null;
    this.ready = false;
    // Whatever was in flight may or may not have committed: say so plainly, never guess.
    for (const [, p] of this.pending) {
      p.resolve({ ok: false, error: { code: 'INTERNAL', message: 'The station restarted during this request. Check before you repeat it.' } });
    }
    this.pending.clear();
    if (this.stopping) return;
    this.options.onEvent({ type: 'core', state: 'restarting' });
    const delay = this.delays[Math.min(this.restarts, this.delays.length - 1)]!;
    this.restarts++;
    setTimeout(() => {
      if (!this.stopping) this.start();
    }, delay).unref?.();
  }

  async call(name: string, input: unknown, sessionToken: string | null): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }> {
    if (!this.ready) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.port!.postMessage({ type: 'call', id, name, input, sessionToken });
    });
  }

  /** Asks the core to finish its current transaction, stop its work and close the database. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopping = true;
    const port = this.port;
    if (!port) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        port.kill();
        resolve();
      }, timeoutMs);
      port.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      port.postMessage({ type: 'shutdown' });
    });
  }
}
