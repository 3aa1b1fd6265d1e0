// What a named query needs: the connection and the row decoder. The service context has both,
// so a service passes itself (`patronQueries.search(this.ctx, ...)`).
import type Database from 'better-sqlite3';
import type { SyncedTable } from '../../domain/journal';
import type { Rows } from '../rows';

export interface Reader {
  store: { db: Database.Database };
  rows: Rows;
}

/** Decodes raw rows of a synced table into their domain shape (JSON columns, booleans). */
export function decodeAll<T>(r: Reader, table: SyncedTable, raws: unknown[]): T[] {
  return (raws as Record<string, unknown>[]).map((raw) => r.rows.decode<T>(table, raw));
}
