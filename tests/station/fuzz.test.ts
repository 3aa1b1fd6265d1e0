// Every method of the station API, driven through the real core on a real SQLite file with random
// and hostile input: random JSON, and inputs shaped like the real ones with a field swapped for a
// huge string, a NUL, a bidi override, an impossible date, a negative or huge number, a wrong
// type, or an odd but well-formed value (someone else's id, a date before the loan, `*`).
//
// What must hold after each call, whoever makes it (the admin, the kiosk patron, nobody):
// - the core answers (it never throws) and never with INTERNAL or DONE_UNCONFIRMED: bad input is
//   a clear 4xx-style refusal;
// - a refused call changes nothing: the row count of every table, the journal's included, is
//   the same after as before, and so is every row (a hash of each table).
//
// Bounded for CI (CIRCA_FUZZ_RUNS, default 120 runs of up to 8 calls, ~15 s). A failure prints
// its seed; replay it with CIRCA_SEED=<seed> npx vitest run tests/station/fuzz.test.ts (the
// station's state builds up over the runs, so replay from the seed, not from the path alone).
// CIRCA_FUZZ_TRACE=<file> logs every call and its answer code; CIRCA_FUZZ_STATS=1 prints the
// answer codes per method at the end.
import fc from 'fast-check';
import { DEFAULT_NOTICE_SETTINGS } from '../../src/domain/notices';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationApi, type ApiName } from '../../src/api/contract';
import { SYSTEM } from '../../src/services/command';
import { ADMIN_PASSWORD, createApiStation, KIOSK_PIN, type ApiStation } from '../support/api-station';
import { DESK_RULE, itemBarcode, patronCard } from '../support/station';

let t: ApiStation;
const cwd = process.cwd();
let scratch: string;

beforeAll(async () => {
  // A device setting the fuzzer makes valid may name a relative file as a printer: keep any such
  // file in a scratch folder, never in the work tree.
  scratch = mkdtempSync(join(tmpdir(), 'circa-fuzz-cwd-'));
  process.chdir(scratch);
  t = await createApiStation();
});
afterAll(async () => {
  await t?.close();
  process.chdir(cwd);
  rmSync(scratch, { recursive: true, force: true });
});

type Json = unknown;

