// Shelf reading on a real station file: a shelf of 200 scans with each kind of problem seeded
// (a copy out of order, another branch's, another collection's, one on loan, one lost and one
// missing, one wanted for a hold), every problem said at its scan and no other, the copies not
// scanned listed at the end of the range, the not-seen report, and each scan durable.
// Then a damaged check-in: to repair, the charge to the borrower with the loan, one entry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fee, Item, Loan } from '../../src/domain/types';
import { parseRowChange } from '../../src/hub/row-schemas';
import { ServiceError } from '../../src/services/errors';
import type { ShelfScanResult } from '../../src/services/shelf';
import {
  addPatron,
  createTestStation,
  itemBarcode,
  journalCount,
  refusalCodes,
  type TestStation,
} from '../support/station';

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
});
afterEach(() => t.close());

const SHELF_SIZE = 204;
/** Copies that are on the shelf list but nobody scans: the end of the range must name them. */
const NOT_SCANNED = [90, 91, 175];

/** Shelf position i's call number: Dewey in filing order, with decimals (600.5 before 600.75) and dates (2000 ... 2019) after the cutter. */
function callNumberAt(i: number): string {
  const whole = 600 + Math.floor(i / 2);
  const decimal = i % 2 === 0 ? '5' : '75';
  return `${whole}.${decimal} SMI ${2000 + (i % 20)}`;
}

function buildShelf() {
  const east = t.s.admin.saveBranch({ code: 'EAST', name: 'East Branch', timeZone: 'America/New_York' }, t.staff);
  const copies: Item[] = [];
  const recordIds: string[] = [];
  for (let i = 0; i < SHELF_SIZE; i++) {
    const record = t.s.catalogue.addRecord(
      {
        title: `Shelf title ${i}`,
        author: null,
        isbn: null,
        issn: null,
        publisher: null,
        year: 2020,
        callNumber: callNumberAt(i),
      },
      t.staff,
    );
    recordIds.push(record.id);
    copies.push(
      t.s.catalogue.addItem(
        {
          barcode: itemBarcode(1000 + i),
          recordId: record.id,
          itemTypeCode: 'BOOK',
          replacementPrice: 2000,
          // Seeded: 30 belongs to East, 40 to the children's collection.
          homeBranchId: i === 30 ? east.id : null,
          location: i === 40 ? 'JUV' : 'adult',
        },
        t.staff,
      ),
    );
  }
  const ana = addPatron(t, 1, { firstName: 'Ana' });
  const ben = addPatron(t, 2, { firstName: 'Ben' });
  // 60 and 61 are lent (61 is not on the shelf and not scanned); 70 lost, 71 missing; 100 withdrawn.
  t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: copies[60]!.barcode }, t.staff);
  t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: copies[61]!.barcode }, t.staff);
  t.s.catalogue.setItemStatus(copies[70]!.barcode, 'lost', t.staff);
  t.s.catalogue.setItemStatus(copies[71]!.barcode, 'missing', t.staff);
  t.s.catalogue.setItemStatus(copies[100]!.barcode, 'withdrawn', t.staff);
  // 80's title has a hold waiting for a copy: pull it.
  t.s.holds.place({ patronId: ben.id, recordId: recordIds[80]! }, t.staff);
  return { copies, east, ana };
}

/** The order staff meet the copies in: 50 and 51 swapped, 150 shelved after 160, three not there. */
function scanOrder(): number[] {
  const order = [...Array(SHELF_SIZE).keys()].filter((i) => !NOT_SCANNED.includes(i) && i !== 61 && i !== 100);
  const swap = (a: number, b: number) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    [order[ia], order[ib]] = [order[ib]!, order[ia]!];
  };
  swap(50, 51);
  order.splice(order.indexOf(150), 1);
  order.splice(order.indexOf(160) + 1, 0, 150);
  // The withdrawn copy is still on the shelf: scanned, it is said.
  order.splice(order.indexOf(101), 0, 100);
  return order;
}

