// The layering rule is only worth having if it fires: lint a few imports that reach upward, as
// they would stand in real files, and one that points the right way.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it('stops the domain from reaching the store, I/O or native packages', async () => {
    expect(await restrictedImports('src/domain/x.ts', "import { openStore } from '../store/open';\nvoid openStore;\n")).toHaveLength(1);
    expect(await restrictedImports('src/domain/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImports('src/domain/x.ts', "import Database from 'better-sqlite3';\nvoid Database;\n")).toHaveLength(1);
  });
  it('stops services from importing the station core or a transport, and src from importing Electron', async () => {
    expect(await restrictedImports('src/services/x.ts', "import { startStationCore } from '../station/core';\nvoid startStationCore;\n")).toHaveLength(1);
    expect(await restrictedImports('src/store/x.ts', "import { x } from '../services/command';\nvoid x;\n")).toHaveLength(1);
    expect(await restrictedImports('src/transports/x.ts', "import { app } from 'electron';\nvoid app;\n")).toHaveLength(1);
  });
  it('keeps the renderer off Node and the core', async () => {
    expect(await restrictedImports('renderer/x.ts', "import { openStation } from '../src/station/services';\nvoid openStation;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/x.ts', "import { join } from 'node:path';\nvoid join;\n")).toHaveLength(1);
  });
  it('lets imports point downward', async () => {
    expect(await restrictedImports('src/services/x.ts', "import { findRule } from '../domain/rules';\nvoid findRule;\n")).toEqual([]);
    expect(await restrictedImports('renderer/x.ts', "import { stationApi } from '../src/api/contract';\nvoid stationApi;\n")).toEqual([]);
  });
});
