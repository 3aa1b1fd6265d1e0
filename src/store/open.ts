// Opening the station store: one SQLite file, tuned for a desk that must never forget what it
// told a patron. WAL with synchronous=FULL survives power loss (NORMAL would lose the last
// commits); foreign keys on; a bounded page cache keeps the process small. Checkpoints happen
// when the desk is quiet (checkpoint.ts); SQLite's automatic checkpoint stays as a backstop.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { restoreSearchIndex } from './search-index';
import { applyMigrations, readMigrations, STATION_MIGRATIONS_DIR } from './migrate';
import { currentRuntime, explainLoadFailure, sqliteBindingForThisProcess } from './native-binding';
import * as schema from './schema';
import { ALWAYS_DURABLE, walDurability } from './durability';
import { reserveWalSpace } from './wal-reserve';

export type StationOrm = BetterSQLite3Database<typeof schema>;

export interface Store {
  /** The raw connection, for prepared statements on hot paths. */
  db: Database.Database;
  /** drizzle over the same connection, for everything else. */
  orm: StationOrm;
  path: string;
  /**
   * Resolves once everything committed so far is on the disk (durability.ts): await it before
   * confirming anything to anyone. Commits themselves do not wait for the disk.
   */
  durable(): Promise<void>;
  close(): void;
}

export interface OpenStoreOptions {
  migrationsDir?: string;
  /** Page cache in MiB (default 32). */
  cacheMiB?: number;
  readonly?: boolean;
  /**
   * SQLite's automatic checkpoint threshold, in WAL pages (default 10,000, about 40 MB). At
   * SQLite's own default of 1,000, a run of check-outs (about 10 pages each) paid for a
   * checkpoint in one commit of every hundred: the desk's p99. The station checkpoints when idle
   * instead, so in use this threshold is met only by long unbroken runs (a bulk import, a sync).
   */
  walAutocheckpointPages?: number;
  /**
   * Give the WAL this many MiB at open, so commits overwrite space the file already has instead
   * of growing it (wal-reserve.ts). Default 0: a throwaway store (tests, tools) need not write
   * tens of megabytes; the station process asks for STATION_WAL_RESERVE_MIB.
   */
  walReserveMiB?: number;
}

/** The WAL's working size: about what it holds when the automatic checkpoint fires. */
export const STATION_WAL_RESERVE_MIB = 40;

/** better-sqlite3 on the native build that matches this runtime (native-binding.ts). */
function openDatabase(path: string, readonly: boolean): Database.Database {
  const { binding, addon } = sqliteBindingForThisProcess();
  try {
    // The typings know only a path for nativeBinding; better-sqlite3 takes the loaded addon too.
    return new Database(path, { readonly, ...(addon ? { nativeBinding: addon as unknown as string } : {}) });
  } catch (error) {
    throw explainLoadFailure(error, binding, currentRuntime()) ?? error;
  }
}

export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path, options.readonly ?? false);
  db.pragma('journal_mode = WAL');
  // NORMAL: a commit writes the WAL without flushing it; the flush is shared by the commits of a
  // moment and awaited before any answer (durability.ts). Never OFF: NORMAL still flushes around
  // checkpoints, so the file cannot be corrupted by a power cut.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${(options.cacheMiB ?? 32) * 1024}`);
  db.pragma('temp_store = MEMORY');
  db.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages ?? 10_000}`);
  if (!options.readonly) {
    applyMigrations(db, readMigrations(options.migrationsDir ?? STATION_MIGRATIONS_DIR));
    reserveWalSpace(db, path, (options.walReserveMiB ?? 0) * 1024 * 1024);
    // An import that stopped while the keyword index was suspended: build it now.
    restoreSearchIndex(db);
  }
  const orm = drizzle(db, { schema });
  const durability = path === ':memory:' || options.readonly ? ALWAYS_DURABLE : walDurability(db, path);
  let closed = false;
  return {
    db,
    orm,
    path,
    durable: () => durability.durable(),
    close() {
      if (closed) return;
      closed = true;
      durability.close();
      try {
        if (!options.readonly) {
          db.pragma('optimize');
          db.pragma('wal_checkpoint(TRUNCATE)');
        }
      } finally {
        db.close();
      }
    },
  };
}
