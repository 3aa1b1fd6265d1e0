// Statistics checked against a generated year of journal (issue 16, item 6). A real station on a
// real SQLite file: its patrons, copies and a day of desk work go through the real services, and
// those real entries are the templates of a year of ~150,000 more, written into the journal as
// the desk writes them (JournalStore.append), with only ids and times changed. The test keeps its
// own tally of what it wrote (days and hours from luxon, collections from a table written out
// below) and checks every grouping of the report against it; then that nothing in the report or
// in the statistics tables names a patron.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowChange } from '../../src/domain/journal';
import { HLL_REGISTERS, MEASURES, type Measure } from '../../src/domain/statistics';
import { redactJournalReadingHistory } from '../../src/services/journal-privacy';
import {
  catchUpStatistics,
  currentRowsLookup,
  factsOfEntry,
  rebuildStatistics,
  statisticsReport,
} from '../../src/services/statistics';
import { ServiceError } from '../../src/services/errors';
import { createTestStation, DESK_RULE, itemBarcode, patronCard, type TestStation } from '../support/station';

const ZONE = 'America/New_York';
/** Call numbers of the generated copies and the collection each is counted in (docs/statistics.md). */
const CALL_NUMBERS: [string | null, string][] = [
  ['823.914 ROW', '800'],
  ['599.75 ATT', '500'],
  ['004.67 KNU', '000'],
  ['PS3563 .O8749 M6', 'PS'],
  ['QA76.73 .J38', 'QA'],
  ['FIC SMITH', 'FIC'],
  ['J 591 ATT', 'J'],
  ['DVD 1234', 'DVD'],
  [null, ''],
];
const PATRONS = 600;
const RECORDS = 45;
const COPIES = 4;

/** mulberry32: a small deterministic generator, so the year is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Tally = Map<string, Record<Measure, number>>;
const zero = () => Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<Measure, number>;
function bump(tally: Tally, key: string, measure: Measure, n = 1) {
  const t = tally.get(key) ?? zero();
  t[measure] += n;
  tally.set(key, t);
}

interface Copy {
  id: string;
  barcode: string;
  recordId: string;
  itemType: string;
  collection: string;
}
interface Person {
  id: string;
  card: string;
  category: string;
}

let t: TestStation;
let patrons: Person[];
let copies: Copy[];
const expected = {
  month: new Map() as Tally,
  day: new Map() as Tally,
  hour: new Map() as Tally,
  itemType: new Map() as Tally,
  collection: new Map() as Tally,
  patronCategory: new Map() as Tally,
  year: new Map() as Tally,
};
const borrowersByMonth = new Map<string, Set<string>>();
const borrowersByDay = new Map<string, Set<string>>();
const yearBorrowers = new Set<string>();
let generated = 0;
const figures: Record<string, number> = {};

/** The entries the real services wrote for one day of desk work, by kind: the year's templates. */
const templates: Record<string, { command: string; payload: { input: unknown; effects: RowChange[] } }> = {};

function entryOf(seq: number) {
  const r = t.s.store.db.prepare('SELECT command, payload FROM journal WHERE seq = ?').get(seq) as {
    command: string;
    payload: string;
  };
  return { command: r.command, payload: JSON.parse(r.payload) as { input: unknown; effects: RowChange[] } };
}
const lastSeq = () => t.s.ctx.journal.lastSeq()!;

