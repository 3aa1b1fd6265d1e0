// The benchmark itself is not a timed test (npm run bench), but it must keep working and keep
// its promise to whoever reads its JSON: a tiny library, built and measured for real.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const KEYS = [
  'items',
  'patrons',
  'floor_p99_ms',
  'checkout_p50_ms',
  'checkout_p99_ms',
  'checkin_p99_ms',
  'renew_p99_ms',
  'patron_lookup_p99_ms',
  'search_p95_ms',
  'open_ms',
  'rss_mb',
];

describe('npm run bench', () => {
  it('builds a small library, measures it and prints the figures as one JSON line, with every key the bar names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-bench-'));
    try {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'tests/bench/station-bench.ts', '--scale', '0.002', '--json', '--dir', dir],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(run.status, run.stderr).toBe(0);
      const figures = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      for (const key of KEYS) expect(figures[key], key).toBeGreaterThan(0);
      expect(figures.items).toBe(2000);
      expect(figures.patrons).toBe(400);
      // Each check-out waits for a durable commit: it cannot be cheaper than the bare durable insert.
      expect(figures.checkout_p50_ms).toBeGreaterThan(figures.floor_p50_ms!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
