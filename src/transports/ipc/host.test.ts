// The core's side of the protocol with the real station core, over a real MessageChannel (the
// same kind of port Electron's utilityProcess gives the core).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startStationCore } from '../../station/core';
import { hostStationCore } from './host';
import type { FromCore } from './protocol';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function hostOver(dataDir: string) {
  const channel = new MessageChannel();
  channels.push(channel);
  const received: FromCore[] = [];
  channel.port1.on('message', (m: FromCore) => received.push(m));
  const exits: number[] = [];
  const hosted = hostStationCore({
    port: { postMessage: (m) => channel.port2.postMessage(m), onMessage: (l) => void channel.port2.on('message', l) },
    openCore: () => startStationCore({ dataDir }),
    exit: (code) => exits.push(code),
  });
  const result = async (id: number) => {
    await expect
      .poll(() => received.find((m) => m.type === 'result' && m.id === id), { timeout: 10_000 })
      .toBeDefined();
    return received.find((m) => m.type === 'result' && m.id === id);
  };
  return { send: (m: unknown) => channel.port1.postMessage(m), received, exits, hosted, result };
}

const SETUP = {
  libraryName: 'Villa Library',
  branchCode: 'MAIN',
  branchName: 'Main',
  timeZone: 'Europe/Madrid',
  currency: 'EUR',
  locale: 'es-ES',
  admin: { username: 'admin', displayName: 'Ana', password: 'long enough' },
};

describe('the station core host', () => {
  it('says ready, answers calls with the core, and refuses what the contract refuses', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'circa-host-'));
    const h = hostOver(dataDir);
    await h.hosted.ready;
    await expect.poll(() => h.received[0]).toEqual({ type: 'ready' });
    h.send({ type: 'call', id: 1, name: 'setup.initialize', input: SETUP, sessionToken: null });
    expect(await h.result(1)).toMatchObject({ ok: true, value: { branchId: expect.any(String) } });
    h.send({
      type: 'call',
      id: 2,
      name: 'auth.signIn',
      input: { username: 'admin', password: 'long enough' },
      sessionToken: null,
    });
    const signIn = (await h.result(2)) as { ok: true; value: { token: string } };
    h.send({ type: 'call', id: 3, name: 'staff.list', input: {}, sessionToken: signIn.value.token });
    expect(await h.result(3)).toMatchObject({ ok: true, value: [{ username: 'admin' }] });
    // The core validates and authorises again, whatever the main process let through.
    h.send({ type: 'call', id: 4, name: 'staff.list', input: {}, sessionToken: null });
    expect(await h.result(4)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    h.send({ type: 'call', id: 5, name: 'patrons.lookup', input: { barcode: 42 }, sessionToken: signIn.value.token });
    expect(await h.result(5)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    h.send({ type: 'call', id: 6, name: 'nope', sessionToken: null, extra: 'field' });
    expect(await h.result(6)).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'Malformed message.' } });

    h.send({ type: 'shutdown' });
    await expect.poll(() => h.exits).toEqual([0]);
    await expect.poll(() => h.received.at(-1)).toEqual({ type: 'closed' });
    // Closed properly: the write-ahead log was checkpointed and removed, and the data is there.
    expect(existsSync(join(dataDir, 'station.db-wal'))).toBe(false);
    const db = new Database(join(dataDir, 'station.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM staff').get()).toEqual({ n: 1 });
    db.close();
  });

  it('reports a core that cannot start instead of going quiet', async () => {
    // A data folder path that is taken by a file: the core cannot open its database there.
    const taken = join(mkdtempSync(join(tmpdir(), 'circa-host-')), 'station-folder');
    writeFileSync(taken, 'not a folder');
    const h = hostOver(taken);
    await h.hosted.ready;
    await expect.poll(() => h.received).toEqual([{ type: 'fatal', message: expect.stringMatching(/station-folder/) }]);
    expect(h.exits).toEqual([1]);
  });
});
