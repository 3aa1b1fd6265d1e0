// The statistics' derived tables (stats_counts, stats_active) and the reads that fill them
// (services/statistics.ts): counts only, never a patron; the active-borrower sketches hold keyed
// hashes.
import type { Grouping, Measure } from '../../domain/statistics';
import type { Reader } from './reader';

type Connection = Pick<Reader, 'store'>;

/** What counting an entry reads of the current rows: a copy's type and record, a record's call number, a patron's category. */
export function currentRowReaders(c: Connection): {
  item(id: string): Record<string, unknown> | undefined;
  callNumber(recordId: string): string | null | undefined;
  category(patronId: string): string | undefined;
} {
  const db = c.store.db;
  const item = db.prepare('SELECT item_type_code AS itemTypeCode, record_id AS recordId FROM items WHERE id = ?');
  const call = db.prepare('SELECT call_number FROM records WHERE id = ?').pluck();
  const cat = db.prepare('SELECT category_code FROM patrons WHERE id = ?').pluck();
  return {
    item: (id) => item.get(id) as Record<string, unknown> | undefined,
    callNumber: (id) => call.get(id) as string | null | undefined,
    category: (id) => cat.get(id) as string | undefined,
  };
}

export type JournalEntryToCount = { seq: number; command: string; wallTime: number; branchId: string; payload: string };

/** The counting run's statements, prepared once per run. */
export class StatisticsCounting {
  private readonly s;

  constructor(c: Connection) {
    const db = c.store.db;
    this.s = {
      select: db.prepare(
        'SELECT seq, command, wall_time AS wallTime, branch_id AS branchId, payload FROM journal WHERE seq > ? ORDER BY seq LIMIT ?',
      ),
      bump: db.prepare(
        `INSERT INTO stats_counts (day, branch_id, dimension, value, measure, n) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (day, branch_id, dimension, value, measure) DO UPDATE SET n = n + excluded.n`,
      ),
      readSketch: db.prepare('SELECT sketch FROM stats_active WHERE day = ? AND branch_id = ?').pluck(),
      writeSketch: db.prepare(
        'INSERT INTO stats_active (day, branch_id, sketch) VALUES (?, ?, ?) ON CONFLICT (day, branch_id) DO UPDATE SET sketch = excluded.sketch',
      ),
    };
  }

  /** Journal entries after `seq`, in order, at most `limit`. */
  entriesAfter(seq: number, limit: number): JournalEntryToCount[] {
    return this.s.select.all(seq, limit) as JournalEntryToCount[];
  }

  /** Adds `n` to one count (the key's parts as stored: day, branch, dimension, value, measure). */
  add(key: string[], n: number): void {
    this.s.bump.run(...key, n);
  }

  sketch(day: string, branchId: string): Buffer | undefined {
    return this.s.readSketch.get(day, branchId) as Buffer | undefined;
  }

  saveSketch(day: string | undefined, branchId: string | undefined, sketch: Buffer): void {
    this.s.writeSketch.run(day, branchId, sketch);
  }
}

/** Empties the derived tables (before counting the whole journal again). */
export function clearStatistics(c: Connection): void {
  c.store.db.exec('DELETE FROM stats_counts; DELETE FROM stats_active;');
}

/** Which stored dimension a grouping reads, and the SQL of its key. */
const GROUP_SQL: Record<Grouping, { dimension: string; key: string }> = {
  day: { dimension: 'total', key: 'day' },
  month: { dimension: 'total', key: 'substr(day, 1, 7)' },
  year: { dimension: 'total', key: 'substr(day, 1, 4)' },
  branch: { dimension: 'total', key: 'branch_id' },
  hour: { dimension: 'hour', key: 'value' },
  itemType: { dimension: 'itemType', key: 'value' },
  collection: { dimension: 'collection', key: 'value' },
  patronCategory: { dimension: 'patronCategory', key: 'value' },
};

export interface CountsQuery {
  groupBy: Grouping;
  from: string;
  to: string;
  branchId: string | null;
}

function period(q: CountsQuery): { where: string; args: string[] } {
  return {
    where: `day BETWEEN ? AND ?${q.branchId ? ' AND branch_id = ?' : ''}`,
    args: q.branchId ? [q.from, q.to, q.branchId] : [q.from, q.to],
  };
}

/** The counts of a period (of one branch, or all), summed by the grouping's key and measure. */
export function countsGrouped(c: Connection, q: CountsQuery): { key: string; measure: Measure; n: number }[] {
  const group = GROUP_SQL[q.groupBy];
  const { where, args } = period(q);
  return c.store.db
    .prepare(
      `SELECT ${group.key} AS key, measure, sum(n) AS n FROM stats_counts WHERE dimension = ? AND ${where} GROUP BY 1, 2`,
    )
    .all(group.dimension, ...args) as {
    key: string;
    measure: Measure;
    n: number;
  }[];
}

/** Each day's active-borrower sketch in the period, with its time group's key ('' for groupings that are not by time). */
export function activeSketches(c: Connection, q: CountsQuery): { key: string; sketch: Buffer }[] {
  const sketchGroup =
    q.groupBy === 'day'
      ? 'day'
      : q.groupBy === 'month'
        ? 'substr(day, 1, 7)'
        : q.groupBy === 'year'
          ? 'substr(day, 1, 4)'
          : "''";
  const { where, args } = period(q);
  return c.store.db.prepare(`SELECT ${sketchGroup} AS key, sketch FROM stats_active WHERE ${where}`).all(...args) as {
    key: string;
    sketch: Buffer;
  }[];
}
