// Found by the sync property test (tests/sync/property.test.ts), kept here as plain cases on
// PGlite and PostgreSQL: where the hub keeps its own version of a row a station sent, the
// station still hears the hub's verdict; and a desk that renews a loan it did not know was
// returned elsewhere does not reopen it.
import { afterAll, describe, expect, it } from 'vitest';
import type { RowChange } from '../../src/domain/journal';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { databases, dropSchemas, item, Journals, loan, patron, up } from './fixtures';

afterAll(dropSchemas);

/** A hub with North and South, a station enrolled at each, and North's desk journal. */
async function twoDesks(db: Parameters<typeof migrateHub>[0]) {
  await migrateHub(db);
  const hub = new Hub(db);
  const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  const A = { stationId: (await hub.enrol(await hub.createEnrolmentCode('N'), 'north')).stationId, branchId: north };
  const B = { stationId: (await hub.enrol(await hub.createEnrolmentCode('S'), 'south')).stationId, branchId: south };
  const j = new Journals();
  await j.desk(db, north);
  return { hub, north, south, A, B, j, t0: Date.UTC(2026, 10, 20, 15) };
}

/** A title-level hold on record r1, pending unless `extra` says otherwise. */
const holdRow = (t0: number, id: string, patronId: string, pickup: string, extra: Record<string, unknown> = {}) =>
  up('holds', {
    id,
    patronId,
    recordId: 'r1',
    itemId: null,
    itemLevel: false,
    pickupBranchId: pickup,
    placedAt: t0,
    status: 'pending',
    suspendedUntil: null,
    waitingSince: null,
    shelfExpiresOn: null,
    ...extra,
  });

