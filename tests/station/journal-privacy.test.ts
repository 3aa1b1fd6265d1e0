// Reading history in the journal: once a loan has lost its patron, so do the journal entries
// that wrote it (src/services/journal-privacy.ts). On real station files.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { redactJournalReadingHistory } from '../../src/services/journal-privacy';
import { purgeExpiredLoanHistory } from '../../src/services/privacy';
import { startStationCore, type StationCore } from '../../src/station/core';
import { addPatron, addTitle, createTestStation, type TestStation } from '../support/station';

let t: TestStation | null = null;
let core: StationCore | null = null;

afterEach(async () => {
  await core?.close();
  core = null;
  if (t) {
    try {
      t.close();
    } catch {
      // already closed
    }
    rmSync(t.dir, { recursive: true, force: true });
  }
  t = null;
});

interface Entry {
  seq: number;
  command: string;
  payload: string;
  redacted_at: number | null;
}
const entries = (s: TestStation, command: string) =>
  s.s.store.db
    .prepare('SELECT seq, command, payload, redacted_at FROM journal WHERE command = ? ORDER BY seq')
    .all(command) as Entry[];
/** Does anything in this entry still point at the patron? */
const namesPatron = (e: Entry, patron: { id: string; cardBarcode: string }) =>
  e.payload.includes(patron.id) || e.payload.includes(patron.cardBarcode);