/** A well-formed input for every method, naming the set-up's real patrons, copies and fees. */
function templates(s: ApiStation): Record<ApiName, Json> {
  const { ids } = s;
  const [p1, p2, p3] = ids.patronIds as [string, string, string];
  const [r1, r2] = ids.recordIds as [string, string];
  return {
    'system.health': {},
    'setup.status': {},
    'setup.join': { hubUrl: 'https://hub.example.org', code: 'ABCD-1234', stationName: 'Desk 2' },
    'setup.initialize': {
      libraryName: 'Other',
      branchCode: 'X',
      branchName: 'X',
      timeZone: 'UTC',
      currency: 'EUR',
      locale: 'es-ES',
      admin: { username: 'evil', displayName: 'E', password: 'another password' },
    },
    'auth.signIn': { username: 'admin', password: 'not the password' },
    'auth.signOut': {},
    'auth.session': {},
    'auth.kioskSignIn': { cardBarcode: ids.cards[0], pin: '0000' },
    'auth.verifySupervisor': { username: 'admin', password: ADMIN_PASSWORD },
    'auth.clearLockout': { patronId: p1 },
    'circulation.checkout': { patronBarcode: ids.cards[1], itemBarcode: ids.items[1] },
    'circulation.checkin': { itemBarcode: ids.items[0], backdate: '2026-11-16' },
    'circulation.renew': { itemBarcode: ids.items[0] },
    'circulation.renewAll': { patronBarcode: ids.cards[0] },
    'patrons.lookup': { barcode: ids.cards[0] },
    'patrons.get': { patronId: p1 },
    'patrons.search': { query: 'Pat Read' },
    'patrons.register': {
      cardBarcode: patronCard(50),
      firstName: 'Nueva',
      lastName: 'Lectora',
      email: 'nueva@example.org',
      phone: '555-123-4567',
      address: 'Calle 1\nPueblo',
      categoryCode: 'ADULT',
      cardExpiresOn: '2027-06-30',
      notes: 'first line\nsecond line',
      keepReadingHistory: true,
      pin: '1234',
    },
    'patrons.update': { patronId: p2, changes: { firstName: 'Renamed', cardExpiresOn: '2028-02-29', notes: 'a note' } },
    'patrons.renewCard': { patronId: p2 },
    'patrons.replaceCard': { patronId: p3, cardBarcode: patronCard(60) },
    'patrons.setPin': { patronId: p2, pin: '1357' },
    'patrons.addBlock': { patronId: p2, kind: 'manual', reason: 'unpaid', until: '2027-01-01' },
    'patrons.removeBlock': { blockId: p2 },
    'patrons.readingHistory': { patronId: p1 },
    'fees.list': { patronId: p2 },
    'fees.history': { patronId: p2 },
    'fees.pay': { patronId: p2, tendered: 500, amount: 100, method: 'cash', feeIds: ids.feeIds },
    'fees.waive': { feeId: ids.feeIds[0], reason: 'kindness', amount: 50 },
    'fees.charge': { patronId: p2, kind: 'manual', amount: 100, description: 'lost bookmark', itemId: null },
    'holds.place': { patronId: p3, recordId: r2, itemId: null, pickupBranchId: ids.branchId },
    'holds.cancel': { holdId: ids.holdIds[0] },
    'holds.suspend': { holdId: ids.holdIds[0], until: '2027-01-01' },
    'holds.clearExpired': {},
    'holds.queue': { recordId: r1 },
    'holds.toPull': {},
    'holds.shelf': {},
    'catalogue.search': { query: 'soledad', limit: 10 },
    'catalogue.record': { recordId: r1 },
    'catalogue.item': { barcode: ids.items[0] },
    'catalogue.addRecord': {
      title: 'Pedro Páramo',
      author: 'Rulfo, Juan',
      isbn: '978-0-14-118280-3',
      issn: null,
      publisher: 'FCE',
      year: 1955,
      callNumber: 'F RUL',
    },
    'catalogue.updateRecord': { recordId: r2, changes: { title: 'Rayuela (ed. crítica)', year: 1963 } },
    'catalogue.addItem': {
      barcode: itemBarcode(70),
      recordId: r2,
      itemTypeCode: 'BOOK',
      homeBranchId: ids.branchId,
      replacementPrice: 1000,
      notForLoan: false,
    },
    'catalogue.findIsbn': { isbn: '978-0-14-118280-3' },
    'catalogue.updateItem': { itemId: 'no-such-copy', changes: { replacementPrice: 1500, itemTypeCode: 'BOOK' } },
    'catalogue.deleteItem': { itemId: 'no-such-copy' },
    'catalogue.deleteRecord': { recordId: 'no-such-record' },
    'catalogue.setItemStatus': { itemBarcode: ids.items[2], change: 'damaged' },
    'catalogue.inHouseUse': { itemBarcode: ids.items[3] },
    'copyCatalogue.targets': {},
    // No target is configured here: the search is refused before any network call.
    'copyCatalogue.search': { targetId: 'loc', by: 'isbn', term: '9780131103627' },
    'copyCatalogue.import': {
      marcxml:
        '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Fuzzed title</subfield></datafield></record>',
    },
    'labels.pdf': {
      copies: { kind: 'barcodes', barcodes: [ids.items[0]] },
      sheet: 'avery5160',
      labelKind: 'barcode',
      symbology: 'code128',
      startPosition: 1,
    },
    'settings.get': {},
    'settings.update': { name: 'Biblioteca Test', locale: 'es-MX', currency: 'USD', maxFeesOwed: 1000 },
    'branches.list': {},
    'branches.save': { code: 'NORTH', name: 'North', timeZone: 'America/Chicago' },
    'calendar.list': { branchId: ids.branchId },
    'calendar.addClosedDay': {
      branchId: ids.branchId,
      day: { kind: 'yearly', month: 12, day: 25, description: 'Navidad' },
    },
    'calendar.removeClosedDay': { id: ids.branchId },
    'categories.list': {},
    'categories.save': { code: 'TEEN', name: 'Teen', cardValidityDays: 365 },
    'itemTypes.list': {},
    'itemTypes.save': { code: 'MAG', name: 'Magazine', notForLoan: false },
    'import.upload': { uploadId: null, chunk: Buffer.from('cardnumber,surname\n').toString('base64') },
    'import.start': { uploadId: 'no-such-upload', kind: 'patrons', dryRun: true },
    'import.status': { jobId: 'no-such-job' },
    'export.patrons': {},
    'export.offline': { format: 'koc', from: '2026-11-16', to: '2026-11-16' },
    'rules.list': {},
    'rules.save': { ...DESK_RULE },
    'rules.delete': { id: ids.branchId },
    'rules.saveLimits': { branchId: '*', categoryCode: '*', totalMaxLoans: 10, maxHolds: 5 },
    'rules.saveReturnPolicy': { branchId: '*', itemTypeCode: '*', returnPolicy: 'home_branch' },
    'staff.list': {},
    'notices.settings': {},
    'notices.saveSettings': {
      settings: {
        ...DEFAULT_NOTICE_SETTINGS,
        smtp: { host: '127.0.0.1', port: 2525, secure: false, user: null, from: 'Library <desk@library.example>' },
      },
    },
    'notices.preview': { template: DEFAULT_NOTICE_SETTINGS.templates.courtesy.es, language: 'es' },
    'notices.run': {},
    'notices.status': {},
    'notices.forPatron': { patronId: p1 },
    'notices.letters': {},
    'notices.markPrinted': { ids: [r1] },
    'notices.retry': { id: r1 },
    'sip2.accounts': {},
    'sip2.saveAccount': {
      login: 'selfcheck1',
      password: 'sip password',
      branchId: ids.branchId,
      allowed: ['checkout', 'checkin'],
    },
    'sip2.removeAccount': { id: r1 },
    'sip2.settings': {},
    // Off: the fuzzer never opens a port.
    'sip2.saveSettings': { enabled: false, port: 6001, host: '127.0.0.1' },
    'staff.save': {
      username: 'clerk',
      displayName: 'Clerk',
      role: 'technician',
      password: 'clerk password',
      active: true,
    },
    'devices.get': {},
    // 127.0.0.1:9 (discard): nothing leaves the machine, whatever the fuzzer keeps of it.
    'devices.configure': {
      scanners: [],
      printers: [{ id: 'receipts', connection: { kind: 'tcp', host: '127.0.0.1', port: 9 }, columns: 48 }],
      slips: { libraryName: '', header: 'Hola\nMundo', footer: 'Gracias', cardDigits: 4, language: 'es' },
      wedge: { maxGapMs: 30 },
    },
    'devices.testPrint': { printerId: 'receipts' },
    'devices.preview': { kind: 'payment' },
    'slips.checkout': { patronBarcode: ids.cards[0], loanIds: ids.loanIds },
    'ill.list': {},
    'ill.get': { id: r1 },
    'ill.pullList': {},
    'ill.forPatron': { patronId: p1 },
    'ill.requestBorrowing': {
      patronId: p1,
      title: 'Pedro Páramo',
      partnerName: 'Biblioteca Central',
      partnerAgencyId: 'ISIL:ES-MA0001',
      needBy: '2026-12-20',
    },
    'ill.send': { id: r1 },
    'ill.markShipped': { id: r1, lenderDueOn: '2026-12-30' },
    'ill.receive': { id: r1, lenderDueOn: '2026-12-30' },
    'ill.shipBack': { id: r1 },
    'ill.recordLending': {
      partnerName: 'North County',
      libraryCardBarcode: ids.cards[2],
      requestingRequestId: 'NC-1',
      title: 'Rayuela',
    },
    'ill.pull': { id: r1, itemBarcode: ids.items[0] },
    'ill.shipLending': { id: r1 },
    'ill.cancel': { id: r1, note: 'no longer needed' },
    'ill.markUnfilled': { id: r1 },
    'ill.slip': { id: r1 },
    'ill.exportIso': { id: r1, message: 'request' },
    'ill.readIso': { xml: '<ISO18626Message xmlns="http://illtransactions.org/2013/iso18626"/>' },
    'reports.today': {},
    'reports.overdue': {},
    'reports.inTransit': {},
    'reports.statistics': { from: '2026-01-01', to: '2026-12-31', groupBy: 'month' },
    'shelf.scan': { itemBarcode: ids.items[1], previousBarcode: ids.items[0], location: 'ADULT' },
    'shelf.missing': { from: '000', to: '999', location: null, since: 0 },
    'shelf.notSeen': { since: '2026-11-16' },
    'sync.exceptions': { includeResolved: true },
    'sync.now': {},
    'sync.resolveException': { id: ids.loanIds[0], note: 'checked' },
    'status.get': {},
  };
}

