// What a computer's clock can say and still be a clock: a reading from the years 2000 to 2200.
// A PC whose clock battery died comes back at the firmware's date (2000 or later); -9e15 or a
// year 30,000 is no clock at all, and believing it (as a station's offset, or a time to order
// loans by) would let one broken or forged station decide for the others.

/** 2000-01-01T00:00:00Z, ms since 1970. */
export const EARLIEST_WALL_TIME_MS = Date.UTC(2000, 0, 1);
/** 2200-01-01T00:00:00Z, ms since 1970 (not included). */
export const LATEST_WALL_TIME_MS = Date.UTC(2200, 0, 1);

export function isPlausibleWallTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_WALL_TIME_MS && ms < LATEST_WALL_TIME_MS;
}