beforeAll(() => {
  // Set-up and registration on 30 December 2024 at 10:00 in New York.
  t = createTestStation({ start: Date.UTC(2024, 11, 30, 15, 0), timeZone: ZONE });
  const { s, staff } = t;
  s.admin.saveItemType({ code: 'DVD', name: 'DVD', notForLoan: false }, staff);
  s.admin.saveCategory({ code: 'CHILD', name: 'Child', cardValidityDays: 3650 }, staff);
  s.admin.saveCategory({ code: 'ADULT', name: 'Adult', cardValidityDays: 3650 }, staff);
  s.admin.saveRule({ ...DESK_RULE, renewalsAllowed: 5 }, staff);
  // Deterministic active-patron sketches: the station's hashing key, set before anything is counted.
  s.ctx.writeState('statistics_sketch_key', 'a fixed key for the test');
  patrons = [];
  for (let i = 0; i < PATRONS; i++) {
    const category = i % 4 === 0 ? 'CHILD' : 'ADULT';
    const p = s.patrons.register(
      {
        cardBarcode: patronCard(i + 1),
        firstName: `Pat${i}`,
        lastName: 'Reader',
        categoryCode: category,
        keepReadingHistory: false,
        pin: null,
      },
      staff,
    ).patron;
    patrons.push({ id: p.id, card: p.cardBarcode, category });
  }
  copies = [];
  for (let r = 0; r < RECORDS; r++) {
    const [callNumber, collection] = CALL_NUMBERS[r % CALL_NUMBERS.length]!;
    const itemType = r % 3 === 0 ? 'DVD' : 'BOOK';
    const record = s.catalogue.addRecord(
      { title: `Title ${r}`, author: null, isbn: null, issn: null, publisher: null, year: 2020, callNumber },
      staff,
    );
    for (let c = 0; c < COPIES; c++) {
      const item = s.catalogue.addItem(
        {
          barcode: itemBarcode(r * COPIES + c + 1),
          recordId: record.id,
          itemTypeCode: itemType,
          replacementPrice: 2000,
        },
        staff,
      );
      copies.push({ id: item.id, barcode: item.barcode, recordId: record.id, itemType, collection });
    }
  }

  // One real day of desk work on Monday 5 January 2026 from 14:00, through the services.
  t.clock.now = Date.UTC(2026, 0, 5, 19, 0);
  const [a, b] = [patrons[1]!, patrons[0]!]; // an adult, a child
  const [c1, c2, c3] = [copies[0]!, copies[5]!, copies[9]!];
  s.circulation.checkout({ patronBarcode: a.card, itemBarcode: c1.barcode }, staff);
  templates.checkout = entryOf(lastSeq());
  s.holds.place({ patronId: b.id, recordId: c2.recordId }, staff);
  templates.holdPlace = entryOf(lastSeq());
  s.circulation.checkout({ patronBarcode: b.card, itemBarcode: c2.barcode }, staff);
  templates.checkoutFillingHold = entryOf(lastSeq());
  t.clock.now += 3_600_000;
  s.circulation.renew({ itemBarcode: c1.barcode }, staff);
  templates.renew = entryOf(lastSeq());
  s.circulation.checkin({ itemBarcode: c2.barcode }, staff);
  templates.checkin = entryOf(lastSeq());
  s.catalogue.inHouseUse(c3.barcode, staff);
  templates.inHouse = entryOf(lastSeq());
  const fee = s.fees.charge({ patronId: a.id, kind: 'manual', amount: 300, description: 'printing' }, staff);
  s.fees.pay({ patronId: a.id, tendered: 300, feeIds: [fee.id] }, staff);
  templates.pay = entryOf(lastSeq());
  expect(
    templates.checkoutFillingHold!.payload.effects.some((e) => e.table === 'holds' && e.row.status === 'fulfilled'),
  ).toBe(true);

  // The generated year, 2025: about 410 entries a day, 09:00 to 20:59 in New York.
  const random = prng(20250101);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  // Some patrons borrow much more than others: the first 200 are picked three times as often.
  const patronPick = () => (random() < 0.6 ? patrons[Math.floor(random() * 200)]! : pick(patrons));
  const db = t.s.store.db;
  const stationId = t.s.ctx.identity().stationId;
  let n = 0;
  const write = db.transaction(() => {
    for (let day = DateTime.fromISO('2025-01-01', { zone: ZONE }); day.year === 2025; day = day.plus({ days: 1 })) {
      const perDay = 380 + Math.floor(random() * 60);
      for (let i = 0; i < perDay; i++) {
        const hour = 9 + Math.floor(random() * 12);
        const at = day.set({ hour, minute: Math.floor(random() * 60), second: Math.floor(random() * 60) }).toMillis();
        const dayKey = day.toISODate()!;
        const monthKey = dayKey.slice(0, 7);
        const copy = pick(copies);
        const person = patronPick();
        const roll = random();
        let command: string;
        let effects: RowChange[];
        const count = (measure: Measure, category: string, amount = 1, withCopy = true) => {
          bump(expected.day, dayKey, measure, amount);
          bump(expected.month, monthKey, measure, amount);
          bump(expected.year, '2025', measure, amount);
          bump(expected.hour, String(hour), measure, amount);
          bump(expected.itemType, withCopy ? copy.itemType : '', measure, amount);
          bump(expected.collection, withCopy ? copy.collection : '', measure, amount);
          bump(expected.patronCategory, category, measure, amount);
        };
        const borrowed = () => {
          for (const set of [borrowersByDay, borrowersByMonth]) {
            const key = set === borrowersByDay ? dayKey : monthKey;
            if (!set.has(key)) set.set(key, new Set());
            set.get(key)!.add(person.id);
          }
          yearBorrowers.add(person.id);
        };
        const loanRow = (tpl: RowChange) => ({
          ...tpl,
          row: {
            ...tpl.row,
            id: `loan-${n}`,
            itemId: copy.id,
            patronId: tpl.row.patronId === null ? null : person.id,
            checkedOutAt: at,
          },
        });
        const itemRow = (tpl: RowChange) => ({
          ...tpl,
          row: { ...tpl.row, id: copy.id, barcode: copy.barcode, recordId: copy.recordId, itemTypeCode: copy.itemType },
        });
        const cloned = (tpl: { payload: { effects: RowChange[] } }) =>
          tpl.payload.effects.map((e) =>
            e.table === 'loans'
              ? loanRow(e)
              : e.table === 'items'
                ? itemRow(e)
                : e.table === 'holds'
                  ? { ...e, row: { ...e.row, id: `hold-${n}`, patronId: person.id, itemId: copy.id } }
                  : e,
          );
        if (roll < 0.4) {
          command = 'circulation.checkout';
          effects = cloned(templates.checkout!);
          count('checkouts', person.category);
          borrowed();
        } else if (roll < 0.41) {
          command = 'circulation.checkout';
          effects = cloned(templates.checkoutFillingHold!);
          count('checkouts', person.category);
          count('holdsFilled', person.category);
          borrowed();
        } else if (roll < 0.56) {
          command = 'circulation.renew';
          effects = cloned(templates.renew!);
          count('renewals', person.category);
          borrowed();
        } else if (roll < 0.9) {
          command = 'circulation.checkin';
          effects = cloned(templates.checkin!);
          // The loan lost its patron at check-in (no retention period): no category.
          count('checkins', '');
        } else if (roll < 0.95) {
          command = 'catalogue.inHouseUse';
          effects = templates.inHouse!.payload.effects.map((e) => ({
            ...e,
            row: { ...e.row, id: `use-${n}`, itemId: copy.id, usedAt: at },
          }));
          count('inHouseUses', '');
        } else if (roll < 0.98) {
          command = 'fees.pay';
          const amount = 25 * (1 + Math.floor(random() * 20));
          effects = templates.pay!.payload.effects.map((e) =>
            e.table === 'payments'
              ? {
                  ...e,
                  row: { ...e.row, id: `pay-${n}`, patronId: person.id, amount, tendered: amount, createdAt: at },
                }
              : e,
          );
          count('finesCollected', person.category, amount, false);
        } else if (roll < 0.985) {
          // Interlibrary loan (the ILL module's command names): a temporary copy received.
          command = 'ill.receive';
          effects = [itemRow(templates.checkout!.payload.effects.find((e) => e.table === 'items')!)];
          count('illBorrowed', '');
        } else if (roll < 0.99) {
          command = 'ill.shipLending';
          effects = [];
          count('illLent', '', 1, false);
        } else {
          // Work that statistics do not count.
          command = 'holds.place';
          effects = templates.holdPlace!.payload.effects.map((e) => ({
            ...e,
            row: { ...e.row, id: `place-${n}`, patronId: person.id },
          }));
        }
        n++;
        t.s.ctx.journal.append({
          id: `gen-${n}`,
          stationId,
          hlc: String(at).padStart(15, '0'),
          wallTime: at,
          staffId: t.staff.staffId,
          branchId: t.branchId,
          command,
          payload: { input: {}, effects },
        });
      }
    }
  });
  write();
  generated = n;
}, 240_000);

