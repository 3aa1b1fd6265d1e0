// Runs the station core in its own process and keeps it running. A synchronous database call in
// the core can never freeze the windows; if the core dies, calls in flight get a clear error,
// the desk is told ("restarting"), and a new core is started with back-off. Stopping asks the
// core to finish what it is doing and close the database, and kills it only if it will not.
import type { StationEvent } from '../../api/contract';
import type { CallResult, CorePort, FromCore } from './protocol';

export interface SupervisorOptions {
  /** Starts one core process (Electron: utilityProcess.fork; tests: child_process.fork). */
  spawn(): CorePort;
  /** Station events, and 'core' events: ready, restarting, stopped. */
  onEvent(event: StationEvent): void;
  /** For the desk's log: why a core stopped or failed to start (no patron data reaches here). */
  onLog?(level: 'info' | 'warn' | 'error', message: string): void;
  /** Restart delays, ms: the first restart is quick, then slower while it keeps crashing. */
  restartDelays?: number[];
  /** A core that stayed up this long has recovered: the next crash restarts quickly again. */
  stableAfterMs?: number;
  /** How long a call waits for a (re)starting core before it is answered "unavailable". */
  readyTimeoutMs?: number;
  now?: () => number;
}

export const INTERRUPTED_MESSAGE = 'The station stopped during this request. Check whether it was done before you repeat it.';

export class CoreSupervisor {
  private port: CorePort | null = null;
  private ready = false;
  private readyAt = 0;
  private readonly pending = new Map<number, (result: CallResult) => void>();
  private waiting: (() => void)[] = [];
  private nextId = 1;
  private crashes = 0;
  private stopping = false;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly delays: number[];
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.delays = options.restartDelays ?? [250, 1_000, 5_000, 15_000, 30_000];
    this.now = options.now ?? Date.now;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** How many times the core has been restarted in a row without becoming stable. */
  get restartCount(): number {
    return this.crashes;
  }

  start(): void {
    this.stopping = false;
    this.restartTimer = null;
    let port: CorePort;
    try {
      port = this.options.spawn();
    } catch (error) {
      this.options.onLog?.('error', `station core could not be started: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleRestart();
      return;
    }
    this.port = port;
    this.ready = false;
    port.on('message', (m: FromCore) => {
      if (port === this.port) this.onMessage(m);
    });
    port.on('exit', (code) => this.onExit(port, code));
  }

  private onMessage(m: FromCore): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.readyAt = this.now();
        this.options.onEvent({ type: 'core', state: 'ready' });
        for (const go of this.waiting.splice(0)) go();
        break;
      case 'result': {
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        resolve?.(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
        break;
      }
      case 'event':
        this.options.onEvent(m.event);
        break;
      case 'fatal':
        this.options.onLog?.('error', `station core failed to start: ${m.message}`);
        break;
      case 'closed':
        break;
    }
  }

  private onExit(port: CorePort, code: number | null): void {
    if (port !== this.port) return;
    this.port = null;
    const wasReady = this.ready;
    this.ready = false;
    // Whatever was in flight may or may not have committed: say so plainly, never guess.
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'INTERRUPTED', message: INTERRUPTED_MESSAGE } });
    this.pending.clear();
    if (this.stopping) return;
    this.options.onLog?.('warn', `station core exited unexpectedly (code ${code ?? 'none'}); restarting`);
    if (wasReady && this.now() - this.readyAt >= (this.options.stableAfterMs ?? 60_000)) this.crashes = 0;
    this.options.onEvent({ type: 'core', state: 'restarting' });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = this.delays[Math.min(this.crashes, this.delays.length - 1)] ?? 1_000;
    this.crashes++;
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.start();
    }, delay);
  }

  async call(name: string, input: unknown, sessionToken: string | null): Promise<CallResult> {
    if (this.stopping) return { ok: false, error: { code: 'UNAVAILABLE', message: 'The station is shutting down.' } };
    if (!this.ready && !(await this.waitForReady())) {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'The station is restarting. Try again in a moment.' } };
    }
    const port = this.port!;
    const id = this.nextId++;
    return new Promise<CallResult>((resolve) => {
      this.pending.set(id, resolve);
      try {
        port.postMessage({ type: 'call', id, name, input, sessionToken });
      } catch {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'The station is restarting. Try again in a moment.' } });
      }
    });
  }

  private waitForReady(): Promise<boolean> {
    return new Promise((resolve) => {
      const go = () => {
        clearTimeout(timer);
        resolve(this.ready);
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== go);
        resolve(false);
      }, this.options.readyTimeoutMs ?? 20_000);
      this.waiting.push(go);
    });
  }

  /** Asks the core to finish its current work, stop sync and devices and close the database. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    for (const go of this.waiting.splice(0)) go();
    const port = this.port;
    if (port) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.options.onLog?.('warn', 'station core did not close in time; stopped it');
          port.kill();
          resolve();
        }, timeoutMs);
        port.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        try {
          port.postMessage({ type: 'shutdown' });
        } catch {
          port.kill();
        }
      });
    }
    this.options.onEvent({ type: 'core', state: 'stopped' });
  }
}
