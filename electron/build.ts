// Bundles the desktop app's Node entry points with Vite's build API into dist/electron:
//   main.cjs       the Electron main process (CommonJS, as Electron loads it from package.json "main")
//   preload.cjs    the sandboxed preload: one self-contained file, since a sandboxed preload may
//                  require nothing but 'electron' (no local chunks)
//   core-host.mjs  the station core process started by utilityProcess.fork (ES module)
//   marc-worker.mjs  the worker thread a MARC import reads its file in (ES module), started by
//                  the core from beside its own bundle (src/services/import/marc-prepare.ts)
// Each is built on its own so no chunk is shared between them. Packages stay external: they
// ship in node_modules, the native ones rebuilt for Electron by electron-builder.
//   npx tsx electron/build.ts [outDir]     (outDir relative to the repository, default dist/electron)
import { rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type InlineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export const ENTRIES = {
  main: { entry: 'electron/main.ts', format: 'cjs', file: 'main.cjs' },
  preload: { entry: 'electron/preload.ts', format: 'cjs', file: 'preload.cjs' },
  'core-host': { entry: 'src/transports/ipc/core-host.ts', format: 'es', file: 'core-host.mjs' },
  'marc-worker': { entry: 'src/services/import/marc-worker.ts', format: 'es', file: 'marc-worker.mjs' },
} as const;

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Anything that is not a relative or absolute path is a package (or a Node built-in): left to require/import at run time. */
const isExternal = (id: string) =>
  id === 'electron' || builtins.has(id) || (/^(@[\w.-]+\/)?[\w.-]+(\/.*)?$/.test(id) && !id.startsWith('.'));

export function electronBuildConfig(name: keyof typeof ENTRIES, outDir: string): InlineConfig {
  const { entry, format, file } = ENTRIES[name];
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      ssr: resolve(root, entry),
      target: 'node20',
      minify: false,
      sourcemap: name !== 'preload',
      rollupOptions: {
        external: isExternal,
        output: { format, entryFileNames: file, codeSplitting: false },
      },
    },
  };
}

export async function buildElectron(outDir = 'dist/electron'): Promise<string> {
  const out = resolve(root, outDir);
  rmSync(out, { recursive: true, force: true });
  for (const name of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) await build(electronBuildConfig(name, out));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildElectron(process.argv[2]).then(
    (out) =>
      console.warn(
        `built ${Object.values(ENTRIES)
          .map((e) => e.file)
          .join(', ')} into ${out}`,
      ),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
