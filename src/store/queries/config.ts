// The configuration tables, read whole (services/config.ts keeps them in memory).
import type { SyncedTable } from '../../domain/journal';
import { decodeAll, type Reader } from './reader';

/** Every row of a configuration table, decoded. The table name is one of the synced tables, never input. */
export function wholeTable<T>(r: Reader, table: SyncedTable): T[] {
  return decodeAll<T>(r, table, r.store.db.prepare(`SELECT * FROM ${table}`).all());
}

/** The library's settings as stored (JSON), or undefined before any were saved. */
export function storedLibrarySettings(r: Pick<Reader, 'store'>): string | undefined {
  return (r.store.db.prepare("SELECT value FROM settings WHERE id = 'library'").get() as { value: string } | undefined)
    ?.value;
}
