// One process at a time in a PGlite data folder. PGlite takes no lock of its own (its
// postmaster.pid always names a fake process, -42, and is ignored), so a second process opening
// the same folder (an `admin` command while the hub runs, a second hub) would write over the first
// one's WAL: acknowledged entries lost or the folder left unreadable. The lock is `hub.lock` in the
// data folder; the lock itself, stale locks included (a hub killed with SIGKILL, a power cut: taken
// over with a line on stderr, never stopping a restart), is src/shared/data-lock.ts, which the
// station's data folder uses too.
import { DataFolderInUseError, lockFolder, type FolderLockOwner } from '../shared/data-lock';

export { DataFolderInUseError };

export const LOCK_FILE = 'hub.lock';

const HUB: FolderLockOwner = {
  file: LOCK_FILE,
  program: 'hub',
  advice:
    'PGlite keeps the database in this folder for one process at a time: stop that hub before running admin commands on this folder, or run the hub on PostgreSQL (DATABASE_URL).',
  afterTakeover: 'The database recovers from its write-ahead log as after a crash.',
};

/**
 * Takes the data folder for this process, or throws DataFolderInUseError naming the process that
 * has it. Returns the release (also run at exit).
 */
export function lockDataFolder(dataDir: string, log?: (line: string) => void): () => void {
  return lockFolder(HUB, dataDir, log);
}
