// One process at a time in a data folder: the station's (station.lock: SQLite lets two processes
// open station.db, and two station programs on one folder would run as one station id) and the
// hub's PGlite folder (hub.lock: PGlite takes no lock of its own). One module, both import it:
// src/store/data-lock.ts and src/hub/data-lock.ts only say whose folder it is.
//
// The lock is a file in the folder holding the holder's pid, host, boot time and command line,
// created atomically ('wx'). A lock whose process is gone (killed with SIGKILL, a power cut, a
// machine restarted) is stale: it is taken over with a line on stderr and never stops a start.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { basename, join, resolve } from 'node:path';

interface LockRecord {
  pid: number;
  host: string;
  /** When the machine booted (ms): a lock from before a reboot is stale whatever its pid. */
  bootedAt: number;
  startedAt: number;
  command: string;
}

/** The data folder is held by another live process (its message names it and says what to do). */
export class DataFolderInUseError extends Error {
  constructor(
    message: string,
    readonly holderPid: number,
  ) {
    super(message);
    this.name = 'DataFolderInUseError';
  }
}

/** Lock files this process holds: a second opener in the same process is refused too. */
const held = new Set<string>();

const bootedAt = () => Date.now() - uptime() * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it still holds the folder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): LockRecord | null {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockRecord>;
    return typeof r.pid === 'number' && typeof r.host === 'string' ? (r as LockRecord) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    return null; // cut short while being written: its writer died then
  }
}

/** Why an existing lock no longer holds, or null while its process may still run. */
function staleness(lock: LockRecord | null): string | null {
  if (!lock) return 'it is unreadable (its writer was killed while writing it)';
  // Another machine's lock (a data folder on a network share) cannot be checked from here.
  if (lock.host !== hostname()) return null;
  if (Math.abs(bootedAt() - lock.bootedAt) > 120_000) return `process ${lock.pid} ran before the machine restarted`;
  // This process holds no lock here (held is checked first): the pid was an earlier process's.
  if (lock.pid === process.pid || !alive(lock.pid))
    return `process ${lock.pid} is no longer running (killed or crashed)`;
  return null;
}

/** Whose folder it is, in the words its messages use. */
export interface FolderLockOwner {
  /** The lock's file name in the folder (station.lock, hub.lock). */
  file: string;
  /** "station", "hub": in the messages ("The station's data folder ...") and as the stale line's prefix. */
  program: string;
  /** What to do when another process holds it, after "in use by process N (...).". */
  advice: string;
  /** Said after a stale lock is taken over, if anything (what recovers and how). */
  afterTakeover?: string;
}

/**
 * Takes a data folder for this process (creating the folder if need be), or throws
 * DataFolderInUseError naming the process that has it. Returns the release, which is also run at
 * process exit; calling it twice is harmless.
 */
export function lockFolder(
  owner: FolderLockOwner,
  dataDir: string,
  log: (line: string) => void = (line) => console.error(line),
): () => void {
  const dir = resolve(dataDir);
  const file = join(dir, owner.file);
  if (held.has(file))
    throw new DataFolderInUseError(
      `The ${owner.program}'s data folder ${dir} is already open in this process.`,
      process.pid,
    );
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    let fd: number;
    try {
      // 'wx': created only if absent, atomically; of two processes starting together one wins.
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      let lock: LockRecord | null;
      try {
        lock = read(file);
      } catch {
        continue; // released in between
      }
      const why = staleness(lock);
      if (why === null) {
        const holder = lock!;
        throw new DataFolderInUseError(
          `The ${owner.program}'s data folder ${dir} is in use by process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''} ` +
            `(${holder.command}, since ${new Date(holder.startedAt).toISOString()}). ${owner.advice} ` +
            `If no such process runs any more, delete ${file}.`,
          holder.pid,
        );
      }
      // Two processes taking over the same stale lock at the same instant could both go on; the
      // window is the few microseconds between this read and the unlink below.
      log(
        `${owner.program}: stale lock ${file} taken over: ${why}.${owner.afterTakeover ? ` ${owner.afterTakeover}` : ''}`,
      );
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    const record: LockRecord = {
      pid: process.pid,
      host: hostname(),
      bootedAt: bootedAt(),
      startedAt: Date.now(),
      command: [basename(process.argv[1] ?? 'node'), ...process.argv.slice(2)].join(' '),
    };
    try {
      writeSync(fd, JSON.stringify(record));
    } finally {
      closeSync(fd);
    }
    held.add(file);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(file);
      process.off('exit', release);
      try {
        if (read(file)?.pid === process.pid) unlinkSync(file);
      } catch {
        // already gone
      }
    };
    process.on('exit', release);
    return release;
  }
}
