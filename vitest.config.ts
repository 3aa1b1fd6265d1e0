import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Two projects:
// - `node`: unit tests next to the code they test (src/**/x.test.ts) and the integration, crash,
//   device, sync and browser tests in tests/. They run on real SQLite files, real ports and real
//   databases, so the default timeout is generous and files run in separate forks.
// - `components`: the renderer's components (renderer/**/x.browser.test.tsx), rendered in real
//   Chromium (Debian's, the same one the browser tests drive) through Vitest's browser mode.
// `npm run test:unit` (vitest --mode unit): the node project without what needs Chromium or
// PostgreSQL (and the hub and sync suites, which run every case on both PGlite and PostgreSQL).
// A minute or two instead of many; docs/architecture.md says how to run one area's tests.
const NOT_UNIT = [
  'tests/browser/**',
  'tests/electron/**',
  'electron/kiosk-cdp.test.ts',
  'tests/hub/**',
  'tests/sync/**',
  'tests/bench/**',
];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export default defineConfig(({ mode }) => ({
  test: {
    teardownTimeout: 10_000,
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'renderer/**/*.browser.test.tsx', ...(mode === 'unit' ? NOT_UNIT : [])],
          pool: 'forks',
          // Two files at a time on the 2-core CI machine (vitest's default there is one): most of
          // these tests wait on disks, sockets, child processes and timers, not the CPU. Each file
          // has its own temporary folders, ports and PostgreSQL schemas, so they do not meet.
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        // Pre-bundled before the first test: on a fresh clone Vite otherwise finds these one test
        // file at a time, re-optimises and reloads the page under a running test (seen in CI as a
        // 15 s time-out of whichever test first reached React Aria's lazily loaded screens).
        optimizeDeps: {
          include: [
            'react',
            'react-dom',
            'react-dom/client',
            'react-i18next',
            'i18next',
            'react-aria-components',
            'zustand',
            'zod',
            'luxon',
            'vitest-browser-react',
          ],
        },
        test: {
          name: 'components',
          // After the node project (projects with the same group order must share maxWorkers):
          // Chromium then has the machine to itself.
          sequence: { groupOrder: 1 },
          include: ['renderer/**/*.browser.test.tsx'],
          testTimeout: 15_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
}));
