// The station's devices: scanners that turn into scan events, printers behind a queue that never
// drops a job silently. Started and stopped by the station core; every state change is reported.
//
// Entry point: createDeviceManager(config, deps). The DeviceManager class underneath also keeps
// the synchronous queueing calls the station core already uses (print/testPrint/kickDrawer that
// return the queued job at once).
import type { DevicesConfig, PrinterConfig, ScannerConfig, SlipSettings } from './config';
import { NotAPrinterDevice } from './device-file';
import { HidPosAssembler, HID_POS_USAGE_PAGE } from './hid-pos';
import { describeConnection, probePrinter, sendToPrinter } from './printer-transport';
import { SerialScanner } from './serial-scanner';
import {
  encodeDrawerKick,
  encodeSlip,
  layoutSlip,
  renderSlipHtml,
  renderSlipText,
  type PaperLine,
} from './slips/render';
import type { Slip } from './slips/types';
import { reconnectDelay, sameState, type DeviceState } from './state';

export type BarcodeKind = 'patron' | 'item' | 'unknown';

export interface ScanEvent {
  barcode: string;
  kind: BarcodeKind;
  deviceId: string;
  symbology?: string;
}

export interface PrintJob {
  id: number;
  printerId: string;
  /** What is printed (the slip kind, "drawer"): never patron data. */
  description: string;
  status: 'queued' | 'printing' | 'printed' | 'failed';
  attempts: number;
  lastError: string | null;
}

/** How a print ended: printed, or failed with the reason after its attempts (or when the station stopped). */
export interface PrintJobResult {
  jobId: number | null;
  printerId: string | null;
  status: 'printed' | 'failed';
  attempts: number;
  error: string | null;
}

export interface HidDeviceInfo {
  path?: string;
  vendorId: number;
  productId: number;
  usagePage?: number;
}
export interface HidDevice {
  on(e: 'data', l: (d: Buffer) => void): void;
  on(e: 'error', l: (e: Error) => void): void;
  close(): Promise<void>;
}
export interface HidModule {
  devices(): HidDeviceInfo[];
  HIDAsync: { open(path: string): Promise<HidDevice> };
}

export interface DeviceManagerDeps {
  classify(barcode: string): BarcodeKind;
  /** Where state changes and failed jobs are told (no barcodes, no patron data). */
  log?: (msg: string) => void;
  /** Loads node-hid; replaceable so a test can play a machine without libusb. */
  loadHid?: () => Promise<HidModule>;
  /** Give up a print job after this many attempts (it stays listed as failed, and is reported). */
  maxPrintAttempts?: number;
  /** How often a connected printer is checked for being unplugged while idle. */
  printerCheckMs?: number;
  /** The library's name, for slips whose settings leave their own name empty. */
  libraryName?: () => string;
}

// node-hid is native and needs libusb/hidraw: load it only when a HID scanner is set, and only
// ever through this guarded import, so a machine without it gets a status instead of a crash.
const defaultLoadHid = async (): Promise<HidModule> => {
  const mod = (await import('node-hid')) as unknown as HidModule & { default?: HidModule };
  return typeof mod.devices === 'function' ? mod : mod.default!;
};

const KEEP_FINISHED_JOBS = 200;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

type HidScannerConfig = Extract<ScannerConfig, { kind: 'hid' }>;

