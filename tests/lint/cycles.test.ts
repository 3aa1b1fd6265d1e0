// No two of Circa's modules import each other (scripts/import-cycles.ts): a cycle says two files
// are one module in two pieces, and a cycle of values can hand one of them a half-built import.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportCycles, importCycles, importGraph } from '../../scripts/import-cycles';

const scratch = mkdtempSync(join(tmpdir(), 'circa-cycles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('import cycles', () => {
  it('there are none in src/, electron/ or renderer/', () => {
    expect(findImportCycles(['src', 'electron', 'renderer'])).toEqual([]);
  });
  it('are found through type imports, dynamic import() and require()', () => {
    const dir = folder({
      'a.ts': "import type { B } from './b';\nexport type A = B;\n",
      'b.ts': "export type B = string;\nexport const load = () => import('./c');\n",
      'c.ts': "const a = require('./sub/d');\nexport default a;\n",
      'sub/d.ts': "export * from '../a';\n",
      'e.ts': "import { x } from './f';\nexport const e = x;\n",
      'f.ts': 'export const x = 1;\n',
    });
    const cycles = importCycles(importGraph([dir])).map((c) => c.map((f) => f.slice(dir.length + 1)));
    expect(cycles).toEqual([['a.ts', 'b.ts', 'c.ts', 'sub/d.ts']]);
  });
});
