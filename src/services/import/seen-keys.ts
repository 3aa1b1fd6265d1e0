// What an import into an empty catalogue has written so far, as a Bloom filter: "certainly not
// written" or "perhaps written". When the catalogue was empty at the start and nothing but this
// import has written to it since, a key (a control number, an ISBN, a copy barcode, a record id)
// that this run never wrote cannot be in the store, so the importer need not look it up; one
// that perhaps was is looked up as before. A false "perhaps" costs one look-up, never a wrong
// match, and the filter's size is fixed (2 MB) however long the file: a whole run's keys in a
// Map would be tens of megabytes for a 500,000-record catalogue.

const BITS = 1 << 24; // 16 Mi bits, 2 MB: under 5% false "perhaps" at 1.2 million keys (k = 3)
const MASK = BITS - 1;
const HASHES = 3;

export type KeyKind = 'control' | 'isbn' | 'barcode' | 'id';
const SEED: Record<KeyKind, number> = { control: 0x9e3779b1, isbn: 0x85ebca6b, barcode: 0xc2b2ae35, id: 0x27d4eb2f };

export class SeenKeys {
  private readonly bits = new Uint32Array(BITS / 32);

  add(kind: KeyKind, key: string): void {
    const [h1, h2] = hashes(SEED[kind], key);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & MASK;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** False: this key was never added. True: it perhaps was. */
  mayHave(kind: KeyKind, key: string): boolean {
    const [h1, h2] = hashes(SEED[kind], key);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & MASK;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two 32-bit FNV-1a style hashes of the key's UTF-16 code units (double hashing, Kirsch–Mitzenmacher). */
function hashes(seed: number, key: string): [number, number] {
  let a = 0x811c9dc5 ^ seed;
  let b = seed;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  // An odd step, so the three probes never coincide.
  return [a >>> 0, (b | 1) >>> 0];
}
