// The station's devices: scanners that turn into scan events, printers behind a queue that never
// drops a job silently. Started and stopped by the station core; every state change is reported.
import type { DevicesConfig, PrinterConfig } from './config';
import { HidPosAssembler, HID_POS_USAGE_PAGE } from './hid-pos';
import { sendToPrinter } from './printer-transport';
import { SerialScanner } from './serial-scanner';
import { encodeSlip, renderSlipHtml, renderSlipText } from './slips/render';
import type { Slip } from './slips/types';
import { SLIP_WORDS } from './slips/words';
import { reconnectDelay, type DeviceState } from './state';

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
  description: string;
  status: 'queued' | 'printing' | 'printed' | 'failed';
  attempts: number;
  lastError: string | null;
}

export interface DeviceManagerDeps {
  classify(barcode: string): BarcodeKind;
  /** Loads node-hid; injected so that a machine without libusb gets a clear status, not a crash. */
  loadHid?: () => Promise<HidModule>;
  /** Give up a print job after this many attempts (it stays listed as failed). */
  maxPrintAttempts?: number;
}

export interface HidModule {
  devices(): { path?: string; vendorId: number; productId: number; usagePage?: number }[];
  HIDAsync: { open(path: string): Promise<{ on(e: 'data', l: (d: Buffer) => void): void; on(e: 'error', l: (e: Error) => void): void; close(): Promise<void> }> };
}

const defaultLoadHid = async (): Promise<HidModule> => (await import('node-hid')) as unknown as HidModule;

export class DeviceManager {
  private readonly scanListeners = new Set<(scan: ScanEvent) => void>();
  private readonly stateListeners = new Set<(state: DeviceState) => void>();
  private readonly states = new Map<string, DeviceState>();
  private readonly serialScanners: SerialScanner[] = [];
  private readonly jobs: PrintJob[] = [];
  private readonly payloads = new Map<number, Uint8Array>();
  private nextJob = 1;
  private draining = new Set<string>();
  private stopped = false;
  private hidClosers: (() => Promise<void>)[] = [];

  constructor(
    private readonly config: DevicesConfig,
    private readonly deps: DeviceManagerDeps,
  ) {
    for (const p of config.printers) this.setState({ id: p.id, kind: 'printer', status: 'connected', reason: null, queued: 0 });
  }

  onScan(listener: (scan: ScanEvent) => void): () => void {
    this.scanListeners.add(listener);
    return () => this.scanListeners.delete(listener);
  }