const MEGABYTE = 'x'.repeat(1_000_000);

/** Strings no form should let through, and a few that are fine but awkward. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    MEGABYTE,
    'a'.repeat(65),
    'a'.repeat(201),
    'Ana\u0000',
    '\u0000',
    'Ana\u202Eanitsirc',
    '\u2066evil\u2069',
    'tab\there',
    'line\nbreak',
    'bell\u0007',
    'del\u007F',
    'c1\u0085',
    '\uD800lone',
    '"*^:() OR NOT',
    "Robert'); DROP TABLE patrons;--",
    'ñandú 📚 ﬁ',
    '%00',
    '2026-02-30',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
const hostileDate = fc.constantFrom(
  '2026-02-30',
  '2099-13-45',
  '0000-00-00',
  '1900-01-01',
  '2026-11-15',
  '2026-11-16',
  '2026-11-17',
  '9999-12-31',
  '2026-2-3',
  '20261116',
);
const hostileNumber = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1e9,
    1e15,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53 + 2,
  ),
  fc.integer(),
  fc.double(),
);
const wrongType = fc.constantFrom<Json>(null, true, false, [], {}, [1, 2], { a: 1 }, undefined, '1', 1);
const hostile = fc.oneof(hostileString, hostileDate, hostileNumber, wrongType);

/** Odd but well-formed: the right type, the set-up's real ids and codes, dates around the loan. */
function oddValues(s: ApiStation) {
  const { ids } = s;
  const strings = [
    ...ids.patronIds,
    ...ids.cards,
    ...ids.items,
    ...ids.recordIds,
    ...ids.loanIds,
    ...ids.feeIds,
    ...ids.holdIds,
    ids.branchId,
    '*',
    'ADULT',
    'CHILD',
    'BOOK',
    'REF',
    'MAIN',
    'receipts',
    '2026-11-16',
    '2026-11-01',
    '2026-12-31',
    '2024-02-29',
    patronCard(99),
    itemBarcode(99),
  ];
  return {
    string: fc.oneof(fc.constantFrom(...strings), fc.string({ minLength: 1, maxLength: 12 })),
    number: fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(1_000_000_000, 36_500),
    ),
    boolean: fc.boolean(),
  };
}

