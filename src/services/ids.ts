// Ids for everything the station creates: UUIDv7, so they sort by creation time.
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * A UUIDv7, ordered as the uuid package orders its own (a random 31-bit counter per millisecond,
 * counting up within it) but with random bytes from the pool below. The package keeps that
 * ordering only when it draws the bytes itself, so the counter is kept here.
 */
const v7State = { msecs: -Infinity, seq: 0 };
export function newId(): string {
  const random = pooledRandom();
  const now = Date.now();
  if (now > v7State.msecs) {
    v7State.msecs = now;
    v7State.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    v7State.seq = (v7State.seq + 1) | 0;
    if (v7State.seq === 0) v7State.msecs++;
  }
  return uuidv7({ random, msecs: v7State.msecs, seq: v7State.seq });
}

/**
 * Random bytes for ids, drawn from a pool refilled 4 KiB at a time: one kernel call per 256 ids
 * instead of one Web Crypto call per id (several per check-out, each costing more than the id).
 * Still the operating system's CSPRNG.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function pooledRandom(): Uint8Array {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}
