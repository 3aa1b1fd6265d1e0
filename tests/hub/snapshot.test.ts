// A new station's first load: the whole library streamed as gzip NDJSON, cut half-way and resumed
// from the last row kept, then followed by the change feed. Nothing missing, nothing twice.
import type { FastifyInstance } from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotLine, type ChangesResponse } from '../../src/api/sync-protocol';
import { putRow, writeRows } from '../../src/hub/row-store';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { databases, dropSchemas } from './fixtures';
import { call } from './http-client';

afterAll(dropSchemas);

/** Reads the snapshot, keeping at most `keep` rows before hanging up (as a cut link would). */
function readSnapshot(
  url: string,
  credential: string,
  keep = Infinity,
): Promise<{ lines: SnapshotLine[]; gzip: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: false, headers: { authorization: `Bearer ${credential}`, 'accept-encoding': 'gzip' } },
      (res) => {
        const gzip = res.headers['content-encoding'] === 'gzip';
        const lines: SnapshotLine[] = [];
        let rows = 0;
        const rl = createInterface({ input: gzip ? res.pipe(createGunzip()) : res });
        rl.on('line', (text) => {
          if (rows >= keep) return;
          const line = SnapshotLine.parse(JSON.parse(text));
          lines.push(line);
          if ('cursor' in line && !('end' in line)) rows += 1;
          if (rows >= keep) {
            req.destroy();
            resolve({ lines, gzip });
          }
        });
        rl.on('close', () => resolve({ lines, gzip }));
      },
    );
    req.on('error', (e) => (keep === Infinity ? reject(e) : undefined));
  });
}

describe.each(databases())('the first load from the hub on %s', (_name, open) => {
  it('streams every row compressed, resumes after a cut, and hands over to the change feed', async () => {
    const db = await open();
    await migrateHub(db);
    const hub = new Hub(db);
    await hub.addBranch({ code: 'M', name: 'Main', timeZone: 'UTC' });
    await hub.init({ libraryName: 'County Library' });
    await writeRows(db, async (tx) => {
      for (let n = 0; n < 3000; n += 1)
        await putRow(tx, 'items', { id: `i${n}`, barcode: `b${n}`, status: 'available' });
    });
    const total = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM rows'))[0]!.n);
    const station = await hub.enrol(await hub.createEnrolmentCode('M'), 'new desk');
    const server: FastifyInstance = await createHubServer({ hub });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    try {
      // The link drops after 1,234 rows: no end line, so the station knows it was cut.
      const cut = await readSnapshot(`${base}/sync/snapshot?after=0`, station.credential, 1234);
      expect(cut.gzip).toBe(true);
      expect(cut.lines[0]).toMatchObject({ start: true, rows: total });
      expect(cut.lines.some((l) => 'end' in l)).toBe(false);
      const kept = cut.lines.filter((l): l is Extract<SnapshotLine, { table: string }> => 'table' in l);
      expect(kept).toHaveLength(1234);

      // Meanwhile a copy it already has changes at the hub; then the station resumes from its last row.
      await writeRows(db, (tx) => putRow(tx, 'items', { id: 'i5', barcode: 'b5', status: 'lost' }));
      const rest = await readSnapshot(`${base}/sync/snapshot?after=${kept.at(-1)!.cursor}`, station.credential);
      const end = rest.lines.at(-1)!;
      expect(end).toMatchObject({ end: true });
      const restRows = rest.lines.filter((l): l is Extract<SnapshotLine, { table: string }> => 'table' in l);
      // Every row arrived; i5, changed after the cut, arrives again in its new state, later in cursor order.
      const latest = new Map([...kept, ...restRows].map((l) => [`${l.table}/${l.row.id}`, l.row]));
      expect(latest.size).toBe(total);
      expect(kept.length + restRows.length).toBe(total + 1);
      expect(latest.get('items/i5')).toMatchObject({ status: 'lost' });

      // The change feed from the snapshot's end brings exactly what changed since.
      await writeRows(db, (tx) => putRow(tx, 'items', { id: 'i6', barcode: 'b6', status: 'damaged' }));
      const feed = await call(`${base}/sync/changes?after=${(end as { cursor: string }).cursor}`, {
        credential: station.credential,
      });
      expect((feed.body as ChangesResponse).changes.map((c) => [c.row.id, c.row.status])).toEqual([['i6', 'damaged']]);

      // Without a credential there is no library to load.
      expect((await call(`${base}/sync/snapshot?after=0`)).status).toBe(401);
    } finally {
      await server.close();
      await db.close();
    }
  }, 60_000);
});
