// A hub on PGlite with two branches (North and South) and its first admin (alice), served over
// HTTP on a free port: what the station-and-hub tests start from.
import type { FastifyInstance } from 'fastify';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';

export interface TwoBranchHub {
  db: HubDb;
  hub: Hub;
  server: FastifyInstance;
  url: string;
}

export async function startTwoBranchHub(): Promise<TwoBranchHub> {
  const db = await openHubDb({});
  await migrateHub(db);
  const hub = new Hub(db);
  await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  await hub.init({
    libraryName: 'County Library',
    admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
  });
  const server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  return { db, hub, server, url: `http://127.0.0.1:${(server.server.address() as { port: number }).port}` };
}

/** Closes the stations first (they may be mid-sync), then the hub. */
export async function stopTwoBranchHub(
  h: TwoBranchHub | undefined,
  stations: { close(): Promise<void> }[],
): Promise<void> {
  for (const s of stations) await s.close();
  await h?.server.close();
  await h?.db.close();
}
