// The layering lint rule is only worth having if it fires: lint a few imports that reach upward, as
// they would stand in real files, and one that points the right way.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules read only the text; the type-aware rule (no-floating-promises) needs the file
// on disk in a tsconfig, which these made-up files are not, so it is off here (and only here).
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

const LAYER_RULES = new Set(['no-restricted-imports', 'circa/no-restricted-dynamic-imports']);

async function messages(filePath: string, source: string, rules: Set<string>): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result!.messages.filter((m) => m.ruleId !== null && rules.has(m.ruleId)).map((m) => m.message);
}

const restrictedImports = (filePath: string, source: string) => messages(filePath, source, LAYER_RULES);
const restrictedGlobals = (filePath: string, source: string) =>
  messages(filePath, source, new Set(['no-restricted-globals', 'no-restricted-properties', 'no-restricted-syntax']));

describe('the layering lint rule', () => {
  it('stops the domain from reaching the store, I/O or native packages', async () => {
    expect(
      await restrictedImports('src/domain/x.ts', "import { openStore } from '../store/open';\nvoid openStore;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/domain/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/domain/x.ts', "import Database from 'better-sqlite3';\nvoid Database;\n"),
    ).toHaveLength(1);
  });
  it('stops services from importing the station core or a transport, and src from importing Electron', async () => {
    expect(
      await restrictedImports(
        'src/services/x.ts',
        "import { startStationCore } from '../station/core';\nvoid startStationCore;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/store/x.ts', "import { x } from '../services/command';\nvoid x;\n"),
    ).toHaveLength(1);
    expect(await restrictedImports('src/transports/x.ts', "import { app } from 'electron';\nvoid app;\n")).toHaveLength(
      1,
    );
  });
  it('keeps the renderer off Node and the core', async () => {
    expect(
      await restrictedImports(
        'renderer/x.ts',
        "import { openStation } from '../src/station/services';\nvoid openStation;\n",
      ),
    ).toHaveLength(1);
    expect(await restrictedImports('renderer/x.ts', "import { join } from 'node:path';\nvoid join;\n")).toHaveLength(1);
  });
  it('lets imports point downward', async () => {
    expect(
      await restrictedImports('src/services/x.ts', "import { findRule } from '../domain/rules';\nvoid findRule;\n"),
    ).toEqual([]);
    expect(
      await restrictedImports('renderer/x.ts', "import { stationApi } from '../src/api/contract';\nvoid stationApi;\n"),
    ).toEqual([]);
  });
  it('tells an area of the contract named like a layer from that layer', async () => {
    expect(
      await restrictedImports('src/api/contract/index.ts', "import { syncApi } from './sync';\nvoid syncApi;\n"),
    ).toEqual([]);
    expect(
      await restrictedImports('src/api/contract/index.ts', "import { x } from '../../sync/worker';\nvoid x;\n"),
    ).toHaveLength(1);
    expect(await restrictedImports('src/api/x.ts', "import { x } from '../devices/manager';\nvoid x;\n")).toHaveLength(
      1,
    );
  });

  it('sees dynamic import() and require() as well as import declarations', async () => {
    expect(
      await restrictedImports('src/domain/x.ts', "export const load = () => import('../store/open');\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/domain/x.ts', 'export const load = () => import(`../services/command`);\n'),
    ).toHaveLength(1);
    expect(await restrictedImports('renderer/x.ts', "export const fs = require('node:fs');\n")).toHaveLength(1);
    expect(
      await restrictedImports('src/hub/x.ts', "export const load = () => import('../services/secrets');\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/services/x.ts', "export const load = () => import('../domain/rules');\n"),
    ).toEqual([]);
  });
  it('keeps every Node built-in out of the renderer, with or without node:', async () => {
    expect(
      await restrictedImports('renderer/x.ts', "import { createHash } from 'crypto';\nvoid createHash;\n"),
    ).toHaveLength(1);
    expect(await restrictedImports('renderer/x.ts', "import { join } from 'path';\nvoid join;\n")).toHaveLength(1);
    expect(
      await restrictedImports('renderer/x.ts', "import { format } from 'node:util';\nvoid format;\n"),
    ).toHaveLength(1);
  });
  it('lets the hub import only shared code: the domain, the API and src/shared', async () => {
    for (const into of [
      '../services/config',
      '../store/rows',
      '../store/migrate',
      '../station/core',
      '../sync/worker',
    ]) {
      expect(await restrictedImports('src/hub/x.ts', `import { x } from '${into}';\nvoid x;\n`), into).toHaveLength(1);
    }
    expect(
      await restrictedImports('src/cli/hub.ts', "import { x } from '../services/config';\nvoid x;\n"),
    ).toHaveLength(1);
    for (const into of ['../domain/rules', '../api/sync-protocol', '../shared/secrets', './apply']) {
      expect(await restrictedImports('src/hub/x.ts', `import { x } from '${into}';\nvoid x;\n`), into).toEqual([]);
    }
  });
  it('lets shared code read the table declarations and nothing else of the store', async () => {
    expect(
      await restrictedImports('src/shared/x.ts', "import * as schema from '../store/schema';\nvoid schema;\n"),
    ).toEqual([]);
    expect(
      await restrictedImports('src/shared/x.ts', "import { Rows } from '../store/rows';\nvoid Rows;\n"),
    ).toHaveLength(1);
    expect(await restrictedImports('src/shared/x.ts', "import { x } from '../services/auth';\nvoid x;\n")).toHaveLength(
      1,
    );
  });
  it('keeps services off the sync, and Electron off the services', async () => {
    expect(
      await restrictedImports('src/services/x.ts', "import { SyncWorker } from '../sync/worker';\nvoid SyncWorker;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('electron/x.ts', "import { x } from '../src/services/auth';\nvoid x;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('electron/x.ts', "import { openStore } from '../src/store/open';\nvoid openStore;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'electron/x.ts',
        "import { lockDataFolder } from '../src/store/data-lock';\nvoid lockDataFolder;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports('electron/x.ts', "import { relay } from '../src/transports/ipc/relay';\nvoid relay;\n"),
    ).toEqual([]);
  });
});

describe('the globals the domain may touch', () => {
  it('refuses browser and Node globals and the current time', async () => {
    expect(await restrictedGlobals('src/domain/x.ts', 'export const w = window.innerWidth;\n')).toHaveLength(1);
    expect(await restrictedGlobals('src/domain/x.ts', 'export const t = document.title;\n')).toHaveLength(1);
    expect(await restrictedGlobals('src/domain/x.ts', 'export const tz = process.env.TZ;\n')).toHaveLength(1);
    expect(await restrictedGlobals('src/domain/x.ts', 'export const now = () => Date.now();\n')).toHaveLength(1);
    expect(await restrictedGlobals('src/domain/x.ts', 'export const today = () => new Date();\n')).toHaveLength(1);
  });
  it('allows a date made from a time it was given', async () => {
    expect(
      await restrictedGlobals('src/domain/x.ts', 'export const at = (ms: number) => new Date(ms).toISOString();\n'),
    ).toEqual([]);
    expect(await restrictedGlobals('src/services/x.ts', 'export const now = () => Date.now();\n')).toEqual([]);
  });
  it('keeps Node globals out of the renderer', async () => {
    expect(await restrictedGlobals('renderer/x.ts', 'export const dev = process.env.NODE_ENV;\n')).toHaveLength(1);
  });
});

describe('command names', () => {
  const literals = (filePath: string, source: string) => messages(filePath, source, new Set(['no-restricted-syntax']));
  it('refuses a command name written as a string where entries are written, applied or counted', async () => {
    for (const file of ['src/services/x.ts', 'src/hub/x.ts', 'src/sync/x.ts', 'src/store/x.ts', 'src/domain/x.ts']) {
      expect(await literals(file, "export const name = 'circulation.checkout';\n")).toHaveLength(1);
      expect(await literals(file, 'export const name = `holds.place`;\n')).toHaveLength(1);
    }
  });
  it('takes the name from the list, and a string that is no command name', async () => {
    expect(
      await literals(
        'src/services/x.ts',
        "import { COMMAND } from '../domain/commands';\nexport const name = COMMAND.circulation.checkout;\n",
      ),
    ).toEqual([]);
    expect(await literals('src/services/x.ts', "export const file = 'station.db';\n")).toEqual([]);
    expect(
      await literals(
        'src/domain/commands.ts',
        "export const COMMAND = { circulation: { checkout: 'circulation.checkout' } };\n",
      ),
    ).toEqual([]);
  });
});

describe('the type-aware lint', () => {
  // With the real configuration (types from the file's tsconfig), on the text of a file that is
  // in the Node program: the project service checks the text given, not the file on disk.
  const typed = new ESLint({ cwd: process.cwd() });
  const floating = async (source: string) => {
    const [result] = await typed.lintText(source, { filePath: 'src/domain/settings.ts' });
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
    return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises');
  };
  it('refuses a promise nobody awaits, and takes one marked with void', async () => {
    expect(
      await floating('const save = async (): Promise<void> => {};\nexport function f(): void {\n  save();\n}\n'),
    ).toHaveLength(1);
    expect(
      await floating(
        'const save = async (): Promise<void> => {};\nexport function f(): void {\n  // nobody waits: a failure is logged by save itself\n  void save();\n}\n',
      ),
    ).toEqual([]);
  }, 240_000);
});
