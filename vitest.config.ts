import { defineConfig } from 'vitest/config';

// Unit tests sit next to the code they test (src/**/x.test.ts); integration, crash, device,
// sync and browser tests live in tests/. All of them run on real SQLite files, real ports and
// real databases, so the default timeout is generous and files run in separate forks.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'electron/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
