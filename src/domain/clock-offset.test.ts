import { describe, expect, it } from 'vitest';
import { measureClockOffset, MIN_CLOCK_UNCERTAINTY_MS, orderCheckouts } from './clock-offset';

describe('clock offset from a round trip', () => {
  it('measures a station 10 s fast over a 40 ms round trip with 10 ms at the hub: offset 10 s, uncertainty 15 ms', () => {
    // t0 station send, t1 hub receive, t2 hub answer, t3 station receive
    expect(measureClockOffset(10_000 + 1000, 1015, 1025, 10_000 + 1040)).toEqual({
      offsetMs: 10_000,
      uncertaintyMs: 15,
    });
  });
  it('never claims less than the floor, and measures nothing when a clock stepped during the exchange', () => {
    expect(measureClockOffset(0, 0, 0, 1)?.uncertaintyMs).toBe(MIN_CLOCK_UNCERTAINTY_MS);
    expect(measureClockOffset(100, 50, 60, 90)).toBeNull();
  });
  it('calls two check-outs 7 ms apart too close to tell, and the lower station id keeps the copy whichever comes first', () => {
    const a = { loanId: 'L-a', stationId: 'st-2', checkedOutAt: 1000, offsetMs: 0, uncertaintyMs: 10 };
    const b = { loanId: 'L-b', stationId: 'st-1', checkedOutAt: 1007, offsetMs: 0, uncertaintyMs: 10 };
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const order = orderCheckouts(x, y);
      expect(order).toMatchObject({ decidedBy: 'too_close', apartMs: 7, uncertaintyMs: 20 });
      expect(order.later.stationId).toBe('st-1');
    }
    // Apart by more than the uncertainty: the corrected clocks decide.
    expect(orderCheckouts({ ...a, checkedOutAt: 1050 }, b)).toMatchObject({
      decidedBy: 'station_clocks',
      later: { loanId: 'L-a' },
    });
    // Unknown uncertainty (an older station): ordered as before, never "too close".
    expect(orderCheckouts({ ...a, uncertaintyMs: null }, b).decidedBy).toBe('station_clocks');
  });
});