type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value as Record<string, Json>);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)?.[k], value);
}

function setAt(value: Json, path: Path, next: Json): Json {
  if (path.length === 0) return next;
  // An earlier swap may have put a primitive where this path goes through: build it again.
  const base = value !== null && typeof value === 'object' ? value : typeof path[0] === 'number' ? [] : {};
  const copy = Array.isArray(base) ? [...base] : { ...(base as Record<string, Json>) };
  const [head, ...rest] = path as [string | number, ...Path];
  (copy as Record<string | number, Json>)[head] = setAt((base as Record<string | number, Json>)[head], rest, next);
  return copy;
}

/** The template with one to three of its fields (or the whole) swapped, and maybe a field it does not know. */
function mutated(template: Json, odd: ReturnType<typeof oddValues>): fc.Arbitrary<Json> {
  const paths = pathsOf(template);
  const leafValue = (at: Json) =>
    typeof at === 'string'
      ? fc.oneof(hostile, odd.string)
      : typeof at === 'number'
        ? fc.oneof(hostile, odd.number)
        : typeof at === 'boolean'
          ? fc.oneof(hostile, odd.boolean)
          : hostile;
  const swap = fc
    .nat({ max: paths.length - 1 })
    .chain((i) => leafValue(getAt(template, paths[i]!)).map((v) => [paths[i]!, v] as const));
  return fc
    .tuple(
      fc.array(swap, { minLength: 1, maxLength: 3 }),
      fc.option(
        fc.tuple(
          hostileString.filter((k) => k.length < 20 && k !== '__proto__'),
          hostile,
        ),
        { freq: 5 },
      ),
    )
    .map(([swaps, extra]) => {
      let value = template;
      for (const [path, v] of swaps) value = setAt(value, path, v);
      if (extra && value && typeof value === 'object' && !Array.isArray(value))
        value = { ...(value as object), [extra[0]]: extra[1] };
      return value;
    });
}

/** The template with every leaf swapped for an odd but well-formed value (often passes the schema). */
function oddlyFilled(template: Json, odd: ReturnType<typeof oddValues>): fc.Arbitrary<Json> {
  const leaves = pathsOf(template).filter((p) => {
    const v = getAt(template, p);
    return v === null || typeof v !== 'object';
  });
  const picks = leaves.map((p) => {
    const v = getAt(template, p);
    const arb: fc.Arbitrary<Json> =
      typeof v === 'string'
        ? odd.string
        : typeof v === 'number'
          ? odd.number
          : typeof v === 'boolean'
            ? odd.boolean
            : fc.constant(v);
    return fc.oneof({ weight: 2, arbitrary: fc.constant(v) }, { weight: 1, arbitrary: arb });
  });
  return fc.tuple(...picks).map((values) => leaves.reduce<Json>((acc, p, i) => setAt(acc, p, values[i]), template));
}

