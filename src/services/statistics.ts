// Library statistics from the journal (docs/statistics.md). The journal says everything the desk
// did; reading a year of it (150,000 entries, each a JSON payload) for every report takes
// seconds, so its facts are counted once into stats_counts and stats_active, a high-water mark
// at a time: lazily before each report, and before the journal's reading history is redacted
// (journal-privacy.ts), which is the last moment an entry still says whose loan it was. That is
// needed only for two figures, the patron's category and active patrons, and neither keeps the
// patron: the category is a code, active patrons a HyperLogLog sketch of keyed hashes.
//
// The tables are derived, local and rebuildable (rebuildStatistics): they are not synced, and
// nothing but this module writes them. A rebuild after redaction counts those entries' loans
// under an unknown category and without their borrowers: the counts stay right, the two
// patron-derived figures lose what the journal no longer says.
import { createHmac, randomBytes } from 'node:crypto';
import {
  collectionOf,
  emptySketch,
  localDayAndHour,
  MEASURES,
  sketchAdd,
  sketchEstimate,
  sketchMerge,
  TIME_GROUPINGS,
  UNKNOWN,
  type Grouping,
  type Measure,
} from '../domain/statistics';
import type { ServiceContext } from './context';
import {
  activeSketches,
  clearStatistics,
  countsGrouped,
  currentRowReaders,
  StatisticsCounting,
} from '../store/queries/statistics';
import { deferredTransaction, immediateTransaction } from '../store/transaction';
import { ServiceError } from './errors';
import { COMMAND } from '../domain/commands';

/** station_state: every journal entry up to this seq has been counted. */
const COUNTED_THROUGH = 'statistics_counted_through';
/** station_state: the key patrons are hashed with for the active-patron sketches. Never leaves the station. */
const SKETCH_KEY = 'statistics_sketch_key';
/** Entries counted per transaction: a backlog is worked off without holding the write lock long. */
const BATCH = 5_000;
/** A patron row counts as new when the entry that wrote it made it (within a minute of the entry). */
const NEW_PATRON_WINDOW_MS = 60_000;

interface Effect {
  table: string;
  op: string;
  row: Record<string, unknown>;
}

interface Dims {
  itemType: string;
  collection: string;
  patronCategory: string;
}

const NO_DIMS: Dims = { itemType: UNKNOWN, collection: UNKNOWN, patronCategory: UNKNOWN };

/** One journal entry's contribution: counts by dimension, and the patrons who borrowed. */
export interface EntryFacts {
  day: string;
  hour: number;
  branchId: string;
  counts: { measure: Measure; dims: Dims; n: number }[];
  borrowers: string[];
}

/**
 * What one entry adds to the statistics. `lookup` finds what the entry does not carry (a renewed
 * loan's copy, a copy's call number, a patron's category) in the current rows.
 */
