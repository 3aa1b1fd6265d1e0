// The desktop app holds its data folder for its whole life (src/store/data-lock.ts): the
// single-instance lock keeps a second desktop app out, this keeps out `npm run serve` or an
// administration command on the same folder (a second program would run as the same station,
// signing two journals with one key). Taken by the main process, so a station core restarted
// after a crash finds the folder still its own app's. Refused: the reason in a message box and
// the log, and the app exits with code 4 (as `npm run serve` does).
import { DataFolderInUseError, lockDataFolder } from '../src/store/data-lock';

export interface DataFolderShell {
  showErrorBox(title: string, content: string): void;
  exit(code: number): void;
  log(level: 'warn' | 'error', message: string): void;
}

export const EXIT_DATA_FOLDER_IN_USE = 4;

/** True when this app now holds `dataDir`; false (after telling the user and exiting) when another program does. */
export function claimDataFolder(dataDir: string, shell: DataFolderShell): boolean {
  try {
    lockDataFolder(dataDir, (line) => shell.log('warn', line));
    return true;
  } catch (error) {
    if (!(error instanceof DataFolderInUseError)) throw error;
    shell.log('error', error.message);
    shell.showErrorBox('Circa', error.message);
    shell.exit(EXIT_DATA_FOLDER_IN_USE);
    return false;
  }
}