  onState(listener: (state: DeviceState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  list(): DeviceState[] {
    return [...this.states.values()];
  }

  printJobs(): PrintJob[] {
    return this.jobs.map((j) => ({ ...j }));
  }

  private setState(state: DeviceState): void {
    this.states.set(state.id, state);
    for (const l of this.stateListeners) l(state);
  }

  private emitScan(barcode: string, deviceId: string, symbology?: string): void {
    const scan: ScanEvent = { barcode, kind: this.deps.classify(barcode), deviceId, ...(symbology ? { symbology } : {}) };
    for (const l of this.scanListeners) l(scan);
  }

  async start(): Promise<void> {
    this.stopped = false;
    for (const s of this.config.scanners) {
      if (s.kind === 'serial') {
        const scanner = new SerialScanner(s, (barcode) => this.emitScan(barcode, s.id), (state) => this.setState(state));
        this.serialScanners.push(scanner);
        this.setState(scanner.state);
        scanner.start();
      } else {
        await this.startHid(s);
      }
    }
  }

  private async startHid(s: Extract<DevicesConfig['scanners'][number], { kind: 'hid' }>): Promise<void> {
    let hid: HidModule;
    try {
      hid = await (this.deps.loadHid ?? defaultLoadHid)();
    } catch (error) {
      this.setState({ id: s.id, kind: 'scanner', status: 'unavailable', reason: `USB HID support could not load (is libusb installed?): ${(error as Error).message}` });
      return;
    }
    const attempt = async (n: number): Promise<void> => {
      if (this.stopped) return;
      const found = hid
        .devices()
        .find((d) => (s.path ? d.path === s.path : d.vendorId === s.vendorId && d.productId === s.productId && (d.usagePage ?? HID_POS_USAGE_PAGE) === HID_POS_USAGE_PAGE));
      if (!found?.path) {
        this.setState({ id: s.id, kind: 'scanner', status: 'disconnected', reason: 'no such USB scanner is plugged in' });
        setTimeout(() => void attempt(n + 1), reconnectDelay(n)).unref();
        return;
      }
      try {
        const device = await hid.HIDAsync.open(found.path);
        const assembler = new HidPosAssembler();
        device.on('data', (data) => {
          const scan = assembler.push(data);
          if (scan) this.emitScan(scan.barcode, s.id, scan.symbology);
        });
        device.on('error', (error) => {
          this.setState({ id: s.id, kind: 'scanner', status: 'disconnected', reason: error.message });
          setTimeout(() => void attempt(0), reconnectDelay(0)).unref();
        });
        this.hidClosers.push(() => device.close());
        this.setState({ id: s.id, kind: 'scanner', status: 'connected', reason: null });
      } catch (error) {
        this.setState({ id: s.id, kind: 'scanner', status: 'error', reason: (error as Error).message });
        setTimeout(() => void attempt(n + 1), reconnectDelay(n)).unref();
      }
    };
    await attempt(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.serialScanners.map((s) => s.stop()));
    await Promise.all(this.hidClosers.map((c) => c().catch(() => undefined)));
  }

  private printer(printerId?: string): PrinterConfig {
    const p = printerId ? this.config.printers.find((x) => x.id === printerId) : this.config.printers[0];
    if (!p) throw new Error(printerId ? `no printer ${printerId}` : 'no receipt printer is set up');
    return p;
  }

  /** Queues a slip; resolves with the job, which is retried until printed (or reported failed). */
  print(slip: Slip, opts: { printerId?: string; kickDrawer?: boolean } = {}): PrintJob {
    const printer = this.printer(opts.printerId);
    const bytes = encodeSlip(slip, this.config.slips, printer.columns, { kickDrawer: !!opts.kickDrawer && printer.cashDrawer });
    return this.enqueue(printer, bytes, slip.kind);
  }

  testPrint(printerId?: string): PrintJob {
    const printer = this.printer(printerId);
    const words = SLIP_WORDS[this.config.slips.language];
    return this.print({ kind: 'checkin', at: new Date().toISOString().slice(0, 16).replace('T', ' '), lines: [{ title: words.testPrint, barcode: printer.id, detail: `${printer.columns} col` }] }, { printerId: printer.id });
  }

  kickDrawer(printerId?: string): PrintJob {
    const printer = this.printer(printerId);
    return this.enqueue(printer, Uint8Array.from([0x1b, 0x70, 0x00, 0x19, 0xfa]), 'drawer');
  }

  preview(slip: Slip, printerId?: string): string[] {
    return renderSlipText(slip, this.config.slips, this.printer(printerId).columns);
  }

  html(slip: Slip): string {
    return renderSlipHtml(slip, this.config.slips);
  }

  private enqueue(printer: PrinterConfig, bytes: Uint8Array, description: string): PrintJob {
    const job: PrintJob = { id: this.nextJob++, printerId: printer.id, description, status: 'queued', attempts: 0, lastError: null };
    this.jobs.push(job);
    this.payloads.set(job.id, bytes);
    void this.drain(printer);
    return job;
  }

  private async drain(printer: PrinterConfig): Promise<void> {
    if (this.draining.has(printer.id)) return;
    this.draining.add(printer.id);
    try {
      for (;;) {
        const job = this.jobs.find((j) => j.printerId === printer.id && j.status === 'queued');
        if (!job || this.stopped) return;
        job.status = 'printing';
        job.attempts++;
        try {
          await sendToPrinter(printer.connection, this.payloads.get(job.id)!);
          job.status = 'printed';
          job.lastError = null;
          this.payloads.delete(job.id);
          this.setState({ id: printer.id, kind: 'printer', status: 'connected', reason: null, queued: this.queued(printer.id) });
        } catch (error) {
          job.lastError = (error as Error).message;
          const giveUp = job.attempts >= (this.deps.maxPrintAttempts ?? 20);
          job.status = giveUp ? 'failed' : 'queued';
          this.setState({ id: printer.id, kind: 'printer', status: 'disconnected', reason: job.lastError, queued: this.queued(printer.id) });
          if (!giveUp) {
            // Wait, then try the same job again: jobs print in the order they were made.
            await new Promise((r) => setTimeout(r, reconnectDelay(job.attempts - 1)).unref());
          }
        }
      }
    } finally {
      this.draining.delete(printer.id);
    }
  }

  private queued(printerId: string): number {
    return this.jobs.filter((j) => j.printerId === printerId && (j.status === 'queued' || j.status === 'printing')).length;
  }

  /** Resolves once every job has printed or failed (for tests and a clean shutdown). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.jobs.some((j) => j.status === 'queued' || j.status === 'printing')) {
      if (Date.now() > until) throw new Error('print queue did not empty');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
