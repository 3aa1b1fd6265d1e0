// Copy cataloguing end to end, against a real SRU and Z39.50 server: yaz-ztest started on loopback. Staff
// set the target up in the library's settings, search it by ISBN, title and author over SRU 1.2
// and 2.0, pick a record, and it is a catalogue record (journaled like any) with copies added.
// A target that refuses connections, or never answers, says so and breaks nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLSerializer } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRowChange } from '../../src/hub/row-schemas';
import { marcToRecord } from '../../src/services/copy-cataloguing/marc-to-record';
import { parseMarcXml } from '../../src/services/copy-cataloguing/marcxml';
import { cqlQuery, CopyCatalogueError, sruSearch } from '../../src/services/copy-cataloguing/sru';
import { readIso2709, z3950Search } from '../../src/services/copy-cataloguing/z3950';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode } from '../support/station';
import { freePort, startZTest, type ZTest } from '../support/ztest';

let core: StationCore;
let token: string;
let ztest: ZTest;
let refusedPort: number;

async function call(name: string, input: unknown) {
  return core.invoke(name, input, { sessionToken: token, local: true });
}
async function ok<T = Record<string, unknown>>(name: string, input: unknown): Promise<T> {
  const r = await call(name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

interface Hit {
  title: string;
  author: string | null;
  isbn: string | null;
  callNumber: string | null;
  year: number | null;
  publisher: string | null;
  existingRecordId: string | null;
  marcxml: string;
}
interface SearchResult {
  total: number;
  hits: Hit[];
}

beforeAll(async () => {
  ztest = await startZTest();
  refusedPort = await freePort();
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-copycat-')) });
  const local = { local: true };
  await core.invoke(
    'setup.initialize',
    {
      libraryName: 'Springfield Public Library',
      branchCode: 'MAIN',
      branchName: 'Main',
      timeZone: 'America/New_York',
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
    },
    local,
  );
  const signIn = await core.invoke('auth.signIn', { username: 'admin', password: 'a long password' }, local);
  if (!signIn.ok) throw new Error('sign-in failed');
  token = (signIn.value as { token: string }).token;
  await ok('settings.update', {
    copyCatalogueTargets: [
      { id: 'ztest', name: 'YAZ test server', kind: 'sru', address: ztest.url, database: 'Default', sruVersion: '1.2' },
      {
        id: 'ztest2',
        name: 'YAZ test server (SRU 2.0)',
        kind: 'sru',
        address: `${ztest.url}/`,
        database: 'Default',
        sruVersion: '2.0',
      },
      {
        id: 'gone',
        name: 'A library that is offline',
        kind: 'sru',
        address: `http://127.0.0.1:${refusedPort}`,
        database: 'Default',
        sruVersion: '1.2',
      },
      {
        id: 'z',
        name: 'A Z39.50 target',
        kind: 'z3950',
        address: `127.0.0.1:${ztest.port}`,
        database: 'Default',
        sruVersion: '1.2',
      },
    ],
  });
}, 30_000);

afterAll(async () => {
  await core?.close();
  await ztest?.stop();
});

describe('copy cataloguing over SRU', () => {
  it('lists the targets set up in the library settings', async () => {
    expect(await ok('copyCatalogue.targets', {})).toEqual([
      { id: 'ztest', name: 'YAZ test server', kind: 'sru' },
      { id: 'ztest2', name: 'YAZ test server (SRU 2.0)', kind: 'sru' },
      { id: 'gone', name: 'A library that is offline', kind: 'sru' },
      { id: 'z', name: 'A Z39.50 target', kind: 'z3950' },
    ]);
  });

  it('searches by title over SRU 1.2 and shows the records as our records would be', async () => {
    const result = await ok<SearchResult>('copyCatalogue.search', { targetId: 'ztest', by: 'title', term: 'computer' });
    expect(result.total).toBeGreaterThan(0);
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.length).toBeLessThanOrEqual(10);
    expect(result.hits[0]).toMatchObject({
      title: 'How to program a computer',
      author: 'Jack Collins',
      existingRecordId: null,
    });
    // What the server was asked: the CQL a title search makes, for MARCXML.
    expect(ztest.log()).toContain('dc.title');
  });

  it('searches by ISBN and by author, over SRU 2.0 too', async () => {
    const byIsbn = await ok<SearchResult>('copyCatalogue.search', {
      targetId: 'ztest',
      by: 'isbn',
      term: '0-8391-0882-6',
    });
    expect(byIsbn.hits.length).toBeGreaterThan(0);
    const byAuthor = await ok<SearchResult>('copyCatalogue.search', {
      targetId: 'ztest2',
      by: 'author',
      term: 'Collins',
    });
    expect(byAuthor.hits.length).toBeGreaterThan(0);
    expect(byAuthor.hits[0]?.author).toBe('Jack Collins');
    expect(cqlQuery('isbn', '0-8391-0882-6')).toBe('bath.isbn="0839108826" or dc.identifier="0839108826"');
  });

  it('makes the picked record a catalogue record, journaled, that takes copies', async () => {
    const result = await ok<SearchResult>('copyCatalogue.search', { targetId: 'ztest', by: 'title', term: 'computer' });
    // The record with an ISBN, a Dewey number and a publisher among the server's samples.
    const picked = result.hits.find((h) => h.isbn === '0839108826');
    expect(picked, 'the sample record with ISBN 0839108826').toBeDefined();
    const journalBefore = core.services.ctx.journal.waitingCount();
    const record = await ok<{
      id: string;
      title: string;
      isbn: string | null;
      callNumber: string | null;
      author: string | null;
    }>('copyCatalogue.import', { marcxml: picked!.marcxml });
    expect(record).toMatchObject({
      title: picked!.title,
      isbn: '0839108826',
      author: picked!.author,
      callNumber: picked!.callNumber,
    });
    expect(record.callNumber).toBeTruthy();
    expect(core.services.ctx.journal.waitingCount()).toBe(journalBefore + 1);
    const entry = core.services.store.db.prepare('SELECT command FROM journal ORDER BY seq DESC LIMIT 1').get() as {
      command: string;
    };
    expect(entry.command).toBe('catalogue.addRecord');

    await ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
    const view = await ok<{ items: { barcode: string }[] }>('catalogue.record', { recordId: record.id });
    expect(view.items.map((i) => i.barcode)).toEqual([itemBarcode(1)]);
    // Found in our own catalogue by its title, like a record typed in.
    const found = await ok<{ id: string }[]>('catalogue.search', { query: picked!.title.split(' ')[0]! });
    expect(found.map((f) => f.id)).toContain(record.id);

    // Searched again, the record says it is ours already, and copying it twice is refused.
    const again = await ok<SearchResult>('copyCatalogue.search', { targetId: 'ztest', by: 'title', term: 'computer' });
    expect(again.hits.find((h) => h.isbn === '0839108826')?.existingRecordId).toBe(record.id);
    const twice = await call('copyCatalogue.import', { marcxml: picked!.marcxml });
    expect(twice).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('says the target cannot be reached when it refuses connections, and the station carries on', async () => {
    const before = core.services.ctx.journal.waitingCount();
    const r = await call('copyCatalogue.search', { targetId: 'gone', by: 'title', term: 'computer' });
    expect(r).toMatchObject({ ok: false, error: { code: 'TARGET_UNREACHABLE' } });
    expect(core.services.ctx.journal.waitingCount()).toBe(before);
    // Nothing else broke: the station's own catalogue and another target still answer.
    expect(
      (await ok<SearchResult>('copyCatalogue.search', { targetId: 'ztest', by: 'author', term: 'Collins' })).hits
        .length,
    ).toBeGreaterThan(0);
    expect(await ok('catalogue.search', { query: 'computer' })).toBeInstanceOf(Array);
  });

  it('refuses a bad record and an unknown target clearly, changing nothing', async () => {
    const before = core.services.ctx.journal.waitingCount();
    expect(await call('copyCatalogue.import', { marcxml: '<record><leader>' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(await call('copyCatalogue.import', { marcxml: '<html><body>not MARC</body></html>' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    const noTitle =
      '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader><datafield tag="100" ind1="1" ind2=" "><subfield code="a">Nobody</subfield></datafield></record>';
    expect(await call('copyCatalogue.import', { marcxml: noTitle })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(await call('copyCatalogue.search', { targetId: 'nope', by: 'title', term: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(core.services.ctx.journal.waitingCount()).toBe(before);
  });

  it('is a library setting the hub takes from a station, and checks as the station does', () => {
    const stored = core.services.store.db.prepare("SELECT value FROM settings WHERE id = 'library'").get() as {
      value: string;
    };
    expect(
      parseRowChange({ table: 'settings', op: 'upsert', row: { id: 'library', value: stored.value } }),
    ).toMatchObject({ ok: true });
    const bad = {
      ...JSON.parse(stored.value),
      copyCatalogueTargets: [
        { id: 'x', name: 'X', kind: 'sru', address: 'file:///etc/passwd', database: '', sruVersion: '1.2' },
      ],
    };
    expect(
      parseRowChange({ table: 'settings', op: 'upsert', row: { id: 'library', value: JSON.stringify(bad) } }),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('copyCatalogueTargets') });
  });

  it('refuses a target that is not an address, in the settings', async () => {
    const r = await call('settings.update', {
      copyCatalogueTargets: [
        { id: 'x', name: 'X', kind: 'sru', address: 'not a url', database: '', sruVersion: '1.2' },
      ],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect((await ok<{ id: string }[]>('copyCatalogue.targets', {})).map((t) => t.id)).toEqual([
      'ztest',
      'ztest2',
      'gone',
      'z',
    ]);
  });
});

describe('copy cataloguing over Z39.50', () => {
  it('searches the same server by Bib-1 title, ISBN and author, and copies a record from it', async () => {
    const byTitle = await ok<SearchResult>('copyCatalogue.search', { targetId: 'z', by: 'title', term: 'computer' });
    expect(byTitle.total).toBeGreaterThan(0);
    expect(byTitle.hits).toHaveLength(10);
    expect(byTitle.hits[0]).toMatchObject({ title: 'How to program a computer', author: 'Jack Collins' });
    // What the server heard: an RPN query with the Bib-1 use attribute of each kind of search.
    await ok('copyCatalogue.search', { targetId: 'z', by: 'isbn', term: '0-8391-0882-6' });
    await ok('copyCatalogue.search', { targetId: 'z', by: 'author', term: 'Collins' });
    const log = ztest.log();
    expect(log).toMatch(/Search Default OK \d+ default 1\+0 RPN @attrset Bib-1 @attr 1=4 computer/);
    expect(log).toContain('@attr 1=7 0839108826');
    expect(log).toContain('@attr 1=1003 Collins');
    // The second page starts where the first ended.
    const second = await ok<SearchResult & { hits: { position: number }[] }>('copyCatalogue.search', {
      targetId: 'z',
      by: 'title',
      term: 'computer',
      start: 11,
    });
    expect(second.hits[0]?.position).toBe(11);

    const picked = byTitle.hits.find((h) => h.title.startsWith('The Computer Bible'));
    expect(picked, 'a sample record not copied yet').toBeDefined();
    const record = await ok<{ title: string; author: string | null }>('copyCatalogue.import', {
      marcxml: picked!.marcxml,
    });
    expect(record).toMatchObject({ title: picked!.title, author: picked!.author });
  });

  it('reads ISO 2709 (USMARC) records as yaz-marcdump writes them', () => {
    // The MARCXML of an SRU record, turned into ISO 2709 by YAZ's own converter, reads back the same.
    const xml = execFileSync('yaz-marcdump', ['-i', 'marcxml', '-o', 'marcxml', '-'], { input: SAMPLE_XML });
    const iso = execFileSync('yaz-marcdump', ['-i', 'marcxml', '-o', 'marc', '-'], { input: SAMPLE_XML });
    expect(marcToRecord(readIso2709(iso))).toEqual(marcToRecord(parseMarcXml(xml.toString('utf8'))[0]!));
    expect(marcToRecord(readIso2709(iso))).toMatchObject({
      title: 'Cien años de soledad',
      author: 'García Márquez, Gabriel',
      isbn: '9788497592208',
    });
  });

  it('says a Z39.50 target that refuses connections cannot be reached', async () => {
    await ok('settings.update', {
      copyCatalogueTargets: [
        ...(await ok<{ copyCatalogueTargets: unknown[] }>('settings.get', {})).copyCatalogueTargets,
        {
          id: 'zgone',
          name: 'Offline Z39.50',
          kind: 'z3950',
          address: `127.0.0.1:${refusedPort}`,
          database: 'Default',
          sruVersion: '1.2',
        },
      ],
    });
    expect(await call('copyCatalogue.search', { targetId: 'zgone', by: 'title', term: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'TARGET_UNREACHABLE' },
    });
  });
});

const SAMPLE_XML = `<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>
<controlfield tag="001">cien-1</controlfield>
<datafield tag="020" ind1=" " ind2=" "><subfield code="a">9788497592208</subfield></datafield>
<datafield tag="100" ind1="1" ind2=" "><subfield code="a">García Márquez, Gabriel.</subfield></datafield>
<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Cien años de soledad /</subfield><subfield code="c">Gabriel García Márquez.</subfield></datafield>
</record>`;

describe('a target that accepts the connection and never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port: number;
  beforeAll(async () => {
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('gives up after the timeout with TARGET_TIMEOUT', async () => {
    const target = {
      id: 't',
      name: 'Slow',
      kind: 'sru' as const,
      address: `http://127.0.0.1:${port}`,
      database: 'Default',
      sruVersion: '1.2' as const,
    };
    const started = Date.now();
    const error = await sruSearch(target, 'title', 'x', { timeoutMs: 300 }, (el) =>
      new XMLSerializer().serializeToString(el),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CopyCatalogueError);
    expect((error as CopyCatalogueError).code).toBe('TARGET_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('gives up on a Z39.50 target the same way', async () => {
    const target = {
      id: 't',
      name: 'Slow',
      kind: 'z3950' as const,
      address: `127.0.0.1:${port}`,
      database: 'Default',
      sruVersion: '1.2' as const,
    };
    const error = await z3950Search(target, 'title', 'x', {
      timeoutMs: 300,
      readXml: (x) => parseMarcXml(x)[0]!,
    }).catch((e: unknown) => e);
    expect((error as CopyCatalogueError).code).toBe('TARGET_TIMEOUT');
  });
});
