// Two real stations and a real hub over HTTP: a new station joins with a one-time code and loads
// the library; what one desk does reaches the other by itself, exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode, patronCard } from '../support/station';

let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let url: string;
const cores: StationCore[] = [];

beforeAll(async () => {
  db = await openHubDb({});
  await migrateHub(db);
  hub = new Hub(db);
  await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  await hub.init({ libraryName: 'County Library', admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' } });
  server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const c of cores) await c.close();
  await server.close();
  await db.close();
});

async function station(branch: string, name: string): Promise<{ core: StationCore; token: string }> {
  const core = await startStationCore({
    dataDir: mkdtempSync(join(tmpdir(), 'circa-sync-')),
    join: { hubUrl: url, code: await hub.createEnrolmentCode(branch), stationName: name },
    syncIntervalMs: 200,
  });
  cores.push(core);
  const signIn = await core.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {});
  if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
  return { core, token: (signIn.value as { token: string }).token };
}

async function ok(s: { core: StationCore; token: string }, name: string, input: unknown) {
  const r = await s.core.invoke(name, input, { sessionToken: s.token });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as Record<string, unknown>;
}

describe('stations and the hub', () => {
  it('joins with a code, loads the library, and carries each desk\'s work to the other', async () => {
    const north = await station('N', 'north desk');
    // The library came from the hub: its name, and the admin can sign in offline from now on.
    expect(await ok(north, 'setup.status', {})).toMatchObject({ configured: true, libraryName: 'County Library', branchName: 'North' });

    const record = await ok(north, 'catalogue.addRecord', { title: 'Los detectives salvajes' });
    await ok(north, 'catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
    await ok(north, 'patrons.register', { cardBarcode: patronCard(1), firstName: 'Ulises', lastName: 'Lima', categoryCode: 'ADULT' });
    await ok(north, 'circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    await expect.poll(() => north.core.services.ctx.journal.waitingCount(), { timeout: 10_000 }).toBe(0);
    const status = await ok(north, 'status.get', {});
    expect(status.sync).toMatchObject({ state: 'configured', reachable: true });

    const south = await station('S', 'south desk');
    const seen = await ok(south, 'patrons.lookup', { barcode: patronCard(1) });
    expect(seen).toMatchObject({ patron: { firstName: 'Ulises' }, loans: [{ title: 'Los detectives salvajes' }] });

    // Returned in the south: the north learns it by itself, and nothing was applied twice.
    await ok(south, 'circulation.checkin', { itemBarcode: itemBarcode(1) });
    await expect.poll(async () => ((await ok(north, 'patrons.lookup', { barcode: patronCard(1) })).loans as unknown[]).length, { timeout: 10_000 }).toBe(0);
    const received = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM received');
    const entries = north.core.services.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number };
    const southEntries = south.core.services.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number };
    await expect.poll(() => south.core.services.ctx.journal.waitingCount(), { timeout: 10_000 }).toBe(0);
    expect(Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM received'))[0]!.n)).toBe(entries.n + southEntries.n);
    void received;
  }, 60_000);
});
