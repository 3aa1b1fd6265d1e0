// A USB receipt printer is a character device (/dev/usb/lp0, /dev/lp0, /dev/ttyUSB0): its path
// is written to from byte 0. Pointed at anything else (station.db, a log, a config file) the
// slip bytes would overwrite it, so every path is checked to be a character device: when the
// settings are saved (a clear error on the form's field) and again on the descriptor each time
// it is opened (fstat, not a stat before the open, so swapping the path between the check and
// the open cannot win). The open never creates or truncates (no O_CREAT, no O_TRUNC), and a
// regular file opened by mistake is closed before a byte is written.
//
// Symbolic links are followed on purpose: udev rules and socat name devices by links
// (/dev/receipt-printer -> /dev/usb/lp0); what counts is what the descriptor turns out to be.
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';

/** What a path turned out to be, when it is not a character device. */
export type NotDeviceKind = 'file' | 'directory' | 'block' | 'fifo' | 'socket' | 'other';

export function kindOf(s: Stats): NotDeviceKind | 'character' {
  if (s.isCharacterDevice()) return 'character';
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isBlockDevice()) return 'block';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  return 'other';
}

const KIND_WORDS: Record<NotDeviceKind, string> = {
  file: 'a regular file',
  directory: 'a directory',
  block: 'a block device (a disk)',
  fifo: 'a named pipe',
  socket: 'a socket',
  other: 'not a device',
};

/** Refused: the path is not a character device. Nothing was written to it. */
export class NotAPrinterDevice extends Error {
  constructor(
    readonly path: string,
    readonly kind: NotDeviceKind,
    /** The path is a symbolic link (to something of `kind`). */
    readonly viaLink = false,
  ) {
    super(
      `${path} is ${viaLink ? 'a link to ' : ''}${KIND_WORDS[kind]}, not a printer's device file (a character device such as /dev/usb/lp0); nothing was written to it`,
    );
    this.name = 'NotAPrinterDevice';
  }
}

/**
 * For the settings: null if the path is a character device or is not there at all (a USB
 * printer's device file exists only while it is plugged in and switched on, and the open below
 * never creates one), else why it is refused.
 */
export async function refusedPrinterPath(path: string): Promise<NotAPrinterDevice | null> {
  let target: Stats;
  try {
    target = await stat(path);
  } catch {
    // Not there (or not reachable): the printer's status will say so, and nothing can be harmed.
    return null;
  }
  const kind = kindOf(target);
  if (kind === 'character') return null;
  const viaLink = await lstat(path).then(
    (l) => l.isSymbolicLink(),
    () => false,
  );
  return new NotAPrinterDevice(path, kind, viaLink);
}

/** Write-only, never a controlling terminal (a serial printer's tty must not become one), never created or truncated. */
const OPEN_FLAGS = constants.O_WRONLY | constants.O_NOCTTY;

/**
 * Opens a USB printer's device file for writing, or refuses (NotAPrinterDevice) without having
 * written anything. The stat before the open only saves opening a named pipe, which would wait
 * for a reader; the fstat after it is the check that counts.
 */
export async function openPrinterDevice(path: string): Promise<FileHandle> {
  const early = await refusedPrinterPath(path);
  if (early) throw early;
  const handle = await open(path, OPEN_FLAGS);
  try {
    const kind = kindOf(await handle.stat());
    if (kind !== 'character')
      throw new NotAPrinterDevice(
        path,
        kind,
        await lstat(path).then(
          (l) => l.isSymbolicLink(),
          () => false,
        ),
      );
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Writes every byte (a device may take a write in parts). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    if (bytesWritten <= 0) throw new Error('the printer took no bytes');
    offset += bytesWritten;
  }
}
