// Giving the WAL its working size once, at open, so that a commit never makes it grow.
//
// Why: with synchronous=FULL every commit ends in an fdatasync of the WAL. While the WAL grows,
// each commit also extends the file, and the sync must then journal the new size and the new
// blocks in the file system as well as the data: on ext4 that made a ten-page check-out commit
// cost about twice what the same commit costs into space the file already has (measured:
// 0.28 ms vs 0.17 ms at p50). SQLite reuses WAL space after each checkpoint but deletes the file
// when the store closes, so a station would pay the growth again after every start.
//
// How: while holding SQLite's write lock (BEGIN IMMEDIATE, so no other connection can append a
// frame), write zeros past the WAL's current end, up to the size it reaches at the automatic
// checkpoint threshold, and sync them. Zeros past the last valid frame are what SQLite itself
// leaves behind when it reuses a WAL (stale frames, told apart by their salt and checksum):
// recovery stops at the first frame whose salt does not match. Real zeros, not a sparse file or
// fallocate, so the blocks are written extents and later syncs are data only.
//
// The -wal file is opened here by a second descriptor; closing it is safe because SQLite keeps
// its POSIX locks on the database and -shm files, never on the -wal file.
import type Database from 'better-sqlite3';
import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Bytes of one WAL frame: a 24-byte header and one page. The file starts with a 32-byte header. */
export function walBytesFor(pages: number, pageSize: number): number {
  return 32 + pages * (24 + pageSize);
}

/**
 * Makes the store's WAL at least `bytes` long. Returns how many bytes were added (0 when it
 * already was, or when the store is in memory).
 */
export function reserveWalSpace(db: Database.Database, dbPath: string, bytes: number): number {
  if (dbPath === ':memory:' || bytes <= 0) return 0;
  const walPath = `${dbPath}-wal`;
  db.exec('BEGIN IMMEDIATE');
  try {
    let fd: number;
    try {
      fd = openSync(walPath, 'r+');
    } catch {
      return 0; // no WAL file (yet): nothing to extend, and nothing lost by not doing it
    }
    try {
      const size = fstatSync(fd).size;
      if (size >= bytes) return 0;
      const chunk = Buffer.alloc(1024 * 1024);
      for (let offset = size; offset < bytes; offset += chunk.length) {
        writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - offset), offset);
      }
      fsyncSync(fd);
      return bytes - size;
    } finally {
      closeSync(fd);
    }
  } finally {
    db.exec('COMMIT');
  }
}