export function factsOfEntry(
  entry: { command: string; wallTime: number; branchId: string; payload: { effects?: Effect[] } },
  timeZone: string,
  lookup: Lookup,
): EntryFacts {
  const { day, hour } = localDayAndHour(entry.wallTime, timeZone);
  const effects = (entry.payload.effects ?? []).filter((e) => e.op === 'upsert');
  const facts: EntryFacts = { day, hour, branchId: entry.branchId, counts: [], borrowers: [] };
  const itemsHere = new Map(effects.filter((e) => e.table === 'items').map((e) => [String(e.row.id), e.row]));
  const itemDims = (itemId: unknown): Omit<Dims, 'patronCategory'> => {
    const item = itemsHere.get(String(itemId)) ?? lookup.item(String(itemId));
    if (!item) return { itemType: UNKNOWN, collection: UNKNOWN };
    return {
      itemType: String(item.itemTypeCode ?? UNKNOWN),
      collection: collectionOf(lookup.callNumber(String(item.recordId))),
    };
  };
  const category = (patronId: unknown) => (typeof patronId === 'string' ? lookup.category(patronId) : UNKNOWN);
  const add = (measure: Measure, dims: Dims, n = 1) => facts.counts.push({ measure, dims, n });
  const loans = effects.filter((e) => e.table === 'loans');
  switch (entry.command) {
    case COMMAND.circulation.checkout:
      for (const l of loans) {
        add('checkouts', { ...itemDims(l.row.itemId), patronCategory: category(l.row.patronId) });
        if (typeof l.row.patronId === 'string') facts.borrowers.push(l.row.patronId);
      }
      for (const h of effects) {
        if (h.table === 'holds' && h.row.status === 'fulfilled')
          add('holdsFilled', { ...itemDims(h.row.itemId), patronCategory: category(h.row.patronId) });
      }
      break;
    case COMMAND.circulation.renew:
    case COMMAND.circulation.renewAll:
      for (const l of loans) {
        add('renewals', { ...itemDims(l.row.itemId), patronCategory: category(l.row.patronId) });
        if (typeof l.row.patronId === 'string') facts.borrowers.push(l.row.patronId);
      }
      break;
    case COMMAND.circulation.checkin:
      // The returned loan has usually lost its patron already (at check-in, by the library's
      // choice): a check-in is counted by its copy, and by category only when the link is kept.
      for (const l of loans)
        if (l.row.returnedAt != null)
          add('checkins', { ...itemDims(l.row.itemId), patronCategory: category(l.row.patronId) });
      break;
    case COMMAND.catalogue.inHouseUse:
      for (const u of effects)
        if (u.table === 'in_house_uses') add('inHouseUses', { ...itemDims(u.row.itemId), patronCategory: UNKNOWN });
      break;
    case COMMAND.fees.pay:
      for (const p of effects)
        if (p.table === 'payments')
          add('finesCollected', { ...NO_DIMS, patronCategory: category(p.row.patronId) }, Number(p.row.amount) || 0);
      break;
    case COMMAND.ill.receive:
    case COMMAND.ill.shipLending: {
      // One entry is one item; its copy, when the entry writes one, gives the type and collection.
      const item = effects.find((e) => e.table === 'items');
      add(
        entry.command === COMMAND.ill.receive ? 'illBorrowed' : 'illLent',
        item ? { ...itemDims(item.row.id), patronCategory: UNKNOWN } : NO_DIMS,
      );
      break;
    }
    default:
      break;
  }
  // New patrons, whatever command made them (registration, an import).
  for (const p of effects) {
    if (p.table !== 'patrons') continue;
    const createdAt = Number(p.row.createdAt);
    if (createdAt <= entry.wallTime && createdAt >= entry.wallTime - NEW_PATRON_WINDOW_MS)
      add('newPatrons', { ...NO_DIMS, patronCategory: String(p.row.categoryCode ?? UNKNOWN) });
  }
  return facts;
}

export interface Lookup {
  item(id: string): Record<string, unknown> | undefined;
  callNumber(recordId: string): string | null;
  category(patronId: string): string;
}

/** Lookups in the current rows, remembered for one batch. */
export function currentRowsLookup(ctx: ServiceContext): Lookup {
  const items = new Map<string, Record<string, unknown> | undefined>();
  const calls = new Map<string, string | null>();
  const cats = new Map<string, string>();
  const read = currentRowReaders(ctx);
  return {
    item: (id) => (items.has(id) ? items.get(id) : (items.set(id, read.item(id)), items.get(id))),
    callNumber: (id) => (calls.has(id) ? calls.get(id)! : (calls.set(id, read.callNumber(id) ?? null), calls.get(id)!)),
    category: (id) => (cats.has(id) ? cats.get(id)! : (cats.set(id, read.category(id) ?? UNKNOWN), cats.get(id)!)),
  };
}

function sketchKey(ctx: ServiceContext): string {
  let key = ctx.readState(SKETCH_KEY);
  if (!key) {
    key = randomBytes(32).toString('hex');
    ctx.writeState(SKETCH_KEY, key);
  }
  return key;
}

/**
 * Counts the journal entries written since the last time. Cheap when there is nothing new (one
 * indexed read); called before every report and before journal redaction. Returns how many
 * entries it counted.
 */
