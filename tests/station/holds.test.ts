// Holds at one desk on a real station file: clearing the expired holds of this desk's hold shelf
// (and only this desk's), the pull list, and suspended holds that the check-in passes over.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hold } from '../../src/domain/types';
import { applyPulledBatch } from '../../src/sync/apply-pulled';
import { addPatron, addTitle, createTestStation, journalCount, type TestStation } from '../support/station';

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
});
afterEach(() => t.close());

const itemByBarcode = (barcode: string) => t.s.catalogue.itemByBarcode(barcode);
const hold = (id: string) => t.s.ctx.rows.get<Hold>('holds', id)!;
/** As if the sync worker had pushed everything: the hub's rows may now replace the station's. */
const pushed = () =>
  t.s.ctx.journal.acknowledge(
    t.s.ctx.journal.pending(10_000).map((e) => ({ seq: e.seq, outcome: 'applied' })),
    t.clock.now,
  );

describe('clearing expired holds', () => {
  it("clears only this branch's shelf and names each copy, title and patron to take off it", () => {
    const north = t.s.admin.saveBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' }, t.staff);
    const ana = addPatron(t, 1, { firstName: 'Ana', lastName: 'Ruiz' });
    const ben = addPatron(t, 2, { firstName: 'Ben', lastName: 'Ortiz' });
    const cy = addPatron(t, 3, { firstName: 'Cy', lastName: 'Lee' });
    const here = addTitle(t, 'The Word for World Is Forest', 1, 1);
    const there = addTitle(t, 'The Lathe of Heaven', 1, 2);
    const later = addTitle(t, 'Always Coming Home', 1, 3);

    // Ana's hold is trapped here today; Cy's a few days later (so it expires later).
    const anaHold = t.s.holds.place({ patronId: ana.id, recordId: here.recordId }, t.staff);
    expect(t.s.circulation.checkin({ itemBarcode: here.barcodes[0]! }, t.staff).action).toBe('hold_waiting');
    // Ben's hold waits on North's shelf: North's desk trapped it, and the hub sent it here.
    const benHold = t.s.holds.place({ patronId: ben.id, recordId: there.recordId, pickupBranchId: north.id }, t.staff);
    const thereItem = itemByBarcode(there.barcodes[0]!);
    const { title: _title, ...thereRow } = thereItem;
    pushed();
    applyPulledBatch(
      t.s.ctx,
      [
        {
          table: 'holds',
          op: 'upsert',
          row: {
            ...benHold,
            status: 'waiting',
            itemId: thereItem.id,
            waitingSince: t.clock.now,
            shelfExpiresOn: '2026-11-23',
          },
        },
        { table: 'items', op: 'upsert', row: { ...thereRow, status: 'on_hold_shelf', currentBranchId: north.id } },
      ],
      '1',
    );
    t.advanceDays(3);
    const cyHold = t.s.holds.place({ patronId: cy.id, recordId: later.recordId }, t.staff);
    t.s.circulation.checkin({ itemBarcode: later.barcodes[0]! }, t.staff);
    expect(t.s.holds.shelf().map((h) => [h.patronName, h.shelfExpiresOn])).toEqual([
      ['Ana Ruiz', '2026-11-23'],
      ['Cy Lee', '2026-11-26'],
    ]);

    // A week and a day after Ana's trap: hers and Ben's have run out; Cy's has not.
    t.advanceDays(5);
    const before = journalCount(t);
    const { expired } = t.s.holds.clearExpired(t.staff);
    expect(expired).toEqual([
      {
        holdId: anaHold.id,
        itemBarcode: here.barcodes[0],
        title: 'The Word for World Is Forest',
        patronId: ana.id,
        patronName: 'Ana Ruiz',
      },
    ]);
    expect(journalCount(t)).toBe(before + 1);
    expect(hold(anaHold.id).status).toBe('expired');
    expect(itemByBarcode(here.barcodes[0]!).status).toBe('available');
    // North's shelf is North's to clear: its hold and copy are untouched.
    expect(hold(benHold.id)).toMatchObject({ status: 'waiting', itemId: thereItem.id });
    expect(itemByBarcode(there.barcodes[0]!)).toMatchObject({ status: 'on_hold_shelf', currentBranchId: north.id });
    expect(hold(cyHold.id).status).toBe('waiting');
    expect(t.s.holds.shelf().map((h) => h.patronName)).toEqual(['Cy Lee']);

    // Nothing left to clear here: an empty list.
    expect(t.s.holds.clearExpired(t.staff).expired).toEqual([]);
  });
});

