// Runs the station core in its own process and keeps it running. A synchronous database call in
// the core can never freeze the windows; if the core dies, calls in flight get a clear error,
// the desk is told ("restarting"), and a new core is started with back-off. Stopping asks the
// core to finish what it is doing and close the database, and kills it only if it will not.
// A core that cannot start at all (a missing native build, a locked or unreadable database) is
// not restarted for ever: after a few failed starts in a row the supervisor gives up, tells the
// desk why ('failed', with the core's own first lines and the log's path) and waits for Retry.
import type { CoreFailure, CoreStatus, StationEvent } from '../../api/contract';
import type { CallResult, CorePort, FromCore } from './protocol';

export interface SupervisorOptions {
  /** Starts one core process (Electron: utilityProcess.fork; tests: child_process.fork). */
  spawn(): CorePort;
  /** Station events, and 'core' events: ready, restarting, stopped, failed. */
  onEvent(event: StationEvent): void;
  /** For the desk's log: why a core stopped or failed to start (no patron data reaches here). */
  onLog?(level: 'info' | 'warn' | 'error', message: string): void;
  /** Restart delays, ms: the first restart is quick, then slower while it keeps crashing. */
  restartDelays?: number[];
  /** A core that stayed up this long has recovered: the next crash restarts quickly again. */
  stableAfterMs?: number;
  /** How long a call waits for a (re)starting core before it is answered "unavailable". */
  readyTimeoutMs?: number;
  /** Starts in a row that end before 'ready' after which it stops restarting (default 3). */
  maxFailedStarts?: number;
  /** The log file, named in the failure the desk shows. */
  logPath?: string;
  now?: () => number;
}

/** How many of the core's lines the desk is shown. */
const FAILURE_LINES = 8;

export const INTERRUPTED_MESSAGE =
  'The station stopped during this request. Check whether it was done before you repeat it.';

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
  /** Starts in a row that ended before 'ready'. */
  private failedStarts = 0;
  /** What the current attempt said about failing: its 'fatal' message, its error output. */
  private attemptFatal: string | null = null;
  private attemptOutput: string[] = [];
  private failure: CoreFailure | null = null;

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

  /** Where the core is, with the reason when it has been given up on. */
  get status(): CoreStatus {
    if (this.failure) return { state: 'failed', failure: this.failure };
    if (this.stopping) return { state: 'stopped' };
    if (this.ready) return { state: 'ready' };
    return { state: this.crashes > 0 ? 'restarting' : 'starting' };
  }

  start(): void {
    this.stopping = false;
    this.restartTimer = null;
    this.attemptFatal = null;
    this.attemptOutput = [];
    let port: CorePort;
    try {
      port = this.options.spawn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.onLog?.('error', `station core could not be started: ${message}`);
      this.attemptFatal = `The station core could not be started: ${message}`;
      this.afterFailedStart(null);
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
        this.failedStarts = 0;
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
        this.attemptFatal = m.message;
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
    for (const resolve of this.pending.values())
      resolve({ ok: false, error: { code: 'INTERRUPTED', message: INTERRUPTED_MESSAGE } });
    this.pending.clear();
    if (this.stopping) return;
    if (!wasReady) {
      this.afterFailedStart(code);
      return;
    }
    this.options.onLog?.('warn', `station core exited unexpectedly (code ${code ?? 'none'}); restarting`);
    if (this.now() - this.readyAt >= (this.options.stableAfterMs ?? 60_000)) this.crashes = 0;
    this.options.onEvent({ type: 'core', state: 'restarting' });
    this.scheduleRestart();
  }

  /** The core's error output (its stderr), kept for the failure the desk may be shown. */
  noteCoreOutput(text: string): void {
    this.attemptOutput.push(
      ...text
        .split('\n')
        .map((l) => l.trimEnd())
        .filter(Boolean),
    );
    this.attemptOutput = this.attemptOutput.slice(0, 50);
  }

  /** A start that ended before 'ready': restart, unless that was one too many in a row. */
  private afterFailedStart(code: number | null): void {
    this.failedStarts++;
    if (this.failedStarts < (this.options.maxFailedStarts ?? 3)) {
      this.options.onLog?.('warn', `station core stopped before it was ready (code ${code ?? 'none'}); restarting`);
      this.options.onEvent({ type: 'core', state: 'restarting' });
      this.scheduleRestart();
      return;
    }
    const said =
      this.attemptFatal ??
      (this.attemptOutput.length > 0
        ? this.attemptOutput.join('\n')
        : `The station core stopped (exit code ${code ?? 'none'}) before it was ready.`);
    const lines = said
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, FAILURE_LINES);
    this.failure = {
      lines,
      attempts: this.failedStarts,
      ...(this.options.logPath ? { logPath: this.options.logPath } : {}),
    };
    this.options.onLog?.(
      'error',
      `station core failed to start ${this.failedStarts} times in a row; not restarting it until Retry`,
    );
    this.options.onEvent({ type: 'core', state: 'failed', failure: this.failure });
    // Calls waiting for a core that is not coming are answered now, not after their timeout.
    for (const go of this.waiting.splice(0)) go();
  }

  /** Staff pressed Retry: start again from a clean count. False when there is nothing to retry. */
  retry(): boolean {
    if (!this.failure || this.stopping) return false;
    this.failure = null;
    this.failedStarts = 0;
    this.crashes = 0;
    this.options.onLog?.('info', "station core: retrying at the desk's request");
    this.options.onEvent({ type: 'core', state: 'restarting' });
    this.start();
    return true;
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
    if (!this.failure && !this.ready) await this.waitForReady();
    if (this.failure)
      return {
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: `The station could not start: ${this.failure.lines[0] ?? 'see the log'}`,
        },
      };
    if (!this.ready)
      return {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'The station is restarting. Try again in a moment.' },
      };
    const port = this.port!;
    const id = this.nextId++;
    return new Promise<CallResult>((resolve) => {
      this.pending.set(id, resolve);
      try {
        port.postMessage({ type: 'call', id, name, input, sessionToken });
      } catch {
        this.pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'UNAVAILABLE', message: 'The station is restarting. Try again in a moment.' },
        });
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
