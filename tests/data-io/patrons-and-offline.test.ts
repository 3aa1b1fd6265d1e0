// Patrons in and out as CSV (Koha's and Evergreen's exports read without a mapping, a file with
// every kind of mistake), and the offline-circulation files for Koha (.koc) and Evergreen, each
// line checked against the format those systems' own loaders read.
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildOfflineExport, kocTime, markExported } from '../../src/services/import/offline-export';
import { exportPatrons, importPatrons } from '../../src/services/import/patrons-csv';
import { addPatron, addTitle, createTestStation, journalCount, patronCard, type TestStation } from '../support/station';

let t: TestStation;
afterEach(() => t?.close());

const csv = (text: string) => [Buffer.from(text)];
const patronByCard = (card: string) =>
  t.s.store.db.prepare('SELECT * FROM patrons WHERE card_barcode = ?').get(card) as Record<string, unknown> | undefined;

describe('patron CSV import', () => {
  it("reads Koha's borrowers export without a mapping, and never imports its passwords", async () => {
    t = createTestStation();
    const file =
      'cardnumber,surname,firstname,categorycode,branchcode,email,phone,address,city,zipcode,dateexpiry,dateofbirth,borrowernotes,password\n' +
      `${patronCard(1)},Lovelace,Ada,ADULT,MAIN,ada@example.org,555-0100,12 Analytical St,London,N1,2027-06-30,1815-12-10,"Likes ""engines""",secret\n` +
      `${patronCard(2)},Hopper,Grace,ADULT,MAIN,,,,,,,,,\n`;
    const r = await importPatrons(t.s.ctx, csv(file), t.staff);
    expect(r).toMatchObject({ rows: 2, added: 2, updated: 0, skippedCount: 0 });
    expect(r.ignoredColumns).toContain('password');
    expect(patronByCard(patronCard(1))).toMatchObject({
      last_name: 'Lovelace',
      first_name: 'Ada',
      email: 'ada@example.org',
      card_expires_on: '2027-06-30',
      address: '12 Analytical St\nLondon N1',
      notes: 'Likes "engines"',
      pin_hash: null,
    });
    // No expiry in the file: the category's validity from today.
    expect(String(patronByCard(patronCard(2))!.card_expires_on) > '2026-11-16').toBe(true);
  });

  it("reads Evergreen's column names without a mapping (semicolons too)", async () => {
    t = createTestStation();
    const file = `barcode;family_name;first_given_name;second_given_name;profile;home_ou;day_phone;street1;post_code;expire_date\n${patronCard(3)};Turing;Alan;Mathison;adult;main;555-0199;Bletchley Park;MK3;2028-01-31T00:00:00-05:00\n`;
    const r = await importPatrons(t.s.ctx, csv(file), t.staff);
    expect(r).toMatchObject({ added: 1, skippedCount: 0 });
    expect(patronByCard(patronCard(3))).toMatchObject({
      first_name: 'Alan Mathison',
      last_name: 'Turing',
      category_code: 'ADULT',
      phone: '555-0199',
      card_expires_on: '2028-01-31',
    });
  });

  it("reports every kind of mistake by row, keeps a repeated card's first row, and imports the rest", async () => {
    t = createTestStation();
    const rows = [
      'cardnumber,surname,firstname,categorycode,branchcode,email,dateexpiry',
      `${patronCard(10)},Good,One,ADULT,MAIN,one@example.org,2027-01-01`, // row 2: in
      `${patronCard(10)},Again,Same,ADULT,MAIN,,`, // 3: repeated card
      `12345,Short,Card,ADULT,MAIN,,`, // 4: barcode rules
      `,No,Card,ADULT,MAIN,,`, // 5: no card
      `${patronCard(11)},,NoSurname,ADULT,MAIN,,`, // 6: no surname
      `${patronCard(12)},Cat,Bad,WIZARD,MAIN,,`, // 7: unknown category
      `${patronCard(13)},Branch,Bad,ADULT,ATLANTIS,,`, // 8: unknown branch
      `${patronCard(14)},Mail,Bad,ADULT,MAIN,not-an-email,`, // 9: email
      `${patronCard(15)},Date,Bad,ADULT,MAIN,,03/04/2027`, // 10: ambiguous date
      `${patronCard(16)},Date,Impossible,ADULT,MAIN,,2027-02-30`, // 11: no such day
      `${patronCard(17)},"Quoted, Name",Fine,ADULT,MAIN,,`, // 12: in
      `${patronCard(18)},Short,Row`, // 13: no category (short row)
      `${patronCard(19)},Ctl\u0007Char,Bad,ADULT,MAIN,,`, // 14: control character
    ].join('\r\n');
    const before = journalCount(t);
    const dry = await importPatrons(t.s.ctx, csv(rows), t.staff, { dryRun: true });
    expect(journalCount(t)).toBe(before);
    const r = await importPatrons(t.s.ctx, csv(rows), t.staff);
    for (const report of [dry, r]) {
      expect(report).toMatchObject({ rows: 13, added: 2, skippedCount: 11 });
      expect(report.skipped.map((s) => s.position)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14]);
    }
    const reason = (row: number) => r.skipped.find((s) => s.position === row)!.reason;
    expect(reason(3)).toMatch(/on row 2 already/);
    expect(reason(4)).toMatch(/barcode rules/);
    expect(reason(5)).toMatch(/no card number/);
    expect(reason(6)).toMatch(/no surname/);
    expect(reason(7)).toMatch(/category "WIZARD"/);
    expect(reason(8)).toMatch(/branch "ATLANTIS"/);
    expect(reason(9)).toMatch(/not an email/);
    expect(reason(10)).toMatch(/not a date/);
    expect(reason(11)).toMatch(/not a date/);
    expect(reason(13)).toMatch(/no category/);
    expect(reason(14)).toMatch(/control characters/);
    expect(patronByCard(patronCard(10))).toMatchObject({ last_name: 'Good' });
    expect(patronByCard(patronCard(17))).toMatchObject({ last_name: 'Quoted, Name' });
    // With a default category and a branch mapping, the rows those stopped go in.
    const mapped = await importPatrons(t.s.ctx, csv(rows), t.staff, {
      mapping: { defaultCategory: 'ADULT', branches: { ATLANTIS: 'MAIN' }, categories: { WIZARD: 'ADULT' } },
    });
    expect(mapped.added).toBe(3);
  });

  it('refuses a file whose header names no card and no surname, changing nothing', async () => {
    t = createTestStation();
    await expect(importPatrons(t.s.ctx, csv('a,b,c\n1,2,3\n'), t.staff)).rejects.toThrow(/card number and a surname/);
  });

  it('exports patrons as CSV that imports back as the same patrons (updated, not duplicated)', async () => {
    t = createTestStation();
    addPatron(t, 1, { firstName: 'Ada', lastName: '=HYPERLINK("x")', pin: '1234' });
    addPatron(t, 2, { firstName: 'Grace', lastName: 'Hopper' });
    const out: string[] = [];
    const r = await exportPatrons(t.s.ctx, async (c) => void out.push(c));
    expect(r.patrons).toBe(2);
    const text = out.join('');
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual([
      'cardnumber',
      'surname',
      'firstname',
      'email',
      'phone',
      'address',
      'categorycode',
      'branchcode',
      'dateexpiry',
      'borrowernotes',
    ]);
    expect(rows[1]![1]).toBe(`'=HYPERLINK("x")`);
    expect(text).not.toMatch(/scrypt|pin/i);
    const back = await importPatrons(t.s.ctx, [Buffer.from(text)], t.staff);
    expect(back).toMatchObject({ added: 0, updated: 2, skippedCount: 0 });
    // The PIN set at the desk survives the update.
    expect(patronByCard(patronCard(1))!.pin_hash).toBeTruthy();
  });
});