export function catchUpStatistics(ctx: ServiceContext, options: { batch?: number } = {}): number {
  const batch = options.batch ?? BATCH;
  const q = new StatisticsCounting(ctx);
  let counted = 0;
  for (;;) {
    const done = immediateTransaction(ctx, () => {
      const from = Number(ctx.readState(COUNTED_THROUGH) ?? 0);
      const rows = q.entriesAfter(from, batch);
      if (rows.length === 0) return true;
      const branches = ctx.config.get().branches;
      const lookup = currentRowsLookup(ctx);
      const key = sketchKey(ctx);
      const sketches = new Map<string, Uint8Array>();
      // A batch's counts add up in memory first: a day's entries share most of their rows.
      const sums = new Map<string, number>();
      const add = (facts: EntryFacts, dimension: string, value: string | number, measure: Measure, n: number) => {
        const k = [facts.day, facts.branchId, dimension, String(value), measure].join('\u0000');
        sums.set(k, (sums.get(k) ?? 0) + n);
      };
      for (const r of rows) {
        const facts = factsOfEntry(
          { ...r, payload: JSON.parse(r.payload) as { effects?: Effect[] } },
          branches.get(r.branchId)?.timeZone ?? 'UTC',
          lookup,
        );
        for (const c of facts.counts) {
          add(facts, 'total', '', c.measure, c.n);
          add(facts, 'hour', facts.hour, c.measure, c.n);
          add(facts, 'itemType', c.dims.itemType, c.measure, c.n);
          add(facts, 'collection', c.dims.collection, c.measure, c.n);
          add(facts, 'patronCategory', c.dims.patronCategory, c.measure, c.n);
        }
        if (facts.borrowers.length === 0) continue;
        const slot = `${facts.day}\u0000${facts.branchId}`;
        let sketch = sketches.get(slot);
        if (!sketch) {
          const stored = q.sketch(facts.day, facts.branchId);
          sketch = stored ? new Uint8Array(stored) : emptySketch();
          sketches.set(slot, sketch);
        }
        for (const patronId of facts.borrowers) sketchAdd(sketch, createHmac('sha256', key).update(patronId).digest());
      }
      for (const [k, n] of sums) q.add(k.split('\u0000'), n);
      for (const [slot, sketch] of sketches) {
        const [day, branchId] = slot.split('\u0000');
        q.saveSketch(day, branchId, Buffer.from(sketch));
      }
      ctx.writeState(COUNTED_THROUGH, String(rows.at(-1)!.seq));
      counted += rows.length;
      return rows.length < batch;
    });
    if (done) return counted;
  }
}

/** Forgets the derived tables and counts the whole journal again. */
export function rebuildStatistics(ctx: ServiceContext): number {
  deferredTransaction(ctx, () => {
    clearStatistics(ctx);
    ctx.writeState(COUNTED_THROUGH, '0');
  });
  return catchUpStatistics(ctx);
}

// --- reports -------------------------------------------------------------------------------------

export interface StatisticsQuery {
  /** Branch calendar days, inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
  groupBy: Grouping;
  /** Only this branch's entries; all the journal's branches when absent. */
  branchId?: string | null;
}

export type MeasureCounts = Record<Measure, number>;

export interface StatisticsRow extends MeasureCounts {
  /** The group: a day, month (YYYY-MM), year, hour ("0".."23"), or a branch id or code ('' = not known). */
  key: string;
  /** What the desk shows for the key: a branch's, item type's or category's name; the key otherwise. */
  label: string;
  /** About how many different patrons borrowed or renewed; for groups of time only (null otherwise). */
  activePatrons: number | null;
}

export interface StatisticsReport {
  from: string;
  to: string;
  groupBy: Grouping;
  branchId: string | null;
  currency: string;
  rows: StatisticsRow[];
  totals: MeasureCounts & { activePatrons: number };
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) =>
  DAY_RE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
/** The longest span a report covers, and the longest one grouped by day (a row a day). */
const MAX_SPAN_DAYS = 3_660;
const MAX_DAY_ROWS = 731;

