// Getting bytes to a receipt printer: a serial port, a USB printer's device file (/dev/usb/lp0),
// or raw TCP (port 9100). Each job opens, writes and closes, so an unplugged printer costs one
// failed attempt (the job is kept and retried), never a stuck connection.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { connect } from 'node:net';
import { SerialPort } from 'serialport';
import type { PrinterConfig } from './config';
import { openPrinterDevice, refusedPrinterPath, writeAll } from './device-file';

const TIMEOUT_MS = 5_000;

type Connection = PrinterConfig['connection'];

export const describeConnection = (c: Connection): string => (c.kind === 'tcp' ? `${c.host}:${c.port}` : c.path);

export async function sendToPrinter(connection: Connection, bytes: Uint8Array): Promise<void> {
  switch (connection.kind) {
    case 'usb-file': {
      // Only a character device, checked on the opened descriptor; never created or truncated.
      const handle = await openPrinterDevice(connection.path);
      try {
        await writeAll(handle, bytes);
      } finally {
        await handle.close();
      }
      return;
    }
    case 'tcp':
      return new Promise((resolve, reject) => {
        const socket = connect({ host: connection.host, port: connection.port });
        socket.setTimeout(TIMEOUT_MS, () =>
          socket.destroy(new Error(`printer ${connection.host}:${connection.port} did not answer`)),
        );
        socket.once('error', reject);
        socket.once('connect', () => socket.end(Buffer.from(bytes)));
        socket.once('close', (hadError) => (hadError ? undefined : resolve()));
      });
    case 'serial':
      return new Promise((resolve, reject) => {
        const { kind: _kind, ...options } = connection;
        const port = new SerialPort({ ...options, autoOpen: false });
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

/**
 * Is the printer there? Cheap and prints nothing: the device file or port exists and is writable
 * (a USB printer's path a character device, else NotAPrinterDevice), or the TCP port accepts.
 */
export async function probePrinter(connection: Connection): Promise<void> {
  if (connection.kind !== 'tcp') {
    if (connection.kind === 'usb-file') {
      const refused = await refusedPrinterPath(connection.path);
      if (refused) throw refused;
    }
    await access(connection.path, constants.W_OK);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: connection.host, port: connection.port });
    socket.setTimeout(TIMEOUT_MS, () =>
      socket.destroy(new Error(`printer ${connection.host}:${connection.port} did not answer`)),
    );
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
