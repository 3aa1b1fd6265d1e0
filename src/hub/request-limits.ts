// What the hub accepts from a station, by size, shape and clock, before any of it is believed.
// A station holding a valid credential may still be broken, stolen or forged: the hub refuses
// what no real station sends with a 4xx that changes nothing, rather than failing on it (a 500),
// storing it, or letting one station's nonsense decide for the others (a clock of -9e15 ordering
// loans).
import { isPlausibleWallTime } from '../domain/plausible-clock';

/**
 * Bodies, bytes. A push carries at most 500 entries and at most PUSH_TARGET_BYTES of them from a
 * station (src/sync/worker.ts); its largest entries are loan-history purges, 500 loans at
 * ~150 KB. 16 MB leaves room for a batch of 1000 ordinary entries (a check-out is ~2 KB) and for
 * an older station that batches by count only, without letting one request hold a hub's memory.
 * Everything else a station sends (an enrolment, a resolution) is a few hundred bytes.
 */
export const PUSH_BODY_LIMIT = 16 * 1024 * 1024;
export const SMALL_BODY_LIMIT = 64 * 1024;

/**
 * One entry, serialized: a loan-history purge of 500 loans is the largest a station writes
 * (~150 KB); three times that is a mistake or an attack. An entry over it is rejected on its own
 * (the outcome says why), not the batch: refusing the batch would stall that station's queue
 * behind an entry it cannot change.
 */
export const MAX_ENTRY_BYTES = 512 * 1024;

/** JSON nesting, levels: a push is about ten deep; a deeper body is refused before it is parsed. */
export const MAX_JSON_DEPTH = 64;

/**
 * Is the JSON text nested deeper than `max`? One pass over the characters, no recursion and no
 * parse, so a 5,000-deep body costs what its length costs. Brackets inside strings do not count.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** The size of an entry as it travelled, bytes; null when it is over the limit. */
export function entryTooLarge(entry: unknown): number | null {
  const bytes = Buffer.byteLength(JSON.stringify(entry) ?? '');
  return bytes > MAX_ENTRY_BYTES ? bytes : null;
}

/**
 * Why a push's station clock is not believed, or null. Not a clock (before 2000, from 2200 on:
 * src/domain/plausible-clock.ts): the hub refuses the push with 400 CLOCK_IMPLAUSIBLE and records
 * nothing, giving the offset it measured, so the station warns its staff as it does past two
 * minutes. A clock that is merely wrong, even by years (a PC whose battery died comes back at its
 * firmware's date), is believed: its pushes go on, its staff are warned, and the offset recorded
 * is what puts its loans in the right order against other stations'. Refusing it would stop that
 * desk's sync and gain nothing: a station with a credential writes its loans' times itself.
 */
export function stationClockProblem(
  stationWallTime: number,
  hubNow: number,
): { message: string; clockOffsetMs?: number } | null {
  if (isPlausibleWallTime(stationWallTime)) return null;
  const offset = Math.round(stationWallTime - hubNow);
  const years = Math.abs(Math.round(offset / (365.25 * 86_400_000)));
  return {
    message: `This station's clock is about ${years} years ${offset < 0 ? 'behind' : 'ahead of'} the hub's, outside the years 2000 to 2200: set the station's date and time, and it syncs again. Nothing was applied.`,
    ...(Number.isSafeInteger(offset) ? { clockOffsetMs: offset } : {}),
  };
}

/**
 * A cursor or a count from a query string: digits only, a safe integer within [min, max]; absent,
 * the default; null for anything else (after=abc, after=1e400, after=-1, a repeated parameter),
 * which the hub answers with a 400, never with a query the database fails on.
 */
export function integerParam(value: unknown, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number | null {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}
