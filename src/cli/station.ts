// `npm run station -- <command> ...`: the station's administration command line, run against a
// stopped station's data folder (`--data <dir>`). With no command, or with options only, it is
// the headless station itself (the same as `npm run serve`).
//
// Each command lives in its own module under `src/cli/station/` and is listed once here, so
// adding one touches one line of this file.
import { argv, exit } from 'node:process';
import { runWithDataFolderLock } from './station-lock';

interface StationCommand {
  /** One line for `npm run station -- help`. */
  summary: string;
  /**
   * False for a command that never opens the station's store (it works on files only). Every
   * other command runs holding the data folder's lock (src/cli/station-lock.ts), so it refuses to
   * run against a folder a running station has open.
   */
  opensStore?: boolean;
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<StationCommand>> = {
  import: () => import('./station/import').then((m) => m.command),
  export: () => import('./station/export').then((m) => m.command),
  sip2: () => import('./station/sip2').then((m) => m.command),
  notices: () => import('./station/notices').then((m) => m.command),
  hub: () => import('./station/hub').then((m) => m.command),
};

const [name, ...rest] = argv.slice(2);
if (name === undefined || name.startsWith('-')) {
  await import('./serve');
} else if (name === 'help') {
  console.log(
    'npm run station -- <command> --data <dir> ...   (or options only: the headless station, as npm run serve)\n',
  );
  for (const [commandName, load] of Object.entries(COMMANDS))
    console.log(`  ${commandName.padEnd(8)} ${(await load()).summary}`);
} else if (name in COMMANDS) {
  const command = await COMMANDS[name]!();
  exit(
    command.opensStore === false ? await command.run(rest) : await runWithDataFolderLock(rest, () => command.run(rest)),
  );
} else {
  console.error(`npm run station: no command "${name}". \`npm run station -- help\` lists them.`);
  exit(2);
}
