// One process at a time in a PGlite data folder. PGlite takes no lock of its own (its
// postmaster.pid always names a fake process, -42, and is ignored), so a second process opening
// the same folder (an `admin` command while the hub runs, a second hub) would write over the first
// one's WAL: acknowledged entries lost or the folder left unreadable. The lock is `hub.lock` in the
// data folder: the holder's pid, host and boot time. A lock whose process is gone (a hub killed
// with SIGKILL, a power cut) is stale: it is taken over with a line on stderr, and never stops a
// restart.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { basename, join, resolve } from 'node:path';

export const LOCK_FILE = 'hub.lock';

interface LockRecord {
  pid: number;
  host: string;
  /** When the machine booted (ms): a lock from before a reboot is stale whatever its pid. */
  bootedAt: number;
  startedAt: number;
  command: string;
}

export class DataFolderInUseError extends Error {}

const held = new Set<string>();

const bootedAt = () => Date.now() - uptime() * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
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
  if (lock.host !== hostname()) return null;
  if (Math.abs(bootedAt() - lock.bootedAt) > 120_000) return `process ${lock.pid} ran before the machine restarted`;
  // This process holds no lock here (held is checked first): the pid was an earlier process's.
  if (lock.pid === process.pid || !alive(lock.pid))
    return `process ${lock.pid} is no longer running (killed or crashed)`;
  return null;
}

/**
 * Takes the data folder for this process, or throws DataFolderInUseError naming the process that
 * has it. Returns the release (also run at exit).
 */
export function lockDataFolder(
  dataDir: string,
  log: (line: string) => void = (line) => console.error(line),
): () => void {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  if (held.has(dir)) throw new DataFolderInUseError(`The hub's data folder ${dir} is already open in this process.`);
  for (let attempt = 0; ; attempt += 1) {
    let fd: number;
    try {
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
          `The hub's data folder ${dir} is in use by process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''} (${holder.command}, since ${new Date(holder.startedAt).toISOString()}). ` +
            'PGlite keeps the database in this folder for one process at a time: stop that hub before running admin commands on this folder, or run the hub on PostgreSQL (DATABASE_URL). ' +
            `If no such process runs any more, delete ${file}.`,
        );
      }
      // Two processes taking over the same stale lock at the same instant could both go on; the
      // window is the few microseconds between this read and the unlink below.
      log(
        `hub: stale lock ${file} taken over: ${why}. The database recovers from its write-ahead log as after a crash.`,
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
    held.add(dir);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(dir);
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