afterAll(() => {
  // The figures go into docs/statistics.md.
  console.log(`statistics: ${generated} generated entries;`, JSON.stringify(figures));
  t?.close();
});

const only = (row: Partial<Record<Measure, number>>) => Object.fromEntries(MEASURES.map((m) => [m, row[m]]));

describe('statistics of a generated year', () => {
  it('counts the whole journal from the high-water mark, and a year of it faster from the counts than from the journal', () => {
    expect(generated).toBeGreaterThan(140_000);
    // Computing from the raw journal, as a report would without the counts: every entry of the year parsed.
    let started = performance.now();
    const lookup = currentRowsLookup(t.s.ctx);
    let checkouts = 0;
    const from = DateTime.fromISO('2025-01-01', { zone: ZONE }).toMillis();
    const to = DateTime.fromISO('2026-01-01', { zone: ZONE }).toMillis();
    for (const r of t.s.store.db
      .prepare(
        'SELECT command, wall_time AS wallTime, branch_id AS branchId, payload FROM journal WHERE wall_time >= ? AND wall_time < ?',
      )
      .iterate(from, to) as Iterable<{ command: string; wallTime: number; branchId: string; payload: string }>) {
      const f = factsOfEntry({ ...r, payload: JSON.parse(r.payload) }, ZONE, lookup);
      for (const c of f.counts) if (c.measure === 'checkouts') checkouts += c.n;
    }
    figures.rawYearMs = Math.round(performance.now() - started);
    expect(checkouts).toBe(expected.year.get('2025')!.checkouts);

    started = performance.now();
    const counted = catchUpStatistics(t.s.ctx);
    figures.catchUpMs = Math.round(performance.now() - started);
    expect(counted).toBe(t.s.ctx.journal.lastSeq());
    // Nothing new: nothing to count.
    expect(catchUpStatistics(t.s.ctx)).toBe(0);

    started = performance.now();
    const report = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'month' });
    figures.yearByMonthMs = Math.round(performance.now() - started);
    started = performance.now();
    statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'day' });
    figures.yearByDayMs = Math.round(performance.now() - started);
    figures.statsRows = t.s.store.db.prepare('SELECT count(*) FROM stats_counts').pluck().get() as number;
    expect(report.rows).toHaveLength(12);
    // Reading the counts is at least ten times faster than reading the journal.
    expect(figures.yearByMonthMs * 10).toBeLessThan(figures.rawYearMs);
  }, 180_000);

  it('matches the tally by month, year, day and hour in the branch time zone', () => {
    const byMonth = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'month' });
    expect(byMonth.rows.map((r) => r.key)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
    for (const row of byMonth.rows) expect(only(row), row.key).toEqual(expected.month.get(row.key));
    const byYear = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'year' });
    expect(byYear.rows.map((r) => [r.key, only(r)])).toEqual([['2025', expected.year.get('2025')]]);
    expect(only(byYear.totals)).toEqual(expected.year.get('2025'));

    const byDay = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'day' });
    expect(byDay.rows).toHaveLength(365);
    for (const row of byDay.rows) expect(only(row), row.key).toEqual(expected.day.get(row.key));

    // 09:00 to 20:59 New York time, summer and winter alike (UTC would put them 4 or 5 hours later).
    const byHour = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'hour' });
    expect(byHour.rows.map((r) => r.key)).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));
    for (const row of byHour.rows) expect(only(row), `hour ${row.key}`).toEqual(expected.hour.get(row.key) ?? zero());
    expect(byHour.rows[8]!.checkouts).toBe(0);
    expect(byHour.rows[21]!.checkouts).toBe(0);
  });

  it('matches the tally by item type, collection, patron category and branch', () => {
    for (const groupBy of ['itemType', 'collection', 'patronCategory'] as const) {
      const report = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy });
      const got = Object.fromEntries(report.rows.map((r) => [r.key, only(r)]));
      expect(got, groupBy).toEqual(Object.fromEntries(expected[groupBy]));
    }
    const byCategory = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'patronCategory' });
    expect(byCategory.rows.map((r) => r.label)).toEqual(['Adult', 'Child', '']);
    const byBranch = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'branch' });
    expect(byBranch.rows.map((r) => [r.key, r.label, only(r)])).toEqual([
      [t.branchId, 'Main Library', expected.year.get('2025')],
    ]);
  });

  it('estimates active patrons (distinct borrowers) for each month, day and the year', () => {
    // The station's sketch key is random, so each run's estimate is a fresh draw. The bound is
    // five standard errors of linear counting, sqrt(m (e^t - t - 1)) for n patrons in m registers
    // with t = n / m (Whang et al. 1990), plus one for rounding: a run misses it about once in a
    // million checks, while an estimator without the small-range correction misses it by far.
    const close = (got: number | null, want: number) => {
      const t = want / HLL_REGISTERS;
      const standardError = Math.sqrt(HLL_REGISTERS * (Math.exp(t) - t - 1));
      expect(Math.abs((got ?? -1) - want), `estimate of ${want}`).toBeLessThanOrEqual(5 * standardError + 1);
    };
    const byMonth = statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'month' });
    for (const row of byMonth.rows) close(row.activePatrons, borrowersByMonth.get(row.key)!.size);
    close(byMonth.totals.activePatrons, yearBorrowers.size);
    const days = statisticsReport(t.s.ctx, { from: '2025-03-01', to: '2025-03-31', groupBy: 'day' });
    for (const row of days.rows) close(row.activePatrons, borrowersByDay.get(row.key)!.size);
    // A month's active patrons are not the sum of its days': the same patron counts once.
    const marchDays = days.rows.reduce((sum, r) => sum + (r.activePatrons ?? 0), 0);
    expect(marchDays).toBeGreaterThan(days.totals.activePatrons * 2);
    expect(
      statisticsReport(t.s.ctx, { from: '2025-01-01', to: '2025-12-31', groupBy: 'itemType' }).rows.every(
        (r) => r.activePatrons === null,
      ),
    ).toBe(true);
  });

  it('counts the real day of desk work, new patrons, and new entries as they come', () => {
    const day = statisticsReport(t.s.ctx, { from: '2026-01-05', to: '2026-01-05', groupBy: 'hour' });
    expect(only(day.totals)).toEqual({
      ...zero(),
      checkouts: 2,
      holdsFilled: 1,
      renewals: 1,
      checkins: 1,
      inHouseUses: 1,
      finesCollected: 300,
    });
    expect(day.totals.activePatrons).toBe(2);
    expect(day.rows[14]!.checkouts).toBe(2);
    expect(day.rows[15]!.renewals).toBe(1);
    const registered = statisticsReport(t.s.ctx, { from: '2024-12-30', to: '2024-12-30', groupBy: 'patronCategory' });
    expect(Object.fromEntries(registered.rows.map((r) => [r.key, r.newPatrons]))).toEqual({
      ADULT: PATRONS * 0.75,
      CHILD: PATRONS * 0.25,
    });
    // A check-out made now shows in the next report (counted lazily, from the high-water mark).
    t.clock.now = Date.UTC(2026, 0, 6, 15, 0);
    t.s.circulation.checkout({ patronBarcode: patrons[2]!.card, itemBarcode: copies[20]!.barcode }, t.staff);
    const next = statisticsReport(t.s.ctx, { from: '2026-01-06', to: '2026-01-06', groupBy: 'collection' });
    expect(next.rows.map((r) => [r.key, r.checkouts])).toEqual([[copies[20]!.collection, 1]]);
  });

  it('refuses a period that is not one, with a clear error', () => {
    const invalid = (q: Parameters<typeof statisticsReport>[1]) => {
      try {
        statisticsReport(t.s.ctx, q);
      } catch (e) {
        return e instanceof ServiceError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'accepted';
    };
    expect(invalid({ from: '2025-02-30', to: '2025-03-01', groupBy: 'day' })).toMatch(/^INVALID: .*calendar days/);
    expect(invalid({ from: '2025-03-02', to: '2025-03-01', groupBy: 'day' })).toMatch(/^INVALID: .*start on or before/);
    expect(invalid({ from: '2020-01-01', to: '2025-03-01', groupBy: 'day' })).toMatch(/^INVALID: .*group by month/);
    expect(invalid({ from: '2020-01-01', to: '2025-03-01', groupBy: 'month' })).toBe('accepted');
  });
});

