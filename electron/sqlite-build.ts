// Makes the Electron build of better-sqlite3 for a source checkout, beside the Node build that
// `npm install` made (see src/store/native-binding.ts for why both are needed). `npm start`
// runs it; when the build for the installed Electron is already there it does nothing.
//   npx tsx electron/sqlite-build.ts [--electron <version>] [--out <file>] [--force]
// It tries, in a staging folder of its own so the Node build is never touched:
//   1. prebuild-install: downloads better-sqlite3's prebuilt binary for Electron (from GitHub);
//   2. @electron/rebuild: compiles it from source with node-gyp against Electron's headers
//      (downloaded from electronjs.org; needs Python and a C++ compiler).
// Packages made by `npm run dist` do not use it: electron-builder rebuilds the module in place.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { electronBuildPath, installedSqlitePackage } from '../src/store/native-binding';

/** What the build is for, and the better-sqlite3 package it is built from. */
export interface BuildTarget {
  electron: string;
  /** Electron's NODE_MODULE_VERSION, when known: a build for any other is refused. */
  abi?: string | undefined;
  platform: string;
  arch: string;
  sqlite: { dir: string; version: string };
}

/** One way to get the build: puts it under `staging` and returns the file's path. */
export interface Fetcher {
  name: string;
  fetch(staging: string, target: BuildTarget): Promise<string>;
}

export type BuildOutcome = { status: 'present'; path: string } | { status: 'made'; path: string; by: string };

const BUILD_TOOLS =
  'build tools: on Linux python3, make and g++ (Debian: sudo apt-get install python3 make g++); on macOS the Xcode ' +
  'Command Line Tools (xcode-select --install); on Windows Visual Studio Build Tools with "Desktop development with C++"';

export async function ensureElectronSqliteBuild(options: {
  target: BuildTarget;
  out: string;
  fetchers: Fetcher[];
  force?: boolean;
  log?: (line: string) => void;
}): Promise<BuildOutcome> {
  const { target, out, fetchers } = options;
  const log = options.log ?? (() => undefined);
  if (existsSync(out) && !options.force) {
    const found = builtForAbi(out);
    if (!target.abi || !found || found === target.abi) return { status: 'present', path: out };
    log(
      `better-sqlite3 for Electron ${target.electron}: ${out} is for NODE_MODULE_VERSION ${found}, not ${target.abi}; making it again`,
    );
  }
  const stagingRoot = `${dirname(out)}.staging-${process.pid}`;
  const failures: string[] = [];
  try {
    for (const fetcher of fetchers) {
      const staging = join(stagingRoot, fetcher.name.replace(/[^\w.-]+/g, '-'));
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      log(`better-sqlite3 for Electron ${target.electron}: trying ${fetcher.name}`);
      try {
        const made = await fetcher.fetch(staging, target);
        if (!existsSync(made)) throw new Error(`it finished but left no ${made}`);
        const abi = builtForAbi(made);
        if (target.abi && abi && abi !== target.abi) {
          throw new Error(
            `it made a build for NODE_MODULE_VERSION ${abi}, but Electron ${target.electron} needs ${target.abi} (is npm's nodedir setting pointing node-gyp at the system Node's headers?)`,
          );
        }
        // Copied then renamed: a half-written file must never pass for a build.
        mkdirSync(dirname(out), { recursive: true });
        copyFileSync(made, `${out}.partial`);
        renameSync(`${out}.partial`, out);
        return { status: 'made', path: out, by: fetcher.name };
      } catch (error) {
        failures.push(`${fetcher.name}: ${oneLine(error)}`);
      }
    }
  } finally {
    rmSync(stagingRoot, { recursive: true, force: true });
  }
  throw new Error(
    `Could not make better-sqlite3 for Electron ${target.electron} (${target.platform}-${target.arch}).\n` +
      failures.map((f) => `  - ${f}`).join('\n') +
      "\nThe prebuilt binary comes from github.com; building it needs Electron's headers from electronjs.org and " +
      `${BUILD_TOOLS}. Check the network (or the proxy: npm_config_proxy, HTTPS_PROXY), install the build tools, then run \`npm run electron:sqlite\` again.`,
  );
}

/**
 * The NODE_MODULE_VERSION a native module was built for, read from the registration symbol
 * node-gyp's headers give it (node_register_module_v<abi>, in ELF, Mach-O and PE alike); null
 * for a Node-API module or a file without one.
 */
export function builtForAbi(file: string): string | null {
  return /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'))?.[1] ?? null;
}

/** Electron's NODE_MODULE_VERSION: the installed Electron says it; node-abi knows the others. */
export async function electronAbi(electron: string, from: string = import.meta.url): Promise<string | undefined> {
  try {
    const dir = dirname(createRequire(from).resolve('electron/package.json'));
    if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version === electron)
      return readFileSync(join(dir, 'abi_version'), 'utf8').trim();
  } catch {
    // not installed, or no abi_version file: ask node-abi
  }
  try {
    // node-abi comes with prebuild-install and @electron/rebuild (it has no typings of its own).
    const nodeAbi = 'node-abi';
    const { getAbi } = (await import(nodeAbi)) as { getAbi(target: string, runtime: string): string };
    return getAbi(electron, 'electron');
  } catch {
    return undefined;
  }
}

