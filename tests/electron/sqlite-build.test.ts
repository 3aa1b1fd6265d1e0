// The step `npm start` runs to get better-sqlite3 for Electron (electron/sqlite-build.ts): when it
// does nothing, which way it tries next, what it refuses, and what it says when every way fails.
// The ways themselves (prebuild-install from GitHub, @electron/rebuild with Electron's headers)
// need the network; they are stood in for by fetchers that write real files, and the real
// command is run for an Electron version no tool knows, which must fail clearly and fast.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  builtForAbi,
  electronAbi,
  ensureElectronSqliteBuild,
  reasonFrom,
  type BuildTarget,
  type Fetcher,
} from '../../electron/sqlite-build';
import { installedSqlitePackage } from '../../src/store/native-binding';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sqlite = installedSqlitePackage();
const NODE_BUILD = join(sqlite.dir, 'build', 'Release', 'better_sqlite3.node');
const target: BuildTarget = { electron: '45.4.1', abi: '150', platform: process.platform, arch: process.arch, sqlite };
const outIn = (dir: string) => join(dir, 'better-sqlite3-electron', 'better_sqlite3.node');

/** A native-looking file that registers itself for `abi`, as node-gyp's headers make it do. */
function fakeBuild(path: string, abi: string): string {
  writeFileSync(path, Buffer.concat([Buffer.from('\x7fELF...'), Buffer.from(`\0node_register_module_v${abi}\0`)]));
  return path;
}
const making = (name: string, abi: string, calls: string[]): Fetcher => ({
  name,
  fetch: async (staging) => (calls.push(name), fakeBuild(join(staging, 'better_sqlite3.node'), abi)),
});
const failing = (name: string, reason: string, calls: string[]): Fetcher => ({
  name,
  fetch: async () => {
    calls.push(name);
    throw new Error(reason);
  },
});