describe.each(databases())("the hub's verdicts reach the station that sent the row, on %s", (_name, open) => {
  it("keeps a returned loan returned when another desk renews it, and sends both desks the hub's rows", async () => {
    const db = await open();
    try {
      await migrateHub(db);
      const hub = new Hub(db);
      const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
      const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
      const a = await hub.enrol(await hub.createEnrolmentCode('N'), 'north');
      const b = await hub.enrol(await hub.createEnrolmentCode('S'), 'south');
      const A = { stationId: a.stationId, branchId: north };
      const B = { stationId: b.stationId, branchId: south };
      const j = new Journals();
      await j.desk(db, north);
      const t0 = Date.UTC(2026, 10, 20, 15);
      await hub.push(
        A,
        [
          j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
          j.entry(A, 'catalogue.addItem', [item('i1', 'available', north)], t0),
          j.entry(
            A,
            'circulation.checkout',
            [loan('L1', 'i1', 'ana', north, t0 + 1000), item('i1', 'on_loan', north)],
            t0 + 1000,
          ),
        ],
        Date.now(),
      );
      // South, which pulled the loan, checks the copy in; the copy goes home in transit.
      const returned = { returnedAt: t0 + 9000, returnBranchId: south, patronId: null };
      await hub.push(
        B,
        [
          j.entry(
            B,
            'circulation.checkin',
            [
              loan('L1', 'i1', 'ana', north, t0 + 1000, returned),
              {
                ...item('i1', 'in_transit', north),
                row: { ...item('i1', 'in_transit', north).row, currentBranchId: south, transitToBranchId: north },
              },
            ],
            t0 + 9000,
          ),
        ],
        Date.now(),
      );
      const cursor = (await hub.changes(0, 5000)).nextCursor;

      // North had not heard of the return and renews the loan: the return stands.
      const renew = await hub.push(
        A,
        [
          j.entry(
            A,
            'circulation.renew',
            [
              loan('L1', 'i1', 'ana', north, t0 + 1000, {
                renewals: 1,
                lastRenewedAt: t0 + 10_000,
                dueAt: t0 + 42 * 864e5,
              }),
            ],
            t0 + 10_000,
          ),
        ],
        Date.now(),
      );
      expect(renew.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('already returned'),
      });
      const rows = async (table: string, id: string) =>
        (
          await db.query<{ data: Record<string, unknown> }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2', [
            table,
            id,
          ])
        )[0]!.data;
      expect(await rows('loans', 'L1')).toMatchObject({ returnedAt: t0 + 9000, renewals: 0 });
      // North kept its renewal while the entry was waiting; the feed now sends it the returned loan.
      const after = await hub.changes(Number(cursor), 5000);
      expect(after.changes).toContainEqual({
        table: 'loans',
        op: 'upsert',
        row: expect.objectContaining({ id: 'L1', returnedAt: t0 + 9000 }),
      });

      // North, still unaware, checks the copy in too, late, with a fine: the first return stands
      // and the second fine is kept for the record but not charged; a payment of it is a credit.
      const lateFine = {
        id: 'fine2',
        patronId: 'ana',
        kind: 'overdue',
        amount: 500,
        outstanding: 500,
        currency: 'USD',
        loanId: 'L1',
        itemId: 'i1',
        description: 'overdue',
        createdAt: t0 + 50 * 864e5,
      };
      const again = await hub.push(
        A,
        [
          j.entry(
            A,
            'circulation.checkin',
            [
              up('fees', lateFine),
              loan('L1', 'i1', 'ana', north, t0 + 1000, {
                returnedAt: t0 + 50 * 864e5,
                returnBranchId: north,
                patronId: null,
              }),
              item('i1', 'available', north),
            ],
            t0 + 50 * 864e5,
          ),
        ],
        Date.now(),
      );
      expect(again.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('the first return stands'),
      });
      expect(await rows('loans', 'L1')).toMatchObject({ returnedAt: t0 + 9000, returnBranchId: south });
      expect(await rows('fees', 'fine2')).toMatchObject({
        amount: 500,
        outstanding: 0,
        description: 'overdue (not charged: returned twice)',
      });
      const paid = await hub.push(
        A,
        [
          j.entry(
            A,
            'fees.pay',
            [
              up('payments', {
                id: 'p9',
                patronId: 'ana',
                amount: 500,
                tendered: 500,
                currency: 'USD',
                method: 'cash',
                staffId: null,
                createdAt: t0,
              }),
              up('fees', { ...lateFine, outstanding: 0 }),
              up('payment_allocations', { id: 'p9-a', paymentId: 'p9', feeId: 'fine2', amount: 500 }),
            ],
            t0 + 51 * 864e5,
          ),
        ],
        Date.now(),
      );
      expect(paid.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('500 kept as a credit'),
      });
      expect(await rows('fees', 'fine2')).toMatchObject({
        outstanding: 0,
        description: 'overdue (not charged: returned twice)',
      });

      // North lends the copy again (it is back), and South, offline, checks in the copy it still
      // thinks is in transit: the hub keeps the copy on loan, and sends South its copy back.
      await hub.push(
        A,
        [
          j.entry(
            A,
            'circulation.checkout',
            [loan('L2', 'i1', 'ana', north, t0 + 20_000), item('i1', 'on_loan', north)],
            t0 + 20_000,
          ),
        ],
        Date.now(),
      );
      const before = (await hub.changes(0, 5000)).nextCursor;
      const shelved: RowChange = { table: 'items', op: 'upsert', row: { ...item('i1', 'available', north).row } };
      const checkin = await hub.push(B, [j.entry(B, 'circulation.checkin', [shelved], t0 + 21_000)], Date.now());
      expect(checkin.outcomes[0]!.outcome).toBe('applied');
      expect(await rows('items', 'i1')).toMatchObject({ status: 'on_loan' });
      const sent = await hub.changes(Number(before), 5000);
      expect(sent.changes).toEqual([
        { table: 'items', op: 'upsert', row: expect.objectContaining({ id: 'i1', status: 'on_loan' }) },
      ]);
    } finally {
      await db.close();
    }
  });

  it('keeps the first trap when two desks trap the same copy for different holds', async () => {
    const db = await open();
    try {
      const { hub, north, south, A, B, j, t0 } = await twoDesks(db);
      const hold = (id: string, patronId: string, pickup: string, extra: Record<string, unknown> = {}) =>
        holdRow(t0, id, patronId, pickup, extra);
      await hub.push(
        A,
        [
          j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
          j.entry(A, 'patrons.register', [patron('ben', '22', north)], t0),
          j.entry(A, 'catalogue.addItem', [item('i1', 'available', north)], t0),
          j.entry(A, 'holds.place', [hold('h1', 'ana', north)], t0),
          j.entry(A, 'holds.place', [hold('h2', 'ben', south)], t0),
        ],
        Date.now(),
      );
      // North checks the copy in and traps it for Ana; South, apart, checks it in and traps it for Ben.
      const shelf = (branch: string) => ({
        ...item('i1', 'on_hold_shelf', north),
        row: { ...item('i1', 'on_hold_shelf', north).row, currentBranchId: branch },
      });
      await hub.push(
        A,
        [
          j.entry(
            A,
            'circulation.checkin',
            [hold('h1', 'ana', north, { status: 'waiting', itemId: 'i1', waitingSince: t0 + 1 }), shelf(north)],
            t0 + 1,
          ),
        ],
        Date.now(),
      );
      const second = await hub.push(
        B,
        [
          j.entry(
            B,
            'circulation.checkin',
            [hold('h2', 'ben', south, { status: 'waiting', itemId: 'i1', waitingSince: t0 + 2 }), shelf(south)],
            t0 + 2,
          ),
        ],
        Date.now(),
      );
      expect(second.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('the first trap stands'),
      });
      expect(second.exceptions).toEqual([
        expect.objectContaining({ kind: 'trapped_twice', itemId: 'i1', patronIds: ['ana', 'ben'] }),
      ]);
      const data = async (table: string, id: string) =>
        (
          await db.query<{ data: Record<string, unknown> }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2', [
            table,
            id,
          ])
        )[0]!.data;
      expect(await data('holds', 'h1')).toMatchObject({ status: 'waiting', itemId: 'i1' });
      expect(await data('holds', 'h2')).toMatchObject({ status: 'pending', itemId: null, waitingSince: null });
      expect(await data('items', 'i1')).toMatchObject({ status: 'on_hold_shelf', currentBranchId: north });
    } finally {
      await db.close();
    }
  });

  it('flags a copy trapped for a hold that another desk, not knowing of the trap, cancelled', async () => {
    const db = await open();
    try {
      const { hub, north, A, B, j, t0 } = await twoDesks(db);
      const hold = (extra: Record<string, unknown> = {}) => holdRow(t0, 'h1', 'ana', north, extra);
      await hub.push(
        A,
        [
          j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
          j.entry(A, 'catalogue.addItem', [item('i1', 'available', north)], t0),
          j.entry(A, 'holds.place', [hold()], t0),
        ],
        Date.now(),
      );
      // North checks the copy in and traps it for Ana; South, which has not pulled that yet,
      // cancels Ana's hold as it knows it: pending, no copy.
      await hub.push(
        A,
        [
          j.entry(
            A,
            'circulation.checkin',
            [hold({ status: 'waiting', itemId: 'i1', waitingSince: t0 + 1 }), item('i1', 'on_hold_shelf', north)],
            t0 + 1,
          ),
        ],
        Date.now(),
      );
      const cancelled = await hub.push(
        B,
        [j.entry(B, 'holds.cancel', [hold({ status: 'cancelled' })], t0 + 2)],
        Date.now(),
      );
      expect(cancelled.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('take it off the hold shelf'),
      });
      expect(cancelled.exceptions).toEqual([
        expect.objectContaining({
          kind: 'trapped_for_closed_hold',
          params: { holdStatus: 'cancelled' },
          itemId: 'i1',
          patronIds: ['ana'],
        }),
      ]);
      // North, where the copy is, hears of it too.
      expect((await hub.exceptionsFor(north)).exceptions).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'trapped_for_closed_hold', itemId: 'i1' })]),
      );
      const data = async (table: string, id: string) =>
        (
          await db.query<{ data: Record<string, unknown> }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2', [
            table,
            id,
          ])
        )[0]!.data;
      expect(await data('holds', 'h1')).toMatchObject({ status: 'cancelled' });
      expect(await data('items', 'i1')).toMatchObject({ status: 'on_hold_shelf', currentBranchId: north });
    } finally {
      await db.close();
    }
  });

  it('applies a waiver made at a desk that had not heard of a payment to what is still owed', async () => {
    const db = await open();
    try {
      const { hub, north, A, B, j, t0 } = await twoDesks(db);
      const fee = {
        id: 'f1',
        patronId: 'ana',
        kind: 'damage',
        amount: 300,
        currency: 'USD',
        loanId: null,
        itemId: null,
        description: 'damage',
        createdAt: t0,
      };
      await hub.push(
        A,
        [
          j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
          j.entry(A, 'fees.charge', [up('fees', { ...fee, outstanding: 300 })], t0),
        ],
        Date.now(),
      );
      // North takes 100; South, which still sees 300 owed, waives 50 and then 200.
      const pay = {
        id: 'p1',
        patronId: 'ana',
        amount: 100,
        tendered: 100,
        currency: 'USD',
        method: 'cash',
        staffId: null,
        createdAt: t0,
      };
      await hub.push(
        A,
        [
          j.entry(
            A,
            'fees.pay',
            [
              up('payments', pay),
              up('fees', { ...fee, outstanding: 200 }),
              up('payment_allocations', { id: 'a1', paymentId: 'p1', feeId: 'f1', amount: 100 }),
            ],
            t0 + 1,
          ),
        ],
        Date.now(),
      );
      const waive = (id: string, amount: number, left: number) =>
        j.entry(
          B,
          'fees.waive',
          [
            up('fee_waivers', { id, feeId: 'f1', amount, reason: 'goodwill', staffId: null, createdAt: t0 + 2 }),
            up('fees', { ...fee, outstanding: left }),
          ],
          t0 + 2,
        );
      expect((await hub.push(B, [waive('w1', 50, 250)], Date.now())).outcomes[0]!.outcome).toBe('applied');
      const outstanding = async () =>
        (
          await db.query<{ o: number }>(
            `SELECT (data->>'outstanding')::int AS o FROM rows WHERE table_name = 'fees' AND id = 'f1'`,
          )
        )[0]!.o;
      expect(await outstanding()).toBe(150);
      const over = await hub.push(B, [waive('w2', 200, 50)], Date.now());
      expect(over.outcomes[0]).toMatchObject({
        outcome: 'applied_with_warning',
        reason: expect.stringContaining('waived 200 of a fee that owed 150'),
      });
      expect(await outstanding()).toBe(0);
      // Nothing forgiven beyond the charge turns into a credit.
      expect(await db.query(`SELECT id FROM rows WHERE table_name = 'fees' AND id <> 'f1'`)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