describe('a shelf of 200 scans with each kind of problem seeded', () => {
  it('says each problem at its scan and no other, records every copy as seen, and lists what was not scanned', () => {
    const { copies } = buildShelf();
    t.advanceDays(1);
    const started = t.clock.now;
    const order = scanOrder();
    // 204 copies, less the 3 not scanned and 61 (lent, away): 200 scans.
    expect(order).toHaveLength(200);

    const before = journalCount(t);
    const results = new Map<number, ShelfScanResult>();
    let previous: string | null = null;
    for (const i of order) {
      t.clock.now += 1500; // a scan every second and a half
      const result = t.s.shelf.scan(
        { itemBarcode: copies[i]!.barcode, previousBarcode: previous, location: 'ADULT' },
        t.staff,
      );
      results.set(i, result);
      previous = copies[i]!.barcode;
    }
    // A barcode the catalogue does not know is refused as such, and writes nothing.
    expect(
      refusalCodes(() =>
        t.s.shelf.scan({ itemBarcode: itemBarcode(9999), previousBarcode: previous, location: 'ADULT' }, t.staff),
      ),
    ).toEqual(['ITEM_NOT_FOUND']);

    const expected: Record<number, { code: string; params?: Record<string, unknown> }[]> = {
      30: [{ code: 'OTHER_BRANCH', params: { branch: 'East Branch' } }],
      40: [{ code: 'OTHER_LOCATION', params: { location: 'JUV' } }],
      // 50 comes after 51: it files before the copy scanned just before it.
      50: [{ code: 'OUT_OF_ORDER', params: { previous: callNumberAt(51), previousBarcode: copies[51]!.barcode } }],
      60: [{ code: 'ON_LOAN' }],
      70: [{ code: 'MARKED_LOST', params: { status: 'lost' } }],
      71: [{ code: 'MARKED_LOST', params: { status: 'missing' } }],
      80: [{ code: 'HOLD_WAITING' }],
      100: [{ code: 'UNEXPECTED_STATUS', params: { status: 'withdrawn' } }],
      150: [{ code: 'OUT_OF_ORDER', params: { previous: callNumberAt(160), previousBarcode: copies[160]!.barcode } }],
    };
    for (const i of order)
      expect({ i, problems: results.get(i)!.problems }).toEqual({ i, problems: expected[i] ?? [] });
    expect(results.get(50)).toMatchObject({
      callNumber: callNumberAt(50),
      title: 'Shelf title 50',
      homeBranch: { name: 'Main Library' },
      location: 'ADULT',
      previouslySeenAt: null,
    });

    // One journal entry a scan, each writing only the copy's row, seen at its scan.
    expect(journalCount(t)).toBe(before + 200);
    const entries = t.s.store.db.prepare('SELECT command, payload FROM journal ORDER BY seq DESC LIMIT 200').all() as {
      command: string;
      payload: string;
    }[];
    for (const e of entries) {
      expect(e.command).toBe('shelf.scan');
      const effects = (JSON.parse(e.payload) as { effects: { table: string; row: { lastSeenAt: number } }[] }).effects;
      expect(effects.map((x) => x.table)).toEqual(['items']);
      // What the hub takes from a station: the row as this station sends it.
      expect(parseRowChange({ table: 'items', op: 'upsert', row: effects[0]!.row as never }).ok).toBe(true);
    }
    for (const i of order)
      expect(t.s.ctx.rows.get<Item>('items', copies[i]!.id)!.lastSeenAt).toBe(results.get(i)!.seenAt);

    // The end of the range: what the catalogue expects on this branch's adult shelves, unscanned.
    const missing = t.s.shelf.missingInRange({
      from: callNumberAt(0),
      to: callNumberAt(SHELF_SIZE - 1),
      location: 'adult',
      since: started,
    });
    expect(missing.map((c) => c.itemBarcode)).toEqual(NOT_SCANNED.map((i) => copies[i]!.barcode));
    expect(missing[0]).toMatchObject({
      callNumber: callNumberAt(90),
      title: 'Shelf title 90',
      status: 'available',
      lastSeenAt: null,
    });
    // A part of the shelf, given either way round.
    expect(
      t.s.shelf
        .missingInRange({ from: callNumberAt(120), to: callNumberAt(0), location: 'ADULT', since: started })
        .map((c) => c.itemBarcode),
    ).toEqual([90, 91].map((i) => copies[i]!.barcode));

    // Each scan survives the station closing: the not-seen report after a reopen.
    t = t.reopen();
    const notSeen = t.s.shelf.notSeenSince({ since: '2026-11-17' });
    // Never seen: the three not scanned, and 61 out on loan (lent before the reading, not checked in since); not 30 (East's) nor any scanned.
    expect(notSeen.map((c) => c.itemBarcode)).toEqual([61, 90, 91, 175].map((i) => copies[i]!.barcode));
    expect(t.s.shelf.notSeenSince({ since: '2026-11-17', location: 'JUV' }).map((c) => c.itemBarcode)).toEqual([]);
    expect(() => t.s.shelf.notSeenSince({ since: '17/11/2026' })).toThrow(ServiceError);
  });

  it('counts a check-in as seen', () => {
    const { copies, ana: _ana } = buildShelf();
    t.advanceDays(2);
    t.s.circulation.checkin({ itemBarcode: copies[61]!.barcode }, t.staff);
    expect(t.s.ctx.rows.get<Item>('items', copies[61]!.id)!.lastSeenAt).toBe(t.clock.now);
    expect(t.s.shelf.notSeenSince({ since: '2026-11-18' }).map((c) => c.itemBarcode)).not.toContain(
      copies[61]!.barcode,
    );
  });
});

