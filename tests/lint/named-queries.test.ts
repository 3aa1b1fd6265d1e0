// The named-queries fence (eslint.config.js, issue #15): services, sync, the station core and the
// CLI reach SQLite only through src/store/queries. Lint made-up files as they would stand there.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The fence reads only the syntax; the type-aware rule needs files on disk, so it is off here.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function rawSql(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const PREPARE =
  "export const f = (ctx: { store: { db: { prepare(s: string): unknown } } }) => ctx.store.db.prepare('SELECT 1');\n";

describe('the named-queries lint rule', () => {
  it('stops raw SQL in services, sync, the station core and the CLI', async () => {
    for (const file of ['src/services/x.ts', 'src/sync/x.ts', 'src/station/x.ts', 'src/cli/x.ts']) {
      // `.db` and `.prepare(`: two findings on one line.
      expect(await rawSql(file, PREPARE), file).toHaveLength(2);
    }
    expect(
      await rawSql(
        'src/services/x.ts',
        "export const f = (db: { exec(s: string): void }) => db.exec('DELETE FROM t');\n",
      ),
    ).toHaveLength(1);
    expect(
      await rawSql(
        'src/services/x.ts',
        'export const f = (store: { db: unknown }) => {\n  const { db } = store;\n  return db;\n};\n',
      ),
    ).toHaveLength(1);
  });
  it('lets the store prepare statements, and a regular expression literal exec', async () => {
    expect(await rawSql('src/store/queries/x.ts', PREPARE)).toEqual([]);
    expect(await rawSql('src/services/x.ts', 'export const f = (s: string) => /@(\\w+)/.exec(s)?.[1];\n')).toEqual([]);
  });
  it('spares the files on the allow-list, until they move', async () => {
    expect(await rawSql('src/services/import/x.ts', PREPARE)).toEqual([]);
  });
  it("fences the sync exceptions' readers and writers: their SQL has one owner in the store", async () => {
    for (const file of [
      'src/services/exceptions.ts',
      'src/sync/exceptions-pull.ts',
      'src/sync/apply-pulled.ts',
      'src/sync/initial-load.ts',
      'src/sync/worker.ts',
    ])
      expect(await rawSql(file, PREPARE), file).toHaveLength(2);
  });
});
