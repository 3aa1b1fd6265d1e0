import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectionOf, emptySketch, localDayAndHour, sketchAdd, sketchEstimate, sketchMerge } from './statistics';

describe('collectionOf', () => {
  it('counts Dewey by hundred, LC by class letters, anything else by its prefix', () => {
    expect(
      [
        '823.914 ROW',
        '599 ATT',
        '004.67',
        'PS3563 .O8749',
        'QA 76.73',
        'FIC SMITH',
        'j 591 att',
        'DVD 12',
        'REF',
        '  ',
        null,
      ].map(collectionOf),
    ).toEqual(['800', '500', '000', 'PS', 'QA', 'FIC', 'J', 'DVD', 'REF', '', '']);
  });
});

describe('localDayAndHour', () => {
  it('answers in the zone, across a DST change and in a zone a quarter hour off', () => {
    // 2025-03-09 in New York: 01:59 EST, then 03:00 EDT.
    expect(localDayAndHour(Date.UTC(2025, 2, 9, 6, 59), 'America/New_York')).toEqual({ day: '2025-03-09', hour: 1 });
    expect(localDayAndHour(Date.UTC(2025, 2, 9, 7, 0), 'America/New_York')).toEqual({ day: '2025-03-09', hour: 3 });
    // 23:30 UTC is 05:15 the next day in Kathmandu (+05:45); 18:14 UTC is 23:59, 18:15 is midnight.
    expect(localDayAndHour(Date.UTC(2025, 0, 1, 23, 30), 'Asia/Kathmandu')).toEqual({ day: '2025-01-02', hour: 5 });
    expect(localDayAndHour(Date.UTC(2025, 0, 1, 18, 14, 59), 'Asia/Kathmandu')).toEqual({
      day: '2025-01-01',
      hour: 23,
    });
    expect(localDayAndHour(Date.UTC(2025, 0, 1, 18, 15), 'Asia/Kathmandu')).toEqual({ day: '2025-01-02', hour: 0 });
  });
});

describe('active-patron sketches', () => {
  const hash = (s: string) => createHash('sha256').update(s).digest();
  it('estimates distinct patrons, counts a patron once however often, and merges as a union', () => {
    const a = emptySketch();
    const b = emptySketch();
    for (let i = 0; i < 1000; i++) sketchAdd(a, hash(`p${i}`));
    for (let i = 0; i < 1000; i++) sketchAdd(a, hash(`p${i}`));
    for (let i = 500; i < 2500; i++) sketchAdd(b, hash(`p${i}`));
    expect(Math.abs(sketchEstimate(a) - 1000)).toBeLessThan(30);
    sketchMerge(a, b);
    expect(Math.abs(sketchEstimate(a) - 2500)).toBeLessThan(75);
    expect(sketchEstimate(emptySketch())).toBe(0);
  });
});
