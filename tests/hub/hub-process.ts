// The hub as IT runs it, for the tests that need a real process: `npm run hub` (node itself, not
// a wrapper, so SIGKILL reaches the hub) and its admin commands.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

const HUB = ['--import', 'tsx', 'src/cli/hub.ts'];

/** Every hub process a test file started: kill them in its afterAll. */
export const hubChildren = new Set<ChildProcess>();

export function killHubChildren(): void {
  for (const c of hubChildren) c.kill('SIGKILL');
}

/** `npm run hub -- admin ...`: its output; throws with its stderr when it fails. */
export function hubAdmin(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, [...HUB, 'admin', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
    stdio: 'pipe',
  });
}

export interface HubProcess {
  child: ChildProcess;
  url: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
  exited: Promise<void>;
}

/** Starts a hub process on a free port and waits for the address it prints. */
export function startHubProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HubProcess> {
  const child = spawn(process.execPath, [...HUB, '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hubChildren.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('exit', () => hubChildren.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Circa hub on (\S+?)\/? \(/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => err, exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`hub exited (${code}): ${err}`)));
  });
}
