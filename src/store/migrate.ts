// Applies the station's SQL migrations. drizzle's own migrator applies only migrations newer
// than the newest one already applied, so a migration merged out of timestamp order would be
// skipped silently (see shared/reference/sync-and-architecture.md). This one applies every
// migration of the journal whose tag is not yet recorded, in journal order, each in its own
// transaction.
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp, readMigrations as readMigrationFolder, type Migration } from '../shared/migrations';

/**
 * migrations/station, found by walking up from this module: the same code runs from src/ (tsx),
 * from a bundle in dist/electron (or a chunk below it) and from the packaged app's asar.
 */
export const STATION_MIGRATIONS_DIR = findUp(
  join('migrations', 'station'),
  fileURLToPath(new URL('.', import.meta.url)),
);

export type { Migration };

/** The station's migrations (or another folder's), in journal order. */
export const readMigrations = (dir: string = STATION_MIGRATIONS_DIR): Migration[] => readMigrationFolder(dir);

/** Applies what is missing and returns the tags it applied. */
export function applyMigrations(db: Database.Database, migrations: Migration[] = readMigrations()): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS __migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
  const applied = new Set((db.prepare('SELECT tag FROM __migrations').all() as { tag: string }[]).map((r) => r.tag));
  const record = db.prepare('INSERT INTO __migrations (tag, applied_at) VALUES (?, ?)');
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.tag)) continue;
    db.transaction(() => {
      for (const statement of migration.statements) db.exec(statement);
      record.run(migration.tag, Date.now());
    }).immediate();
    done.push(migration.tag);
  }
  return done;
}
