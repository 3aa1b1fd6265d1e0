// The vocabulary of library statistics (docs/statistics.md): what is counted, by what it may be
// grouped, and the two small algorithms the counting needs. Pure: no I/O, time passed in.
//
// Statistics never keep reading history. They are counts of what the desk did (a check-out of a
// BOOK from the 800s by an ADULT at 14:00 on 2026-03-02), never who did it. The one figure that
// needs to tell patrons apart, active patrons, is counted with a HyperLogLog sketch of keyed
// hashes: it can say about how many different patrons borrowed, not which.

/** What is counted. `finesCollected` is a sum of minor units (cents), the others are counts. */
export const MEASURES = [
  'checkouts',
  'renewals',
  'checkins',
  'inHouseUses',
  'holdsFilled',
  'newPatrons',
  'illBorrowed',
  'illLent',
  'finesCollected',
] as const;
export type Measure = (typeof MEASURES)[number];

/** What a report may be grouped by. Day, month and year are the branch's calendar; hour its clock. */
export const GROUPINGS = [
  'day',
  'month',
  'year',
  'hour',
  'branch',
  'itemType',
  'collection',
  'patronCategory',
] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** Groupings that are periods of time: active patrons can be told for each such group. */
export const TIME_GROUPINGS: ReadonlySet<Grouping> = new Set(['day', 'month', 'year']);

/** A dimension value that is not known (a copy deleted since, an entry redacted before it was counted). */
export const UNKNOWN = '';

/**
 * The collection a copy belongs to, for statistics. Circa's copies have no collection or
 * shelving-location field, so the call number stands for it, as libraries' classed statistics
 * do: a Dewey number counts in its hundred ("823.914 ROW" -> "800"), a Library of Congress
 * number in its class letters ("PS3563 .O8749" -> "PS"), and anything else by its first word,
 * which libraries use as the collection prefix ("FIC SMITH" -> "FIC", "J 591 ATT" -> "J",
 * "DVD 12" -> "DVD"). No call number: UNKNOWN.
 */
export function collectionOf(callNumber: string | null | undefined): string {
  const text = (callNumber ?? '').trim().toUpperCase();
  if (!text) return UNKNOWN;
  const dewey = /^(\d)\d\d(\.|\s|$)/.exec(text);
  if (dewey) return `${dewey[1]}00`;
  const lc = /^([A-Z]{1,3})\s?\d/.exec(text);
  if (lc) return lc[1]!;
  return text.split(/\s+/)[0]!.slice(0, 20);
}

const formats = new Map<string, Intl.DateTimeFormat>();
const quarterHours = new Map<string, Map<number, { day: string; hour: number }>>();
const QUARTER_HOUR = 900_000;

/**
 * The calendar day (YYYY-MM-DD) and the hour (0-23) of an instant in a time zone. Every zone's
 * offset is a whole number of quarter hours, so the answer is the same within one: it is worked
 * out once per quarter hour (Intl is slow, and a year of journal asks 150,000 times).
 */
export function localDayAndHour(at: number, timeZone: string): { day: string; hour: number } {
  let cache = quarterHours.get(timeZone);
  if (!cache) {
    cache = new Map();
    quarterHours.set(timeZone, cache);
  }
  const slot = Math.floor(at / QUARTER_HOUR);
  let found = cache.get(slot);
  if (!found) {
    let f = formats.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      });
      formats.set(timeZone, f);
    }
    const parts = Object.fromEntries(f.formatToParts(slot * QUARTER_HOUR).map((p) => [p.type, p.value]));
    found = { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
    if (cache.size > 100_000) cache.clear();
    cache.set(slot, found);
  }
  return found;
}

// --- HyperLogLog ---------------------------------------------------------------------------------
//
// One sketch per branch and day; the sketches of a period merge (register-wise maximum) into the
// sketch of the period, so active patrons can be told for any span of days without keeping who.
// 2^12 registers (4 KiB a day): up to a few thousand patrons a day the estimate is linear
// counting, within about 1 %; beyond, HyperLogLog's 1.6 %.

export const HLL_BITS = 12;
export const HLL_REGISTERS = 1 << HLL_BITS;

export function emptySketch(): Uint8Array {
  return new Uint8Array(HLL_REGISTERS);
}

/**
 * Adds a patron to a sketch, given a keyed hash of the patron (at least 8 bytes; the service
 * uses HMAC-SHA256 with the station's own key, so a sketch read without that key cannot be
 * tested for a given patron). Only a register index and a run length are kept, never the hash.
 */
export function sketchAdd(sketch: Uint8Array, hash: Uint8Array): void {
  const word = ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
  const index = word >>> (32 - HLL_BITS);
  // The rank: the 1-based position of the first 1 bit in the following 32 bits.
  const rest = ((hash[4]! << 24) | (hash[5]! << 16) | (hash[6]! << 8) | hash[7]!) >>> 0;
  const rank = rest === 0 ? 33 : Math.clz32(rest) + 1;
  if (rank > sketch[index]!) sketch[index] = rank;
}

/** Register-wise maximum: the sketch of the union. */
export function sketchMerge(into: Uint8Array, other: Uint8Array): void {
  for (let i = 0; i < HLL_REGISTERS; i++) if (other[i]! > into[i]!) into[i] = other[i]!;
}

/** About how many different patrons a sketch has seen (rounded). */
export function sketchEstimate(sketch: Uint8Array): number {
  const m = HLL_REGISTERS;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    sum += 2 ** -sketch[i]!;
    if (sketch[i] === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  // Small ranges: linear counting is the better estimate (Flajolet et al.).
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
