// The entry point of the station core process. In the desktop app Electron starts it with
// utilityProcess.fork (messages on process.parentPort); in tests, node's child_process.fork
// (messages on process). It runs the same core as `npm run serve`.
import { startStationCore } from '../../station/core';
import type { FromCore, ToCore } from './protocol';

interface Channel {
  send(message: FromCore): void;
  onMessage(listener: (message: ToCore) => void): void;
}

function channel(): Channel {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data as ToCore)) };
  }
  if (process.send) return { send: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as ToCore)) };
  throw new Error('core-host must be started by the Electron main process or a test supervisor');
}

async function main(): Promise<void> {
  const dataDir = process.env.CIRCA_DATA_DIR;
  if (!dataDir) throw new Error('CIRCA_DATA_DIR is not set');
  const io = channel();
  const core = await startStationCore({ dataDir });
  core.onEvent((event) => io.send({ type: 'event', event }));
  io.onMessage((m) => {
    if (m.type === 'call') {
      void core.invoke(m.name, m.input, { sessionToken: m.sessionToken }).then((r) => io.send({ type: 'result', id: m.id, ...r }));
    } else if (m.type === 'shutdown') {
      // Calls run one at a time on this thread: by the time this message is read, the current
      // transaction has committed. Close the database and leave.
      void core.close().then(() => {
        io.send({ type: 'closed' });
        process.exit(0);
      });
    }
  });
  io.send({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error('station core failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
