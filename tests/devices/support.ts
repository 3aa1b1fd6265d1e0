// Real serial ports for tests: socat makes a linked pair of ptys; the device opens one end, the
// test plays the scanner (or reads the printer) on the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  device: string;
  peer: string;
  process: ChildProcess;
  close(): Promise<void>;
}

export async function ptyPair(
  dir = mkdtempSync(join(tmpdir(), 'circa-pty-')),
  names: [string, string] = ['device', 'peer'],
): Promise<PtyPair> {
  const device = join(dir, names[0]);
  const peer = join(dir, names[1]);
  const child = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${peer}`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(existsSync(device) && existsSync(peer)); i++)
    await new Promise((r) => setTimeout(r, 20));
  if (!existsSync(device)) throw new Error('socat did not make the pty pair (is socat installed?)');
  return {
    device,
    peer,
    process: child,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function until<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A USB receipt printer for tests: a real character device (one end of a socat pty pair) for
 * the station to write its slips to, and the other end read back here. /dev/usb/lp0 is a
 * character device too; a regular file is refused (src/devices/device-file.ts).
 */
export interface PtyPrinter {
  /** The device file to configure as the printer's path. */
  path: string;
  /** Everything received so far. */
  bytes(): Buffer;
  /** Waits for the bytes of one job (until nothing more comes for a moment), returns and forgets them. */
  take(quietMs?: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function ptyPrinter(dir?: string): Promise<PtyPrinter> {
  const { SerialPort } = await import('serialport');
  const pair = await ptyPair(dir, ['lp0', 'printer-end']);
  let received: Buffer[] = [];
  let lastAt = 0;
  const port = new SerialPort({ path: pair.peer, baudRate: 115200 });
  port.on('data', (d: Buffer) => {
    received.push(d);
    lastAt = Date.now();
  });
  port.on('error', () => undefined);
  await new Promise((r) => port.once('open', r));
  return {
    path: pair.device,
    bytes: () => Buffer.concat(received),
    async take(quietMs = 150) {
      await until(() => received.length > 0 && Date.now() - lastAt >= quietMs);
      const all = Buffer.concat(received);
      received = [];
      return all;
    },
    async close() {
      await new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r()));
      await pair.close();
    },
  };
}
