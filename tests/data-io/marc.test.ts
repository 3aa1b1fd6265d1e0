// MARC in and out on real files: the project's fixtures (tests/fixtures/marc, broken ones
// included), a generated 10,000-record file, and yaz-marcdump (an independent MARC reader)
// reading every exported record back.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportMarc } from '../../src/services/import/marc-export';
import { MarcImporter, type MarcImportOptions } from '../../src/services/import/marc-import';
import type { ByteSource } from '../../src/services/import/marc-reader';
import { MAX_ENTRY_BYTES } from '../../src/hub/request-limits';
import { suspendSearchIndex } from '../../src/store/search-index';
import { bookRecord, generatedBooks, iso2709, marcXml } from '../support/marc-files';
import { createTestStation, itemBarcode, journalCount, type TestStation } from '../support/station';

const FIXTURES = join(import.meta.dirname, '../fixtures/marc');
const fixture = (name: string) => createReadStream(join(FIXTURES, name));

let t: TestStation;
afterEach(() => t?.close());

async function importFile(source: ByteSource, options: MarcImportOptions = {}) {
  return new MarcImporter(t.s.ctx).import(source, t.staff, options);
}

const count = (sql: string) => (t.s.store.db.prepare(sql).get() as { n: number }).n;
const recordByTitle = (title: string) =>
  t.s.store.db.prepare('SELECT * FROM records WHERE title = ?').get(title) as Record<string, unknown> | undefined;

async function exported(format: 'iso2709' | 'marcxml'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await exportMarc(t.s.ctx, format, async (c) => void chunks.push(Buffer.from(c)));
  return Buffer.concat(chunks);
}