/** Where each grouping's counts are: the dimension's rows, and the group's key in them. */
function zeroCounts(): MeasureCounts {
  return Object.fromEntries(MEASURES.map((m) => [m, 0])) as MeasureCounts;
}

/** Every day, month or year of the span, or every hour: groups of time are listed even when nothing happened. */
function allKeys(groupBy: Grouping, from: string, to: string): string[] | null {
  if (groupBy === 'hour') return Array.from({ length: 24 }, (_, h) => String(h));
  if (!TIME_GROUPINGS.has(groupBy)) return null;
  const keys = new Set<string>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    keys.add(groupBy === 'day' ? day : groupBy === 'month' ? day.slice(0, 7) : day.slice(0, 4));
  }
  return [...keys];
}

export function statisticsReport(ctx: ServiceContext, q: StatisticsQuery): StatisticsReport {
  if (!isDay(q.from) || !isDay(q.to))
    throw new ServiceError('INVALID', 'The period needs calendar days like 2026-01-31.');
  if (q.from > q.to) throw new ServiceError('INVALID', 'The period must start on or before the day it ends.');
  const span = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (span > MAX_SPAN_DAYS) throw new ServiceError('INVALID', 'A report covers at most ten years.');
  if (q.groupBy === 'day' && span > MAX_DAY_ROWS)
    throw new ServiceError(
      'INVALID',
      'Day by day, a report covers at most two years: group by month or year for longer.',
    );
  catchUpStatistics(ctx);
  const cfg = ctx.config.get();
  const branch = q.branchId ?? null;
  const period = { groupBy: q.groupBy, from: q.from, to: q.to, branchId: branch };
  const counted = countsGrouped(ctx, period);
  const byKey = new Map<string, MeasureCounts>();
  for (const key of allKeys(q.groupBy, q.from, q.to) ?? []) byKey.set(key, zeroCounts());
  const totals = zeroCounts();
  for (const c of counted) {
    if (!MEASURES.includes(c.measure)) continue;
    let counts = byKey.get(c.key);
    if (!counts) byKey.set(c.key, (counts = zeroCounts()));
    counts[c.measure] += c.n;
    totals[c.measure] += c.n;
  }
  // Active patrons: the period's daily sketches merged, per group of time and for the whole span.
  const daily = activeSketches(ctx, period);
  const all = emptySketch();
  const perGroup = new Map<string, Uint8Array>();
  for (const d of daily) {
    const s = new Uint8Array(d.sketch);
    sketchMerge(all, s);
    if (!TIME_GROUPINGS.has(q.groupBy)) continue;
    let g = perGroup.get(d.key);
    if (!g) perGroup.set(d.key, (g = emptySketch()));
    sketchMerge(g, s);
  }
  const label = (key: string): string => {
    if (key === UNKNOWN) return '';
    if (q.groupBy === 'branch') return cfg.branches.get(key)?.name ?? key;
    if (q.groupBy === 'itemType') return cfg.itemTypes.get(key)?.name ?? key;
    if (q.groupBy === 'patronCategory') return cfg.categories.get(key)?.name ?? key;
    return key;
  };
  const keys = [...byKey.keys()];
  if (q.groupBy === 'hour') keys.sort((a, b) => Number(a) - Number(b));
  else if (TIME_GROUPINGS.has(q.groupBy)) keys.sort();
  else keys.sort((a, b) => (a === UNKNOWN ? 1 : b === UNKNOWN ? -1 : label(a).localeCompare(label(b))));
  const rows = keys.map((key) => ({
    key,
    label: label(key),
    ...byKey.get(key)!,
    activePatrons: TIME_GROUPINGS.has(q.groupBy) ? (perGroup.has(key) ? sketchEstimate(perGroup.get(key)!) : 0) : null,
  }));
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    branchId: branch,
    currency: cfg.settings.currency,
    rows,
    totals: { ...totals, activePatrons: daily.length > 0 ? sketchEstimate(all) : 0 },
  };
}