describe('getting better-sqlite3 for Electron', () => {
  it('does nothing when the build for this Electron is there', async () => {
    const out = outIn(mkdtempSync(join(tmpdir(), 'circa-step-')));
    const calls: string[] = [];
    await ensureElectronSqliteBuild({ target, out, fetchers: [making('first', '150', calls)] });
    expect(await ensureElectronSqliteBuild({ target, out, fetchers: [making('first', '150', calls)] })).toEqual({
      status: 'present',
      path: out,
    });
    expect(calls).toEqual(['first']);
  });

  it('makes it again when the file there is for another runtime, or when forced', async () => {
    const out = outIn(mkdtempSync(join(tmpdir(), 'circa-step-')));
    const calls: string[] = [];
    await ensureElectronSqliteBuild({ target, out, fetchers: [making('first', '150', calls)] });
    copyFileSync(NODE_BUILD, out);
    const lines: string[] = [];
    expect(
      await ensureElectronSqliteBuild({
        target,
        out,
        fetchers: [making('again', '150', calls)],
        log: (l) => lines.push(l),
      }),
    ).toMatchObject({ status: 'made', by: 'again' });
    expect(lines[0]).toContain(`is for NODE_MODULE_VERSION ${process.versions.modules}, not 150; making it again`);
    expect(builtForAbi(out)).toBe('150');
    expect(
      await ensureElectronSqliteBuild({ target, out, force: true, fetchers: [making('forced', '150', calls)] }),
    ).toMatchObject({ status: 'made', by: 'forced' });
    expect(calls).toEqual(['first', 'again', 'forced']);
  });

  it('tries the next way when one fails, in a staging folder it removes, and never touches the Node build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-step-'));
    const out = outIn(dir);
    const nodeBuildBefore = readFileSync(NODE_BUILD);
    const calls: string[] = [];
    const outcome = await ensureElectronSqliteBuild({
      target,
      out,
      fetchers: [
        failing('prebuild-install', 'getaddrinfo ENOTFOUND github.com', calls),
        making('@electron/rebuild', '150', calls),
      ],
    });
    expect(outcome).toEqual({ status: 'made', path: out, by: '@electron/rebuild' });
    expect(calls).toEqual(['prebuild-install', '@electron/rebuild']);
    expect(readdirSync(dirname(out))).toEqual(['better_sqlite3.node']);
    expect(readdirSync(dir)).toEqual(['better-sqlite3-electron']);
    expect(readFileSync(NODE_BUILD).equals(nodeBuildBefore)).toBe(true);
  });

  it('refuses a build made for the wrong runtime (npm nodedir pointing node-gyp at the system Node)', async () => {
    const out = outIn(mkdtempSync(join(tmpdir(), 'circa-step-')));
    const wrong: Fetcher = {
      name: '@electron/rebuild',
      fetch: async (staging) => (copyFileSync(NODE_BUILD, join(staging, 'x.node')), join(staging, 'x.node')),
    };
    await expect(ensureElectronSqliteBuild({ target, out, fetchers: [wrong] })).rejects.toThrow(
      `@electron/rebuild: it made a build for NODE_MODULE_VERSION ${process.versions.modules}, but Electron 45.4.1 needs 150 (is npm's nodedir setting`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('when every way fails, says what each said, what is needed on each OS, and what to run again; makes no file', async () => {
    const out = outIn(mkdtempSync(join(tmpdir(), 'circa-step-')));
    const calls: string[] = [];
    const failed = ensureElectronSqliteBuild({
      target,
      out,
      fetchers: [
        failing('prebuild-install', 'getaddrinfo ENOTFOUND github.com', calls),
        failing('@electron/rebuild', 'node-gyp failed to rebuild', calls),
      ],
    });
    await expect(failed).rejects.toThrow(/^Could not make better-sqlite3 for Electron 45\.4\.1 \(/);
    const message = await failed.catch((e: Error) => e.message);
    expect(message).toContain(
      '  - prebuild-install: getaddrinfo ENOTFOUND github.com\n  - @electron/rebuild: node-gyp failed to rebuild',
    );
    expect(message).toMatch(
      /on Linux python3, make and g\+\+.*on macOS the Xcode Command Line Tools.*on Windows Visual Studio Build Tools/,
    );
    expect(message).toContain('then run `npm run electron:sqlite` again');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(dirname(out))).toBe(false);
  });

  it('reads which runtime a native build is for, and which Electron needs what', async () => {
    expect(builtForAbi(NODE_BUILD)).toBe(process.versions.modules);
    expect(await electronAbi('45.4.1')).toBe('150');
    expect(await electronAbi('99.0.0')).toBeUndefined();
  });

  it("picks a failing tool's own error line out of its output", () => {
    expect(
      reasonFrom(
        'prebuild-install info begin Prebuild-install version 7.1.3\nprebuild-install warn install getaddrinfo ENOTFOUND github.com\n',
        1,
      ),
    ).toBe('getaddrinfo ENOTFOUND github.com');
    expect(
      reasonFrom(
        '/x/node-abi/index.js:39\n  throw new Error(\n\nError: Could not detect abi for version 99.0.0 and runtime electron.\n    at getAbi',
        1,
      ),
    ).toBe('Error: Could not detect abi for version 99.0.0 and runtime electron.');
    expect(reasonFrom('', 3)).toBe('exited with code 3');
  });

  it('the real command, for an Electron no tool knows: fails within seconds, naming both tools, and makes nothing', () => {
    const out = outIn(mkdtempSync(join(tmpdir(), 'circa-step-')));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'electron/sqlite-build.ts'), '--electron', '99.0.0', '--out', out],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Could not make better-sqlite3 for Electron 99.0.0');
    expect(run.stderr).toMatch(
      /- prebuild-install: Error: Could not detect abi for version 99\.0\.0 and runtime electron/,
    );
    expect(run.stderr).toMatch(/- @electron\/rebuild: .*99\.0\.0/);
    expect(run.stderr).toContain('`npm run electron:sqlite` again');
    expect(existsSync(dirname(out))).toBe(false);
  }, 60_000);
});
