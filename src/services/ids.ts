// Ids for everything the station creates: UUIDv7 (RFC 9562), so they sort by creation time.
// Two are made in every check-out (the loan's and the journal entry's), so this writes the
// 16 bytes and their text directly rather than through the uuid package's option handling,
// which cost several microseconds an id on the desk's hottest path.
import { randomFillSync } from 'node:crypto';

/**
 * The layout: 48 bits of Unix milliseconds; the version (7); then a 31-bit counter that starts
 * at a random value each millisecond and counts up within it (RFC 9562's "monotonic random",
 * method 2), spread over rand_a and the head of rand_b around the variant bits; then random
 * bits. So ids made in one millisecond still sort in the order they were made, and a counter
 * that runs over moves the timestamp on by a millisecond rather than break that order.
 */
export interface V7Clock {
  msecs: number;
  seq: number;
}

/** Moves the clock to the next id: a fresh random counter in a new millisecond, else one more. */
export function advanceV7Clock(clock: V7Clock, now: number, random: Uint8Array): void {
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) & 0x7fff_ffff;
    // The counter ran over: borrow the next millisecond, so the order holds.
    if (clock.seq === 0) clock.msecs++;
  }
}

const bytes = new Uint8Array(16);
/** The id's 36 characters are written here and read out as one string (no string per byte). */
const text = Buffer.alloc(36);
const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
const DASH_AFTER_BYTE = new Set([3, 5, 7, 9]);

/** The id's text for a clock reading and 16 random bytes (of which the last 5 and 3 bits are used). */
export function formatV7(msecs: number, seq: number, random: Uint8Array): string {
  const high = Math.floor(msecs / 0x1_0000_0000);
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (msecs >>> 24) & 0xff;
  bytes[3] = (msecs >>> 16) & 0xff;
  bytes[4] = (msecs >>> 8) & 0xff;
  bytes[5] = msecs & 0xff;
  bytes[6] = 0x70 | ((seq >>> 27) & 0x0f);
  bytes[7] = (seq >>> 19) & 0xff;
  bytes[8] = 0x80 | ((seq >>> 13) & 0x3f);
  bytes[9] = (seq >>> 5) & 0xff;
  bytes[10] = ((seq << 3) & 0xf8) | (random[10]! & 0x07);
  for (let i = 11; i < 16; i++) bytes[i] = random[i]!;
  let at = 0;
  for (let i = 0; i < 16; i++) {
    const b = bytes[i]!;
    text[at++] = HEX_CODES[b >>> 4]!;
    text[at++] = HEX_CODES[b & 0x0f]!;
    if (DASH_AFTER_BYTE.has(i)) text[at++] = 0x2d;
  }
  return text.toString('latin1');
}

const clock: V7Clock = { msecs: -Infinity, seq: 0 };

export function newId(): string {
  const random = pooledRandom();
  advanceV7Clock(clock, Date.now(), random);
  return formatV7(clock.msecs, clock.seq, random);
}

/**
 * Random bytes for ids, drawn from a pool refilled 4 KiB at a time: one kernel call per 256 ids
 * instead of one per id. Still the operating system's CSPRNG.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function pooledRandom(): Uint8Array {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += 16;
  return pool.subarray(start, start + 16);
}