export class DeviceManager {
  private readonly scanListeners = new Set<(scan: ScanEvent) => void>();
  private readonly stateListeners = new Set<(state: DeviceState) => void>();
  private readonly jobListeners = new Set<(job: PrintJob) => void>();
  private readonly stateById = new Map<string, DeviceState>();
  private readonly serialScanners: SerialScanner[] = [];
  private readonly jobList: PrintJob[] = [];
  private readonly payloads = new Map<number, Uint8Array>();
  private readonly waiters = new Map<number, ((r: PrintJobResult) => void)[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wake = new Map<string, () => void>();
  private readonly draining = new Set<string>();
  private hidClosers: (() => Promise<void>)[] = [];
  private nextJob = 1;
  /** Printing works from construction; start() adds the scanners and the printer checks. */
  private running = false;
  private stopped = false;

  constructor(
    private readonly config: DevicesConfig,
    private readonly deps: DeviceManagerDeps,
  ) {
    for (const s of config.scanners)
      this.setState({ id: s.id, kind: 'scanner', status: 'disconnected', reason: 'not started' });
    for (const p of config.printers)
      this.setState({ id: p.id, kind: 'printer', status: 'disconnected', reason: 'not checked yet', queued: 0 });
  }

  // --- listeners and state

  onScan(listener: (scan: ScanEvent) => void): () => void {
    this.scanListeners.add(listener);
    return () => this.scanListeners.delete(listener);
  }

  onState(listener: (state: DeviceState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onJob(listener: (job: PrintJob) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  states(): DeviceState[] {
    return [...this.stateById.values()].map((s) => ({ ...s }));
  }

  /** The same as states(); the name the station core uses. */
  list(): DeviceState[] {
    return this.states();
  }

  printJobs(): PrintJob[] {
    return this.jobList.map((j) => ({ ...j }));
  }

  private setState(state: DeviceState): void {
    const before = this.stateById.get(state.id);
    if (sameState(before, state)) return;
    this.stateById.set(state.id, state);
    if (before?.status !== state.status)
      this.deps.log?.(`${state.kind} ${state.id}: ${state.status}${state.reason ? ` (${state.reason})` : ''}`);
    for (const l of this.stateListeners) this.safely(() => l({ ...state }));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      // A listener's bug must not stop the port that feeds it.
      console.error('device listener failed:', message(error));
    }
  }

  private emitScan(barcode: string, deviceId: string, symbology?: string): void {
    const scan: ScanEvent = {
      barcode,
      kind: this.deps.classify(barcode),
      deviceId,
      ...(symbology ? { symbology } : {}),
    };
    for (const l of this.scanListeners) this.safely(() => l(scan));
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  // --- start and stop

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    for (const s of this.config.scanners) {
      if (s.kind === 'serial') {
        const scanner = new SerialScanner(
          s,
          (barcode) => this.emitScan(barcode, s.id),
          (state) => this.setState(state),
        );
        this.serialScanners.push(scanner);
        scanner.start();
      } else {
        await this.startHid(s);
      }
    }
    for (const p of this.config.printers) {
      void this.checkPrinter(p, 0);
      if (this.jobList.some((j) => j.printerId === p.id && j.status === 'queued')) void this.drain(p);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.wake.values()) w();
    await Promise.all(this.serialScanners.splice(0).map((s) => s.stop()));
    await Promise.all(this.hidClosers.splice(0).map((c) => c().catch(() => undefined)));
    // Jobs still waiting are reported, not lost without a word.
    for (const job of this.jobList.filter((j) => j.status === 'queued' || j.status === 'printing')) {
      this.finish(job, 'failed', 'the station stopped before it printed');
    }
  }

  // --- USB HID point-of-sale scanners

  private async startHid(s: HidScannerConfig): Promise<void> {
    let hid: HidModule;
    try {
      hid = await (this.deps.loadHid ?? defaultLoadHid)();
    } catch (error) {
      this.setState({
        id: s.id,
        kind: 'scanner',
        status: 'unavailable',
        reason: `USB HID support could not load (is libusb/hidraw installed?): ${message(error)}`,
      });
      return;
    }
    const attempt = async (n: number): Promise<void> => {
      if (this.stopped) return;
      const retry = () => this.later(() => void attempt(n + 1), reconnectDelay(n));
      let found: HidDeviceInfo | undefined;
      try {
        found = hid
          .devices()
          .find((d) =>
            s.path
              ? d.path === s.path
              : d.vendorId === s.vendorId &&
                d.productId === s.productId &&
                (d.usagePage ?? HID_POS_USAGE_PAGE) === HID_POS_USAGE_PAGE,
          );
      } catch (error) {
        this.setState({
          id: s.id,
          kind: 'scanner',
          status: 'error',
          reason: `could not list USB devices: ${message(error)}`,
        });
        return retry();
      }
      if (!found?.path) {
        this.setState({
          id: s.id,
          kind: 'scanner',
          status: 'disconnected',
          reason: 'no such USB scanner is plugged in',
        });
        return retry();
      }
      try {
        const device = await hid.HIDAsync.open(found.path);
        if (this.stopped) return void (await device.close().catch(() => undefined));
        const assembler = new HidPosAssembler();
        let closed = false;
        const close = async () => {
          if (closed) return;
          closed = true;
          await device.close().catch(() => undefined);
        };
        device.on('data', (data) => {
          const scan = assembler.push(data);
          if (scan) this.emitScan(scan.barcode, s.id, scan.symbology);
        });
        device.on('error', (error) => {
          this.setState({
            id: s.id,
            kind: 'scanner',
            status: 'disconnected',
            reason: `the scanner went away: ${error.message}`,
          });
          void close();
          this.later(() => void attempt(0), reconnectDelay(0));
        });
        this.hidClosers.push(close);
        this.setState({ id: s.id, kind: 'scanner', status: 'connected', reason: null });
      } catch (error) {
        // Usually permissions: the hidraw node exists but this user may not open it.
        this.setState({
          id: s.id,
          kind: 'scanner',
          status: 'error',
          reason: `could not open the USB scanner: ${message(error)}`,
        });
        retry();
      }
    };
    await attempt(0);
  }

  // --- printers

  private printer(printerId?: string): PrinterConfig {
    const p = printerId ? this.config.printers.find((x) => x.id === printerId) : this.config.printers[0];
    if (!p) throw new Error(printerId ? `there is no printer "${printerId}"` : 'no receipt printer is set up');
    return p;
  }

  private printerState(p: PrinterConfig, status: DeviceState['status'], reason: string | null): void {
    this.setState({ id: p.id, kind: 'printer', status, reason, queued: this.queued(p.id) });
  }

  /** Watches an idle printer, so the settings screen shows an unplugged one before a slip is lost to it. */
  private async checkPrinter(p: PrinterConfig, failures: number): Promise<void> {
    if (this.stopped) return;
    // While a job is being sent, the send is the check (a second connection could upset a
    // one-connection printer); while the queue waits out a failure, checking is what wakes it.
    if (this.draining.has(p.id) && this.stateById.get(p.id)?.status === 'connected') {
      return this.later(() => void this.checkPrinter(p, 0), this.deps.printerCheckMs ?? 15_000);
    }
    try {
      await probePrinter(p.connection);
      if (this.stopped) return;
      this.printerState(p, 'connected', null);
      this.wake.get(p.id)?.();
      this.later(() => void this.checkPrinter(p, 0), this.deps.printerCheckMs ?? 15_000);
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof NotAPrinterDevice) {
        // A settings mistake, not an unplugged printer: said as an error, looked at again now and then.
        this.printerState(p, 'error', error.message);
        return this.later(() => void this.checkPrinter(p, 0), this.deps.printerCheckMs ?? 15_000);
      }
      this.printerState(p, 'disconnected', `printer at ${describeConnection(p.connection)}: ${message(error)}`);
      this.later(() => void this.checkPrinter(p, failures + 1), reconnectDelay(failures));
    }
  }

  /** Queues a slip and returns the job at once; it is retried until printed, or reported failed. */
  print(slip: Slip, opts: { printerId?: string; kickDrawer?: boolean } = {}): PrintJob {
    const printer = this.printer(opts.printerId);
    const bytes = encodeSlip(slip, this.slipSettings(), {
      columns: printer.columns,
      codePage: printer.codePage,
      model: printer.model,
      kickDrawer: !!opts.kickDrawer && printer.cashDrawer,
    });
    return this.enqueue(printer, bytes, slip.kind);
  }

  testPrint(printerId?: string): PrintJob {
    const printer = this.printer(printerId);
    return this.print(
      { kind: 'test', printerId: printer.id, at: new Date().toISOString().slice(0, 16).replace('T', ' ') },
      { printerId: printer.id },
    );
  }

  /** Opens the cash drawer on the printer it hangs from. */
  kickDrawer(printerId?: string): PrintJob {
    const printer = printerId ? this.printer(printerId) : this.config.printers.find((p) => p.cashDrawer);
    if (!printer?.cashDrawer)
      throw new Error(
        printerId ? `printer "${printerId}" has no cash drawer set up` : 'no printer has a cash drawer set up',
      );
    return this.enqueue(printer, encodeDrawerKick({ columns: printer.columns, model: printer.model }), 'drawer');
  }

  /** Puts a failed job back in the queue (the settings screen's "print again"). */
  retryJob(jobId: number): PrintJob {
    const job = this.jobList.find((j) => j.id === jobId);
    if (!job || job.status !== 'failed' || !this.payloads.has(jobId))
      throw new Error(`job ${jobId} cannot be printed again`);
    job.status = 'queued';
    job.attempts = 0;
    this.announce(job);
    this.refreshQueued(job.printerId);
    void this.drain(this.printer(job.printerId));
    return { ...job };
  }

  /** Resolves when the job has printed or failed. */
  outcome(jobId: number): Promise<PrintJobResult> {
    const job = this.jobList.find((j) => j.id === jobId);
    if (!job)
      return Promise.resolve({ jobId, printerId: null, status: 'failed', attempts: 0, error: `no job ${jobId}` });
    if (job.status === 'printed' || job.status === 'failed') return Promise.resolve(resultOf(job));
    return new Promise((resolve) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), resolve]));
  }

  preview(slip: Slip, printerId?: string): string[] {
    return renderSlipText(slip, this.slipSettings(), this.printer(printerId).columns);
  }

  renderSlipText(slip: Slip, columns?: number): string[] {
    return renderSlipText(slip, this.slipSettings(), columns ?? this.config.printers[0]?.columns ?? 42);
  }

  renderSlipLines(slip: Slip, columns?: number): PaperLine[] {
    return layoutSlip(slip, this.slipSettings(), columns ?? this.config.printers[0]?.columns ?? 42);
  }

  renderSlipHtml(slip: Slip): string {
    return renderSlipHtml(slip, this.slipSettings());
  }

  /** The slip settings as printed: an empty name is the library's own, read at the time of printing. */
  slipSettings(): SlipSettings {
    const s = this.config.slips;
    return s.libraryName ? s : { ...s, libraryName: this.deps.libraryName?.() ?? '' };
  }

  html(slip: Slip): string {
    return this.renderSlipHtml(slip);
  }

  private announce(job: PrintJob): void {
    for (const l of this.jobListeners) this.safely(() => l({ ...job }));
  }

  private enqueue(printer: PrinterConfig, bytes: Uint8Array, description: string): PrintJob {
    const job: PrintJob = {
      id: this.nextJob++,
      printerId: printer.id,
      description,
      status: 'queued',
      attempts: 0,
      lastError: null,
    };
    this.jobList.push(job);
    this.payloads.set(job.id, bytes);
    this.announce(job);
    this.refreshQueued(printer.id);
    if (this.stopped) this.finish(job, 'failed', 'the devices are stopped');
    else void this.drain(printer);
    return { ...job };
  }

  private finish(job: PrintJob, status: 'printed' | 'failed', error: string | null): void {
    job.status = status;
    job.lastError = error;
    if (status === 'printed') this.payloads.delete(job.id);
    else this.deps.log?.(`print job ${job.id} (${job.description}) on ${job.printerId} failed: ${error}`);
    this.announce(job);
    this.refreshQueued(job.printerId);
    for (const w of this.waiters.get(job.id) ?? []) w(resultOf(job));
    this.waiters.delete(job.id);
    this.forgetOldJobs();
  }

  private sleep(printerId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      t.unref();
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake.set(printerId, () => {
        this.wake.delete(printerId);
        done();
      });
    });
  }

  private async drain(printer: PrinterConfig): Promise<void> {
    if (this.draining.has(printer.id)) return;
    this.draining.add(printer.id);
    try {
      for (;;) {
        // Jobs print in the order they were made: a later slip never overtakes a waiting one.
        const job = this.jobList.find((j) => j.printerId === printer.id && j.status === 'queued');
        if (!job || this.stopped) return;
        job.status = 'printing';
        job.attempts++;
        this.announce(job);
        try {
          await sendToPrinter(printer.connection, this.payloads.get(job.id)!);
          if (job.status !== 'printing') return; // stop() reported it meanwhile
          this.finish(job, 'printed', null);
          this.printerState(printer, 'connected', null);
        } catch (error) {
          if (this.stopped || job.status !== 'printing') return;
          if (error instanceof NotAPrinterDevice) {
            // Refused before a byte was written; trying again cannot help until the settings
            // change, so the job fails at once with the reason (and can be printed again later).
            this.finish(job, 'failed', error.message);
            this.printerState(printer, 'error', error.message);
            continue;
          }
          const reason = `printer at ${describeConnection(printer.connection)}: ${message(error)}`;
          if (job.attempts >= (this.deps.maxPrintAttempts ?? 30)) this.finish(job, 'failed', reason);
          else {
            job.status = 'queued';
            job.lastError = reason;
            this.announce(job);
          }
          this.printerState(printer, 'disconnected', reason);
          // Wait, then go again; a probe that finds the printer back wakes this early.
          if (job.status === 'queued') await this.sleep(printer.id, reconnectDelay(job.attempts - 1));
        }
      }
    } finally {
      this.draining.delete(printer.id);
      this.wake.delete(printer.id);
    }
  }

  /** The job list is for the settings screen, not an archive: keep the latest finished ones. */
  private forgetOldJobs(): void {
    const finished = this.jobList.filter((j) => j.status === 'printed' || j.status === 'failed');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED_JOBS))) {
      this.jobList.splice(this.jobList.indexOf(old), 1);
      this.payloads.delete(old.id);
    }
  }

  private refreshQueued(printerId: string): void {
    const s = this.stateById.get(printerId);
    if (s) this.setState({ ...s, queued: this.queued(printerId) });
  }

  private queued(printerId: string): number {
    return this.jobList.filter((j) => j.printerId === printerId && (j.status === 'queued' || j.status === 'printing'))
      .length;
  }

  /** Resolves once every job has printed or failed (for tests and a clean shutdown). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.jobList.some((j) => j.status === 'queued' || j.status === 'printing')) {
      if (Date.now() > until) throw new Error('print queue did not empty');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const resultOf = (job: PrintJob): PrintJobResult => ({
  jobId: job.id,
  printerId: job.printerId,
  status: job.status === 'printed' ? 'printed' : 'failed',
  attempts: job.attempts,
  error: job.lastError,
});

/** What the station core and its API use. */
export interface DeviceManagerApi {
  start(): Promise<void>;
  stop(): Promise<void>;
  states(): DeviceState[];
  jobs(): PrintJob[];
  onScan(listener: (scan: ScanEvent) => void): () => void;
  onState(listener: (state: DeviceState) => void): () => void;
  onJob(listener: (job: PrintJob) => void): () => void;
  /** Queues the slip; resolves when it printed or, after its attempts, failed (with the reason). */
  print(slip: Slip, opts?: { printerId?: string; kickDrawer?: boolean }): Promise<PrintJobResult>;
  /** Queues the slip and returns the job at once, for an answer that names the job before it prints. */
  queue(slip: Slip, opts?: { printerId?: string; kickDrawer?: boolean }): PrintJob;
  kickDrawer(printerId?: string): Promise<PrintJobResult>;
  testPrint(printerId?: string): Promise<PrintJobResult>;
  retryJob(jobId: number): Promise<PrintJobResult>;
  renderSlipText(slip: Slip, columns?: number): string[];
  renderSlipLines(slip: Slip, columns?: number): PaperLine[];
  renderSlipHtml(slip: Slip): string;
}

