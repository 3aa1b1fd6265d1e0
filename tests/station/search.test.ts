// Search as staff type it, on a real station file (FTS5): ISBNs with hyphens or spaces, phone
// numbers in groups, and whatever else a person may paste into the box.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ftsPrefixQuery } from '../../src/services/patrons';
import { createTestStation, patronCard, type TestStation } from '../support/station';

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
});
afterEach(() => t.close());

const addRecord = (title: string, isbn: string | null) =>
  t.s.catalogue.addRecord(
    { title, author: null, isbn, issn: null, publisher: null, year: null, callNumber: null },
    t.staff,
  );
const register = (n: number, firstName: string, phone: string | null) =>
  t.s.patrons.register(
    { cardBarcode: patronCard(n), firstName, lastName: 'Reader', categoryCode: 'ADULT', phone },
    t.staff,
  ).patron;

describe('catalogue search by ISBN', () => {
  it('finds an ISBN typed with hyphens or spaces, whole or in part, as it is kept without them', () => {
    const penguin = addRecord('Nineteen Eighty-Four', '978-0-14-118776-1');
    const ten = addRecord('Brave New World', '0-8044-2957-X');
    addRecord('Another', '978-1-4028-9462-6');
    expect(t.s.ctx.rows.get<{ isbn: string }>('records', penguin.id)!.isbn).toBe('9780141187761');
    const ids = (q: string) => t.s.catalogue.search(q).map((h) => h.id);
    expect(ids('978-0-14')).toEqual([penguin.id]);
    expect(ids('978 0 14')).toEqual([penguin.id]);
    expect(ids('978-0-14-118776-1')).toEqual([penguin.id]);
    expect(ids('9780141')).toEqual([penguin.id]);
    expect(ids('0-8044-2957-X')).toEqual([ten.id]);
    expect(ids('0 8044 2957 x')).toEqual([ten.id]);
    // Words still narrow as before, and a hyphenated word is not taken for a number.
    expect(ids('eighty-four')).toEqual([penguin.id]);
    expect(ids('nineteen 978-0-14')).toEqual([penguin.id]);
    expect(ids('brave 978-0-14')).toEqual([]);
  });
});

describe('patron search by phone number', () => {
  it('finds a phone number typed in its groups, or typed in groups where it is kept as one run', () => {
    const ana = register(1, 'Ana', '555-123-4567');
    const ben = register(2, 'Ben', '5559876543');
    const cy = register(3, 'Cy', '(555) 246-8101');
    const ids = (q: string) => t.s.patrons.search(q).map((p) => p.id);
    expect(ids('555-123')).toEqual([ana.id]);
    expect(ids('555-123-4567')).toEqual([ana.id]);
    expect(ids('555 123 4567')).toEqual([ana.id]);
    expect(ids('(555) 123-4567')).toEqual([ana.id]);
    expect(ids('555-987')).toEqual([ben.id]);
    expect(ids('555 987 6543')).toEqual([ben.id]);
    expect(ids('555.246.81')).toEqual([cy.id]);
    expect(ids('ana 555-123')).toEqual([ana.id]);
    expect(ids('ben 555-123')).toEqual([]);
    // The card barcode as ever, and every patron whose number has the group.
    expect(ids(patronCard(2))).toEqual([ben.id]);
    expect(ids('555').sort()).toEqual([ana.id, ben.id, cy.id].sort());
  });

  it('finds a phone number by its digits, however it was written, and follows an edit', () => {
    const ana = register(1, 'Ana', '555-123-4567');
    const cy = register(3, 'Cy', '+1 (555) 246.8101');
    register(4, 'Dee', null);
    const ids = (q: string) => t.s.patrons.search(q).map((p) => p.id);
    expect(ids('5551234567')).toEqual([ana.id]);
    expect(ids('5551234')).toEqual([ana.id]);
    expect(ids('15552468101')).toEqual([cy.id]);
    expect(ids('1555246')).toEqual([cy.id]);
    // From the start of the number as it was written: the digits after its country code, or from
    // its middle, are no prefix of its run of digits.
    expect(ids('5552468')).toEqual([]);
    expect(ids('555 246')).toEqual([cy.id]);
    expect(ids('1234567')).toEqual([]);
    t.s.patrons.update(ana.id, { phone: '555 777 0000' }, t.staff);
    expect(ids('5551234')).toEqual([]);
    expect(ids('5557770000')).toEqual([ana.id]);
    t.s.patrons.update(ana.id, { phone: null }, t.staff);
    expect(ids('555777')).toEqual([]);
    expect(ids('ana')).toEqual([ana.id]);
  });

  it('never lets typed text break out of the query', () => {
    register(1, 'Ana', null);
    for (const q of ['"', 'ana"*', 'a:b', '(', ')', '^', '---', '- -', 'NEAR(ana', 'ana OR', '*'])
      expect(() => t.s.patrons.search(q), q).not.toThrow();
    expect(ftsPrefixQuery('  ,; ')).toBeNull();
    expect(ftsPrefixQuery('978-0-14')).toBe('("978014"* OR "978-0-14"*)');
  });
});
