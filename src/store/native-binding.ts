// Which build of better-sqlite3's native module this process loads. better-sqlite3 is not a
// Node-API module: a build works in exactly one runtime ABI. `npm install` builds it for the
// system's Node (npm test, npm run serve, npm run hub); the desktop app's station core runs
// inside Electron, whose ABI differs. So a source checkout keeps a second build for Electron
// beside the Node one (made by `npm run electron:sqlite`, which `npm start` runs) and the core
// opens that one; an installed package uses the build electron-builder rebuilt in place.
// Whichever build is chosen and cannot be loaded, the error says which, why and what to do.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The main process of a source checkout sets this for the core: the Electron build's file. */
export const ELECTRON_BUILD_ENV = 'CIRCA_SQLITE_ELECTRON_BUILD';
/** The command that makes (or fetches) the Electron build. */
export const MAKE_ELECTRON_BUILD = 'npm run electron:sqlite';

/** What decides the choice: the running runtime and its environment (process, in real use). */
export interface Runtime {
  versions: { node: string; modules: string; electron?: string | undefined };
  platform: string;
  arch: string;
  env: Record<string, string | undefined>;
}

export type SqliteBinding =
  /** Plain Node: better-sqlite3's own build from `npm install`, found by its usual lookup. */
  | { kind: 'node' }
  /** An installed package: electron-builder rebuilt better-sqlite3 for Electron in place. */
  | { kind: 'electron-package'; electron: string }
  /** Electron in a source checkout: the build kept for Electron beside the Node one. */
  | { kind: 'electron-build'; electron: string; path: string };

export function currentRuntime(): Runtime {
  return { versions: process.versions, platform: process.platform, arch: process.arch, env: process.env };
}

export function chooseSqliteBinding(runtime: Runtime): SqliteBinding {
  const electron = runtime.versions.electron;
  // The variable is honoured only inside Electron: a `npm run serve` started from a shell that
  // inherited it must still open the Node build.
  if (!electron) return { kind: 'node' };
  const path = runtime.env[ELECTRON_BUILD_ENV];
  return path ? { kind: 'electron-build', electron, path } : { kind: 'electron-package', electron };
}

/**
 * Where a source checkout keeps the Electron build: under node_modules (so a fresh `npm install`
 * starts clean), one folder per better-sqlite3 version, Electron version, OS and CPU, so an
 * upgrade of either never loads a stale build.
 */
export function electronBuildPath(options: {
  nodeModulesDir: string;
  sqliteVersion: string;
  electron: string;
  platform: string;
  arch: string;
}): string {
  const folder = `better-sqlite3-${options.sqliteVersion}-electron-${options.electron}-${options.platform}-${options.arch}`;
  return join(options.nodeModulesDir, '.cache', 'circa', folder, 'better_sqlite3.node');
}

/** The installed better-sqlite3 package: its folder, its version and the node_modules holding it. */
export function installedSqlitePackage(from: string = import.meta.url): {
  dir: string;
  version: string;
  nodeModulesDir: string;
} {
  const manifest = createRequire(from).resolve('better-sqlite3/package.json');
  const dir = dirname(manifest);
  return {
    dir,
    version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
    nodeModulesDir: dirname(dir),
  };
}

export class NativeBuildError extends Error {
  override name = 'NativeBuildError';
}

/** The loader's own words on one line (Node spreads an ABI mismatch over four), kept short. */
const summary = (error: unknown) => {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
};

/**
 * The addon to hand better-sqlite3 as its nativeBinding, or undefined for its own lookup.
 * Throws a NativeBuildError that says what is missing or broken and how to fix it.
 */
export function loadSqliteBinding(
  binding: SqliteBinding,
  runtime: Runtime,
  requireNative: (path: string) => unknown = createRequire(import.meta.url),
): object | undefined {
  if (binding.kind !== 'electron-build') return undefined;
  const where = `Electron ${binding.electron} (${runtime.platform}-${runtime.arch}, NODE_MODULE_VERSION ${runtime.versions.modules})`;
  if (!existsSync(binding.path)) {
    throw new NativeBuildError(
      `The station's database module (better-sqlite3) has no build for ${where}: ${binding.path} is missing.\n` +
        `The desktop app cannot use the build npm install made for Node. Run \`${MAKE_ELECTRON_BUILD}\` in the project folder ` +
        `(npm start runs it), then start again.`,
    );
  }
  try {
    return requireNative(binding.path) as object;
  } catch (error) {
    throw new NativeBuildError(
      `The station's database module (better-sqlite3) build at ${binding.path} does not load in ${where}: ${summary(error)}\n` +
        `Delete the folder ${dirname(binding.path)} and run \`${MAKE_ELECTRON_BUILD}\` in the project folder, then start again.`,
    );
  }
}

/** How a native module that cannot be loaded announces itself, on Linux, macOS and Windows. */
const NATIVE_LOAD_FAILURE =
  /NODE_MODULE_VERSION|Could not locate the bindings file|invalid ELF header|wrong ELF class|not a valid Win32 application|did not self-register|incompatible architecture|mach-o|cannot open shared object|The specified module could not be found/i;

/**
 * For better-sqlite3's own lookup (plain Node, an installed package): turns "this build was made
 * for another runtime" into what it means here and what to do. Other errors: null.
 */
export function explainLoadFailure(error: unknown, binding: SqliteBinding, runtime: Runtime): NativeBuildError | null {
  if (
    binding.kind === 'electron-build' ||
    error instanceof NativeBuildError ||
    !NATIVE_LOAD_FAILURE.test(summary(error))
  )
    return null;
  if (binding.kind === 'node') {
    return new NativeBuildError(
      `The station's database module (better-sqlite3) does not load in Node ${runtime.versions.node} (NODE_MODULE_VERSION ${runtime.versions.modules}): ${summary(error)}\n` +
        'Its build is for another runtime (a rebuild for Electron in node_modules?). Run `npm rebuild better-sqlite3` with this Node, then start again.',
    );
  }
  return new NativeBuildError(
    `The station's database module (better-sqlite3) in this package does not load in Electron ${binding.electron} (NODE_MODULE_VERSION ${runtime.versions.modules}): ${summary(error)}\n` +
      'The package was built without a matching build. Build it again with `npm run dist` (electron-builder rebuilds the module for Electron) and reinstall it.',
  );
}

let loaded: { binding: SqliteBinding; addon: object | undefined } | undefined;

/** This process's choice and addon, loaded once (what openStore uses). */
export function sqliteBindingForThisProcess(): { binding: SqliteBinding; addon: object | undefined } {
  if (!loaded) {
    const binding = chooseSqliteBinding(currentRuntime());
    loaded = { binding, addon: loadSqliteBinding(binding, currentRuntime()) };
  }
  return loaded;
}
