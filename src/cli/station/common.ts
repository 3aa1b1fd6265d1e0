// What `npm run station -- import|export` share: opening a stopped station's data folder,
// signing an account in (an import is signed by the account that runs it, as at the desk, so
// the hub takes it), the file's fingerprint for resuming, and the closing report.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { stdin, stderr } from 'node:process';
import { ROLE_PERMISSIONS } from '../../domain/permissions';
import type { Permission } from '../../domain/types';
import type { Actor } from '../../services/command';
import { ServiceError } from '../../services/errors';
import { stationDatabasePath } from '../../station/core';
import { openStation, type StationServices } from '../../station/services';
import { NotMarcError } from '../../services/import/marc-reader';

export class UsageError extends Error {}

export function openDataFolder(data: string | undefined): StationServices {
  if (!data) throw new UsageError("--data <dir> is required: the stopped station's data folder.");
  const path = stationDatabasePath(resolve(data));
  if (!existsSync(path)) throw new UsageError(`There is no station in ${resolve(data)} (no station.db).`);
  return openStation(path);
}

/**
 * Signs `username` in with the password from CIRCA_PASSWORD or typed at the prompt, and checks
 * the account may do this. The password is never echoed, logged or kept.
 */
export async function signIn(
  s: StationServices,
  username: string | undefined,
  permission: Permission,
): Promise<{ actor: Actor; token: string }> {
  if (!username)
    throw new UsageError('--user <username> is required: the import is signed by the staff account that runs it.');
  const password = process.env.CIRCA_PASSWORD ?? (await askPassword(`Password for ${username}: `));
  const session = await s.auth.signIn(username, password);
  if (!ROLE_PERMISSIONS[session.staff.role].includes(permission)) {
    s.auth.signOut(session.token);
    throw new ServiceError(
      'FORBIDDEN',
      `The account ${username} (a ${session.staff.role}) lacks the ${permission} permission this needs.`,
    );
  }
  return { actor: { kind: 'staff', staffId: session.staff.id, sessionToken: session.token }, token: session.token };
}

async function askPassword(prompt: string): Promise<string> {
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new UsageError('No password: set CIRCA_PASSWORD or type it at the prompt.');
  }
  stderr.write(prompt);
  stdin.setRawMode(true);
  let typed = '';
  return new Promise((done) => {
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          stderr.write('\n');
          done(typed);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Size and the hash of the first MiB: enough to know a second run is of the same file. */
export function fingerprint(path: string): string {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 1024 * 1024));
    readSync(fd, head, 0, head.length, 0);
    return createHash('sha256').update(String(size)).update(head).digest('hex').slice(0, 32);
  } finally {
    closeSync(fd);
  }
}

export function inputFile(path: string | undefined): { path: string; size: number; stream: AsyncIterable<Uint8Array> } {
  if (!path) throw new UsageError('Which file? Give its path.');
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`There is no file ${full}.`);
  if (statSync(full).isDirectory()) throw new UsageError(`${full} is a folder, not a file: give the file's path.`);
  return { path: full, size: statSync(full).size, stream: createReadStream(full, { highWaterMark: 256 * 1024 }) };
}

/**
 * The file an export writes (`--out`), checked before the station is opened: its folder must be
 * there, and it must not be a folder itself.
 */
export function outputFile(path: string | undefined, what = '--out <file>'): string {
  if (!path) throw new UsageError(`${what} is required.`);
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory())
    throw new UsageError(`${full} is a folder: --out names the file to write, such as ${join(full, 'export')}.`);
  const folder = dirname(full);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(
      `There is no folder ${folder} to write ${basename(full)} in: make it first, or choose another --out.`,
    );
  return full;
}

/** A progress line on stderr for a person watching (not with --json, not when stderr is not a terminal). */
export function progressPrinter(
  enabled: boolean,
): (p: { read: number; bytes: number; totalBytes: number | null }) => void {
  let last = 0;
  return (p) => {
    if (!enabled || !stderr.isTTY) return;
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    const pct = p.totalBytes ? Math.floor((100 * p.bytes) / p.totalBytes) : 0;
    stderr.write(`\r${pct}%  ${p.read} read`);
  };
}

/** Runs a command body, turning the errors a person can fix into a message and an exit code. */
export async function runCli(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`npm run station: ${error.message}`);
      return 2;
    }
    if (error instanceof ServiceError || error instanceof NotMarcError) {
      console.error(`npm run station: ${error.message}`);
      return 1;
    }
    // A file the system would not read or write (no permission, a full disk): its words, not a stack trace.
    const system = error as NodeJS.ErrnoException;
    if (typeof system?.code === 'string' && typeof system.syscall === 'string') {
      console.error(`npm run station: ${system.message}`);
      return 1;
    }
    throw error;
  }
}
