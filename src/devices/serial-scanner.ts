// A serial (RS-232 or USB-CDC) barcode scanner. It keeps trying to open its port, so a scanner
// unplugged and plugged back in is found again without anyone touching the station.
import { SerialPort } from 'serialport';
import type { ScannerConfig } from './config';
import { LineSplitter } from './line-splitter';
import { reconnectDelay, type DeviceState } from './state';

type SerialScannerConfig = Extract<ScannerConfig, { kind: 'serial' }>;

export class SerialScanner {
  private port: SerialPort | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;
  state: DeviceState;

  constructor(
    private readonly config: SerialScannerConfig,
    private readonly onScan: (barcode: string) => void,
    private readonly onState: (state: DeviceState) => void,
  ) {
    this.state = { id: config.id, kind: 'scanner', status: 'disconnected', reason: 'not opened yet' };
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  private set(status: DeviceState['status'], reason: string | null): void {
    this.state = { ...this.state, status, reason };
    this.onState(this.state);
  }

  private open(): void {
    if (this.stopped) return;
    const splitter = new LineSplitter(this.config.suffix);
    const port = new SerialPort({
      path: this.config.path,
      baudRate: this.config.baudRate,
      dataBits: this.config.dataBits,
      parity: this.config.parity,
      stopBits: this.config.stopBits,
      autoOpen: false,
    });
    port.open((error) => {
      if (error) {
        this.set('disconnected', `cannot open ${this.config.path}: ${error.message}`);
        this.retry();
        return;
      }
      this.port = port;
      this.attempts = 0;
      this.set('connected', null);
    });
    port.on('data', (chunk: Buffer) => {
      for (const barcode of splitter.push(chunk)) {
        try {
          this.onScan(barcode);
        } catch (error) {
          console.error('scan listener failed:', (error as Error).message);
        }
      }
    });
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = null;
      this.set('disconnected', 'the port closed (unplugged?)');
      this.retry();
    });
    port.on('error', (error: Error) => {
      this.set('error', error.message);
      // An error that leaves the port shut is an unplug by another name: keep trying.
      if (!port.isOpen) {
        if (this.port === port) this.port = null;
        this.retry();
      }
    });
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, reconnectDelay(this.attempts++));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
  }
}
