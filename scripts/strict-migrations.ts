// Both databases' migrations are strict, and this one step, run after `drizzle-kit generate`
// (npm run db:generate for the station, npm run hub:generate for the hub), makes them so:
//
// - the station (SQLite): every CREATE TABLE gets STRICT, so that SQLite itself refuses a text
//   where an integer belongs instead of storing it (SQLite's default is to store anything).
// - the hub (PostgreSQL): PostgreSQL is typed already, so strict here means a closed list of
//   column types, the ones that hold what a station's STRICT column holds: text, integer,
//   bigint (times in ms, sequence numbers), bigserial, boolean and jsonb (a row, a list of ids).
//   A migration with another type (timestamp, json, real, numeric, varchar...) is refused, and the
//   step fails: a time the station keeps as ms would come back as a date, money as a float.
//
// Idempotent: a STRICT table is left alone. `tsx scripts/strict-migrations.ts [station|hub] [dir]`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BREAKPOINT = '--> statement-breakpoint';

/** The SQLite migration's text with every CREATE TABLE made STRICT. */
export function makeStrict(sqlText: string): string {
  return sqlText
    .split(BREAKPOINT)
    .map((statement) => {
      if (!/^\s*CREATE TABLE/i.test(statement) || /\)\s*STRICT\s*;\s*$/i.test(statement)) return statement;
      return statement.replace(/\)\s*;(\s*)$/, ') STRICT;$1');
    })
    .join(BREAKPOINT);
}

/** The column types a hub migration may use: those a station's STRICT column's values map to. */
export const HUB_COLUMN_TYPES = ['text', 'integer', 'bigint', 'bigserial', 'boolean', 'jsonb'] as const;

/** Each column a PostgreSQL migration declares (CREATE TABLE or ADD COLUMN) with its type. */
export function hubColumns(sqlText: string): { column: string; type: string }[] {
  const columns: { column: string; type: string }[] = [];
  for (const statement of sqlText.split(BREAKPOINT)) {
    const table = /^\s*CREATE TABLE\s+(?:IF NOT EXISTS\s+)?"[^"]+"\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(statement);
    const lines = table
      ? table[1]!.split('\n')
      : [...statement.matchAll(/ADD COLUMN\s+(?:IF NOT EXISTS\s+)?("[^"]+"\s+[^;,]+)/gi)].map((m) => m[1]!);
    for (const line of lines) {
      const column =
        /^\s*"([^"]+)"\s+([a-z][a-z ]*?)(?=\s*(\(|\[|PRIMARY|NOT|DEFAULT|NULL|UNIQUE|REFERENCES|GENERATED|CHECK|,|$))/i.exec(
          line,
        );
      if (column)
        columns.push({
          column: column[1]!,
          type: column[2]!.trim().toLowerCase() + (column[3] === '[' ? '[]' : column[3] === '(' ? '(…)' : ''),
        });
    }
  }
  return columns;
}

/** Why the hub migration is not strict, one line per column; empty when it is. */
export function hubStrictProblems(sqlText: string): string[] {
  const allowed = new Set<string>(HUB_COLUMN_TYPES);
  return hubColumns(sqlText)
    .filter(({ type }) => !allowed.has(type))
    .map(({ column, type }) => `column "${column}" is ${type}; a hub column is one of ${HUB_COLUMN_TYPES.join(', ')}`);
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => join(dir, f));
}

/** Makes the station's migrations STRICT in place; returns the files it changed. */
export function strictStation(dir = 'migrations/station'): string[] {
  const changed: string[] = [];
  for (const path of sqlFiles(dir)) {
    const before = readFileSync(path, 'utf8');
    const after = makeStrict(before);
    if (after !== before) {
      writeFileSync(path, after);
      changed.push(path);
    }
  }
  return changed;
}

/** The hub migrations' problems, as `file: problem`. */
export function checkHub(dir = 'migrations/hub'): string[] {
  return sqlFiles(dir).flatMap((path) => hubStrictProblems(readFileSync(path, 'utf8')).map((p) => `${path}: ${p}`));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [which = 'station', dir] = process.argv.slice(2);
  if (which === 'station') {
    for (const path of strictStation(dir)) console.log(`made STRICT: ${path}`);
  } else if (which === 'hub') {
    const problems = checkHub(dir);
    for (const p of problems) console.error(p);
    if (problems.length > 0) {
      console.error(
        'The hub migrations are not strict: change the column types in src/hub/schema.ts and generate again.',
      );
      process.exitCode = 1;
    }
  } else {
    console.error('usage: tsx scripts/strict-migrations.ts station|hub [dir]');
    process.exitCode = 2;
  }
}