/** yaz-marcdump's line format of a file; it exits non-zero, or writes warnings on stderr, on a record it cannot read. */
function yazDump(file: string, input: 'marc' | 'marcxml'): { out: string; records: number } {
  const out = execFileSync('yaz-marcdump', ['-i', input, '-o', 'line', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records = out.split('\n').filter((l) => /^\d{5}[a-z ]{3}/.test(l)).length;
  return { out, records };
}

describe('MARC import', () => {
  it('imports ISO 2709 UTF-8 with Koha 952 holdings: the fields of the record and its copies', async () => {
    t = createTestStation();
    t.s.admin.saveItemType({ code: 'DVD', name: 'DVD', notForLoan: false }, t.staff);
    const report = await importFile(fixture('books-utf8.mrc'));
    expect(report).toMatchObject({ kind: 'iso2709', records: 3, added: 3, updated: 0, copies: 3, skippedCount: 0 });
    const r = recordByTitle('Cien años de soledad')!;
    expect(r).toMatchObject({
      author: 'García Márquez, Gabriel',
      isbn: '9780060883287',
      publisher: 'Test Press',
      year: 2020,
      call_number: '020 TES',
      control_number: 'TEST|ocm0001',
    });
    expect(String(r.subjects)).toContain('Libraries -- Automation');
    // The search finds it by subject too.
    expect(t.s.catalogue.search('automation').map((h) => h.title)).toContain('Cien años de soledad');
    const dvd = t.s.catalogue.itemByBarcode(itemBarcode(102));
    expect(dvd).toMatchObject({ itemTypeCode: 'DVD', status: 'available' });
    expect(t.s.catalogue.itemByBarcode(itemBarcode(101)).replacementPrice).toBe(1800);
  });

  it('reads MARCXML with and without the marc: prefix as the same records, and a re-import updates instead of duplicating', async () => {
    t = createTestStation();
    t.s.admin.saveItemType({ code: 'DVD', name: 'DVD', notForLoan: false }, t.staff);
    await importFile(fixture('books.xml'));
    const again = await importFile(fixture('books-ns.xml'));
    expect(again).toMatchObject({ kind: 'marcxml', records: 3, added: 0, updated: 3, copies: 0, copiesUpdated: 3 });
    const third = await importFile(fixture('books-utf8.mrc'));
    expect(third).toMatchObject({ added: 0, updated: 3 });
    expect(count('SELECT count(*) AS n FROM records')).toBe(3);
    expect(count('SELECT count(*) AS n FROM items')).toBe(3);
    expect(recordByTitle('Ærøskøbing & Łódź: a traveller’s guide')).toBeDefined();
  });

  it('matches by ISBN when a record has no 001', async () => {
    t = createTestStation();
    const noId = (title: string) => bookRecord({ title, isbn: '9781234567897', copies: [] });
    await importFile([iso2709([noId('First title')])]);
    const r = await importFile([iso2709([noId('Better title')])]);
    expect(r).toMatchObject({ added: 0, updated: 1 });
    expect(recordByTitle('Better title')).toBeDefined();
    expect(count('SELECT count(*) AS n FROM records')).toBe(1);
  });

  it('decodes MARC-8 (written by yaz-marcdump) to the same text as the UTF-8 file', async () => {
    t = createTestStation();
    t.s.admin.saveItemType({ code: 'DVD', name: 'DVD', notForLoan: false }, t.staff);
    const r = await importFile(fixture('books-marc8.mrc'));
    expect(r).toMatchObject({ records: 3, added: 3, skippedCount: 0 });
    expect(recordByTitle('Cien años de soledad')).toMatchObject({ author: 'García Márquez, Gabriel' });
    expect(recordByTitle('Straße der Ölmühlen')).toMatchObject({ author: 'Müller, Jürgen' });
    const titles = (t.s.store.db.prepare('SELECT title FROM records').all() as { title: string }[]).map((x) => x.title);
    expect(titles.some((x) => x.startsWith('Ærøskøbing & Łód'))).toBe(true);
  });

  it.each([
    ['bad-leader.mrc', /bad leader/],
    ['bad-directory.mrc', /directory/],
    ['truncated.mrc', /says in its leader that it is \d+ bytes long, but it is \d+/],
    ['wrong-encoding.mrc', /says it is UTF-8.*but is not/],
  ])('%s: the broken record is skipped by position and 001, the records around it go in', async (file, reason) => {
    t = createTestStation();
    const r = await importFile(fixture(file));
    expect(r).toMatchObject({ records: 3, added: 2, skippedCount: 1 });
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatchObject({ position: 2 });
    expect(r.skipped[0]!.reason).toMatch(reason);
    if (file !== 'bad-leader.mrc') expect(r.skipped[0]!.id).toBe('broken-1');
    expect(recordByTitle('The record before')).toBeDefined();
    expect(recordByTitle('The record after')).toBeDefined();
    expect(recordByTitle('The broken one')).toBeUndefined();
    // Never half a record: no copy of the refused one either.
    expect(count(`SELECT count(*) AS n FROM items WHERE barcode = '${itemBarcode(203)}'`)).toBe(0);
  });

  it('skips a last record without a terminator, naming it', async () => {
    t = createTestStation();
    const r = await importFile(fixture('no-terminator.mrc'));
    expect(r).toMatchObject({ records: 3, added: 2, skippedCount: 1 });
    expect(r.skipped[0]).toMatchObject({ position: 3, id: 'broken-1' });
    expect(r.skipped[0]!.reason).toMatch(/without a record terminator/);
  });

  it('imports a UNIMARC record whole: title from 200, author from 700, copy from 995', async () => {
    t = createTestStation();
    const r = await importFile(fixture('unimarc.mrc'));
    expect(r).toMatchObject({ records: 1, added: 1, copies: 1, skippedCount: 0 });
    expect(recordByTitle("L'Étranger")).toMatchObject({
      author: 'Camus, Albert',
      isbn: '9782070368228',
      publisher: 'Gallimard',
      year: 1942,
      call_number: '843 CAM',
    });
    expect(t.s.catalogue.itemByBarcode(itemBarcode(301)).title).toBe("L'Étranger");
  });

  it('refuses a UNIMARC record whole when one of its 995 copies cannot go in, never half of it', async () => {
    t = createTestStation();
    const unimarc = (id: string, title: string, copies: [string, string][]) => ({
      leader: '00000nam  2200000   4500',
      fields: [
        ['001', id],
        ['200', '1 ', 'a', title, 'f', 'Camus'],
        ...copies.map(([barcode, type]) => ['995', '  ', 'b', 'MAIN', 'f', barcode, 'r', type]),
      ],
    });
    const r = await importFile([
      iso2709([
        unimarc('u1', 'Premier', [[itemBarcode(501), 'BOOK']]),
        unimarc('u2', 'Deuxième', [
          [itemBarcode(502), 'BOOK'],
          [itemBarcode(503), 'ZINE'],
        ]),
        unimarc('u3', 'Troisième', [[itemBarcode(504), 'BOOK']]),
      ]),
    ]);
    expect(r).toMatchObject({ records: 3, added: 2, copies: 2, skippedCount: 1 });
    expect(r.skipped[0]).toMatchObject({ position: 2, id: 'u2' });
    expect(r.skipped[0]!.reason).toMatch(/copy 2 \(995\) of item type "ZINE"/);
    // Neither the record (title from 200) nor its good first copy went in without the other.
    expect(recordByTitle('Deuxième')).toBeUndefined();
    expect(count(`SELECT count(*) AS n FROM items WHERE barcode = '${itemBarcode(502)}'`)).toBe(0);
    expect(recordByTitle('Premier')).toBeDefined();
    expect(t.s.catalogue.itemByBarcode(itemBarcode(504)).title).toBe('Troisième');
  });

  it('refuses a record whole, with the reason, when one of its copies cannot go in', async () => {
    t = createTestStation();
    const file = iso2709([
      bookRecord({
        id: 'a',
        title: 'Unknown type',
        copies: [{ barcode: itemBarcode(1) }, { barcode: itemBarcode(2), type: 'ZINE' }],
      }),
      bookRecord({ id: 'b', title: 'Bad barcode', copies: [{ barcode: '12345' }] }),
      bookRecord({ id: 'c', title: 'Unknown branch', copies: [{ barcode: itemBarcode(3), branch: 'NOWHERE' }] }),
      bookRecord({ id: 'd', title: 'Same barcode as a', copies: [{ barcode: itemBarcode(4) }] }),
      bookRecord({ id: 'e', title: 'Takes copy of d', copies: [{ barcode: itemBarcode(4) }] }),
    ]);
    const r = await importFile([file]);
    expect(r).toMatchObject({ records: 5, added: 1, copies: 1, skippedCount: 4 });
    expect(r.skipped.map((s) => [s.position, s.id])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [5, 'e'],
    ]);
    expect(r.skipped[0]!.reason).toMatch(/item type "ZINE"/);
    expect(r.skipped[1]!.reason).toMatch(/fails the item barcode rules/);
    expect(r.skipped[2]!.reason).toMatch(/branch "NOWHERE"/);
    expect(r.skipped[3]!.reason).toMatch(/copy of another record/);
    // Record a's good copy did not go in without it.
    expect(count(`SELECT count(*) AS n FROM items WHERE barcode = '${itemBarcode(1)}'`)).toBe(0);
    // A mapping of the old system's codes lets them in.
    const mapped = await importFile([file], {
      mapping: { itemTypes: { ZINE: 'BOOK' }, branches: { NOWHERE: 'MAIN' } },
    });
    expect(mapped).toMatchObject({ added: 2, skippedCount: 2 });
  });

  it('a dry run reports the same and changes nothing', async () => {
    t = createTestStation();
    const before = journalCount(t);
    const r = await importFile(fixture('truncated.mrc'), { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, records: 3, added: 2, skippedCount: 1 });
    expect(journalCount(t)).toBe(before);
    expect(count('SELECT count(*) AS n FROM records')).toBe(0);
  });

  it('an interrupted import keeps whole batches only, and the next run of the file carries on', async () => {
    t = createTestStation();
    // Big enough for a few groups of batches (marc-import.ts GROUP_BATCHES) before the cut.
    const file = iso2709(generatedBooks(3000));
    async function* cutAfter(bytes: number) {
      yield file.subarray(0, bytes);
      throw new Error('the disk was unplugged');
    }
    await expect(importFile(cutAfter(Math.floor(file.length * 0.7)), { fingerprint: 'f1' })).rejects.toThrow(
      'unplugged',
    );
    const kept = count('SELECT count(*) AS n FROM records');
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3000);
    // What was kept is exactly what the committed batches' journal entries say.
    const journaled = t.s.store.db
      .prepare("SELECT payload FROM journal WHERE command = 'catalogue.importRecords'")
      .all() as { payload: string }[];
    expect(
      journaled.reduce((n, e) => n + (JSON.parse(e.payload) as { input: { records: number } }).input.records, 0),
    ).toBe(kept);
    // Every record kept has all its copies: no half record.
    expect(
      count('SELECT count(*) AS n FROM records r WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.record_id = r.id)'),
    ).toBe(0);
    const again = await importFile([file], { fingerprint: 'f1' });
    expect(again.resumedAfter).toBe(kept);
    expect(again.added).toBe(3000 - kept);
    expect(count('SELECT count(*) AS n FROM records')).toBe(3000);
    expect(count('SELECT count(*) AS n FROM items')).toBe(4000);
  });

  it('writes one signed journal entry per batch, each small enough for the hub', async () => {
    t = createTestStation();
    const before = journalCount(t);
    await importFile([iso2709(generatedBooks(1200))]);
    const entries = t.s.store.db
      .prepare("SELECT payload, signature, staff_id FROM journal WHERE command = 'catalogue.importRecords'")
      .all() as { payload: string; signature: string; staff_id: string }[];
    expect(entries.length).toBe(journalCount(t) - before);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const e of entries) {
      expect(e.signature).toBeTruthy();
      expect(e.staff_id).toBe(t.staff.staffId);
      expect(Buffer.byteLength(e.payload)).toBeLessThan(MAX_ENTRY_BYTES * 0.8);
    }
  });
});

