// Both databases' migrations are strict (scripts/strict-migrations.ts): every station table is
// a STRICT SQLite table, every hub column one of the types a station column's values map to.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkHub, hubStrictProblems, makeStrict } from '../../scripts/strict-migrations';

const sqlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => join(dir, f));

describe('strict migrations', () => {
  it('every station migration is already STRICT', () => {
    for (const file of sqlFiles('migrations/station')) {
      const text = readFileSync(file, 'utf8');
      expect(makeStrict(text), file).toBe(text);
    }
  });
  it('makes a generated SQLite table STRICT, so that SQLite refuses a text in an integer column', () => {
    const generated =
      'CREATE TABLE `t` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`n` integer NOT NULL\n);\n--> statement-breakpoint\nCREATE INDEX `t_n` ON `t` (`n`);';
    const strict = makeStrict(generated);
    expect(strict).toContain(') STRICT;');
    expect(makeStrict(strict)).toBe(strict);
    const db = new Database(':memory:');
    for (const statement of strict.split('--> statement-breakpoint')) db.exec(statement);
    expect(() => db.prepare('INSERT INTO t (id, n) VALUES (?, ?)').run('a', 'twelve')).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    db.close();
  });
  it('every hub migration uses only the strict column types', () => {
    expect(checkHub('migrations/hub')).toEqual([]);
  });
  it('refuses a hub column of a loose or lossy type', () => {
    const sql =
      'CREATE TABLE "x" (\n\t"id" text PRIMARY KEY NOT NULL,\n\t"at" timestamp with time zone NOT NULL,\n\t"doc" json,\n\t"fine" real\n);\n--> statement-breakpoint\nALTER TABLE "x" ADD COLUMN "code" varchar(20);';
    expect(hubStrictProblems(sql)).toEqual([
      'column "at" is timestamp with time zone; a hub column is one of text, integer, bigint, bigserial, boolean, jsonb',
      'column "doc" is json; a hub column is one of text, integer, bigint, bigserial, boolean, jsonb',
      'column "fine" is real; a hub column is one of text, integer, bigint, bigserial, boolean, jsonb',
      'column "code" is varchar(…); a hub column is one of text, integer, bigint, bigserial, boolean, jsonb',
    ]);
  });
});
