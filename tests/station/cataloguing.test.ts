// Cataloguing that can be corrected, on a real station file and through the station API's own
// schema: bad ISBNs, years and prices refused at the field they are in, copies and records
// catalogued by mistake deleted (and refused, with the reason, while someone needs them),
// duplicates of an ISBN found, and the availability a search shows.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stationApi } from '../../src/api/contract';
import { createApiStation, type ApiStation } from '../support/api-station';
import {
  addPatron,
  addTitle,
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

const record = (fields: Record<string, unknown> = {}) =>
  t.s.catalogue.addRecord(
    {
      title: 'Pedro Páramo',
      author: 'Juan Rulfo',
      isbn: null,
      issn: null,
      publisher: null,
      year: 1955,
      callNumber: null,
      ...fields,
    },
    t.staff,
  );

describe('what a record and a copy take', () => {
  it('refuses a non-ISBN, a wrong check digit and a year that is not a whole number, naming the field', () => {
    const before = journalCount(t);
    const issues = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { issues?: { path: string; reason?: string }[] }).issues;
      }
      throw new Error('expected a refusal');
    };
    expect(issues(() => record({ isbn: 'abc' }))).toEqual([expect.objectContaining({ path: 'isbn', reason: 'isbn' })]);
    expect(issues(() => record({ isbn: '978-0-06-088328-8' }))).toEqual([
      expect.objectContaining({ path: 'isbn', reason: 'isbn' }),
    ]);
    expect(issues(() => record({ year: 19.5 }))).toEqual([expect.objectContaining({ path: 'year' })]);
    expect(journalCount(t)).toBe(before);
    // A good one is kept as one run of digits.
    expect(record({ isbn: '978-0-06-088328-7' }).isbn).toBe('9780060883287');
  });

  it('refuses a negative replacement price, at the copy and when it is corrected', () => {
    const r = record();
    expect(() =>
      t.s.catalogue.addItem(
        { barcode: itemBarcode(1), recordId: r.id, itemTypeCode: 'BOOK', replacementPrice: -500 },
        t.staff,
      ),
    ).toThrow(/not below zero/);
    const copy = t.s.catalogue.addItem(
      { barcode: itemBarcode(1), recordId: r.id, itemTypeCode: 'BOOK', replacementPrice: 500 },
      t.staff,
    );
    expect(() => t.s.catalogue.updateItem(copy.id, { replacementPrice: -1 }, t.staff)).toThrow(/not below zero/);
    expect(() => t.s.catalogue.updateItem(copy.id, { itemTypeCode: 'NOPE' }, t.staff)).toThrow(/Unknown item type/);
    expect(
      t.s.catalogue.updateItem(copy.id, { replacementPrice: 2500, itemTypeCode: 'BOOK' }, t.staff).replacementPrice,
    ).toBe(2500);
  });

  it('finds the records that already carry an ISBN, however it is typed', () => {
    const r = record({ isbn: '9780060883287' });
    expect(t.s.catalogue.findIsbn('978-0-06-088328-7')).toEqual([
      { id: r.id, title: 'Pedro Páramo', author: 'Juan Rulfo' },
    ]);
    expect(t.s.catalogue.findIsbn('0-8044-2957-X')).toEqual([]);
  });
});

