// drizzle-kit writes plain CREATE TABLE statements; Circa's station tables are STRICT, so that
// SQLite itself refuses a text where an integer belongs. Run after `drizzle-kit generate`
// (npm run db:generate does both). Idempotent: a table already STRICT is left alone.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BREAKPOINT = '--> statement-breakpoint';
const dir = process.argv[2] ?? 'migrations/station';

export function makeStrict(sqlText: string): string {
  return sqlText
    .split(BREAKPOINT)
    .map((statement) => {
      if (!/^\s*CREATE TABLE/i.test(statement) || /\)\s*STRICT\s*;\s*$/i.test(statement)) return statement;
      return statement.replace(/\)\s*;(\s*)$/, ') STRICT;$1');
    })
    .join(BREAKPOINT);
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = makeStrict(before);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`made STRICT: ${path}`);
  }
}
