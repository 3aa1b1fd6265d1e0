// The little of ASN.1 BER that a Z39.50 client needs: definite-length tag-length-value
// encoding of integers, booleans, strings, bit strings, object identifiers and sequences, and a
// decoder into a tree. No maintained JavaScript Z39.50 client exists, so this is written here,
// kept to what z3950.ts sends and reads.

export const UNIVERSAL = 0x00;
export const APPLICATION = 0x40;
export const CONTEXT = 0x80;
const CONSTRUCTED = 0x20;

export class BerError extends Error {}

function tagBytes(cls: number, constructed: boolean, tag: number): number[] {
  const first = cls | (constructed ? CONSTRUCTED : 0);
  if (tag < 31) return [first | tag];
  // High tag numbers: base 128, most significant first, the high bit set on all but the last.
  const parts: number[] = [];
  for (let n = tag; n > 0; n = Math.floor(n / 128)) parts.unshift(n % 128);
  return [first | 0x1f, ...parts.map((p, i) => (i < parts.length - 1 ? p | 0x80 : p))];
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(cls: number, constructed: boolean, tag: number, content: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(tagBytes(cls, constructed, tag)),
    Buffer.from(lengthBytes(content.length)),
    content,
  ]);
}

/** A constructed value (a SEQUENCE, or a tagged one around others). */
export const seq = (cls: number, tag: number, ...parts: Buffer[]) => tlv(cls, true, tag, Buffer.concat(parts));
export const sequence = (...parts: Buffer[]) => seq(UNIVERSAL, 16, ...parts);

export function intContent(n: number): Buffer {
  // Two's complement, as few bytes as hold it.
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v !== 0 && v !== -1);
  if (n >= 0 && (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  if (n < 0 && (bytes[0]! & 0x80) === 0) bytes.unshift(0xff);
  return Buffer.from(bytes);
}

export const integer = (cls: number, tag: number, n: number) => tlv(cls, false, tag, intContent(n));
export const boolean = (cls: number, tag: number, b: boolean) => tlv(cls, false, tag, Buffer.from([b ? 0xff : 0]));
export const octets = (cls: number, tag: number, s: string | Buffer) =>
  tlv(cls, false, tag, typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

/** A BIT STRING of these bits, bit 0 first. */
export function bits(cls: number, tag: number, set: boolean[]): Buffer {
  const bytes = Buffer.alloc(Math.ceil(set.length / 8));
  set.forEach((on, i) => {
    if (on) bytes[i >> 3]! |= 0x80 >> (i & 7);
  });
  return tlv(cls, false, tag, Buffer.concat([Buffer.from([bytes.length * 8 - set.length]), bytes]));
}

export function oidContent(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const parts: number[] = [];
    for (let n = arc; ; n = Math.floor(n / 128)) {
      parts.unshift(n % 128);
      if (n < 128) break;
    }
    out.push(...parts.map((p, i) => (i < parts.length - 1 ? p | 0x80 : p)));
  }
  return Buffer.from(out);
}

export const oid = (cls: number, tag: number, dotted: string) => tlv(cls, false, tag, oidContent(dotted));

export function readOid(content: Buffer): string {
  const arcs: number[] = [];
  let n = 0;
  for (const [i, byte] of [...content].entries()) {
    n = n * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (i === 0 || arcs.length === 0)
      arcs.push(Math.min(2, Math.floor(n / 40)), n - 40 * Math.min(2, Math.floor(n / 40)));
    else arcs.push(n);
    n = 0;
  }
  return arcs.join('.');
}

export function readInt(content: Buffer): number {
  let n = content.length > 0 && content[0]! & 0x80 ? -1 : 0;
  for (const byte of content) n = n * 256 + byte;
  return n;
}

export interface Ber {
  cls: number;
  constructed: boolean;
  tag: number;
  content: Buffer;
  children: Ber[];
}

class Incomplete extends Error {}

/**
 * Reads one value at `at`: definite lengths, and indefinite ones (YAZ sends a record's EXTERNAL
 * so), whose content runs to an end-of-contents 00 00 after its last child.
 */
function readOne(buf: Buffer, at: number, depth: number): { node: Ber; end: number } {
  if (depth > 64) throw new BerError('values nested too deep');
  let i = at;
  if (i + 2 > buf.length) throw new Incomplete();
  const first = buf[i++]!;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (;;) {
      if (i >= buf.length) throw new Incomplete();
      const b = buf[i++]!;
      tag = tag * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
  }
  if (i >= buf.length) throw new Incomplete();
  const lengthByte = buf[i++]!;
  const constructed = (first & CONSTRUCTED) !== 0;
  const cls = first & 0xc0;
  if (lengthByte === 0x80) {
    if (!constructed) throw new BerError('an indefinite length on a primitive value');
    const children: Ber[] = [];
    const contentStart = i;
    for (;;) {
      if (i + 2 > buf.length) throw new Incomplete();
      if (buf[i] === 0 && buf[i + 1] === 0) break;
      const child = readOne(buf, i, depth + 1);
      children.push(child.node);
      i = child.end;
    }
    return { node: { cls, constructed, tag, content: buf.subarray(contentStart, i), children }, end: i + 2 };
  }
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4) throw new BerError('a length over 4 bytes');
    if (i + count > buf.length) throw new Incomplete();
    length = 0;
    for (let k = 0; k < count; k++) length = length * 256 + buf[i++]!;
  }
  if (i + length > buf.length) throw new Incomplete();
  const content = buf.subarray(i, i + length);
  const children: Ber[] = [];
  if (constructed) {
    for (let c = 0; c < content.length;) {
      let child;
      try {
        child = readOne(content, c, depth + 1);
      } catch (e) {
        if (e instanceof Incomplete) throw new BerError('a value is cut short');
        throw e;
      }
      children.push(child.node);
      c = child.end;
    }
  }
  return { node: { cls, constructed, tag, content, children }, end: i + length };
}

/** The length of the first complete value in `buf`, or null if it has not all arrived. */
export function completeLength(buf: Buffer): number | null {
  try {
    return readOne(buf, 0, 0).end;
  } catch (e) {
    if (e instanceof Incomplete) return null;
    throw e;
  }
}

/** Every value in `buf`, one after another. */
export function decode(buf: Buffer): Ber[] {
  const out: Ber[] = [];
  for (let at = 0; at < buf.length;) {
    let one;
    try {
      one = readOne(buf, at, 0);
    } catch (e) {
      if (e instanceof Incomplete) throw new BerError('a value is cut short');
      throw e;
    }
    out.push(one.node);
    at = one.end;
  }
  return out;
}

/** The first value at any depth under `node` that matches. */
export function find(node: Ber, match: (b: Ber) => boolean): Ber | undefined {
  for (const child of node.children) {
    if (match(child)) return child;
    const inner = find(child, match);
    if (inner) return inner;
  }
  return undefined;
}

export function findAll(node: Ber, match: (b: Ber) => boolean, out: Ber[] = []): Ber[] {
  for (const child of node.children) {
    if (match(child)) out.push(child);
    else findAll(child, match, out);
  }
  return out;
}