describe('deleting what was catalogued by mistake', () => {
  it('deletes a fresh copy and then its record, each one journaled command', () => {
    const { recordId, barcodes } = addTitle(t, 'Duplicate', 1, 1);
    const copy = t.s.catalogue.itemByBarcode(barcodes[0]!);
    expect(refusalCodes(() => t.s.catalogue.deleteRecord(recordId, t.staff))).toEqual(['RECORD_HAS_COPIES']);
    const before = journalCount(t);
    t.s.catalogue.deleteItem(copy.id, t.staff);
    t.s.catalogue.deleteRecord(recordId, t.staff);
    expect(journalCount(t)).toBe(before + 2);
    const last = t.s.store.db.prepare('SELECT command, payload FROM journal ORDER BY seq DESC LIMIT 2').all() as {
      command: string;
      payload: string;
    }[];
    expect(last.map((e) => e.command)).toEqual(['catalogue.deleteRecord', 'catalogue.deleteItem']);
    expect(JSON.parse(last[1]!.payload).effects).toEqual([{ table: 'items', op: 'delete', row: { id: copy.id } }]);
    expect(t.s.catalogue.search('Duplicate')).toEqual([]);
  });

  it('refuses a copy on loan, a copy trapped for a hold, and a copy with a history, with the barcode', () => {
    const ana = addPatron(t, 1);
    const ben = addPatron(t, 2);
    const { recordId, barcodes } = addTitle(t, 'Wanted', 2, 1);
    const lent = t.s.catalogue.itemByBarcode(barcodes[0]!);
    const trapped = t.s.catalogue.itemByBarcode(barcodes[1]!);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    const onLoan = (() => {
      try {
        t.s.catalogue.deleteItem(lent.id, t.staff);
      } catch (e) {
        return (e as { refusals: unknown[] }).refusals;
      }
    })();
    expect(onLoan).toEqual([{ code: 'COPY_ON_LOAN', params: { barcode: barcodes[0] }, overridable: false }]);

    t.s.holds.place({ patronId: ben.id, recordId }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[1]! }, t.staff);
    expect(refusalCodes(() => t.s.catalogue.deleteItem(trapped.id, t.staff))).toEqual(['COPY_HELD']);

    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    expect(refusalCodes(() => t.s.catalogue.deleteItem(lent.id, t.staff))).toEqual(['COPY_HAS_HISTORY']);
    expect(refusalCodes(() => t.s.catalogue.deleteRecord(recordId, t.staff))).toEqual(['RECORD_HAS_COPIES']);
    expect(t.s.catalogue.itemByBarcode(barcodes[0]!).id).toBe(lent.id);
  });
});

describe('a search says how many copies are on the shelf, and when the first one out is due', () => {
  it('counts copies on the shelf and gives the earliest due date of those out', () => {
    const ana = addPatron(t, 1);
    const { barcodes } = addTitle(t, 'Three copies', 3, 1);
    const loan = t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    expect(t.s.catalogue.search('three')).toEqual([
      expect.objectContaining({ copies: 3, available: 2, nextDueAt: loan.dueAt }),
    ]);
  });
});

describe('the station API refuses what the desk form would mangle', () => {
  let api: ApiStation;
  beforeAll(async () => {
    api = await createApiStation();
  });
  afterAll(() => api.close());

  it('says which field is wrong and why, and writes nothing', async () => {
    const before = api.fingerprint();
    const isbn = await api.call('catalogue.addRecord', { title: 'X', isbn: '123' }, api.admin);
    expect(isbn).toMatchObject({ ok: false, error: { code: 'INVALID', issues: [{ path: 'isbn', reason: 'isbn' }] } });
    const year = await api.call('catalogue.addRecord', { title: 'X', year: 'nineteen' }, api.admin);
    expect(year).toMatchObject({ ok: false, error: { code: 'INVALID', issues: [{ path: 'year' }] } });
    const price = await api.call(
      'catalogue.addItem',
      { barcode: itemBarcode(90), recordId: api.ids.recordIds[0], itemTypeCode: 'BOOK', replacementPrice: -500 },
      api.admin,
    );
    expect(price).toMatchObject({ ok: false, error: { code: 'INVALID', issues: [{ path: 'replacementPrice' }] } });
    expect(api.fingerprint()).toEqual(before);
  });

  it('asks for the catalogue permission to edit or delete', () => {
    for (const name of [
      'catalogue.updateItem',
      'catalogue.deleteItem',
      'catalogue.deleteRecord',
      'catalogue.findIsbn',
    ] as const) {
      expect(stationApi[name].access).toBe('manage_catalogue');
    }
  });
});
