// yaz-ztest (Debian `yaz`), YAZ's own Z39.50 and SRU test server, started on loopback on a free
// port for one test file. It serves made-up MARC records for any query.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ZTest {
  port: number;
  /** The SRU base address (the database, "Default", goes after it). */
  url: string;
  log(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (bound by the OS, then let go). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadline = Date.now() + 10_000): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`yaz-ztest exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('yaz-ztest did not start listening');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startZTest(): Promise<ZTest> {
  const dir = mkdtempSync(join(tmpdir(), 'circa-ztest-'));
  const logFile = join(dir, 'ztest.log');
  const port = await freePort();
  // `tcp:127.0.0.1:<port>` listens on loopback only; a bare `-l host:port` would be a log file name.
  const child = spawn('yaz-ztest', ['-l', logFile, `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  await waitForPort(port, child);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