function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** The last words of a tool that failed: its own error line if it printed one. */
export function reasonFrom(output: string, code: number | null): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.find((l) => /^Error: /.test(l)) ?? [...lines].reverse().find((l) => / (warn|ERR!?) /.test(l));
  return (error ?? lines.at(-1) ?? `exited with code ${code ?? 'none'}`).replace(
    /^prebuild-install (warn|ERR!?) (install )?/,
    '',
  );
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(reasonFrom(output, code)))));
  });
}

/** prebuild-install, run on a copy of better-sqlite3's package.json: it downloads into the copy. */
export const prebuildInstall: Fetcher = {
  name: 'prebuild-install',
  async fetch(staging, target) {
    copyFileSync(join(target.sqlite.dir, 'package.json'), join(staging, 'package.json'));
    // better-sqlite3 depends on prebuild-install: resolved from there, it is the one npm installed for it.
    const bin = createRequire(join(target.sqlite.dir, 'package.json')).resolve('prebuild-install/bin.js');
    await run(
      process.execPath,
      [bin, '--runtime', 'electron', '--target', target.electron, '--arch', target.arch, '--platform', target.platform],
      staging,
    );
    return join(staging, 'build', 'Release', 'better_sqlite3.node');
  },
};

/** @electron/rebuild (node-gyp) on a copy of better-sqlite3's sources, in a project of their own. */
export const electronRebuild: Fetcher = {
  name: '@electron/rebuild',
  async fetch(staging, target) {
    const copy = join(staging, 'node_modules', 'better-sqlite3');
    cpSync(target.sqlite.dir, copy, {
      recursive: true,
      // Without the Node build (build/) and anything nested: sources, binding.gyp and deps/ only.
      filter: (from) => !['build', 'node_modules'].includes(relative(target.sqlite.dir, from).split(sep)[0]!),
    });
    writeFileSync(
      join(staging, 'package.json'),
      JSON.stringify({
        name: 'circa-electron-sqlite',
        private: true,
        dependencies: { 'better-sqlite3': target.sqlite.version },
      }),
    );
    const { rebuild } = await import('@electron/rebuild');
    // node-gyp takes npm's nodedir setting over the Electron target, and some npm set-ups set it
    // (Debian's npm: nodedir=/usr): it would build for the system's Node. Not for this build.
    const nodedir = Object.keys(process.env).filter((k) => k.toLowerCase() === 'npm_config_nodedir');
    const saved = nodedir.map((k) => [k, process.env[k]] as const);
    for (const k of nodedir) delete process.env[k];
    try {
      // From source: prebuild-install (the same download) was tried already.
      await rebuild({
        buildPath: staging,
        electronVersion: target.electron,
        arch: target.arch,
        platform: target.platform as NodeJS.Platform,
        onlyModules: ['better-sqlite3'],
        force: true,
        buildFromSource: true,
        mode: 'sequential',
      });
    } finally {
      for (const [k, v] of saved) process.env[k] = v;
    }
    return join(copy, 'build', 'Release', 'better_sqlite3.node');
  },
};

/** The Electron version npm installed (node_modules/electron), which `npm start` runs. */
export function installedElectronVersion(from: string = import.meta.url): string {
  let manifest: string;
  try {
    manifest = createRequire(from).resolve('electron/package.json');
  } catch {
    throw new Error('Electron is not installed (node_modules/electron is missing): run `npm install` first.');
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function parseArgs(argv: string[]): { electron?: string; out?: string; force: boolean } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  return { electron: value('--electron'), out: value('--out'), force: argv.includes('--force') };
}

export async function main(argv: string[]): Promise<BuildOutcome> {
  const args = parseArgs(argv);
  const sqlite = installedSqlitePackage();
  const electron = args.electron ?? installedElectronVersion();
  const target: BuildTarget = {
    electron,
    abi: await electronAbi(electron),
    platform: process.platform,
    arch: process.arch,
    sqlite,
  };
  const out = args.out
    ? resolve(args.out)
    : electronBuildPath({
        nodeModulesDir: sqlite.nodeModulesDir,
        sqliteVersion: sqlite.version,
        electron: target.electron,
        platform: target.platform,
        arch: target.arch,
      });
  return ensureElectronSqliteBuild({
    target,
    out,
    force: args.force,
    fetchers: [prebuildInstall, electronRebuild],
    log: (line) => console.warn(line),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (outcome) =>
      console.warn(
        outcome.status === 'present'
          ? `better-sqlite3 for Electron: ${outcome.path} is there`
          : `better-sqlite3 for Electron: made ${outcome.path} with ${outcome.by}`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
