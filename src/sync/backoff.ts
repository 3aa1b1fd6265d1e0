// When the hub cannot be reached: wait longer after each failure (exponential), with "full
// jitter" so that fifty stations coming back after an outage do not all knock at once.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** The delay before retry number `failures` (1 = after the first failure); `random` in [0, 1). */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  // Never retry sooner than the base delay, even with an unlucky draw.
  return Math.max(policy.baseMs, Math.floor(random() * ceiling));
}
