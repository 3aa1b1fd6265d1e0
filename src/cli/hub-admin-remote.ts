// `npm run hub -- admin ...` against a running hub, through its admin API (src/hub/admin-api.ts):
// the CLI's way in while the hub serves, PGlite included. The administrator signs in with a
// username (--as, or CIRCA_HUB_ADMIN) and a password (CIRCA_HUB_ADMIN_PASSWORD, or asked for on
// the terminal without echo); neither is printed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { HubConnection } from '../sync/http-client';

/** Written into the data folder by a running PGlite hub: where its API listens, so the CLI finds it. */
export const HUB_ENDPOINT_FILE = 'hub-endpoint.json';

export function runningHubUrl(dataDir: string): string | null {
  const file = join(dataDir, HUB_ENDPOINT_FILE);
  if (!existsSync(file)) return null;
  try {
    const url = (JSON.parse(readFileSync(file, 'utf8')) as { url?: unknown }).url;
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

/** Reads a password from the terminal without showing it. */
export async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new Error('No administrator password: set CIRCA_HUB_ADMIN_PASSWORD or run on a terminal.');
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  process.stderr.write(prompt);
  muted = true;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

export class RemoteHubAdmin {
  private readonly conn: HubConnection;
  private readonly authorization: string;

  constructor(url: string, username: string, password: string, ca?: string | Buffer | null) {
    this.conn = new HubConnection(url, ca ? { ca } : {});
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.conn.json(path, {
      method,
      headers: {
        authorization: this.authorization,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }) as Promise<T>;
  }

  close(): void {
    this.conn.close();
  }
}