describe("the journal keeps no patron's reading history", () => {
  it('takes the patron out of the check-out and renewal entries once the loan is returned, and keeps the rest', () => {
    t = createTestStation();
    const ana = addPatron(t, 1, { firstName: 'Ana' });
    const { barcodes } = addTitle(t, 'The Dispossessed', 1, 1);
    const item = barcodes[0]!;
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: item }, t.staff);
    t.advanceDays(3);
    t.s.circulation.renew({ itemBarcode: item }, t.staff);

    // On loan: the journal must still say to whom (the desk, the hub, a dispute need it).
    expect(redactJournalReadingHistory(t.s.ctx)).toEqual({ redacted: 0, pending: 2 });
    expect(namesPatron(entries(t, 'circulation.checkout')[0]!, ana)).toBe(true);

    t.s.circulation.checkin({ itemBarcode: item }, t.staff);
    expect(redactJournalReadingHistory(t.s.ctx)).toEqual({ redacted: 2, pending: 0 });
    for (const command of ['circulation.checkout', 'circulation.renew']) {
      const [e] = entries(t, command);
      expect(namesPatron(e!, ana)).toBe(false);
      expect(e!.redacted_at).not.toBeNull();
      // What the desk did stays: which copy, when, the loan itself.
      expect(e!.payload).toContain(item);
      const payload = JSON.parse(e!.payload) as { effects: { table: string; row: Record<string, unknown> }[] };
      expect(payload.effects.find((x) => x.table === 'loans')!.row).toMatchObject({
        patronId: null,
        dueAt: expect.any(Number),
      });
    }
    // Ana herself is still a patron; her own record was never reading history.
    expect(namesPatron(entries(t, 'patrons.register')[0]!, ana)).toBe(true);
    expect(
      t.s.store.db.prepare("SELECT summary FROM audit WHERE command = 'privacy.redactJournal'").pluck().all(),
    ).toEqual(['removed the patron from 2 journal entries of returned loans']);
    // Nothing left: a later run changes nothing.
    expect(redactJournalReadingHistory(t.s.ctx)).toEqual({ redacted: 0, pending: 0 });
  });

  it("keeps the history of a patron who chose to keep one, and the link within the library's retention period", () => {
    t = createTestStation();
    const ben = addPatron(t, 1, { firstName: 'Ben', keepReadingHistory: true });
    const cy = addPatron(t, 2, { firstName: 'Cy' });
    const { barcodes } = addTitle(t, 'Kindred', 2, 1);
    t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    t.s.admin.updateSettings({ loanHistoryRetentionDays: 30 }, t.staff);
    t.s.circulation.checkout({ patronBarcode: cy.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[1]! }, t.staff);

    // Each check-out and its check-in (whose loan row keeps the link) wait.
    expect(redactJournalReadingHistory(t.s.ctx)).toEqual({ redacted: 0, pending: 4 });
    const [benOut, cyOut] = entries(t, 'circulation.checkout');
    expect(namesPatron(benOut!, ben)).toBe(true);
    expect(namesPatron(cyOut!, cy)).toBe(true);

    // The retention period ends: the purge unlinks Cy's loan, and the journal follows.
    t.advanceDays(31);
    purgeExpiredLoanHistory(t.s.ctx);
    expect(redactJournalReadingHistory(t.s.ctx).redacted).toBe(2);
    expect(namesPatron(entries(t, 'circulation.checkout')[1]!, cy)).toBe(false);
    expect(namesPatron(entries(t, 'circulation.checkout')[0]!, ben)).toBe(true);
  });

  it('on a station with a hub, waits until the hub has acknowledged an entry: what is waiting goes out as written', () => {
    t = createTestStation();
    t.s.ctx.writeState('hub_url', 'https://hub.example.org');
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Hild', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(redactJournalReadingHistory(t.s.ctx).redacted).toBe(0);
    expect(t.s.ctx.journal.pending().find((e) => e.command === 'circulation.checkout')!.payload).toMatchObject({
      input: { patronBarcode: ana.cardBarcode },
    });

    t.s.ctx.journal.acknowledge(
      t.s.ctx.journal.pending().map((e) => ({ seq: e.seq, outcome: 'applied' })),
      t.clock.now,
    );
    expect(redactJournalReadingHistory(t.s.ctx).redacted).toBe(1);
    expect(namesPatron(entries(t, 'circulation.checkout')[0]!, ana)).toBe(false);
  });

  it('goes round the entries it waits on, so those of a patron who keeps a history never hold up the others', () => {
    t = createTestStation();
    const ben = addPatron(t, 1, { firstName: 'Ben', keepReadingHistory: true });
    const ana = addPatron(t, 2, { firstName: 'Ana' });
    const { barcodes } = addTitle(t, 'Beloved', 4, 1);
    // Ben's three loans stay linked for good; Ana's comes after them and is still out.
    for (const b of barcodes.slice(0, 3))
      t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: b }, t.staff);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[3]! }, t.staff);
    expect(redactJournalReadingHistory(t.s.ctx, { batch: 10 })).toEqual({ redacted: 0, pending: 4 });
    t.s.circulation.checkin({ itemBarcode: barcodes[3]! }, t.staff);
    // Two waiting entries a run: the first run sees only Ben's, the next reaches Ana's.
    redactJournalReadingHistory(t.s.ctx, { batch: 2 });
    expect(namesPatron(entries(t, 'circulation.checkout')[3]!, ana)).toBe(true);
    redactJournalReadingHistory(t.s.ctx, { batch: 2 });
    expect(namesPatron(entries(t, 'circulation.checkout')[3]!, ana)).toBe(false);
    expect(
      entries(t, 'circulation.checkout')
        .slice(0, 3)
        .every((e) => namesPatron(e, ben)),
    ).toBe(true);
  });

  it('lets nothing else rewrite the journal: a payload changes only once, with redacted_at', () => {
    t = createTestStation();
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Lagoon', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    const db = t.s.store.db;
    const seq = entries(t, 'circulation.checkout')[0]!.seq;
    expect(() => db.prepare("UPDATE journal SET payload = '{}' WHERE seq = ?").run(seq)).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE journal SET command = ? WHERE seq = ?').run('x', seq)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM journal WHERE seq = ?').run(seq)).toThrow(/append-only/);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    redactJournalReadingHistory(t.s.ctx);
    expect(() => db.prepare("UPDATE journal SET payload = '{}', redacted_at = 1 WHERE seq = ?").run(seq)).toThrow(
      /append-only/,
    );
    // The hub's acknowledgement is still recorded as before.
    db.prepare("UPDATE journal SET acked_at = 1, outcome = 'applied' WHERE seq = ?").run(seq);
  });

  it('runs with the loan history purge when the station starts', async () => {
    t = createTestStation();
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Piranesi', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    t.s.close();
    core = await startStationCore({ dataDir: t.dir, now: () => t!.clock.now });
    const payload = core.services.store.db
      .prepare("SELECT payload FROM journal WHERE command = 'circulation.checkout'")
      .pluck()
      .get() as string;
    expect(payload).not.toContain(ana.cardBarcode);
    expect(payload).not.toContain(ana.id);
  });
});
