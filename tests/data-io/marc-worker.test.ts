// The reading and mapping of a MARC import run in a worker thread (src/services/import/
// marc-prepare.ts, marc-worker.ts): the real worker here, fed a file it reads itself or the
// chunks of any other source, against the same import read in the importing thread.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MarcImporter, type MarcImportOptions } from '../../src/services/import/marc-import';
import { NotMarcError, type ByteSource } from '../../src/services/import/marc-reader';
import { prepareInWorker, type PreparedSlice } from '../../src/services/import/marc-prepare';
import { HOLDINGS_PROFILES } from '../../src/domain/marc/mapping';
import { generatedBooks, iso2709, marcXml } from '../support/marc-files';
import { createTestStation, type TestStation } from '../support/station';

const FIXTURES = join(import.meta.dirname, '../fixtures/marc');
const stations: TestStation[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
});

async function importInto(source: () => ByteSource, options: MarcImportOptions = {}) {
  const t = createTestStation();
  stations.push(t);
  const report = await new MarcImporter(t.s.ctx).import(source(), t.staff, options);
  const db = t.s.store.db;
  const rows = {
    records: db
      .prepare('SELECT title, author, isbn, control_number, call_number, subjects, marc FROM records ORDER BY rowid')
      .all(),
    items: db
      .prepare(
        `SELECT i.barcode, i.item_type_code, b.code AS home, i.replacement_price, i.location, r.title
         FROM items i JOIN records r ON r.id = i.record_id JOIN branches b ON b.id = i.home_branch_id ORDER BY i.rowid`,
      )
      .all(),
  };
  return { report, rows };
}

/** The report without where it was read. */
const sameAs = (r: { readIn: unknown }) => ({ ...r, readIn: null });

describe('MARC import in a worker thread', () => {
  it('reads a file stream in the worker, with the same report and rows as in this thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-marc-worker-'));
    try {
      // Several chunks of 16 KB, records across their edges, one broken record among them.
      const good = iso2709(generatedBooks(400));
      const file = join(dir, 'books.mrc');
      writeFileSync(file, Buffer.concat([good.subarray(0, 20_000), Buffer.from('00099xxxx'), good.subarray(20_000)]));
      const stream = () => createReadStream(file, { highWaterMark: 16 * 1024 });
      const worker = await importInto(stream);
      const thread = await importInto(stream, { inThread: true });
      expect(worker.report.readIn).toBe('worker');
      expect(thread.report.readIn).toBe('thread');
      expect(worker.report.skippedCount).toBeGreaterThan(0);
      expect(sameAs(worker.report)).toEqual(sameAs(thread.report));
      expect(worker.rows).toEqual(thread.rows);
      expect(worker.rows.records.length).toBe(worker.report.added);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is fed the chunks of a source that is not a file, MARCXML included', async () => {
    const xml = Buffer.from(marcXml(generatedBooks(150), 'marc'), 'utf8');
    const chunks = () => {
      const out: Buffer[] = [];
      for (let at = 0; at < xml.length; at += 7_000) out.push(xml.subarray(at, at + 7_000));
      return out;
    };
    const worker = await importInto(chunks);
    const thread = await importInto(chunks, { inThread: true });
    expect(worker.report).toMatchObject({ readIn: 'worker', kind: 'marcxml', added: 150 });
    expect(sameAs(worker.report)).toEqual(sameAs(thread.report));
    expect(worker.rows).toEqual(thread.rows);
  });

  it('says a file is not MARC, and a source that fails, as this thread does', async () => {
    const notMarc = importInto(() => [Buffer.from('hello, this is not MARC')]);
    await expect(notMarc).rejects.toBeInstanceOf(NotMarcError);
    await expect(notMarc).rejects.toThrow('neither ISO 2709');
    const file = iso2709(generatedBooks(50));
    async function* failing() {
      yield file.subarray(0, 5_000);
      throw new Error('the disk was unplugged');
    }
    await expect(importInto(failing)).rejects.toThrow('the disk was unplugged');
    await expect(importInto(() => createReadStream(join(FIXTURES, 'no-such-file.mrc')))).rejects.toThrow(/ENOENT/);
  });

  it('reads every fixture the same way in both threads', async () => {
    for (const name of ['books-utf8.mrc', 'books-marc8.mrc', 'books-ns.xml', 'bad-directory.mrc', 'truncated.mrc']) {
      const stream = () => createReadStream(join(FIXTURES, name));
      const worker = await importInto(stream);
      const thread = await importInto(stream, { inThread: true });
      expect(worker.report.readIn, name).toBe('worker');
      expect(sameAs(worker.report), name).toEqual(sameAs(thread.report));
      expect(worker.rows, name).toEqual(thread.rows);
    }
  });

  it('reads in this thread when no worker can start, a file stream or chunks alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-marc-worker-'));
    try {
      const file = join(dir, 'books.mrc');
      writeFileSync(file, iso2709(generatedBooks(300)));
      const missing = new URL('./no-such-worker.mjs', import.meta.url);
      for (const source of [
        () => createReadStream(file, { highWaterMark: 16 * 1024 }),
        () => [iso2709(generatedBooks(300))],
      ]) {
        const slices: PreparedSlice[] = [];
        for await (const slice of prepareInWorker(source(), HOLDINGS_PROFILES, missing)) slices.push(slice);
        expect(new Set(slices.map((s) => s.readIn))).toEqual(new Set(['thread']));
        const records = slices.flatMap((s) => s.records);
        expect(records.map((r) => r.position)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        expect(records.every((r) => r.ok)).toBe(true);
      }
      // And the real worker, given the same file, reads the same records.
      const inWorker: PreparedSlice[] = [];
      for await (const slice of prepareInWorker(createReadStream(file), HOLDINGS_PROFILES)) inWorker.push(slice);
      expect(new Set(inWorker.map((s) => s.readIn))).toEqual(new Set(['worker']));
      expect(inWorker.flatMap((s) => s.records).length).toBe(300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
