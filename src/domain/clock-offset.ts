// A station's clock against the hub's, measured from one round trip as NTP does, and what it
// lets the hub say about two check-outs of one copy made at two stations while they were apart.
// Shared by the station (which measures) and the hub (which orders loans): pure, no clock read.

/**
 * The least uncertainty of any measured offset. A round trip on a LAN can take under a
 * millisecond, but the times compared are whole milliseconds read by two processes whose event
 * loops may each be a few milliseconds late in reading them (a check-out's time is read when its
 * command runs, not when the barcode was scanned). Two check-outs closer than the sum of two
 * stations' floors (20 ms) are never ordered by their clocks.
 */
export const MIN_CLOCK_UNCERTAINTY_MS = 10;

export interface ClockMeasurement {
  /** The station's wall clock minus the hub's. */
  offsetMs: number;
  /** How far the true offset can be from offsetMs: half the round trip's time on the network, at least MIN_CLOCK_UNCERTAINTY_MS. */
  uncertaintyMs: number;
}

/**
 * t0: the station sent the request (station clock); t1: the hub received it and t2: answered
 * (hub clock); t3: the station received the answer (station clock). The request and the answer
 * each spent some part of (t3 - t0) - (t2 - t1) on the network; assuming halves, the offset is
 * ((t0 - t1) + (t3 - t2)) / 2, off by at most half that network time. A hub whose answer time
 * looks earlier than its receive time, or a station whose receive time looks before its send
 * time (a clock stepped during the exchange), gives no measurement.
 */
export function measureClockOffset(t0: number, t1: number, t2: number, t3: number): ClockMeasurement | null {
  const network = t3 - t0 - (t2 - t1);
  if (t2 < t1 || t3 < t0 || network < 0) return null;
  return {
    offsetMs: Math.round((t0 - t1 + (t3 - t2)) / 2),
    uncertaintyMs: Math.max(MIN_CLOCK_UNCERTAINTY_MS, Math.ceil(network / 2)),
  };
}

/** A check-out as the hub orders it: its station's time, the offset measured for that station, and the measurement's uncertainty (null: unknown, an older station measured one way). */
export interface TimedCheckout {
  loanId: string;
  stationId: string;
  checkedOutAt: number;
  offsetMs: number;
  uncertaintyMs: number | null;
}

export type CheckoutOrder =
  /** By the stations' own clocks, which agree with the corrected ones. */
  | { decidedBy: 'station_clocks'; later: TimedCheckout; earlier: TimedCheckout; apartMs: number }
  /** By the check-out times corrected for each station's offset, which reverse the stations' own order. */
  | { decidedBy: 'corrected_clocks'; later: TimedCheckout; earlier: TimedCheckout; apartMs: number }
  /**
   * Closer than the two measurements' combined uncertainty: nobody can tell which came first. The
   * stated rule decides: the check-out made at the station with the lower id keeps the copy (the
   * same verdict whichever station pushes first); at one station, the lower loan id.
   */
  | { decidedBy: 'too_close'; later: TimedCheckout; earlier: TimedCheckout; apartMs: number; uncertaintyMs: number };

export const TOO_CLOSE_RULE = 'lower_station_id';

/** Which of two check-outs of one copy was later (that borrower has the copy), and on what grounds. */
export function orderCheckouts(a: TimedCheckout, b: TimedCheckout): CheckoutOrder {
  const trueA = a.checkedOutAt - a.offsetMs;
  const trueB = b.checkedOutAt - b.offsetMs;
  const apartMs = Math.abs(trueA - trueB);
  if (a.uncertaintyMs !== null && b.uncertaintyMs !== null) {
    const uncertaintyMs = a.uncertaintyMs + b.uncertaintyMs;
    if (apartMs <= uncertaintyMs) {
      const aKeeps = a.stationId !== b.stationId ? a.stationId < b.stationId : a.loanId < b.loanId;
      return { decidedBy: 'too_close', later: aKeeps ? a : b, earlier: aKeeps ? b : a, apartMs, uncertaintyMs };
    }
  }
  const aLater = trueA >= trueB;
  const [later, earlier] = aLater ? [a, b] : [b, a];
  const byCorrected = aLater !== a.checkedOutAt >= b.checkedOutAt;
  return { decidedBy: byCorrected ? 'corrected_clocks' : 'station_clocks', later, earlier, apartMs };
}