describe('offline circulation for Koha and Evergreen', () => {
  function circulate() {
    t = createTestStation();
    const { barcodes } = addTitle(t, 'Offline title', 3, 500);
    const p = addPatron(t, 7);
    t.s.circulation.checkout({ patronBarcode: p.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.circulation.checkout({ patronBarcode: p.cardBarcode, itemBarcode: barcodes[1]! }, t.staff);
    t.clock.now += 3_600_000;
    t.s.circulation.renew({ itemBarcode: barcodes[1]! }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    t.s.catalogue.inHouseUse(barcodes[2]!, t.staff);
    return { barcodes, card: p.cardBarcode };
  }

  it("writes a .koc file every line of which is what Koha's process_koc.pl reads", () => {
    const { barcodes, card } = circulate();
    const out = buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-16', to: '2026-11-16' });
    const lines = out.text.trimEnd().split('\n');
    expect(lines[0]).toBe('Version=1.0\tGenerator=Circa\tGeneratorVersion=0.1.0');
    const header = Object.fromEntries(lines[0]!.split('\t').map((kv) => kv.split('=')));
    expect(header.Version).toBe('1.0');
    const args: Record<string, number> = { issue: 2, return: 1, payment: 2 };
    for (const line of lines.slice(1)) {
      const [stamp, command, ...rest] = line.split('\t');
      expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \d{3}$/);
      expect(Object.keys(args)).toContain(command);
      expect(rest).toHaveLength(args[command!]!);
    }
    // Koha: an issue of a copy already lent to that card is a renewal; no in-house use in KOC.
    expect(lines.slice(1).map((l) => l.split('\t').slice(1).join(' '))).toEqual([
      `issue ${card} ${barcodes[0]}`,
      `issue ${card} ${barcodes[1]}`,
      `issue ${card} ${barcodes[1]}`,
      `return ${barcodes[0]}`,
    ]);
    // Local time: 10:00 in New York, not 15:00 UTC.
    expect(lines[1]!.startsWith('2026-11-16 10:00:00 000')).toBe(true);
    expect(kocTime(Date.UTC(2026, 6, 1, 12, 0, 0, 7), 'Europe/Madrid')).toBe('2026-07-01 14:00:00 007');
  });

  it("writes Evergreen's offline transactions, one JSON object a line", () => {
    const { barcodes, card } = circulate();
    const out = buildOfflineExport(t.s.ctx, 'evergreen', { from: '2026-11-16', to: '2026-11-16' });
    const lines = out.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['checkout', 'checkout', 'renew', 'checkin', 'in_house_use']);
    for (const l of lines) {
      expect(Number.isInteger(l.timestamp)).toBe(true);
      expect(l.delta).toBe(0);
      expect(typeof l.barcode).toBe('string');
      if (l.type === 'checkout' || l.type === 'renew') {
        expect(l.patron_barcode).toBe(card);
        for (const k of ['due_date', 'checkout_time']) expect(new Date(l[k] as string).toISOString()).toBe(l[k]);
      }
      if (l.type === 'checkin') expect(new Date(l.backdate as string).toISOString()).toBe(l.backdate);
      if (l.type === 'in_house_use') expect(l).toMatchObject({ barcode: barcodes[2], count: 1 });
    }
  });

  it('carries payments in KOC only, and nothing but circulation in either', () => {
    const { card } = circulate();
    const patron = t.s.store.db.prepare('SELECT id FROM patrons WHERE card_barcode = ?').get(card) as { id: string };
    t.s.fees.charge({ patronId: patron.id, kind: 'manual', amount: 150, description: 'lost card' }, t.staff);
    t.clock.now += 60_000;
    t.s.fees.pay({ patronId: patron.id, tendered: 150 }, t.staff);
    const koc = buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-16', to: '2026-11-16' })
      .text.trimEnd()
      .split('\n')
      .slice(1);
    expect(koc.map((l) => l.split('\t')[1])).toEqual(['issue', 'issue', 'issue', 'return', 'payment']);
    expect(koc[4]).toBe(`2026-11-16 11:01:00 000\tpayment\t${card}\t1.50`);
    const evergreen = buildOfflineExport(t.s.ctx, 'evergreen', { from: '2026-11-16', to: '2026-11-16' })
      .text.trimEnd()
      .split('\n');
    expect(evergreen.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'checkout',
      'checkout',
      'renew',
      'checkin',
      'in_house_use',
    ]);
  });

  it("exports each entry once per format, and the days are the branch's, both included", () => {
    circulate();
    // 2026-11-15 in New York ends at 05:00 UTC on the 16th: nothing of the 16th's 10:00 in it.
    expect(buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-15', to: '2026-11-15' }).transactions).toBe(0);
    const first = buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-16', to: '2026-11-16' });
    markExported(t.s.ctx, 'koc', first.entries);
    expect(buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-16', to: '2026-11-16' }).transactions).toBe(0);
    // Evergreen has its own marks; --again carries them all.
    expect(buildOfflineExport(t.s.ctx, 'evergreen', { from: '2026-11-10', to: '2026-11-20' }).transactions).toBe(5);
    expect(buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-16', to: '2026-11-16', again: true }).transactions).toBe(
      4,
    );
    // A new check-out after the export is all the next one carries.
    const { barcodes } = addTitle(t, 'Later', 1, 900);
    t.s.circulation.checkout({ patronBarcode: patronCard(7), itemBarcode: barcodes[0]! }, t.staff);
    expect(buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-16', to: '2026-11-16' }).transactions).toBe(1);
    expect(() => buildOfflineExport(t.s.ctx, 'koc', { from: '2026-11-17', to: '2026-11-16' })).toThrow(/before/);
  });
});
