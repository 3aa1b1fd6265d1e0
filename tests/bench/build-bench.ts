// Bundles a benchmark as the desktop app bundles the station (electron/build.ts: Vite's SSR
// build, packages external), with the MARC import's worker beside it, into dist/bench: a
// benchmark then runs the code as it ships, on plain Node.
import { basename, resolve } from 'node:path';
import { build } from 'vite';
import { electronBuildConfig } from '../../electron/build';

export async function buildBench(
  entry: string,
  outDir = resolve(import.meta.dirname, '../../dist/bench'),
): Promise<string> {
  const file = basename(entry).replace(/\.ts$/, '.mjs');
  // A config of its own for each build: Vite changes the one it is given.
  const base = electronBuildConfig('marc-worker', outDir);
  await build({
    ...base,
    build: {
      ...base.build,
      ssr: entry,
      rollupOptions: {
        ...base.build!.rollupOptions,
        output: { format: 'es', entryFileNames: file, codeSplitting: false },
      },
    },
  });
  await build(electronBuildConfig('marc-worker', outDir));
  return resolve(outDir, file);
}
