// The loan history purge on a real station file: the station core runs it at start and daily,
// unlinks returned loans past the library's retention period from their patrons (unless they keep
// a reading history), and journals it like any other change, so the hub learns of it.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { COMMAND } from '../../src/domain/commands';
import { startStationCore, type StationCore } from '../../src/station/core';
import { addPatron, addTitle, createTestStation, type TestStation } from '../support/station';

const DAY = 86_400_000;
let t: TestStation | null = null;
let core: StationCore | null = null;

afterEach(async () => {
  await core?.close();
  core = null;
  if (t) rmSync(t.dir, { recursive: true, force: true });
  t = null;
});

function patronOfLoan(db: StationCore['services']['store']['db'], loanId: string): string | null {
  return (db.prepare('SELECT patron_id AS p FROM loans WHERE id = ?').get(loanId) as { p: string | null }).p;
}

/** Lends a copy to the patron and takes it back the same day. */
function lendAndReturn(s: TestStation, patronCard: string, barcode: string): string {
  const loan = s.s.circulation.checkout({ patronBarcode: patronCard, itemBarcode: barcode }, s.staff);
  s.s.circulation.checkin({ itemBarcode: barcode }, s.staff);
  return loan.loanId;
}

describe('the loan history purge', () => {
  it('unlinks old returned loans at start, keeps recent ones and opted-in reading histories, and journals it', async () => {
    t = createTestStation();
    t.s.admin.updateSettings({ loanHistoryRetentionDays: 30 }, t.staff);
    const ana = addPatron(t, 1, { firstName: 'Ana' });
    const ben = addPatron(t, 2, { firstName: 'Ben', keepReadingHistory: true });
    const { barcodes } = addTitle(t, 'Solaris', 3, 1);
    const old = lendAndReturn(t, ana.cardBarcode, barcodes[0]!);
    const kept = lendAndReturn(t, ben.cardBarcode, barcodes[1]!);
    t.advanceDays(25);
    const recent = lendAndReturn(t, ana.cardBarcode, barcodes[2]!);
    // Within the retention period the link stays (for disputes, lost-item charges).
    expect(patronOfLoan(t.s.store.db, old)).toBe(ana.id);
    t.advanceDays(6); // the first loans were returned 31 days ago
    t.s.close();

    core = await startStationCore({ dataDir: t.dir, now: () => t!.clock.now });
    const db = core.services.store.db;
    expect(patronOfLoan(db, old)).toBeNull();
    expect(patronOfLoan(db, recent)).toBe(ana.id);
    expect(patronOfLoan(db, kept)).toBe(ben.id);
    expect(core.services.patrons.readingHistory(ben.id).map((h) => h.title)).toEqual(['Solaris']);

    // One journal entry, by the system, carrying the unlinked loan's whole row for the hub.
    const entries = db
      .prepare('SELECT staff_id, payload FROM journal WHERE command = ?')
      .all(COMMAND.privacy.purgeLoanHistory) as { staff_id: string | null; payload: string }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]!.staff_id).toBeNull();
    const { effects } = JSON.parse(entries[0]!.payload) as {
      effects: { table: string; row: { id: string; patronId: unknown; returnedAt: unknown } }[];
    };
    expect(effects).toEqual([
      {
        table: 'loans',
        op: 'upsert',
        row: expect.objectContaining({ id: old, patronId: null, returnedAt: expect.any(Number) }),
      },
    ]);
    expect(
      db.prepare('SELECT count(*) AS n FROM audit WHERE command = ?').get(COMMAND.privacy.purgeLoanHistory),
    ).toEqual({ n: 1 });

    // Nothing more to unlink: a second start writes nothing.
    await core.close();
    core = await startStationCore({ dataDir: t.dir, now: () => t!.clock.now });
    expect(
      core.services.store.db
        .prepare('SELECT count(*) AS n FROM journal WHERE command = ?')
        .get(COMMAND.privacy.purgeLoanHistory),
    ).toEqual({ n: 1 });
  });

  it('runs again daily while the station stays up, and stops when it closes', async () => {
    t = createTestStation();
    t.s.admin.updateSettings({ loanHistoryRetentionDays: 7 }, t.staff);
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Roadside Picnic', 1, 1);
    const loanId = lendAndReturn(t, ana.cardBarcode, barcodes[0]!);
    t.s.close();

    core = await startStationCore({ dataDir: t.dir, now: () => t!.clock.now, privacyPurgeIntervalMs: 20 });
    const db = core.services.store.db;
    expect(patronOfLoan(db, loanId)).toBe(ana.id);
    // A week and a day later, without a restart: the next run unlinks it.
    t.advanceDays(8);
    await expect.poll(() => patronOfLoan(db, loanId), { timeout: 5_000 }).toBeNull();
    await core.close();
    core = null;
    // The timer went with the station: nothing runs on the closed database.
    t.clock.now += DAY;
    await new Promise((r) => setTimeout(r, 60));
  });

  it('with no retention period, unlinks the history a patron stopped keeping', async () => {
    t = createTestStation();
    const ana = addPatron(t, 1, { keepReadingHistory: true });
    const { barcodes } = addTitle(t, 'Ubik', 1, 1);
    const loanId = lendAndReturn(t, ana.cardBarcode, barcodes[0]!);
    expect(patronOfLoan(t.s.store.db, loanId)).toBe(ana.id);
    t.s.patrons.update(ana.id, { keepReadingHistory: false }, t.staff);
    t.advanceDays(1);
    t.s.close();
    core = await startStationCore({ dataDir: t.dir, now: () => t!.clock.now });
    expect(patronOfLoan(core.services.store.db, loanId)).toBeNull();
  });
});
