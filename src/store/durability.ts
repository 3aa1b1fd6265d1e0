// Group commit for the station's SQLite file.
//
// Every command is still its own SQLite transaction (state, journal entry and audit together, all
// or nothing). What is shared is the disk flush that makes committed transactions survive a power
// cut: SQLite commits with `synchronous = NORMAL` (the WAL is written, not yet flushed), and before
// anything is confirmed (an HTTP or IPC answer, a SIP2 response, a push to the hub) the caller
// awaits `durable()`, which flushes the WAL with fdatasync on libuv's thread pool. While one
// flush is on the disk, the event loop goes on committing other callers' transactions; the next
// flush covers all of them at once. That is the group commit PostgreSQL and most databases do, and
// what lets 20 self-checks at once be answered in a few milliseconds each instead of queueing
// behind 20 fsyncs one after the other.
//
// Why this is as safe as `synchronous = FULL` for what matters here:
// - kill -9 loses nothing either way: the WAL frames are in the operating system's page cache.
// - a power cut can lose a transaction that committed but was not yet flushed, and only such a
//   one; nobody was told it happened (answers wait for the flush), and the sync worker pushes
//   only flushed entries, so no hub holds a journal entry the station could lose and reuse.
// - the database is never corrupted: in WAL mode with NORMAL, SQLite itself flushes the WAL before
//   each checkpoint and the database file after it (https://sqlite.org/pragma.html#pragma_synchronous).
import { closeSync, fdatasync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

export interface Durability {
  /** Resolves once every transaction committed so far on this connection is on the disk. */
  durable(): Promise<void>;
  /** Flushes done so far: how many commits shared one is what group commit is for. */
  flushes(): number;
  close(): void;
}

/** For a store with no file of its own (`:memory:`) or one that never writes. */
export const ALWAYS_DURABLE: Durability = {
  durable: () => Promise.resolve(),
  flushes: () => 0,
  close: () => undefined,
};

/**
 * Flushes `<path>-wal` once per group of commits. The WAL file lives as long as the connection
 * (SQLite truncates it at checkpoints but removes it only when the last connection closes), so
 * one descriptor serves; fdatasync flushes the file's data whichever descriptor asks.
 */
export function walDurability(db: Database.Database, path: string): Durability {
  // Opened read-write: Windows flushes a file only through a handle that may write it. Opened at
  // the first flush: SQLite creates the WAL with the connection's first transaction.
  let fd: number | null = null;
  let closed = false;
  const walFd = () => {
    if (fd === null && !closed) fd = openSync(`${path}-wal`, 'r+');
    return fd;
  };
  // total_changes() counts every row written on this connection by any statement: a change made
  // outside the command path (a session, a lockout) is flushed before its answer too.
  const changes = db.prepare('SELECT total_changes()').pluck();
  let seen = changes.get() as number;
  /** Bumped when a write is seen; a flush started at generation g covers everything up to g. */
  let generation = 0;
  let flushed = 0;
  let inFlight: Promise<void> | null = null;
  let count = 0;

  const flushOnce = (): Promise<void> => {
    const covers = generation;
    return new Promise<void>((resolve, reject) => {
      const handle = walFd();
      if (handle === null) return reject(new Error('the station database is closed'));
      fdatasync(handle, (error) => {
        if (error) return reject(error);
        flushed = Math.max(flushed, covers);
        count += 1;
        resolve();
      });
    });
  };

  const durable = async (): Promise<void> => {
    const now = changes.get() as number;
    if (now !== seen) {
      seen = now;
      generation += 1;
    }
    const target = generation;
    // One flush on the disk at a time; whoever arrives meanwhile waits for it, then (if it did
    // not cover them) shares the next one with everyone else who arrived.
    while (flushed < target) {
      if (inFlight) {
        await inFlight.catch(() => undefined);
        continue;
      }
      inFlight = flushOnce().finally(() => {
        inFlight = null;
      });
      await inFlight;
    }
  };

  return {
    durable,
    flushes: () => count,
    close() {
      closed = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
