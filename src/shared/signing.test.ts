// The signed bytes must stay byte-for-byte what the hub checks: canonicalJson and the signed text
// are compared here with the functions as they were first written (before the loops and the
// JSON.stringify fast path of signing.ts), on random values.
import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, newKeyPair, signEntry, verifyEntry, type SignedPart } from './signing';

/** canonicalJson as first written (src/services/signing.ts before 536dcf8). */
function originalCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : originalCanonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${originalCanonicalJson(v)}`).join(',')}}`;
}

/** The signed bytes as first written: the canonical JSON of the entry without its seq and signature. */
function originalSignedBytes(e: SignedPart): Buffer {
  const { id, stationId, hlc, wallTime, staffId, branchId, command, payload } = e;
  return Buffer.from(
    originalCanonicalJson({ id, stationId, hlc, wallTime, staffId, branchId, command, payload }),
    'utf8',
  );
}

const key = fc.oneof(
  fc.constantFrom('id', 'a', 'b', 'z', 'A', '0', '1', '10', '2', '__proto__', 'toJSON', 'é', '\u{1F600}', ''),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const primitive = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
/** Flat objects, their keys inserted sorted or not: the fast path's case and its near misses. */
const flat = fc.tuple(fc.dictionary(key, primitive, { maxKeys: 12 }), fc.boolean()).map(([d, sorted]) => {
  const keys = Object.keys(d);
  if (sorted) keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys)
    Object.defineProperty(out, k, { value: d[k], enumerable: true, writable: true, configurable: true });
  return out;
});
const odd = fc.oneof(
  fc.constant(new Date(0)),
  fc.constant(Object.assign(Object.create(null) as object, { b: 1, a: 'x' })),
  fc.constant(Object.assign(Object.create(null) as object, { a: 1, b: 'x' })),
  fc.constant({ a: 1, toJSON: () => 'no' }),
  fc.constant({ a: () => 1, b: Symbol('s') }),
  fc.constant(new Map([['a', 1]])),
  fc.constant(Buffer.from('abc')),
  fc.constant(new Uint8Array([1, 2, 3])),
  fc.constant(Object.assign(new (class Row {})(), { a: 1 })),
  fc.constant([undefined, () => 1, null]),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    primitive,
    flat,
    odd,
    fc.array(tie('tree'), { maxLength: 5 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 6 }),
  ),
}));

describe('canonicalJson', () => {
  it('is byte-identical to the original on random values', () => {
    fc.assert(
      fc.property(fc.oneof(tree, flat, fc.anything({ withNullPrototype: true, withObjectString: true })), (v) => {
        expect(canonicalJson(v)).toBe(originalCanonicalJson(v));
      }),
      { numRuns: 20_000 },
    );
  });

  it('is byte-identical on payloads shaped like a journal entry of rows', () => {
    const row = fc.dictionary(fc.constantFrom('id', 'title', 'marc', 'isbn', 'year', 'damaged', 'recordId'), primitive);
    fc.assert(
      fc.property(
        fc.array(fc.record({ table: fc.string(), op: fc.constant('upsert'), row }), { maxLength: 8 }),
        (effects) => {
          const sorted = effects.map((e) => ({
            op: e.op,
            row: Object.fromEntries(Object.entries(e.row).sort(([a], [b]) => (a < b ? -1 : 1))),
            table: e.table,
          }));
          for (const payload of [
            { input: { n: 1 }, effects },
            { effects: sorted, input: null },
          ])
            expect(canonicalJson(payload)).toBe(originalCanonicalJson(payload));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('sorts what is out of order and nests', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"f":2}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: new Date(0) })).toBe('{"a":1,"b":{}}');
  });

  it('is byte-identical past the depth the fast path walks', () => {
    for (const depth of [30, 33, 34, 40]) {
      let sorted: unknown = { a: 1 };
      let unsorted: unknown = { b: 1, a: 2 };
      for (let i = 0; i < depth; i++) {
        sorted = { a: [sorted], b: 'x' };
        unsorted = { a: [unsorted], b: 'x' };
      }
      expect(canonicalJson(sorted)).toBe(originalCanonicalJson(sorted));
      expect(canonicalJson(unsorted)).toBe(originalCanonicalJson(unsorted));
    }
  });
});

describe('signEntry', () => {
  const { publicKey, privateKey } = newKeyPair();
  const spki = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
  const entry = fc.record({
    id: text,
    stationId: text,
    hlc: text,
    wallTime: fc.oneof(fc.integer(), text),
    staffId: fc.option(text),
    branchId: fc.option(text),
    command: text,
    payload: fc.oneof(tree, fc.constant(undefined)),
  }) as fc.Arbitrary<SignedPart>;

  it('signs the original canonical bytes, with the payload text given or not', () => {
    fc.assert(
      fc.property(entry, fc.boolean(), (e, givePayload) => {
        const signature = signEntry(
          e,
          privateKey,
          givePayload && e.payload !== undefined ? canonicalJson(e.payload) : undefined,
        );
        expect(verify(null, originalSignedBytes(e), spki, Buffer.from(signature, 'base64'))).toBe(true);
        expect(verifyEntry(e, signature, publicKey)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a changed entry does not verify', () => {
    const e: SignedPart = {
      id: 'e1',
      stationId: 's',
      hlc: 'h',
      wallTime: 1,
      staffId: null,
      branchId: 'b',
      command: 'x',
      payload: { input: null, effects: [] },
    } as unknown as SignedPart;
    const signature = signEntry(e, privateKey);
    expect(verifyEntry({ ...e, command: 'y' } as SignedPart, signature, publicKey)).toBe(false);
  });
});
