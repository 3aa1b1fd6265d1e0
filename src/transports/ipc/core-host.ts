// The entry point of the station core process. In the desktop app Electron starts it with
// utilityProcess.fork (messages on process.parentPort); in tests, node's child_process.fork
// (messages on process). The core itself is imported only once the channel is listening, so a
// core that fails to load is reported to the main process instead of dying silently.
import type { HostPort } from './protocol';
import { hostStationCore } from './host';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function parentChannel(): HostPort {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      postMessage: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data)),
    };
  }
  const send = process.send?.bind(process);
  // A parent that is gone cannot be answered; the 'disconnect' handler below closes the core.
  if (send)
    return { postMessage: (m) => void (process.connected && send(m)), onMessage: (l) => void process.on('message', l) };
  throw new Error('core-host must be started by the Electron main process or a supervisor with an IPC channel');
}

const dataDir = process.env.CIRCA_DATA_DIR;
if (!dataDir) {
  console.error('station core: CIRCA_DATA_DIR is not set');
  process.exit(1);
}

const hosted = hostStationCore({
  port: parentChannel(),
  openCore: async () => {
    const core = await (await import('../../station/core')).startStationCore({ dataDir });
    // The desk's Settings › SIP2 turns the self-check port on and off in this process.
    const sip2 = await (await import('../sip2/listener')).startSip2Listener(core.services);
    const close = core.close.bind(core);
    core.close = async () => {
      await sip2.close();
      await close();
    };
    return core;
  },
  exit: (code) => process.exit(code),
});

// Orphaned by a crashed parent: close the database properly rather than linger holding it.
process.on('disconnect', () => hosted.shutdown());
