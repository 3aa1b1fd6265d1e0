import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { advanceV7Clock, formatV7, newId, type V7Clock } from './ids';

describe('station ids', () => {
  it('are valid UUIDv7, all different, and in creation order even many to a millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carry the time they were made in their first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    // The counter may have carried the timestamp a millisecond or so ahead, never behind.
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(after + 2);
  });

  it('keep their order when the counter runs over within a millisecond: the next id borrows the next millisecond', () => {
    const random = new Uint8Array(16).fill(0xff);
    const clock: V7Clock = { msecs: 1_800_000_000_000, seq: 0x7fff_fffe };
    const ids = [formatV7(clock.msecs, clock.seq, random)];
    for (let i = 0; i < 3; i++) {
      advanceV7Clock(clock, 1_800_000_000_000, random);
      ids.push(formatV7(clock.msecs, clock.seq, random));
    }
    expect(clock.msecs).toBe(1_800_000_000_001);
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });
});