describe('a copy without a call number', () => {
  it('is never out of order, nor puts the next copy out of order', () => {
    const add = (n: number, callNumber: string | null) => {
      const record = t.s.catalogue.addRecord(
        { title: `T${n}`, author: null, isbn: null, issn: null, publisher: null, year: 2020, callNumber },
        t.staff,
      );
      return t.s.catalogue.addItem({ barcode: itemBarcode(n), recordId: record.id, itemTypeCode: 'BOOK' }, t.staff)
        .barcode;
    };
    const [late, none, early] = [add(1, '900 ZZZ'), add(2, null), add(3, '100 AAA')];
    t.s.shelf.scan({ itemBarcode: late }, t.staff);
    expect(t.s.shelf.scan({ itemBarcode: none, previousBarcode: late }, t.staff).problems).toEqual([]);
    expect(t.s.shelf.scan({ itemBarcode: early, previousBarcode: none }, t.staff).problems).toEqual([]);
    expect(t.s.shelf.scan({ itemBarcode: early, previousBarcode: late }, t.staff).problems.map((p) => p.code)).toEqual([
      'OUT_OF_ORDER',
    ]);
  });
});

describe('a copy checked in damaged', () => {
  function lent(price: number | null = 2400) {
    const ana = addPatron(t, 1, { firstName: 'Ana' });
    const record = t.s.catalogue.addRecord(
      { title: 'Torn Atlas', author: null, isbn: null, issn: null, publisher: null, year: 2020, callNumber: '912 ATL' },
      t.staff,
    );
    const item = t.s.catalogue.addItem(
      { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK', replacementPrice: price },
      t.staff,
    );
    const loan = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: item.barcode }, t.staff);
    t.advanceDays(3);
    return { ana, item, loan };
  }

  it('goes to repair, the borrower is charged the replacement price, recorded with the loan, in one entry', () => {
    const { ana, item, loan } = lent();
    const before = journalCount(t);
    const result = t.s.circulation.checkin(
      { itemBarcode: item.barcode, damage: { note: 'Water damage, pages 10-40', charge: 'price' } },
      t.staff,
    );
    expect(result).toMatchObject({
      action: 'repair',
      wasOnLoan: true,
      damage: { note: 'Water damage, pages 10-40', charge: { amount: 2400, currency: 'USD' } },
    });
    expect(result.notices.map((n) => n.code)).toEqual(['DAMAGE_CHARGED', 'ITEM_TO_REPAIR']);
    expect(journalCount(t)).toBe(before + 1);
    const entry = t.s.store.db.prepare('SELECT command, payload FROM journal ORDER BY seq DESC LIMIT 1').get() as {
      command: string;
      payload: string;
    };
    expect(entry.command).toBe('circulation.checkin');
    const payload = JSON.parse(entry.payload) as {
      input: unknown;
      effects: { table: string; row: Record<string, unknown> }[];
    };
    expect(payload.input).toEqual({
      itemBarcode: item.barcode,
      backdate: null,
      damage: { note: 'Water damage, pages 10-40', charge: 'price', amount: null },
    });
    expect(payload.effects.map((e) => e.table).sort()).toEqual(['fees', 'items', 'loans']);
    for (const e of payload.effects)
      expect(parseRowChange({ table: e.table as never, op: 'upsert', row: e.row as never }).ok).toBe(true);

    expect(t.s.ctx.rows.get<Item>('items', item.id)).toMatchObject({
      status: 'in_repair',
      damaged: true,
      lastSeenAt: t.clock.now,
    });
    // The loan closes (unlinked from Ana, as every return is) and keeps the damage.
    expect(t.s.ctx.rows.get<Loan>('loans', loan.loanId)).toMatchObject({
      returnedAt: t.clock.now,
      patronId: null,
      damagedAt: t.clock.now,
      damageNote: 'Water damage, pages 10-40',
    });
    const fees = t.s.fees.list(ana.id) as Fee[];
    expect(fees).toEqual([
      expect.objectContaining({
        kind: 'damage',
        amount: 2400,
        outstanding: 2400,
        loanId: loan.loanId,
        itemId: item.id,
        patronId: ana.id,
      }),
    ]);
    expect(t.s.patrons.lookup(ana.cardBarcode).feesOwed).toBe(2400);

    // In repair, it does not lend; repaired, it does.
    const ben = addPatron(t, 2);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: item.barcode }, t.staff),
      ),
    ).toEqual(['ITEM_IN_REPAIR']);
    expect(t.s.circulation.checkin({ itemBarcode: item.barcode }, t.staff).action).toBe('repair');
    expect(t.s.catalogue.setItemStatus(item.barcode, 'repaired', t.staff)).toMatchObject({
      status: 'available',
      damaged: false,
    });
    expect(
      t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: item.barcode }, t.staff).renewed,
    ).toBe(false);
  });

  it('charges an amount staff enter, or nothing', () => {
    const { ana, item, loan } = lent(null);
    t.s.circulation.checkin(
      { itemBarcode: item.barcode, damage: { note: 'Spine cracked', charge: 'amount', amount: 750 } },
      t.staff,
    );
    expect(t.s.fees.list(ana.id)).toEqual([
      expect.objectContaining({ kind: 'damage', amount: 750, loanId: loan.loanId }),
    ]);

    const again = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: item.barcode }, t.staff, {
      codes: ['ITEM_IN_REPAIR'],
      grantedBy: t.staff.staffId!,
    });
    const none = t.s.circulation.checkin(
      { itemBarcode: item.barcode, damage: { note: 'Cover loose', charge: 'none' } },
      t.staff,
    );
    expect(none.damage).toEqual({ note: 'Cover loose', charge: null });
    expect(t.s.ctx.rows.get<Loan>('loans', again.loanId)).toMatchObject({ damageNote: 'Cover loose' });
    expect(t.s.fees.list(ana.id)).toHaveLength(1);
  });

  it('refuses a charge it cannot make, and changes nothing', () => {
    const { item } = lent(null);
    const before = journalCount(t);
    const stored = t.s.ctx.rows.get<Item>('items', item.id);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as ServiceError & { issues?: { reason: string }[] }).issues?.[0]?.reason ?? (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    // No replacement price to charge; no amount; no note.
    expect(
      reason(() =>
        t.s.circulation.checkin({ itemBarcode: item.barcode, damage: { note: 'Torn', charge: 'price' } }, t.staff),
      ),
    ).toBe('no_price');
    expect(
      reason(() =>
        t.s.circulation.checkin({ itemBarcode: item.barcode, damage: { note: 'Torn', charge: 'amount' } }, t.staff),
      ),
    ).toBe('required');
    expect(
      reason(() =>
        t.s.circulation.checkin({ itemBarcode: item.barcode, damage: { note: '  ', charge: 'none' } }, t.staff),
      ),
    ).toBe('required');
    expect(journalCount(t)).toBe(before);
    expect(t.s.ctx.rows.get<Item>('items', item.id)).toEqual(stored);

    // Not on loan: nobody to charge (an earlier borrower is not on record).
    t.s.circulation.checkin({ itemBarcode: item.barcode }, t.staff);
    expect(
      reason(() =>
        t.s.circulation.checkin(
          { itemBarcode: item.barcode, damage: { note: 'Torn', charge: 'amount', amount: 500 } },
          t.staff,
        ),
      ),
    ).toBe('no_borrower');
  });
});