describe('statistics keep no reading history', () => {
  it('no patron id or card reaches a report or the statistics tables', () => {
    const ids = patrons.flatMap((p) => [p.id, p.card]);
    for (const groupBy of [
      'day',
      'month',
      'year',
      'hour',
      'branch',
      'itemType',
      'collection',
      'patronCategory',
    ] as const) {
      const text = JSON.stringify(
        statisticsReport(t.s.ctx, {
          from: groupBy === 'day' ? '2025-06-01' : '2024-01-01',
          to: groupBy === 'day' ? '2026-01-31' : '2026-12-31',
          groupBy,
        }),
      );
      for (const id of ids) expect(text.includes(id), `${groupBy} names ${id}`).toBe(false);
    }
    const db = t.s.store.db;
    for (const table of ['stats_counts', 'stats_active']) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns.some((c) => /patron_id|card/.test(c))).toBe(false);
    }
    const texts = new Set(
      (
        db
          .prepare(
            "SELECT DISTINCT day || ' ' || branch_id || ' ' || dimension || ' ' || value || ' ' || measure AS v FROM stats_counts",
          )
          .pluck()
          .all() as string[]
      ).join('\n'),
    );
    const everything = [...texts].join('\n');
    for (const id of ids) expect(everything.includes(id)).toBe(false);
    // The sketches hold register values (0..33), not hashes or ids.
    for (const sketch of db.prepare('SELECT sketch FROM stats_active').pluck().all() as Buffer[]) {
      expect(sketch.length).toBe(4096);
      expect(Math.max(...sketch)).toBeLessThanOrEqual(33);
    }
  });

  it('counts a loan by category and borrower before the journal forgets the patron, and keeps the counts after', () => {
    const u = createTestStation({ timeZone: ZONE });
    try {
      u.s.admin.saveRule(DESK_RULE, u.staff);
      const record = u.s.catalogue.addRecord(
        { title: 'One', author: null, isbn: null, issn: null, publisher: null, year: 2020, callNumber: '398.2 GRI' },
        u.staff,
      );
      const item = u.s.catalogue.addItem(
        { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK', replacementPrice: 1000 },
        u.staff,
      );
      const patron = u.s.patrons.register(
        {
          cardBarcode: patronCard(1),
          firstName: 'Ann',
          lastName: 'Reader',
          categoryCode: 'ADULT',
          keepReadingHistory: false,
          pin: null,
        },
        u.staff,
      ).patron;
      u.s.circulation.checkout({ patronBarcode: patron.cardBarcode, itemBarcode: item.barcode }, u.staff);
      u.s.circulation.checkin({ itemBarcode: item.barcode }, u.staff);
      // The daily privacy run, before anyone asked for a report: the check-out's entry loses the patron.
      expect(redactJournalReadingHistory(u.s.ctx).redacted).toBe(1);
      const journalText = (u.s.store.db.prepare('SELECT payload FROM journal').pluck().all() as string[])
        .filter((p) => p.includes('"loans"'))
        .join('\n');
      expect(journalText.includes(patron.id)).toBe(false);
      const day = new Date(u.clock.now).toLocaleDateString('en-CA', { timeZone: ZONE });
      const report = statisticsReport(u.s.ctx, { from: day, to: day, groupBy: 'patronCategory' });
      expect(report.rows.map((r) => [r.key, r.checkouts, r.checkins])).toEqual([
        ['ADULT', 1, 0],
        ['', 0, 1],
      ]);
      expect(report.totals.activePatrons).toBe(1);
      const byCollection = statisticsReport(u.s.ctx, { from: day, to: day, groupBy: 'collection' });
      expect(byCollection.rows.map((r) => [r.key, r.checkouts, r.checkins, r.newPatrons])).toEqual([
        ['300', 1, 1, 0],
        ['', 0, 0, 1],
      ]);
      // Rebuilt from the redacted journal, the count stays; who borrowed it is no longer known anywhere.
      rebuildStatistics(u.s.ctx);
      const rebuilt = statisticsReport(u.s.ctx, { from: day, to: day, groupBy: 'patronCategory' });
      expect(rebuilt.totals.checkouts).toBe(1);
      expect(rebuilt.rows.map((r) => [r.key, r.checkouts, r.newPatrons])).toEqual([
        ['ADULT', 0, 1],
        ['', 1, 0],
      ]);
      expect(rebuilt.totals.activePatrons).toBe(0);
    } finally {
      u.close();
    }
  });
});
