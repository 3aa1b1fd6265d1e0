// One station process at a time in a data folder. SQLite itself lets two processes open
// station.db, and a second `npm run serve` (or the desktop app, or an administration command
// that writes) on the same folder would run as the same station id: two journals signed with one
// key, sequence numbers issued twice, the hub rejecting both. So every program that opens the
// station's store takes this lock first: `station.lock` in the data folder. The lock itself,
// stale locks included, is src/shared/data-lock.ts, which the hub's PGlite folder uses too.
//
//   const release = lockDataFolder(dataDir);   // throws DataFolderInUseError, naming the holder
//   ... open the store, work ...
//   release();                                  // also run at process exit
import { DataFolderInUseError, lockFolder, type FolderLockOwner } from '../shared/data-lock';

export { DataFolderInUseError };

export const STATION_LOCK_FILE = 'station.lock';

const STATION: FolderLockOwner = {
  file: STATION_LOCK_FILE,
  program: 'station',
  advice: 'One station program at a time may open it: stop that one first (or give this one another --data folder).',
};

/**
 * Takes the station's data folder for this process (creating the folder if need be), or throws
 * DataFolderInUseError naming the process that has it. Returns the release, which is also run at
 * process exit; calling it twice is harmless.
 */
export function lockDataFolder(dataDir: string, log?: (line: string) => void): () => void {
  return lockFolder(STATION, dataDir, log);
}
