import { describe, expect, it } from 'vitest';
import { formatHlc, hlcInit, hlcReceive, hlcSend, parseHlc } from './hlc';

describe('the hybrid logical clock', () => {
  it('never runs backwards when the wall clock does, and sorts as a string', () => {
    let c = hlcInit('station-a');
    const stamps: string[] = [];
    for (const now of [1000, 2000, 1500, 1500, 2500]) {
      c = hlcSend(c, now);
      stamps.push(formatHlc(c));
    }
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });
  it('moves past a remote clock that is ahead', () => {
    const remote = formatHlc({ millis: 10_000, counter: 3, node: 'hub' });
    const c = hlcReceive(hlcInit('station-a'), remote, 5_000);
    expect(c).toEqual({ millis: 10_000, counter: 4, node: 'station-a' });
    expect(formatHlc(hlcSend(c, 6_000)) > remote).toBe(true);
  });
  it('round-trips and rejects garbage', () => {
    const s = { millis: Date.parse('2026-11-22T17:00:00Z'), counter: 42, node: 'n1' };
    expect(parseHlc(formatHlc(s))).toEqual(s);
    expect(() => parseHlc('yesterday')).toThrow(/hybrid clock/);
  });
  it('refuses to overflow its counter', () => {
    expect(() => hlcSend({ millis: 10, counter: 0xffff, node: 'x' }, 5)).toThrow(/overflow/);
  });
});
