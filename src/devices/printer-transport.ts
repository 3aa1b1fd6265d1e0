// Getting bytes to a receipt printer: a serial port, a USB printer's device file (/dev/usb/lp0),
// or raw TCP (port 9100). Each job opens, writes and closes, so an unplugged printer costs one
// failed job (kept and retried), never a stuck connection.
import { open } from 'node:fs/promises';
import { connect } from 'node:net';
import { SerialPort } from 'serialport';
import type { PrinterConfig } from './config';

const TIMEOUT_MS = 5_000;

export async function sendToPrinter(connection: PrinterConfig['connection'], bytes: Uint8Array): Promise<void> {
  switch (connection.kind) {
    case 'usb-file': {
      // 'r+' rather than 'w': a device file must exist already; we never create a stray file.
      const handle = await open(connection.path, 'r+');
      try {
        await handle.write(bytes);
      } finally {
        await handle.close();
      }
      return;
    }
    case 'tcp':
      return new Promise((resolve, reject) => {
        const socket = connect({ host: connection.host, port: connection.port });
        socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`printer ${connection.host}:${connection.port} did not answer`)));
        socket.once('error', reject);
        socket.once('connect', () => socket.end(Buffer.from(bytes)));
        socket.once('close', (hadError) => (hadError ? undefined : resolve()));
      });
    case 'serial':
      return new Promise((resolve, reject) => {
        const port = new SerialPort({ ...connection, autoOpen: false });
        port.open((error) => {
          if (error) return reject(error);
          port.write(Buffer.from(bytes), (writeError) => {
            if (writeError) return port.close(() => reject(writeError));
            port.drain(() => port.close(() => resolve()));
          });
        });
      });
  }
}