type Caller = 'admin' | 'kiosk' | 'none';
type Call = { name: ApiName; input: Json; caller: Caller; laterBy: number | null };

const REFUSAL_IS_A_DEFECT = new Set(['INTERNAL', 'DONE_UNCONFIRMED']);

describe('the station API under random and hostile input', () => {
  it('has a template for every method (a new method must join the fuzzer)', () => {
    expect(Object.keys(templates(t)).sort()).toEqual(Object.keys(stationApi).sort());
  });

  it('never answers INTERNAL, never crashes, and changes nothing when it refuses', async () => {
    const table = templates(t);
    const odd = oddValues(t);
    const names = Object.keys(stationApi) as ApiName[];
    const call: fc.Arbitrary<Call> = fc.constantFrom(...names).chain((name) =>
      fc.record({
        name: fc.constant(name),
        input: fc.oneof(
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
          { weight: 1, arbitrary: fc.constant(table[name]) },
          { weight: 4, arbitrary: mutated(table[name], odd) },
          { weight: 3, arbitrary: oddlyFilled(table[name], odd) },
        ),
        caller: fc.constantFrom<Caller>('admin', 'admin', 'admin', 'kiosk', 'none'),
        // Now and then the days pass (loans fall due, holds expire): the clock only moves on.
        laterBy: fc.oneof(
          { weight: 12, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 * 86_400_000 }) },
        ),
      }),
    );
    const seed = process.env.CIRCA_SEED ? Number(process.env.CIRCA_SEED) : undefined;
    const numRuns = Number(process.env.CIRCA_FUZZ_RUNS ?? 120);
    let calls = 0;
    const stats = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 8 }), async (sequence) => {
        if (process.env.CIRCA_FUZZ_TRACE) appendFileSync(process.env.CIRCA_FUZZ_TRACE, `run of ${sequence.length}\n`);
        for (const c of sequence) {
          await t.refreshSessions().catch(async () => {
            // A fuzzed setPin changed the kiosk patron's PIN: put it back, then sign in again.
            t.core.services.patrons.setPin(t.ids.patronIds[0]!, KIOSK_PIN, SYSTEM);
            await t.refreshSessions();
          });
          if (c.laterBy) t.clock.now += c.laterBy;
          const token = c.caller === 'admin' ? t.admin : c.caller === 'kiosk' ? t.kiosk : null;
          const before = t.counts();
          const fingerprint = t.fingerprint();
          if (process.env.CIRCA_FUZZ_TRACE)
            appendFileSync(
              process.env.CIRCA_FUZZ_TRACE,
              `${c.caller} ${c.name} ${JSON.stringify(c.input)?.slice(0, 400)}\n`,
            );
          const answer = await t.call(c.name, c.input, token);
          calls += 1;
          if (process.env.CIRCA_FUZZ_TRACE)
            appendFileSync(process.env.CIRCA_FUZZ_TRACE, `  -> ${answer.ok ? 'ok' : answer.error.code}\n`);
          if (process.env.CIRCA_FUZZ_STATS) {
            const key = `${c.name} ${answer.ok ? 'ok' : answer.error.code}`;
            stats.set(key, (stats.get(key) ?? 0) + 1);
          }
          if (answer.ok) {
            // Devices the fuzzer set up are put back at once: none should be left trying to print.
            if (c.name === 'devices.configure') await t.core.devices.configure({});
            continue;
          }
          const where = `${c.name} as ${c.caller} with ${JSON.stringify(c.input)?.slice(0, 300)}`;
          expect(REFUSAL_IS_A_DEFECT.has(answer.error.code), `${where} answered ${JSON.stringify(answer.error)}`).toBe(
            false,
          );
          expect(t.counts(), `${where} was refused (${answer.error.code}) but changed rows`).toEqual(before);
          expect(t.fingerprint(), `${where} was refused (${answer.error.code}) but changed a row`).toEqual(fingerprint);
        }
      }),
      { numRuns, ...(seed !== undefined ? { seed } : {}), endOnFailure: true },
    );
    if (process.env.CIRCA_FUZZ_STATS)
      console.log(
        [...stats]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
    expect(calls).toBeGreaterThan(numRuns);
  }, 120_000);
});
