// Reading and writing whole rows of the synced tables as domain objects. The column mapping
// comes from the drizzle schema, so a row read here, a row written by a command and a row in a
// journal effect are the same camelCase object. Statements are prepared once per table: this is
// the hot path of every check-out.
import type Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SyncedTable } from '../domain/journal';
import * as schema from './schema';

export const SYNCED_TABLES: Record<SyncedTable, SQLiteTable> = {
  settings: schema.settings,
  branches: schema.branches,
  closed_days: schema.closedDays,
  patron_categories: schema.patronCategories,
  patrons: schema.patrons,
  patron_blocks: schema.patronBlocks,
  item_types: schema.itemTypes,
  records: schema.records,
  items: schema.items,
  loans: schema.loans,
  holds: schema.holds,
  fees: schema.fees,
  payments: schema.payments,
  payment_allocations: schema.paymentAllocations,
  fee_waivers: schema.feeWaivers,
  in_house_uses: schema.inHouseUses,
  circulation_rules: schema.circulationRules,
  patron_limits: schema.patronLimits,
  branch_item_policies: schema.branchItemPolicies,
  staff: schema.staff,
};

export type Row = Record<string, unknown> & { id: string };

interface TableCodec {
  name: string;
  /** [property, column, isBoolean] */
  columns: [string, string, boolean][];
  select: Database.Statement;
  upsert: Database.Statement;
  remove: Database.Statement;
}

function encode(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export class Rows {
  private readonly codecs = new Map<SyncedTable, TableCodec>();

  constructor(private readonly db: Database.Database) {}

  private codec(table: SyncedTable): TableCodec {
    let codec = this.codecs.get(table);
    if (codec) return codec;
    const t = SYNCED_TABLES[table];
    const name = getTableName(t);
    const columns = Object.entries(getTableColumns(t) as Record<string, SQLiteColumn>).map(
      ([prop, col]) => [prop, col.name, col.dataType === 'boolean'] as [string, string, boolean],
    );
    const cols = columns.map(([, c]) => `"${c}"`).join(', ');
    const params = columns.map(([p]) => `@${p}`).join(', ');
    const updates = columns
      .filter(([, c]) => c !== 'id')
      .map(([, c]) => `"${c}" = excluded."${c}"`)
      .join(', ');
    codec = {
      name,
      columns,
      select: this.db.prepare(`SELECT ${cols} FROM "${name}" WHERE id = ?`),
      upsert: this.db.prepare(
        `INSERT INTO "${name}" (${cols}) VALUES (${params}) ON CONFLICT(id) DO UPDATE SET ${updates}`,
      ),
      remove: this.db.prepare(`DELETE FROM "${name}" WHERE id = ?`),
    };
    this.codecs.set(table, codec);
    return codec;
  }

  /** Turns a raw SQLite row (snake_case columns) into the domain object. */
  decode<T>(table: SyncedTable, raw: Record<string, unknown>): T {
    const out: Record<string, unknown> = {};
    for (const [prop, col, isBool] of this.codec(table).columns) {
      const v = raw[col];
      out[prop] = isBool ? v === 1 || v === true : v;
    }
    return out as T;
  }

  get<T>(table: SyncedTable, id: string): T | undefined {
    const raw = this.codec(table).select.get(id) as Record<string, unknown> | undefined;
    return raw ? this.decode<T>(table, raw) : undefined;
  }

  /** Writes the row's whole state; every column of the table must be present (null allowed). */
  upsert(table: SyncedTable, row: Row): void {
    const codec = this.codec(table);
    const params: Record<string, unknown> = {};
    for (const [prop] of codec.columns) {
      if (!(prop in row)) throw new Error(`row for ${table} lacks ${prop}`);
      params[prop] = encode(row[prop]);
    }
    codec.upsert.run(params);
  }

  delete(table: SyncedTable, id: string): void {
    this.codec(table).remove.run(id);
  }

  /** Only the properties the table has, in its order: what a journal effect carries. */
  pick(table: SyncedTable, row: Record<string, unknown>): Row {
    const out: Record<string, unknown> = {};
    for (const [prop] of this.codec(table).columns) out[prop] = row[prop] ?? null;
    return out as Row;
  }
}
