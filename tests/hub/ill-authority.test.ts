// The hub takes a desk's interlibrary loans (src/hub/authority.ts, src/hub/policy.ts): a
// technician's whole borrowing and lending life cycles, journaled at a station joined to a real
// hub over HTTP, apply as they are, the ILL patron category the first lending request makes among
// them; a technician's change of that category afterwards is still an administrator's to make.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import type { Actor } from '../../src/services/command';
import { openStation } from '../../src/station/services';
import { joinHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';
import { addDays, localDateOf } from '../../src/domain/time';
import { itemBarcode, MONDAY_10AM, patronCard } from '../support/station';
import { databases, dropSchemas } from './fixtures';

afterAll(dropSchemas);

describe.each(databases().slice(0, 1))('interlibrary loan at the hub on %s', (_name, open) => {
  it("applies a technician's borrowing and lending life cycles, and the ILL category made for them", async () => {
    const db = await open();
    await migrateHub(db);
    const hub = new Hub(db);
    await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
    await hub.init({
      libraryName: 'County Library',
      admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
    });
    const server = await createHubServer({ hub });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    const clock = { now: MONDAY_10AM };
    const n = openStation(join(mkdtempSync(join(tmpdir(), 'circa-ill-hub-')), 'station.db'), { now: () => clock.now });
    try {
      await joinHub(n, { hubUrl: url, code: await hub.createEnrolmentCode('N'), stationName: 'north desk' });
      await n.auth.signIn('alice', 'alice password');
      const alice: Actor = {
        kind: 'staff',
        staffId: (n.store.db.prepare("SELECT id FROM staff WHERE username = 'alice'").get() as { id: string }).id,
      };
      const tom = n.admin.saveStaff(
        { username: 'tom', displayName: 'Tom', role: 'technician', password: 'tom password' },
        alice,
      );
      await n.auth.signIn('tom', 'tom password');
      const t: Actor = { kind: 'staff', staffId: tom.id };
      const today = localDateOf(clock.now, 'America/New_York');

      // Borrowing, every step.
      const reader = n.patrons.register(
        { cardBarcode: patronCard(1), firstName: 'Juan', lastName: 'Preciado', categoryCode: 'ADULT' },
        t,
      ).patron;
      const asked = n.ill.requestBorrowing(
        { patronId: reader.id, title: 'Pedro Páramo', partnerName: 'State Library', partnerAgencyId: 'ISIL:US-ST' },
        t,
      );
      n.ill.send(asked.id, t);
      n.ill.markShipped(asked.id, addDays(today, 30), t);
      const got = n.ill.receive(asked.id, { lenderDueOn: addDays(today, 30) }, t);
      n.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: got.itemBarcode! }, t);
      clock.now += 7 * 86_400_000;
      expect(n.circulation.checkin({ itemBarcode: got.itemBarcode! }, t).action).toBe('ill_ship_back');
      n.ill.shipBack(asked.id, t);

      // Lending, every step: the first request makes the ILL category and the library's card.
      const record = n.catalogue.addRecord(
        {
          title: 'El llano en llamas',
          author: 'Juan Rulfo',
          isbn: null,
          issn: null,
          publisher: null,
          year: 1953,
          callNumber: null,
        },
        alice,
      );
      n.catalogue.addItem({ barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' }, alice);
      const lent = n.ill.recordLending(
        {
          partnerName: 'Hill County',
          partnerAgencyId: 'ISIL:US-HC',
          libraryCardBarcode: patronCard(40),
          requestingRequestId: 'HC-9',
          title: 'El llano en llamas',
          recordId: record.id,
        },
        t,
      );
      n.ill.pull(lent.id, itemBarcode(1), t);
      n.circulation.checkout({ patronBarcode: patronCard(40), itemBarcode: itemBarcode(1) }, t);
      n.ill.shipLending(lent.id, t);
      n.circulation.checkin({ itemBarcode: itemBarcode(1) }, t);
      expect(n.ill.get(lent.id).status).toBe('returned');

      const sync = async () => {
        const worker = new SyncWorker(n.ctx, new HttpHubClient(url, n.ctx.readState('hub_credential')!));
        try {
          await worker.syncNow();
        } finally {
          await worker.stop();
        }
      };
      await sync();
      const outcomes = await db.query<{ command: string; outcome: string; reason: string | null }>(
        'SELECT command, outcome, reason FROM received WHERE station_id = $1 ORDER BY seq',
        [n.ctx.identity().stationId],
      );
      expect(outcomes.length).toBe((n.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n);
      expect(outcomes.filter((o) => o.outcome === 'rejected' || o.outcome === 'conflict')).toEqual([]);
      expect(outcomes.map((o) => o.command)).toEqual(
        expect.arrayContaining(['ill.receive', 'ill.shipLending', 'ill.recordLending', 'ill.shipBack']),
      );
      const hubRows = await db.query<{ status: string }>(
        `SELECT data->>'status' AS status FROM rows WHERE table_name = 'ill_requests' ORDER BY data->>'createdAt'`,
      );
      expect(hubRows.map((r) => r.status)).toEqual(['shipped_back', 'returned']);
      expect((await db.query(`SELECT 1 FROM rows WHERE table_name = 'patron_categories' AND id = 'ILL'`)).length).toBe(
        1,
      );

      // The category exists now: a technician's change of it is an administrator's to make.
      n.admin.saveCategory({ code: 'ILL', name: 'Other libraries', cardValidityDays: 3650 }, t);
      await sync();
      const last = (
        await db.query<{ command: string; outcome: string }>(
          'SELECT command, outcome FROM received WHERE station_id = $1 ORDER BY seq DESC LIMIT 1',
          [n.ctx.identity().stationId],
        )
      )[0];
      expect(last).toEqual({ command: 'categories.save', outcome: 'rejected' });
    } finally {
      n.close();
      await server.close();
      await db.close();
    }
  }, 60_000);
});
