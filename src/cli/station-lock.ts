// The station administration commands (`npm run station -- <command> --data <dir>`) open the
// station's store, so they take the data folder's lock first (src/store/data-lock.ts): a command
// run against the folder of a running station (npm run serve, the desktop app) refuses with the
// holder's name instead of writing under it. src/cli/station.ts runs every command that opens
// the store through runWithDataFolderLock; a command may also call lockDataFolder itself.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataFolderInUseError, lockDataFolder } from '../store/data-lock';

/** The exit code of a command refused because another station program has the folder. */
export const EXIT_DATA_FOLDER_IN_USE = 4;

/** The `--data <dir>` (or `--data=<dir>`) among a command's arguments; `./data` as `npm run serve` defaults. */
export function dataDirOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--data' && args[i + 1] !== undefined) return resolve(args[i + 1]!);
    if (arg.startsWith('--data=')) return resolve(arg.slice('--data='.length));
  }
  return resolve('./data');
}

/** Runs `run` holding the data folder named in `args`; refused (exit code 4, one line) when another process holds it. */
export async function runWithDataFolderLock(
  args: readonly string[],
  run: () => Promise<number>,
  error: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  // A folder that is not there holds no station to guard: the command says so itself (no
  // station.db), and a mistyped --data is not left behind as an empty folder.
  const dir = dataDirOf(args);
  if (!existsSync(dir)) return run();
  let release: () => void;
  try {
    release = lockDataFolder(dir, error);
  } catch (e) {
    if (!(e instanceof DataFolderInUseError)) throw e;
    error(`npm run station: ${e.message}`);
    return EXIT_DATA_FOLDER_IN_USE;
  }
  try {
    return await run();
  } finally {
    release();
  }
}