describe('MARC import into an empty catalogue (no look-ups for what it never wrote, the keyword index built once)', () => {
  const triggers = () =>
    t.s.store.db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'records' ORDER BY name")
      .all();
  const suspendedMark = () =>
    t.s.store.db.prepare("SELECT count(*) AS n FROM station_state WHERE key = 'search_index.suspended'").get() as {
      n: number;
    };
  const titles = (q: string) => t.s.catalogue.search(q).map((h) => h.title);
  const barcodeOf = (book: ReturnType<typeof generatedBooks>[number]) =>
    book.fields.find((f) => f[0] === '952')![book.fields.find((f) => f[0] === '952')!.indexOf('p') + 1]!;

  it('finds records of earlier batches again, leaves the search index as the migration made it, and searchable', async () => {
    t = createTestStation();
    const before = triggers();
    expect(before).toHaveLength(3);
    // The same five records at the end again: matched to those of the first batch, long written.
    const r = await importFile([iso2709([...generatedBooks(2000), ...generatedBooks(5)])]);
    expect(r).toMatchObject({
      records: 2005,
      added: 2000,
      updated: 5,
      copies: 2666,
      copiesUpdated: 6,
      skippedCount: 0,
    });
    expect(count('SELECT count(*) AS n FROM records')).toBe(2000);
    expect(triggers()).toEqual(before);
    expect(suspendedMark().n).toBe(0);
    expect(titles('"Generated book number 1777"')).toContain('Generated book number 1777');
    // Indexed as it is written again.
    t.s.catalogue.addRecord(
      {
        title: 'Typed after the import',
        author: null,
        isbn: null,
        issn: null,
        publisher: null,
        year: null,
        callNumber: null,
      },
      t.staff,
    );
    expect(titles('typed')).toEqual(['Typed after the import']);
  });

  it('a copy the desk adds while the import runs is seen: the record of the file that has its barcode is refused, not written twice', async () => {
    t = createTestStation();
    const books = generatedBooks(3000);
    const file = iso2709(books);
    const half = Math.floor(file.length / 2);
    const taken = barcodeOf(books[2900]!);
    const desk = async function* () {
      yield file.subarray(0, half);
      // The first half's groups are written by now; the desk adds a record and a copy.
      const typed = t.s.catalogue.addRecord(
        {
          title: 'Typed at the desk',
          author: null,
          isbn: null,
          issn: null,
          publisher: null,
          year: null,
          callNumber: null,
        },
        t.staff,
      );
      t.s.catalogue.addItem({ barcode: taken, recordId: typed.id, itemTypeCode: 'BOOK' }, t.staff);
      yield file.subarray(half);
    };
    const r = await importFile(desk());
    expect(r.skippedCount).toBe(1);
    expect(r.skipped[0]).toMatchObject({ position: 2901 });
    expect(r.skipped[0]!.reason).toContain('which is a copy of another record already');
    expect(count('SELECT count(*) AS n FROM records')).toBe(3000);
    expect(titles('"Typed at the desk"')).toEqual(['Typed at the desk']);
    expect(titles('"Generated book number 2999"')).toContain('Generated book number 2999');
  });

  it('an import that stops part way leaves what went in searchable, and so does a station that stopped with the index suspended', async () => {
    t = createTestStation();
    const file = iso2709(generatedBooks(3000));
    async function* cutAfter(bytes: number) {
      yield file.subarray(0, bytes);
      throw new Error('the disk was unplugged');
    }
    await expect(importFile(cutAfter(Math.floor(file.length * 0.7)), { fingerprint: 'f1' })).rejects.toThrow(
      'unplugged',
    );
    expect(count('SELECT count(*) AS n FROM records')).toBeGreaterThan(0);
    expect(titles('"Generated book number 12"')).toContain('Generated book number 12');
    expect(suspendedMark().n).toBe(0);

    // Killed between the two (nothing ran the restore): the next open builds the index.
    suspendSearchIndex(t.s.store.db);
    const typed = t.s.catalogue.addRecord(
      {
        title: 'Written while suspended',
        author: null,
        isbn: null,
        issn: null,
        publisher: null,
        year: null,
        callNumber: null,
      },
      t.staff,
    );
    expect(titles('suspended')).toEqual([]);
    t = t.reopen();
    expect(titles('suspended')).toEqual(['Written while suspended']);
    expect(suspendedMark().n).toBe(0);
    expect(triggers()).toHaveLength(3);
    t.s.catalogue.updateRecord(typed.id, { title: 'Renamed afterwards' }, t.staff);
    expect(titles('renamed')).toEqual(['Renamed afterwards']);
    expect(titles('suspended')).toEqual([]);
  });
});

