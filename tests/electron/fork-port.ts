// Spawns a core as a node child process and presents it as a CorePort, exactly as the desktop
// app presents Electron's utilityProcess.
import { fork, type ChildProcess } from 'node:child_process';
import type { CorePort } from '../../src/transports/ipc/protocol';

export const spawned: ChildProcess[] = [];

export function forkCore(entry: string, env: Record<string, string>, execArgv: string[] = []): () => CorePort {
  return () => {
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    spawned.push(child);
    return {
      postMessage: (m) => void child.send(m),
      on: (event: 'message' | 'exit', listener: (arg: never) => void) => void child.on(event, listener as never),
      kill: () => child.kill('SIGKILL'),
    } as CorePort;
  };
}

export function killAll(): void {
  for (const child of spawned.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
