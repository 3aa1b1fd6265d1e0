// A hub made from a stand-alone station takes the station's journal whole or not at all: an
// entry it would reject (here one altered after it was signed) refuses the init, and the hub is
// left as empty as it was. The founding acts are taken from that station only, once.
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/domain/journal';
import { migrateHub } from '../../src/hub/db';
import { foundHubFromStation, type FoundingStation } from '../../src/hub/founding';
import { Hub } from '../../src/hub/hub';
import { openFoundingStation } from '../../src/cli/hub-from-station';
import { addPatron, addTitle, createTestStation, itemBarcode, patronCard, type TestStation } from '../support/station';
import { databases, dropSchemas } from './fixtures';

afterAll(dropSchemas);

/** The same station, with one entry's journal row changed on the way to the hub. */
function altered(station: FoundingStation, seq: number, change: (e: JournalEntry) => JournalEntry): FoundingStation {
  return {
    ...station,
    async *journal() {
      for await (const batch of station.journal())
        yield { ...batch, entries: batch.entries.map((e) => (e.seq === seq ? change(e) : e)) };
    },
  };
}

const counts = async (hub: Hub) =>
  (
    await hub.db.query<Record<string, string>>(
      'SELECT (SELECT count(*) FROM library) AS library, (SELECT count(*) FROM branches) AS branches, (SELECT count(*) FROM rows) AS rows, (SELECT count(*) FROM stations) AS stations, (SELECT count(*) FROM received) AS received, (SELECT count(*) FROM enrolment_codes) AS codes',
    )
  )[0];

describe.each(databases())('a hub made from a station (%s)', (_name, open) => {
  /** A new, empty hub and the stopped station `t` opened to make it from; closed when `use` is done. */
  async function fromStation(
    t: TestStation,
    use: (hub: Hub, opened: ReturnType<typeof openFoundingStation>) => Promise<void>,
  ): Promise<void> {
    t.s.close();
    const db = await open();
    await migrateHub(db);
    const hub = new Hub(db);
    const opened = openFoundingStation(t.path, 'Main desk');
    try {
      await use(hub, opened);
    } finally {
      opened.close();
      await db.close();
      t.close();
    }
  }

  it('refuses a journal with an entry it would reject, and writes nothing', async () => {
    const t = createTestStation();
    addTitle(t, 'Pedro Páramo', 1, 1);
    addPatron(t, 1);
    t.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) }, t.staff);
    await fromStation(t, async (hub, opened) => {
      const empty = await counts(hub);
      // The check-out's loan made longer after it was signed.
      const last = await (async () => {
        let n = 0;
        for await (const b of opened.station.journal()) n = b.entries.at(-1)!.seq;
        return n;
      })();
      const tampered = altered(opened.station, last, (e) => ({
        ...e,
        payload: {
          ...e.payload,
          effects: e.payload.effects.map((c) =>
            c.table === 'loans' ? { ...c, row: { ...c.row, dueAt: Number(c.row.dueAt) + 86_400_000 * 60 } } : c,
          ),
        },
      }));
      await expect(foundHubFromStation(hub, tampered)).rejects.toThrow(
        new RegExp(
          `^The station's journal does not go into a hub as it is: entry ${last} \\(circulation.checkout, .*\\) would be rejected: the entry's signature is not staff account admin's. Nothing was written to the hub.$`,
        ),
      );
      expect(await counts(hub)).toEqual(empty);

      // A set-up that names a staff account is no founding act: it is checked as any push, and refused.
      const renamed = altered(opened.station, 1, (e) => ({ ...e, staffId: t.staff.staffId }));
      await expect(foundHubFromStation(hub, renamed)).rejects.toThrow(
        /entry 1 \(setup.initialize, .*\) would be rejected: the library's set-up is signed by its station/,
      );
      expect(await counts(hub)).toEqual(empty);

      // As it is, it goes in; the station's key alone is what the set-up is checked with.
      const report = await foundHubFromStation(hub, opened.station);
      expect(report).toMatchObject({
        entries: last,
        outcomes: { applied: last, applied_with_warning: 0, conflict: 0, rejected: 0 },
        branchCode: 'MAIN',
        staff: 1,
      });
    });
  }, 60_000);

  // `npm run station -- sip2 add-account` without --admin on a stand-alone station: the station
  // signs the account itself. A hub made from that station takes it, from that station only.
  it("takes a SIP2 account the station's own command line made, signed by the station, and no forgery of one", async () => {
    const t = createTestStation();
    const made = t.s.sip2.save(
      {
        id: null,
        login: 'selfcheck1',
        password: 'self check 1',
        branchId: t.branchId,
        allowed: ['checkout', 'checkin', 'renew', 'patron_info'],
        requirePin: true,
        errorDetection: false,
        active: true,
      },
      { kind: 'system', staffId: null },
    );
    await fromStation(t, async (hub, opened) => {
      const empty = await counts(hub);
      let seq = 0;
      for await (const b of opened.station.journal())
        for (const e of b.entries) if (e.command === 'sip2.saveAccount') seq = e.seq;
      expect(seq).toBeGreaterThan(0);
      // Its rows changed after it was signed: not the station's act any more.
      const forged = altered(opened.station, seq, (e) => ({
        ...e,
        payload: {
          ...e.payload,
          effects: e.payload.effects.map((c) => ({ ...c, row: { ...c.row, allowed: '["checkout","fee_paid"]' } })),
        },
      }));
      await expect(foundHubFromStation(hub, forged)).rejects.toThrow(
        new RegExp(
          `entry ${seq} \\(sip2.saveAccount, .*\\) would be rejected: the entry's signature is not this station's`,
        ),
      );
      expect(await counts(hub)).toEqual(empty);

      const report = await foundHubFromStation(hub, opened.station);
      expect(report.outcomes).toMatchObject({ rejected: 0, conflict: 0 });
      const rows = await hub.db.query<{ data: { login: string; active: boolean } }>(
        "SELECT data FROM rows WHERE table_name = 'sip_accounts' AND id = $1",
        [made.id],
      );
      expect(rows.map((r) => [r.data.login, r.data.active])).toEqual([['selfcheck1', true]]);
    });
  }, 60_000);
});
