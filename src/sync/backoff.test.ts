import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('back-off with jitter', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it('does not wait before the first try', () => {
    expect(backoffDelay(0, policy)).toBe(0);
  });
  it('grows exponentially up to the cap', () => {
    const top = (n: number) => backoffDelay(n, policy, () => 0.999999);
    expect(top(1)).toBe(1000); // just under 1 s, raised to the base
    expect(top(2)).toBeGreaterThan(1900);
    expect(top(3)).toBeGreaterThan(3900);
    expect(top(20)).toBeLessThanOrEqual(60_000);
    expect(top(20)).toBeGreaterThan(59_000);
  });
  it('spreads stations out: the delay is random below the ceiling but never under the base', () => {
    expect(backoffDelay(5, policy, () => 0)).toBe(1000);
    expect(backoffDelay(5, policy, () => 0.5)).toBe(8000);
  });
});
