import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Bundles the Electron main process (CommonJS, as Electron's main and sandboxed preload want)
// and the station core host (ESM, run by utilityProcess) into dist/electron. Packages stay
// external: they ship in node_modules, native ones rebuilt for Electron by electron-builder.
const root = fileURLToPath(new URL('..', import.meta.url));
const external = (id: string) => id === 'electron' || builtinModules.includes(id.replace(/^node:/, '')) || id.startsWith('node:') || /^[@a-z]/.test(id);

export default defineConfig(({ mode }) => ({
  root,
  build: {
    outDir: 'dist/electron',
    emptyOutDir: mode === 'main',
    ssr: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: (mode === 'core' ? { 'core-host': 'src/transports/ipc/core-host.ts' } : { main: 'electron/main.ts', preload: 'electron/preload.ts' }) as Record<string, string>,
      external,
      output:
        mode === 'core'
          ? { format: 'es', entryFileNames: '[name].mjs' }
          : { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
}));
