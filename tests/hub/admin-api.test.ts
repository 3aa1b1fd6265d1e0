// The hub's admin API (src/hub/admin-api.ts) as a guesser meets it, over real HTTP on PGlite:
// nothing without an administrator's password, a username refused after five wrong passwords,
// an address refused after twenty wrong ones whatever the usernames it tries, bad input a 400
// that changes nothing, and the failure counts bounded so a flood of made-up usernames cannot
// fill the hub's memory.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FailureCounts, MAX_TRACKED } from '../../src/hub/admin-api';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let server: FastifyInstance | null = null;
let db: HubDb | null = null;
afterEach(async () => {
  await server?.close();
  await db?.close();
  server = db = null;
});

/** A hub with two administrators, alice and bob, serving on a free port. */
async function runningHub() {
  db = await openHubDb({});
  await migrateHub(db);
  const hub = new Hub(db);
  await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  await hub.init({
    libraryName: 'County Library',
    admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
  });
  await hub.addAdmin({ branchCode: 'N', username: 'bob', displayName: 'Bob', password: 'bob password' });
  server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const admin = async (path: string, authorization?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { hub, admin };
}

describe('the hub admin API against a guesser', () => {
  it('answers nothing without an administrator, and says who signed in', async () => {
    const { admin } = await runningHub();
    expect(await admin('/admin/stations')).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await admin('/admin/stations', 'Basic not-base64!')).toMatchObject({ status: 401 });
    expect(await admin('/admin/stations', basic('nobody', 'alice password'))).toMatchObject({
      status: 401,
      body: { message: 'Unknown administrator or wrong password.' },
    });
    expect(await admin('/admin/whoami', basic('Alice', 'alice password'))).toEqual({
      status: 200,
      body: { username: 'alice' },
    });
  });

  it('refuses a username after five wrong passwords, even with the right one, and not the others', async () => {
    const { admin } = await runningHub();
    for (let i = 0; i < 5; i++) expect((await admin('/admin/whoami', basic('alice', `guess ${i}`))).status).toBe(401);
    expect(await admin('/admin/whoami', basic('alice', 'alice password'))).toMatchObject({
      status: 429,
      body: { code: 'LOCKED' },
    });
    expect(await admin('/admin/whoami', basic('bob', 'bob password'))).toEqual({
      status: 200,
      body: { username: 'bob' },
    });
  });

  it('refuses an address that sprays wrong passwords over many usernames', async () => {
    const { admin } = await runningHub();
    // Four tries each at five usernames: no username reaches its own limit, the address does.
    for (const user of ['carol', 'dave', 'erin', 'frank', 'alice'])
      for (let i = 0; i < 4; i++) expect((await admin('/admin/whoami', basic(user, `guess ${i}`))).status).toBe(401);
    expect(await admin('/admin/whoami', basic('bob', 'bob password'))).toMatchObject({
      status: 429,
      body: { message: 'Too many wrong passwords from this address: try again later.' },
    });
  });

  it('answers bad input with a 400 that changes nothing', async () => {
    const { hub, admin } = await runningHub();
    const alice = basic('alice', 'alice password');
    const before = await hub.branchCodes();
    expect(
      await admin('/admin/branches', alice, { code: 'S S', name: 'South', timeZone: 'America/New_York' }),
    ).toMatchObject({ status: 400, body: { code: 'INVALID' } });
    expect(await admin('/admin/branches', alice, { code: 'S', name: 'South', timeZone: 'Mars/Olympus' })).toMatchObject(
      { status: 400 },
    );
    expect(await admin('/admin/staff', alice, { branchCode: 'N', username: 'eve', password: 'short' })).toMatchObject({
      status: 400,
    });
    expect(await hub.branchCodes()).toEqual(before);
    expect(await admin('/admin/whoami', basic('eve', 'short'))).toMatchObject({ status: 401 });
  });
});

describe('the failure counts', () => {
  it('keep at most MAX_TRACKED keys, forgetting the oldest, and lock again after a lock ends', () => {
    let now = 0;
    const counts = new FailureCounts(() => now);
    for (let i = 0; i < 5; i++) counts.fail('user:alice');
    for (let i = 0; i < MAX_TRACKED - 1; i++) counts.fail(`user:made-up-${i}`);
    expect(counts.size).toBe(MAX_TRACKED);
    expect(counts.locked('user:alice', 5)).toBe(true);
    // One more made-up name: the oldest count goes (alice's, whose last failure came first).
    counts.fail('user:one-more');
    expect(counts.size).toBe(MAX_TRACKED);
    expect(counts.locked('user:alice', 5)).toBe(false);
    expect(counts.locked('user:one-more', 1)).toBe(true);
    // A lock ends 15 minutes after the last failure; the count does not, so one more wrong password locks again.
    for (let i = 0; i < 5; i++) counts.fail('user:bob');
    now += 15 * 60_000 + 1;
    expect(counts.locked('user:bob', 5)).toBe(false);
    counts.fail('user:bob');
    expect(counts.locked('user:bob', 5)).toBe(true);
  });
});
