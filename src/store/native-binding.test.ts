// The choice of better-sqlite3's native build for each runtime, and what the core says when the
// chosen build is missing or does not load. The loads are real: the Node build npm install made,
// a copy of it where the Electron build would be, and a file that is no native module at all.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseSqliteBinding,
  electronBuildPath,
  ELECTRON_BUILD_ENV,
  explainLoadFailure,
  installedSqlitePackage,
  loadSqliteBinding,
  NativeBuildError,
  type Runtime,
} from './native-binding';

const node: Runtime = { versions: { node: '20.19.5', modules: '115' }, platform: 'linux', arch: 'x64', env: {} };
const electron = (env: Record<string, string> = {}): Runtime => ({
  versions: { node: '22.20.0', modules: '140', electron: '45.4.1' },
  platform: 'linux',
  arch: 'x64',
  env,
});
const scratch = () => mkdtempSync(join(tmpdir(), 'circa-binding-'));
const NODE_BUILD = join(installedSqlitePackage().dir, 'build', 'Release', 'better_sqlite3.node');

describe('the choice of better-sqlite3 build', () => {
  it('under plain Node is the build npm install made, even when the Electron variable is inherited', () => {
    expect(chooseSqliteBinding(node)).toEqual({ kind: 'node' });
    expect(chooseSqliteBinding({ ...node, env: { [ELECTRON_BUILD_ENV]: '/somewhere/better_sqlite3.node' } })).toEqual({
      kind: 'node',
    });
    expect(loadSqliteBinding({ kind: 'node' }, node)).toBeUndefined();
  });

  it('under Electron is the build kept for Electron when the main process names it, else the package’s own', () => {
    expect(chooseSqliteBinding(electron({ [ELECTRON_BUILD_ENV]: '/c/better_sqlite3.node' }))).toEqual({
      kind: 'electron-build',
      electron: '45.4.1',
      path: '/c/better_sqlite3.node',
    });
    expect(chooseSqliteBinding(electron())).toEqual({ kind: 'electron-package', electron: '45.4.1' });
    expect(loadSqliteBinding({ kind: 'electron-package', electron: '45.4.1' }, electron())).toBeUndefined();
  });

  it('keeps the Electron build in a folder of its own per better-sqlite3 version, Electron version, OS and CPU', () => {
    const path = electronBuildPath({
      nodeModulesDir: '/p/node_modules',
      sqliteVersion: '12.6.2',
      electron: '45.4.1',
      platform: 'win32',
      arch: 'arm64',
    });
    expect(path).toBe(
      join(
        '/p/node_modules',
        '.cache',
        'circa',
        'better-sqlite3-12.6.2-electron-45.4.1-win32-arm64',
        'better_sqlite3.node',
      ),
    );
    const pkg = installedSqlitePackage();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(dirname(pkg.dir)).toBe(pkg.nodeModulesDir);
  });

  it('loads the named build, and better-sqlite3 opens a database on it', () => {
    // The Node build copied to where the Electron build goes stands for it: under Node it loads.
    const path = join(scratch(), 'build', 'better_sqlite3.node');
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(NODE_BUILD, path);
    const loaded: string[] = [];
    const realRequire = createRequire(import.meta.url);
    const runtime = electron({ [ELECTRON_BUILD_ENV]: path });
    const addon = loadSqliteBinding(chooseSqliteBinding(runtime), runtime, (p) => (loaded.push(p), realRequire(p)));
    expect(loaded).toEqual([path]);
    const db = new Database(':memory:', { nativeBinding: addon as unknown as string });
    expect(db.prepare('select sqlite_version() as v').get()).toMatchObject({ v: expect.stringMatching(/^3\./) });
    db.close();
  });
});

describe('a build that is missing or does not load', () => {
  it('missing: the core names the Electron version, the expected file and the command that makes it', () => {
    const path = join(scratch(), 'nothing-here', 'better_sqlite3.node');
    const runtime = electron({ [ELECTRON_BUILD_ENV]: path });
    const error = (() => {
      try {
        loadSqliteBinding(chooseSqliteBinding(runtime), runtime);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NativeBuildError);
    const message = (error as Error).message;
    expect(message).toContain('no build for Electron 45.4.1 (linux-x64, NODE_MODULE_VERSION 140)');
    expect(message).toContain(`${path} is missing`);
    expect(message).toContain('Run `npm run electron:sqlite`');
  });

  it('not loadable: the core quotes the loader and says to delete the folder and make it again', () => {
    const dir = scratch();
    const path = join(dir, 'better_sqlite3.node');
    writeFileSync(path, 'this is not a native module');
    const runtime = electron({ [ELECTRON_BUILD_ENV]: path });
    expect(() => loadSqliteBinding(chooseSqliteBinding(runtime), runtime)).toThrow(
      new RegExp(
        `build at ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not load in Electron 45\\.4\\.1.*(invalid ELF header|not a valid|mach-o|too short)[\\s\\S]*Delete the folder`,
        'i',
      ),
    );
  });

  it('better-sqlite3’s own build made for another runtime: says which runtime needs what, and the fix for each', () => {
    // Node's own words for an ABI mismatch, over four lines.
    const mismatch = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 140. This version of Node.js requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
    );
    const forNode = explainLoadFailure(mismatch, { kind: 'node' }, node)!;
    expect(forNode.message).toMatch(
      /does not load in Node 20\.19\.5 \(NODE_MODULE_VERSION 115\): The module .* using NODE_MODULE_VERSION 140\. This version/,
    );
    expect(forNode.message).toContain('npm rebuild better-sqlite3');
    const forPackage = explainLoadFailure(mismatch, { kind: 'electron-package', electron: '45.4.1' }, electron())!;
    expect(forPackage.message).toMatch(/in this package does not load in Electron 45\.4\.1/);
    expect(forPackage.message).toContain('npm run dist');
    // Anything else (a locked or corrupt database) passes through as it was.
    expect(explainLoadFailure(new Error('database is locked'), { kind: 'node' }, node)).toBeNull();
  });
});