const failedBeforeQueue = (error: unknown, printerId?: string): PrintJobResult => ({
  jobId: null,
  printerId: printerId ?? null,
  status: 'failed',
  attempts: 0,
  error: message(error),
});

export function createDeviceManager(
  config: DevicesConfig,
  deps: DeviceManagerDeps,
): DeviceManagerApi & { readonly manager: DeviceManager } {
  const m = new DeviceManager(config, deps);
  const run = async (queue: () => PrintJob, printerId?: string): Promise<PrintJobResult> => {
    let job: PrintJob;
    try {
      job = queue();
    } catch (error) {
      // No printer, no drawer, unknown model: said in the result, never thrown at the desk.
      deps.log?.(`print not queued: ${message(error)}`);
      return failedBeforeQueue(error, printerId);
    }
    return m.outcome(job.id);
  };
  return {
    manager: m,
    start: () => m.start(),
    stop: () => m.stop(),
    states: () => m.states(),
    jobs: () => m.printJobs(),
    onScan: (l) => m.onScan(l),
    onState: (l) => m.onState(l),
    onJob: (l) => m.onJob(l),
    print: (slip, opts) => run(() => m.print(slip, opts), opts?.printerId),
    queue: (slip, opts) => m.print(slip, opts),
    kickDrawer: (printerId) => run(() => m.kickDrawer(printerId), printerId),
    testPrint: (printerId) => run(() => m.testPrint(printerId), printerId),
    retryJob: (jobId) => run(() => m.retryJob(jobId)),
    renderSlipText: (slip, columns) => m.renderSlipText(slip, columns),
    renderSlipLines: (slip, columns) => m.renderSlipLines(slip, columns),
    renderSlipHtml: (slip) => m.renderSlipHtml(slip),
  };
}
