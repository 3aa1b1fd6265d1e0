// What every `npm run station -- <command>` and `npm run hub` shares when it reads its command
// line: a mistyped or unknown option is the person's to fix, so it is said with the usage on
// stderr and exit code 2 (not a stack trace), and `--help` or a missing action prints the usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The exit code of a command line the person must correct. */
export const USAGE_EXIT = 2;

/**
 * `parseArgs` with `config`, or null after printing "<prefix>: <what is wrong>" and the usage on
 * stderr; the caller then exits with USAGE_EXIT.
 */
export function parseCommandLine<C extends ParseArgsConfig>(
  prefix: string,
  usage: string,
  config: C,
): ReturnType<typeof parseArgs<C>> | null {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`${prefix}: ${(error as Error).message}\n${usage}`);
    return null;
  }
}

/** `--help`, `-h` or `help` where a command's action would be: the person asks for the usage. */
export function isHelpWord(word: string | undefined): boolean {
  return word === '--help' || word === '-h' || word === 'help';
}

/** Prints the usage on stdout: exit 0 when it was asked for (--help), USAGE_EXIT when the command line was incomplete. */
export function printUsage(usage: string, asked: boolean): number {
  console.log(usage);
  return asked ? 0 : USAGE_EXIT;
}