describe('MARC export', () => {
  it(
    '10,000 generated records go in, and out as ISO 2709 and MARCXML that yaz-marcdump reads back whole',
    { timeout: 120_000 },
    async () => {
      t = createTestStation();
      const dir = mkdtempSync(join(tmpdir(), 'circa-marc-'));
      try {
        const source = join(dir, 'in.mrc');
        writeFileSync(source, iso2709(generatedBooks(10_000)));
        const r = await importFile(createReadStream(source));
        expect(r).toMatchObject({ records: 10_000, added: 10_000, copies: 13_333, skippedCount: 0 });
        // A record typed in at the desk, with a copy, goes out too.
        const typed = t.s.catalogue.addRecord(
          {
            title: 'Typed & "quoted" <in>',
            author: 'Desk, Staff',
            isbn: null,
            issn: null,
            publisher: null,
            year: 2024,
            callNumber: 'X 1',
          },
          t.staff,
        );
        t.s.catalogue.addItem({ barcode: itemBarcode(900_000), recordId: typed.id, itemTypeCode: 'BOOK' }, t.staff);

        const mrc = join(dir, 'out.mrc');
        writeFileSync(mrc, await exported('iso2709'));
        const dump = yazDump(mrc, 'marc');
        expect(dump.records).toBe(10_001);
        expect(dump.out).toContain(`$p ${itemBarcode(1)}`);
        expect(dump.out).toContain('$z kept note');
        expect(dump.out).toContain('245 10 $a Typed & "quoted" <in>');

        const xml = join(dir, 'out.xml');
        writeFileSync(xml, await exported('marcxml'));
        execFileSync('xmllint', ['--noout', xml]);
        expect(yazDump(xml, 'marcxml').records).toBe(10_001);

        // Circa reads its own export back as the same catalogue: every record matched, none added.
        const back = await importFile(createReadStream(mrc));
        expect(back).toMatchObject({ records: 10_001, added: 0, updated: 10_001, copies: 0, skippedCount: 0 });
        // And yaz's own MARCXML conversion of it reads the same.
        const yazXml = join(dir, 'yaz.xml');
        writeFileSync(
          yazXml,
          execFileSync('yaz-marcdump', ['-i', 'marc', '-o', 'marcxml', mrc], { maxBuffer: 256 * 1024 * 1024 }),
        );
        const fromYaz = await importFile(createReadStream(yazXml));
        expect(fromYaz).toMatchObject({ records: 10_001, added: 0, skippedCount: 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("keeps a copy's current state in its 952 and the record's other fields as imported", async () => {
    t = createTestStation();
    await importFile(fixture('books-utf8.mrc'), { mapping: { itemTypes: { DVD: 'BOOK' } } });
    t.s.catalogue.setItemStatus(itemBarcode(101), 'lost', t.staff);
    const dir = mkdtempSync(join(tmpdir(), 'circa-marc-'));
    try {
      const file = join(dir, 'out.mrc');
      writeFileSync(file, await exported('iso2709'));
      const { out } = yazDump(file, 'marc');
      expect(out).toContain('264  1 $a Springfield : $b Test Press, $c 2020.');
      expect(out).toMatch(new RegExp(`952 .*\\$p ${itemBarcode(101)}.*\\$1 1`));
      expect(readFileSync(file).includes(Buffer.from('García Márquez'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('MARCXML helper: the generated namespaced file parses with xmllint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'circa-marc-'));
  try {
    writeFileSync(join(dir, 'x.xml'), marcXml(generatedBooks(3), 'marc'));
    execFileSync('xmllint', ['--noout', join(dir, 'x.xml')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