describe('the hub takes rows of a station without the new columns', () => {
  it('reads a missing location, last seen and damage as null', () => {
    const item = {
      id: 'i1',
      barcode: 'b',
      recordId: 'r',
      homeBranchId: 'm',
      currentBranchId: 'm',
      itemTypeCode: 'BOOK',
      status: 'in_repair',
      damaged: true,
      notForLoan: false,
      replacementPrice: null,
      transitToBranchId: null,
    };
    const parsed = parseRowChange({ table: 'items', op: 'upsert', row: item });
    expect(parsed).toEqual({
      ok: true,
      change: { table: 'items', op: 'upsert', row: { ...item, location: null, lastSeenAt: null } },
    });
    const loan = {
      id: 'l1',
      itemId: 'i1',
      patronId: null,
      branchId: 'm',
      checkedOutAt: 1,
      dueAt: 2,
      renewals: 0,
      lastRenewedAt: null,
      returnedAt: 3,
      returnBranchId: 'm',
    };
    expect(parseRowChange({ table: 'loans', op: 'upsert', row: loan })).toEqual({
      ok: true,
      change: { table: 'loans', op: 'upsert', row: { ...loan, damagedAt: null, damageNote: null } },
    });
    expect(parseRowChange({ table: 'items', op: 'upsert', row: { ...item, lastSeenAt: -5 } }).ok).toBe(false);
  });
});
