// Payments and charges as a desk now journals them (issue 12): a cheque or card payment with its
// reference and a printing or damage charge, made by a technician on a real station, are taken by
// the hub (signature, the circulate permission, the row rules); a payment row from a station not
// yet updated (no reference column) still is; a method the library does not know is not; the
// overdue block in the settings document is a setting the hub accepts. On PGlite and PostgreSQL.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry, RowChange } from '../../src/domain/journal';
import { migrateHub } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { addPatron, addTitle, createTestStation, DESK_RULE, type TestStation } from '../support/station';
import { databases, dropSchemas, Journals, patron, up } from './fixtures';

afterAll(dropSchemas);

/** The row changes a station journaled for each of its commands, in order (what it would push). */
function journaled(t: TestStation, command: string): RowChange[][] {
  return (
    t.s.store.db.prepare('SELECT payload FROM journal WHERE command = ? ORDER BY seq').all(command) as {
      payload: string;
    }[]
  ).map((r) => (JSON.parse(r.payload) as JournalEntry['payload']).effects);
}

describe.each(databases())("the hub takes the desk's payments and charges, on %s", (_name, open) => {
  let t: TestStation | null = null;
  afterEach(() => {
    t?.close();
    t = null;
  });

  it('applies cheque and card payments with their reference and printing and damage charges, signed by a technician', async () => {
    // A real desk: a damage charge for a scanned copy, a printing charge, a cheque and a card payment.
    t = createTestStation();
    t.s.admin.saveRule(DESK_RULE, t.staff);
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Dawn', 1, 1);
    const damage = t.s.fees.charge(
      { patronId: ana.id, kind: 'damage', amount: 300, description: 'water damage', itemBarcode: barcodes[0]! },
      t.staff,
    );
    t.s.fees.charge({ patronId: ana.id, kind: 'printing', amount: 40, description: '4 pages' }, t.staff);
    t.s.fees.pay(
      { patronId: ana.id, tendered: 300, method: 'cheque', reference: 'CHQ 0042', feeIds: [damage.id] },
      t.staff,
    );
    t.s.fees.pay({ patronId: ana.id, tendered: 40, method: 'card', reference: 'auth 77' }, t.staff);
    const [damageCharge, printingCharge] = journaled(t, 'fees.charge');
    const [byCheque, byCard] = journaled(t, 'fees.pay');

    const db = await open();
    try {
      await migrateHub(db);
      const hub = new Hub(db);
      const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
      const A = {
        stationId: (await hub.enrol(await hub.createEnrolmentCode('N'), 'north')).stationId,
        branchId: north,
      };
      const j = new Journals();
      // The desk's account, a technician at the hub: circulate is all a payment or a charge needs.
      await j.desk(db, north, t.staff.staffId!, 'technician');
      const at = t.clock.now;
      await hub.push(A, [j.entry(A, 'patrons.register', [patron(ana.id, ana.cardBarcode, north)], at)], Date.now());
      const result = await hub.push(
        A,
        [
          j.entry(A, 'fees.charge', damageCharge!, at),
          j.entry(A, 'fees.charge', printingCharge!, at),
          j.entry(A, 'fees.pay', byCheque!, at),
          j.entry(A, 'fees.pay', byCard!, at),
        ],
        Date.now(),
      );
      expect(result.outcomes.map((o) => [o.outcome, o.reason ?? null])).toEqual([
        ['applied', null],
        ['applied', null],
        ['applied', null],
        ['applied', null],
      ]);
      const rows = async (table: string) =>
        (await db.query<{ data: Record<string, unknown> }>('SELECT data FROM rows WHERE table_name = $1', [table])).map(
          (r) => r.data,
        );
      expect((await rows('payments')).map((p) => [p.method, p.reference]).sort()).toEqual([
        ['card', 'auth 77'],
        ['cheque', 'CHQ 0042'],
      ]);
      expect((await rows('fees')).map((f) => [f.kind, f.description, f.outstanding]).sort()).toEqual([
        ['damage', 'water damage', 0],
        ['printing', '4 pages', 0],
      ]);
    } finally {
      await db.close();
    }
  });

  it('takes a payment row from a station without the reference column, refuses an unknown method, and takes the overdue block setting', async () => {
    const db = await open();
    try {
      await migrateHub(db);
      const hub = new Hub(db);
      const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
      const A = {
        stationId: (await hub.enrol(await hub.createEnrolmentCode('N'), 'north')).stationId,
        branchId: north,
      };
      const j = new Journals();
      await j.desk(db, north, 'tech', 'technician');
      const t0 = Date.UTC(2026, 10, 20, 15);
      const fee = {
        id: 'f1',
        patronId: 'ana',
        kind: 'printing',
        amount: 300,
        currency: 'USD',
        loanId: null,
        itemId: null,
        description: '30 pages',
        createdAt: t0,
      };
      const payment = {
        id: 'p1',
        patronId: 'ana',
        amount: 100,
        tendered: 100,
        currency: 'USD',
        method: 'cash',
        staffId: 'tech',
        createdAt: t0,
      };
      const result = await hub.push(
        A,
        [
          j.entry(A, 'fees.charge', [up('fees', { ...fee, outstanding: 300 })], t0),
          // An older station: no reference in its payments rows.
          j.entry(
            A,
            'fees.pay',
            [
              up('payments', payment),
              up('fees', { ...fee, outstanding: 200 }),
              up('payment_allocations', { id: 'p1-a', paymentId: 'p1', feeId: 'f1', amount: 100 }),
            ],
            t0 + 1,
          ),
          j.entry(
            A,
            'fees.pay',
            [
              up('payments', { ...payment, id: 'p2', method: 'bitcoin', reference: 'x' }),
              up('fees', { ...fee, outstanding: 100 }),
              up('payment_allocations', { id: 'p2-a', paymentId: 'p2', feeId: 'f1', amount: 100 }),
            ],
            t0 + 2,
          ),
        ],
        Date.now(),
      );
      expect(result.outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied', 'rejected']);
      expect(result.outcomes[2]!.reason).toMatch(/method/);
      const row = async (table: string, id: string) =>
        (
          await db.query<{ data: Record<string, unknown> }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2', [
            table,
            id,
          ])
        )[0]?.data;
      expect(await row('payments', 'p1')).toMatchObject({ method: 'cash', reference: null });
      expect(await row('payments', 'p2')).toBeUndefined();
      expect(await row('fees', 'f1')).toMatchObject({ outstanding: 200 });

      // The overdue block is a setting an administrator saves; the hub checks its range.
      await j.desk(db, north, 'boss', 'admin');
      const settings = (overdueBlockDays: unknown) =>
        up('settings', { id: 'library', value: JSON.stringify({ name: 'Lib', overdueBlockDays }) });
      const saved = await hub.push(
        A,
        [j.entry(A, 'settings.update', [settings(7)], t0 + 3), j.entry(A, 'settings.update', [settings(-1)], t0 + 4)],
        Date.now(),
      );
      expect(saved.outcomes.map((o) => o.outcome)).toEqual(['applied', 'rejected']);
    } finally {
      await db.close();
    }
  });
});
