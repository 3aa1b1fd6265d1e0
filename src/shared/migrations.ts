// Reading a drizzle-kit migrations folder, for both databases: the station's SQLite
// (src/store/migrate.ts applies them) and the hub's PostgreSQL (src/hub/db.ts). Each side applies
// every migration of the journal whose tag it has not recorded, in journal order, whatever its
// timestamp (see shared/reference/sync-and-architecture.md for why not drizzle's own migrator).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A migrations folder (e.g. migrations/station), found by walking up from `from`: the same code
 * runs from src/ (tsx), from a bundle in dist/electron (or a chunk below it) and from the packaged
 * app's asar.
 */
export function findUp(relative: string, from: string): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, relative);
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot find ${relative} above ${from}`);
}

interface MigrationJournal {
  entries: { idx: number; when: number; tag: string }[];
}

export interface Migration {
  tag: string;
  statements: string[];
}

export function readMigrations(dir: string): Migration[] {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as MigrationJournal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => ({
      tag,
      statements: readFileSync(join(dir, `${tag}.sql`), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    }));
}
