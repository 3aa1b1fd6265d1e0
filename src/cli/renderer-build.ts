// `npm run serve` serves the desk it was checked out with: a fresh checkout has no
// dist/renderer yet, and one pulled since the last build has a desk older than its sources. Either
// way the station builds it (vite, a few seconds) before it opens, rather than answering `/` with
// "build the desk". A folder given with --renderer is taken as it is, never built.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_RENDERER_DIR = join(SOURCE_ROOT, 'dist', 'renderer');

/** What the renderer bundle is built from: its own folder and what it imports from src/. */
const SOURCES = ['renderer', 'src/api', 'src/domain', 'src/i18n'];

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, name)));
  return newest;
}

/** Why the desk's build in `dir` must be made (again), or null when it is there and up to date. */
export function rendererBuildReason(dir: string): string | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return `the desk is not built yet (${index} is missing)`;
  const sources = SOURCES.map((s) => join(SOURCE_ROOT, s)).filter((s) => existsSync(s));
  if (sources.length === 0) return null; // an installed copy without its sources
  const built = statSync(index).mtimeMs;
  return Math.max(...sources.map(newestSource)) > built ? `the desk in ${dir} is older than its sources` : null;
}

/** Builds the renderer into `dir` with vite; throws with vite's own output when it fails. */
export function buildRenderer(dir: string): void {
  const vite = join(SOURCE_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new Error('vite is not installed (npm install), so the desk cannot be built');
  const result = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      join(SOURCE_ROOT, 'renderer', 'vite.config.ts'),
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      cwd: SOURCE_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (result.status !== 0) throw new Error(`building the desk failed:\n${result.stdout}${result.stderr}`);
}
