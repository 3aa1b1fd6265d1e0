// Command-line and environment options of the desktop app, parsed without Electron.
import { join } from 'node:path';

export interface ShellOptions {
  kiosk: boolean;
  dataDir: string;
}

/** `--kiosk` opens the self-checkout; `--data <dir>` or CIRCA_DATA_DIR moves the data folder. */
export function parseShellOptions(
  argv: string[],
  env: Record<string, string | undefined>,
  userDataDir: string,
): ShellOptions {
  const i = argv.indexOf('--data');
  const dataArg = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--data='))?.slice('--data='.length);
  return {
    kiosk: argv.includes('--kiosk') || env.CIRCA_KIOSK === '1',
    dataDir: dataArg || env.CIRCA_DATA_DIR || join(userDataDir, 'station'),
  };
}
