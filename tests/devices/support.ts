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

export async function ptyPair(dir = mkdtempSync(join(tmpdir(), 'circa-pty-')), names: [string, string] = ['device', 'peer']): Promise<PtyPair> {
  const device = join(dir, names[0]);
  const peer = join(dir, names[1]);
  const child = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${peer}`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(existsSync(device) && existsSync(peer)); i++) await new Promise((r) => setTimeout(r, 20));
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
