// The hub on embedded PGlite and on real PostgreSQL: enrolment, exactly-once push, and the
// circulation cases two stations create while apart.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry, RowChange } from '../../src/domain/journal';
import { putRow, writeRows } from '../../src/hub/row-store';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub, type StationIdentity } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { databases, dropSchemas, freshSchema, item, Journals, loan, patron, PG_URL, up } from './fixtures';

afterAll(dropSchemas);

let journals = new Journals();
const entry = (
  station: StationIdentity,
  command: string,
  effects: RowChange[],
  at: number,
  overrides?: JournalEntry['payload']['overrides'],
) => journals.entry(station, command, effects, at, overrides);

/** A hub with North and South, station A at North (its clock will run fast) and B at South, on a clock the test moves. */
async function twoStationsApart(open: () => Promise<HubDb>) {
  const db = await open();
  await migrateHub(db);
  const clock = { start: Date.UTC(2026, 10, 20, 15), now: Date.UTC(2026, 10, 20, 15) };
  const hub = new Hub(db, () => clock.now);
  const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  await hub.init({ libraryName: 'County Library' });
  const A = await hub.authenticate(
    `Bearer ${(await hub.enrol(await hub.createEnrolmentCode('N'), 'north, 10 min fast')).credential}`,
  );
  const B = await hub.authenticate(
    `Bearer ${(await hub.enrol(await hub.createEnrolmentCode('S'), 'south, on time')).credential}`,
  );
  journals = new Journals();
  await journals.desk(db, north);
  return { db, hub, north, south, A, B, clock };
}