describe('the pull list', () => {
  it("lists pending holds with a loanable copy on this branch's shelf, oldest first", () => {
    const north = t.s.admin.saveBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' }, t.staff);
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const cy = addPatron(t, 3);
    const dune = addTitle(t, 'Dune', 2, 1);
    const emma = addTitle(t, 'Emma', 1, 3);
    const away = addTitle(t, 'Far Away', 1, 4);
    t.s.catalogue.updateRecord(dune.recordId, { callNumber: 'SF HER' }, t.staff);
    // Far Away's only copy lives at North: not this desk's to pull.
    t.s.catalogue.updateItem(itemByBarcode(away.barcodes[0]!).id, { homeBranchId: north.id }, t.staff);
    const { title: _t, ...awayRow } = itemByBarcode(away.barcodes[0]!);
    pushed();
    applyPulledBatch(t.s.ctx, [{ table: 'items', op: 'upsert', row: { ...awayRow, currentBranchId: north.id } }], '1');

    const duneHold = t.s.holds.place({ patronId: ana.id, recordId: dune.recordId }, t.staff);
    t.advanceDays(0.01);
    // An item-level hold: only its copy is named.
    const emmaItem = itemByBarcode(emma.barcodes[0]!);
    const emmaHold = t.s.holds.place({ patronId: ben.id, recordId: emma.recordId, itemId: emmaItem.id }, t.staff);
    t.s.holds.place({ patronId: cy.id, recordId: away.recordId }, t.staff);

    expect(t.s.holds.toPull()).toEqual([
      {
        holdId: duneHold.id,
        title: 'Dune',
        callNumber: 'SF HER',
        itemBarcode: dune.barcodes[0],
        placedAt: duneHold.placedAt,
      },
      {
        holdId: emmaHold.id,
        title: 'Emma',
        callNumber: null,
        itemBarcode: emma.barcodes[0],
        placedAt: emmaHold.placedAt,
      },
    ]);

    // Both of Dune's copies lent: nothing of it to pull. A copy not for loan is not pulled either.
    const dan = addPatron(t, 4);
    t.s.circulation.checkout({ patronBarcode: dan.cardBarcode, itemBarcode: dune.barcodes[0]! }, t.staff);
    expect(t.s.holds.toPull().map((p) => p.itemBarcode)).toEqual([dune.barcodes[1], emma.barcodes[0]]);
    t.s.catalogue.updateItem(emmaItem.id, { notForLoan: true }, t.staff);
    // Ana borrows the other copy: her hold is filled, and the list is empty.
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: dune.barcodes[1]! }, t.staff);
    expect(hold(duneHold.id).status).toBe('fulfilled');
    expect(t.s.holds.toPull()).toEqual([]);
  });

  it('leaves a suspended hold off the list until its suspension ends', () => {
    const ana = addPatron(t, 1);
    const dune = addTitle(t, 'Dune', 1, 1);
    const h = t.s.holds.place({ patronId: ana.id, recordId: dune.recordId }, t.staff);
    t.s.holds.suspend(h.id, '2026-11-20', t.staff);
    expect(t.s.holds.toPull()).toEqual([]);
    t.advanceDays(4); // Friday 20 November: the suspension has ended
    expect(t.s.holds.toPull().map((p) => p.holdId)).toEqual([h.id]);
  });
});

describe('suspended holds', () => {
  it('are passed over at check-in, the next hold is served, and a resumed hold is trapped again', () => {
    const ana = addPatron(t, 1, { firstName: 'Ana' });
    const ben = addPatron(t, 2, { firstName: 'Ben' });
    const dan = addPatron(t, 3);
    const { recordId, barcodes } = addTitle(t, 'Kindred', 1, 1);
    t.s.circulation.checkout({ patronBarcode: dan.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    const anaHold = t.s.holds.place({ patronId: ana.id, recordId }, t.staff);
    t.advanceDays(0.01);
    const benHold = t.s.holds.place({ patronId: ben.id, recordId }, t.staff);

    // Ana is away until the 30th: her hold keeps its place but is not filled meanwhile.
    const suspended = t.s.holds.suspend(anaHold.id, '2026-11-30', t.staff);
    expect(suspended).toMatchObject({ status: 'pending', suspendedUntil: '2026-11-30' });
    expect(t.s.holds.queue(recordId).map((q) => [q.patronName, q.position])).toEqual([
      ['Ana Reader', 1],
      ['Ben Reader', 2],
    ]);
    const returned = t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(returned).toMatchObject({ action: 'hold_waiting', hold: { holdId: benHold.id } });
    expect(hold(anaHold.id)).toMatchObject({ status: 'pending', itemId: null });

    // Ben borrows it and brings it back: Ana's hold, still suspended, is passed over again.
    t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(hold(benHold.id).status).toBe('fulfilled');
    expect(t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff).action).toBe('shelve');

    // Resumed: the next check-in traps the copy for her. Only a hold in the queue can be suspended.
    t.s.circulation.checkout({ patronBarcode: dan.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(t.s.holds.suspend(anaHold.id, null, t.staff).suspendedUntil).toBeNull();
    expect(t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff)).toMatchObject({
      action: 'hold_waiting',
      hold: { holdId: anaHold.id },
    });
    expect(() => t.s.holds.suspend(anaHold.id, '2026-12-31', t.staff)).toThrow(/still in the queue/);
    expect(() => t.s.holds.suspend(anaHold.id, '31/12/2026', t.staff)).toThrow(/2026-12-31/);
  });

  it('fill again by themselves on the day the suspension ends', () => {
    const ana = addPatron(t, 1);
    const { recordId, barcodes } = addTitle(t, 'Kindred', 1, 1);
    const h = t.s.holds.place({ patronId: ana.id, recordId }, t.staff);
    t.s.holds.suspend(h.id, '2026-11-18', t.staff);
    expect(t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff).action).toBe('shelve');
    t.advanceDays(2); // Wednesday 18 November
    expect(t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff)).toMatchObject({
      action: 'hold_waiting',
      hold: { holdId: h.id },
    });
  });
});
