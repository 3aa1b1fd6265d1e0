// Reading and writing whole rows of the synced tables as domain objects. The column mapping
// comes from the drizzle schema, so a row read here, a row written by a command and a row in a
// journal effect are the same camelCase object. Statements are prepared once per table: this is
// the hot path of every check-out.
import type Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { SyncedTable } from '../domain/journal';
import { SYNCED_TABLES } from '../shared/synced-tables';

/** The drizzle table of each synced table; kept in src/shared since the hub reads the same columns. */
export { SYNCED_TABLES };

export type Row = Record<string, unknown> & { id: string };

interface TableCodec {
  name: string;
  /** [property, column, isBoolean] */
  columns: [string, string, boolean][];
  /** The properties in ascending order (UTF-16 code units, as canonicalJson sorts keys). */
  sortedProps: string[];
  select: Database.Statement;
  /** The stored row as SQLite holds it (column order, raw values), to see what a write changes. */
  selectRaw: Database.Statement;
  insert: Database.Statement;
  /** UPDATE statements by the set of columns they write (a bit mask over `columns`). */
  updates: Map<number, Database.Statement>;
  remove: Database.Statement;
}

/** Enough UPDATE shapes for every write the services make; a rarer one past this is prepared for its write alone. */
const MAX_UPDATE_SHAPES = 64;

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
    if (columns.length > 31) throw new Error(`${name} has more columns than an update mask holds`);
    const cols = columns.map(([, c]) => `"${c}"`).join(', ');
    const params = columns.map(() => '?').join(', ');
    codec = {
      name,
      columns,
      sortedProps: columns.map(([prop]) => prop).sort(),
      select: this.db.prepare(`SELECT ${cols} FROM "${name}" WHERE id = ?`),
      selectRaw: this.db.prepare(`SELECT ${cols} FROM "${name}" WHERE id = ?`).raw(true),
      insert: this.db.prepare(`INSERT INTO "${name}" (${cols}) VALUES (${params})`),
      updates: new Map(),
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

  /**
   * Writes the row's whole state; every column of the table must be present (null allowed).
   *
   * A row that exists is updated in the columns whose values differ, and not at all when none
   * do. Why not one INSERT ... ON CONFLICT DO UPDATE of every column: SQLite rewrites each index
   * and re-checks each foreign key whose columns an UPDATE names, changed or not, so lending a
   * copy (a new status) also rewrote its barcode's and its record's index pages: nine pages to
   * make durable in every check-out instead of seven. Reading the row first costs one
   * primary-key lookup on a page the command has almost always just read.
   */
  upsert(table: SyncedTable, row: Row): void {
    const codec = this.codec(table);
    const values = this.encodeRow(codec, table, row);
    const stored = codec.selectRaw.get(row.id) as unknown[] | undefined;
    if (!stored) {
      codec.insert.run(values);
      return;
    }
    let mask = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== stored[i]) mask |= 1 << i;
    if (mask === 0) return;
    this.updateStatement(codec, mask).run(...values.filter((_, i) => mask & (1 << i)), row.id);
  }

  /** Writes a row that cannot exist yet (a fresh id): no read first. */
  insert(table: SyncedTable, row: Row): void {
    const codec = this.codec(table);
    codec.insert.run(this.encodeRow(codec, table, row));
  }

  /** The row's values in the table's column order, as SQLite stores them. */
  private encodeRow(codec: TableCodec, table: SyncedTable, row: Row): unknown[] {
    return codec.columns.map(([prop]) => {
      if (!(prop in row)) throw new Error(`row for ${table} lacks ${prop}`);
      return encode(row[prop]);
    });
  }

  private updateStatement(codec: TableCodec, mask: number): Database.Statement {
    let stmt = codec.updates.get(mask);
    if (!stmt) {
      const sets = codec.columns.filter((_, i) => mask & (1 << i)).map(([, c]) => `"${c}" = ?`);
      stmt = this.db.prepare(`UPDATE "${codec.name}" SET ${sets.join(', ')} WHERE id = ?`);
      if (codec.updates.size < MAX_UPDATE_SHAPES) codec.updates.set(mask, stmt);
    }
    return stmt;
  }

  delete(table: SyncedTable, id: string): void {
    this.codec(table).remove.run(id);
  }

  /**
   * Only the properties the table has (each present, null when the row lacks it): what a journal
   * effect carries. In sorted order, so that a row built here is already canonical and its
   * canonical JSON is JSON.stringify's own (src/shared/signing.ts), the bulk of a large entry's
   * serialising; the store's own writes do not depend on the order.
   */
  pick(table: SyncedTable, row: Record<string, unknown>): Row {
    const out: Record<string, unknown> = {};
    for (const prop of this.codec(table).sortedProps) out[prop] = row[prop] ?? null;
    return out as Row;
  }
}