describe.each(databases())('the hub on %s', (_name, open) => {
  it('enrols stations, applies each entry once, and resolves what two stations did while apart', async () => {
    const db = await open();
    await migrateHub(db);
    expect(await migrateHub(db)).toEqual([]); // nothing twice
    const hub = new Hub(db);
    const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
    const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
    await hub.init({ libraryName: 'County Library' });
    const a = await hub.enrol(await hub.createEnrolmentCode('N'), 'north desk');
    const b = await hub.enrol(await hub.createEnrolmentCode('S'), 'south desk');
    const code = await hub.createEnrolmentCode('N');
    await hub.enrol(code, 'once');
    await expect(hub.enrol(code, 'twice')).rejects.toThrow(/not valid/);
    const A = await hub.authenticate(`Bearer ${a.credential}`);
    const B = await hub.authenticate(`Bearer ${b.credential}`);
    await expect(hub.authenticate(`Bearer ${a.stationId}.wrong`)).rejects.toThrow(/wrong credential/);
    journals = new Journals();
    await journals.desk(db, north);
    const t0 = Date.UTC(2026, 10, 20, 15);

    // Both stations know patrons and an item; then both lend the item while apart.
    const setupA = [
      entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
      entry(A, 'catalogue.addItem', [item('i1', 'available', north)], t0),
    ];
    const r1 = await hub.push(A, setupA, Date.now());
    expect(r1.outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied']);
    const lendA = entry(
      A,
      'circulation.checkout',
      [loan('L1', 'i1', 'ana', north, t0 + 1000), item('i1', 'on_loan', north)],
      t0 + 1000,
    );
    const setupB = entry(B, 'patrons.register', [patron('ben', '22', south)], t0);
    const lendB = entry(
      B,
      'circulation.checkout',
      [loan('L2', 'i1', 'ben', south, t0 + 5000), item('i1', 'on_loan', south)],
      t0 + 5000,
    );

    // The same batch three times: applied once, the same answers each time.
    const batch = [lendA];
    const first = await hub.push(A, batch, Date.now());
    expect(await hub.push(A, batch, Date.now())).toMatchObject({ outcomes: first.outcomes });
    expect(await hub.push(A, batch, Date.now())).toMatchObject({ outcomes: first.outcomes });
    expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM received`))[0]!.n)).toBe(3);

    const lentTwice = await hub.push(B, [setupB, lendB], Date.now());
    expect(lentTwice.outcomes.map((o) => o.outcome)).toEqual(['applied', 'conflict']);
    expect(lentTwice.exceptions?.[0]).toMatchObject({ kind: 'lent_twice', itemId: 'i1' });
    const loans = await db.query<{ id: string; data: { returnedAt: number | null } }>(
      `SELECT id, data FROM rows WHERE table_name = 'loans' ORDER BY id`,
    );
    expect(loans.map((l) => [l.id, l.data.returnedAt])).toEqual([
      ['L1', t0 + 5000],
      ['L2', null],
    ]);
    for (const branch of [north, south])
      expect((await hub.exceptionsFor(branch)).exceptions[0]).toMatchObject({
        kind: 'lent_twice',
        patronIds: ['ana', 'ben'],
        itemId: 'i1',
      });

    // A's offline return of its (earlier) loan closes that loan only: the copy stays with Ben.
    const returnA = entry(
      A,
      'circulation.checkin',
      [
        loan('L1', 'i1', 'ana', north, t0 + 1000, { returnedAt: t0 + 9000, returnBranchId: north }),
        item('i1', 'available', north),
      ],
      t0 + 9000,
    );
    expect((await hub.push(A, [returnA], Date.now())).outcomes[0]!.outcome).toBe('applied');
    const i1 = (
      await db.query<{ data: { status: string } }>(`SELECT data FROM rows WHERE table_name = 'items' AND id = 'i1'`)
    )[0]!;
    expect(i1.data.status).toBe('on_loan');

    // The same fee paid at both desks: the second payment becomes a credit, with a warning.
    const fee = {
      id: 'f1',
      patronId: 'ana',
      kind: 'overdue',
      amount: 300,
      currency: 'USD',
      loanId: null,
      itemId: null,
      description: 'overdue',
      createdAt: t0,
    };
    await hub.push(A, [entry(A, 'fees.charge', [up('fees', { ...fee, outstanding: 300 })], t0)], Date.now());
    const pay = (st: StationIdentity, id: string) =>
      entry(
        st,
        'fees.pay',
        [
          up('payments', {
            id,
            patronId: 'ana',
            amount: 300,
            tendered: 300,
            currency: 'USD',
            method: 'cash',
            staffId: null,
            createdAt: t0,
          }),
          up('fees', { ...fee, outstanding: 0 }),
          up('payment_allocations', { id: `${id}-a`, paymentId: id, feeId: 'f1', amount: 300 }),
        ],
        t0,
      );
    expect((await hub.push(A, [pay(A, 'p1')], Date.now())).outcomes[0]!.outcome).toBe('applied');
    const second = await hub.push(B, [pay(B, 'p2')], Date.now());
    expect(second.outcomes[0]).toMatchObject({
      outcome: 'applied_with_warning',
      reason: expect.stringContaining('credit'),
    });
    const credit = await db.query<{ data: { outstanding: number } }>(
      `SELECT data FROM rows WHERE table_name = 'fees' AND data->>'description' = 'credit: paid twice'`,
    );
    expect(credit.map((c) => c.data.outstanding)).toEqual([-300]);

    // Two desks register the same card: both kept, the second is a conflict.
    const dup = await hub.push(B, [entry(B, 'patrons.register', [patron('ana2', '21', south)], t0)], Date.now());
    expect(dup.outcomes[0]!.outcome).toBe('conflict');
    expect(dup.exceptions?.[0]).toMatchObject({ kind: 'duplicate_card' });

    // A gap stops the batch and says which seq it wants; a forged station id is refused whole.
    const skipped = entry(A, 'x', [], t0);
    skipped.seq += 1;
    expect(await hub.push(A, [skipped], Date.now())).toMatchObject({ outcomes: [], expectedSeq: skipped.seq - 1 });
    await expect(hub.push(A, [{ ...lendB, id: 'forged' }], Date.now())).rejects.toThrow(/only its own entries/);

    // The change feed: every row, in order, resumable from any cursor.
    const all = await hub.changes(0, 1000);
    expect(all.changes.some((c) => c.table === 'settings')).toBe(true);
    const firstPage = await hub.changes(0, 3);
    expect(firstPage.more).toBe(true);
    const rest = await hub.changes(Number(firstPage.nextCursor), 1000);
    expect(firstPage.changes.length + rest.changes.length).toBe(all.changes.length);
    await db.close();
  }, 60_000);

  it('lets an offline loan to a barred patron and an offline renewal past the limit stand, with warnings; puts held copies on the pull list; measures the clock', async () => {
    const db = await open();
    await migrateHub(db);
    const hub = new Hub(db, () => Date.UTC(2026, 10, 20, 16));
    const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
    const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
    await hub.init({ libraryName: 'County Library' });
    const A = await hub.authenticate(
      `Bearer ${(await hub.enrol(await hub.createEnrolmentCode('N'), 'north')).credential}`,
    );
    const B = await hub.authenticate(
      `Bearer ${(await hub.enrol(await hub.createEnrolmentCode('S'), 'south')).credential}`,
    );
    journals = new Journals();
    await journals.desk(db, north);
    const t0 = Date.UTC(2026, 10, 20, 15);
    const outcomes = async (st: StationIdentity, ...entries: JournalEntry[]) =>
      (await hub.push(st, entries, t0)).outcomes.map((o) => o.outcome);
    expect(
      await outcomes(
        A,
        entry(A, 'patrons.register', [patron('cy', '31', north)], t0),
        entry(
          A,
          'catalogue.addItem',
          [item('i2', 'available', north), item('i3', 'available', north), item('i4', 'available', north)],
          t0,
        ),
      ),
    ).toEqual(['applied', 'applied']);

    // The clock: the station's wall time against the hub's, returned and kept per station.
    const late = await hub.push(A, [], Date.UTC(2026, 10, 20, 16, 3));
    expect(late.clockOffsetMs).toBe(3 * 60_000);
    expect(
      Number(
        (
          await db.query<{ clock_offset_ms: string }>('SELECT clock_offset_ms FROM stations WHERE id = $1', [
            A.stationId,
          ])
        )[0]!.clock_offset_ms,
      ),
    ).toBe(3 * 60_000);

    // Barred at the hub (by South) while North lent to Cy offline: the loan stands, with a warning.
    expect(
      await outcomes(
        B,
        entry(
          B,
          'patrons.addBlock',
          [
            up('patron_blocks', {
              id: 'bl1',
              patronId: 'cy',
              kind: 'barred',
              reason: 'conduct',
              until: null,
              createdAt: t0,
            }),
          ],
          t0,
        ),
      ),
    ).toEqual(['applied']);
    const barredLoan = await hub.push(
      A,
      [
        entry(
          A,
          'circulation.checkout',
          [loan('L3', 'i2', 'cy', north, t0 + 1000), item('i2', 'on_loan', north)],
          t0 + 1000,
        ),
      ],
      t0,
    );
    expect(barredLoan.outcomes[0]).toMatchObject({
      outcome: 'applied_with_warning',
      reason: expect.stringContaining('barred'),
    });
    expect(
      (await db.query(`SELECT id FROM rows WHERE table_name = 'loans' AND id = 'L3' AND data->>'returnedAt' IS NULL`))
        .length,
    ).toBe(1);

    // A third renewal offline where the rule allows two: it stands, with a warning. A second one within the limit is plain.
    const renew = (n: number) =>
      entry(
        A,
        'circulation.renew',
        [loan('L3', 'i2', 'cy', north, t0 + 1000, { renewals: n, lastRenewedAt: t0 + n * 1000 })],
        t0 + n * 1000,
      );
    expect(await outcomes(A, renew(2))).toEqual(['applied_with_warning']); // still barred
    await hub.push(
      B,
      [entry(B, 'patrons.removeBlock', [{ table: 'patron_blocks', op: 'delete', row: { id: 'bl1' } }], t0)],
      t0,
    );
    expect(await outcomes(A, renew(2))).toEqual(['applied']);
    const over = await hub.push(A, [renew(3)], t0);
    expect(over.outcomes[0]).toMatchObject({
      outcome: 'applied_with_warning',
      reason: expect.stringContaining('renewal limit'),
    });
    const l3 = (
      await db.query<{ data: { renewals: number } }>(`SELECT data FROM rows WHERE table_name = 'loans' AND id = 'L3'`)
    )[0]!;
    expect(l3.data.renewals).toBe(3);

    // South placed a hold on the title; North, offline, checked a copy in and shelved it: the hold
    // stays pending and the copy goes on North's pull list (an exception for both branches).
    const hold = (id: string, status: string, itemId: string | null, extra: Record<string, unknown> = {}) =>
      up('holds', {
        id,
        patronId: 'cy',
        recordId: 'r1',
        itemId,
        itemLevel: false,
        pickupBranchId: south,
        placedAt: t0,
        status,
        suspendedUntil: null,
        waitingSince: null,
        shelfExpiresOn: null,
        ...extra,
      });
    await hub.push(B, [entry(B, 'holds.place', [hold('H1', 'pending', null)], t0)], t0);
    const lendI3 = entry(
      A,
      'circulation.checkout',
      [loan('L4', 'i3', 'cy', north, t0 + 2000), item('i3', 'on_loan', north)],
      t0 + 2000,
    );
    const shelved = entry(
      A,
      'circulation.checkin',
      [
        loan('L4', 'i3', 'cy', north, t0 + 2000, { returnedAt: t0 + 3000, returnBranchId: north }),
        item('i3', 'available', north),
      ],
      t0 + 3000,
    );
    const pull = await hub.push(A, [lendI3, shelved], t0);
    expect(pull.outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied_with_warning']);
    expect(pull.exceptions?.[0]).toMatchObject({ kind: 'hold_to_pull', itemId: 'i3', patronIds: ['cy'] });
    expect((await hub.exceptionsFor(south)).exceptions.map((x) => x.kind)).toContain('hold_to_pull');
    const h1 = (
      await db.query<{ data: { status: string } }>(`SELECT data FROM rows WHERE table_name = 'holds' AND id = 'H1'`)
    )[0]!;
    expect(h1.data.status).toBe('pending');

    // Where the station trapped a copy for the hold itself (it had pulled the hold before going offline), the trap stands.
    const trapped = entry(
      A,
      'circulation.checkin',
      [item('i4', 'in_transit', north), hold('H1', 'in_transit', 'i4')],
      t0 + 4000,
    );
    expect(await outcomes(A, trapped)).toEqual(['applied']);
    const h1b = (
      await db.query<{ data: { status: string; itemId: string } }>(
        `SELECT data FROM rows WHERE table_name = 'holds' AND id = 'H1'`,
      )
    )[0]!;
    expect(h1b.data).toMatchObject({ status: 'in_transit', itemId: 'i4' });
    await db.close();
  }, 60_000);

  it("orders a copy lent at two stations by their check-out times corrected for each station's measured clock offset", async () => {
    const { db, hub, north, south, A, B, clock } = await twoStationsApart(open);
    const T = clock.start;
    const min = 60_000;
    // A's wall clock runs 10 minutes fast; B's is right. Each push carries the station's wall time.
    const fastA = 10 * min;
    const pushA = (...entries: JournalEntry[]) => hub.push(A, entries, clock.now + fastA);
    const pushB = (...entries: JournalEntry[]) => hub.push(B, entries, clock.now);
    await pushA(
      entry(A, 'patrons.register', [patron('ana', '21', north)], T + fastA),
      entry(
        A,
        'catalogue.addItem',
        [item('i1', 'available', north), item('i2', 'available', north), item('i3', 'available', north)],
        T + fastA,
      ),
    );
    await pushB(entry(B, 'patrons.register', [patron('ben', '22', south)], T));
    const loans = async (itemId: string) =>
      Object.fromEntries(
        (
          await db.query<{ id: string; data: { checkedOutAt: number; returnedAt: number | null; patronId: string } }>(
            `SELECT id, data FROM rows WHERE table_name = 'loans' AND data->>'itemId' = $1`,
            [itemId],
          )
        ).map((l) => [l.id, [l.data.patronId, l.data.checkedOutAt, l.data.returnedAt]]),
      );
    const lend = (st: StationIdentity, id: string, itemId: string, patronId: string, branch: string, wall: number) =>
      entry(
        st,
        'circulation.checkout',
        [loan(id, itemId, patronId, branch, wall), item(itemId, 'on_loan', branch)],
        wall,
      );

    // A lends i1 at true T+1 (its wall says T+11) and pushes first; B lends it at true T+5.
    clock.now = T + 2 * min;
    expect((await pushA(lend(A, 'L1', 'i1', 'ana', north, T + 11 * min))).outcomes[0]!.outcome).toBe('applied');
    clock.now = T + 6 * min;
    const second = await pushB(lend(B, 'L2', 'i1', 'ben', south, T + 5 * min));
    expect(second.outcomes[0]).toMatchObject({ outcome: 'conflict', reason: expect.stringContaining('clocks') });
    expect(second.exceptions?.[0]).toMatchObject({
      kind: 'lent_twice',
      itemId: 'i1',
      patronIds: ['ana', 'ben'],
      message: expect.stringContaining('clock'),
    });
    // Ben has the copy; Ana's loan stays in history, its check-out time as A wrote it, closed at
    // true T+5 on A's clock (T+15).
    expect(await loans('i1')).toEqual({ L1: ['ana', T + 11 * min, T + 15 * min], L2: ['ben', T + 5 * min, null] });

    // The other way round: B's loan of i2 (true T+5) reaches the hub first, then A's (true T+1, wall T+11).
    clock.now = T + 7 * min;
    expect((await pushB(lend(B, 'L4', 'i2', 'ben', south, T + 5 * min))).outcomes[0]!.outcome).toBe('applied');
    clock.now = T + 8 * min;
    const late = await pushA(lend(A, 'L3', 'i2', 'ana', north, T + 11 * min));
    expect(late.outcomes[0]).toMatchObject({ outcome: 'conflict', reason: expect.stringContaining('clocks') });
    expect(late.exceptions?.[0]).toMatchObject({ kind: 'lent_twice', itemId: 'i2', patronIds: ['ana', 'ben'] });
    expect(await loans('i2')).toEqual({ L3: ['ana', T + 11 * min, T + 15 * min], L4: ['ben', T + 5 * min, null] });

    // Where both corrected and raw times agree, the message says nothing of clocks: B lends i3 at
    // true T+9, A at true T+10 (wall T+20): A's borrower has it, closed at A's raw time.
    clock.now = T + 9 * min;
    await pushB(lend(B, 'L5', 'i3', 'ben', south, T + 9 * min));
    clock.now = T + 11 * min;
    const plain = await pushA(lend(A, 'L6', 'i3', 'ana', north, T + 20 * min));
    expect(plain.outcomes[0]).toMatchObject({ outcome: 'conflict', reason: 'lent twice' });
    expect(plain.exceptions?.[0]?.message).not.toMatch(/clock/);
    expect(await loans('i3')).toEqual({ L5: ['ben', T + 9 * min, T + 20 * min], L6: ['ana', T + 20 * min, null] });
    await db.close();
  }, 60_000);

  it('orders a copy lent twice by the raw check-out times where no clock offset is known', async () => {
    const { db, hub, north, south, A, B, clock } = await twoStationsApart(open);
    const T = clock.start;
    const min = 60_000;
    await hub.push(
      A,
      [
        entry(A, 'patrons.register', [patron('ana', '21', north)], T),
        entry(A, 'catalogue.addItem', [item('i1', 'available', north)], T),
      ],
      T,
    );
    await hub.push(B, [entry(B, 'patrons.register', [patron('ben', '22', south)], T)], T);
    // A's loan reached the hub before it kept stations' clocks per loan (no loan_clocks row): its
    // raw time stands, as it always did, and the later raw time wins.
    clock.now = T + 2 * min;
    await hub.push(
      A,
      [
        entry(
          A,
          'circulation.checkout',
          [loan('L1', 'i1', 'ana', north, T + 11 * min), item('i1', 'on_loan', north)],
          T + 11 * min,
        ),
      ],
      clock.now + 10 * min,
    );
    await db.query(`DELETE FROM loan_clocks WHERE loan_id = 'L1'`);
    clock.now = T + 6 * min;
    const second = await hub.push(
      B,
      [
        entry(
          B,
          'circulation.checkout',
          [loan('L2', 'i1', 'ben', south, T + 5 * min), item('i1', 'on_loan', south)],
          T + 5 * min,
        ),
      ],
      clock.now,
    );
    expect(second.outcomes[0]).toMatchObject({ outcome: 'conflict', reason: 'lent twice' });
    expect(second.exceptions?.[0]).toMatchObject({
      kind: 'lent_twice',
      patronIds: ['ben', 'ana'],
      message: 'The same copy was lent at two stations while they were apart; the later borrower has it.',
    });
    const rows = await db.query<{ id: string; data: { returnedAt: number | null } }>(
      `SELECT id, data FROM rows WHERE table_name = 'loans' ORDER BY id`,
    );
    expect(rows.map((l) => [l.id, l.data.returnedAt])).toEqual([
      ['L1', null],
      ['L2', T + 11 * min],
    ]);
    await db.close();
  }, 60_000);
});

describe('the hub migrator', () => {
  it('applies a migration merged after a newer one was applied (by tag, not by date)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-hub-mig-'));
    mkdirSync(join(dir, 'meta'));
    const journal = (tags: [string, number][]) =>
      writeFileSync(
        join(dir, 'meta', '_journal.json'),
        JSON.stringify({ entries: tags.map(([tag, when], idx) => ({ idx, tag, when })) }),
      );
    writeFileSync(join(dir, '0000_a.sql'), 'CREATE TABLE a (id int);');
    writeFileSync(
      join(dir, '0002_c.sql'),
      'CREATE TABLE c (id int);--> statement-breakpoint\nINSERT INTO c VALUES (1);',
    );
    writeFileSync(join(dir, '0001_b.sql'), 'CREATE TABLE b (id int);');
    const db = await openHubDb({});
    try {
      journal([
        ['0000_a', 100],
        ['0002_c', 300],
      ]);
      expect(await migrateHub(db, dir)).toEqual(['0000_a', '0002_c']);
      // A branch merged later brings a migration dated before the newest applied one.
      journal([
        ['0000_a', 100],
        ['0001_b', 200],
        ['0002_c', 300],
      ]);
      expect(await migrateHub(db, dir)).toEqual(['0001_b']);
      expect(await db.query('SELECT * FROM b')).toEqual([]);
      expect(await migrateHub(db, dir)).toEqual([]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the change feed on PostgreSQL', () => {
  it('never lets a cursor pass a change that commits late', async () => {
    const db = await openHubDb({ databaseUrl: PG_URL, schema: freshSchema() });
    await migrateHub(db);
    const hub = new Hub(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const slowWrote = new Promise<void>((r) => (written = r));
    // The slow transaction writes first (it would get the lower number), then waits...
    const slow = writeRows(db, async (tx) => {
      await putRow(tx, 'records', { id: 'slow', title: 'Slow' });
      written();
      await gate;
    });
    await slowWrote;
    // ...while a quick one writes and commits; a station pulls and moves its cursor past it.
    await writeRows(db, (tx) => putRow(tx, 'records', { id: 'quick', title: 'Quick' }));
    const first = await hub.changes(0);
    expect(first.changes.map((c) => c.row.id)).toEqual(['quick']);
    release();
    await slow;
    // The late commit still comes after that cursor.
    const next = await hub.changes(Number(first.nextCursor));
    expect(next.changes.map((c) => c.row.id)).toEqual(['slow']);
    await db.close();
  });
});

describe('the hub over HTTP', () => {
  it('refuses a corrupt batch whole and an unknown station', async () => {
    const db = await openHubDb({});
    await migrateHub(db);
    const hub = new Hub(db);
    await hub.addBranch({ code: 'M', name: 'Main', timeZone: 'UTC' });
    const station = await hub.enrol(await hub.createEnrolmentCode('M'), 'desk');
    const app = await createHubServer({ hub });
    const auth = { authorization: `Bearer ${station.credential}` };
    const bad = await app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: auth,
      payload: { stationWallTime: 1, entries: [{ id: 'x', seq: 'one' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID' });
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM received'))[0]!.n)).toBe(0);
    const anon = await app.inject({ method: 'GET', url: '/sync/changes?after=0' });
    expect(anon.statusCode).toBe(401);
    const feed = await app.inject({ method: 'GET', url: '/sync/changes?after=0', headers: auth });
    expect(feed.json()).toMatchObject({ more: false });
    await app.close();
    await db.close();
  });
});
