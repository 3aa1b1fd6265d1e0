// One ISO 2709 record, checked and decoded. The structure is checked here before anything is
// believed (marcjs's parser trusts the leader and the directory, and reads a broken record as
// garbage rather than refusing it): the leader's length is the record's, the directory's
// entries are numbers that point inside the record, every field ends where its entry says.
// A record that passes is decoded by marcjs (UTF-8, leader/09 = a) or by the MARC-8 table
// (leader/09 blank), and comes back with its leader saying UTF-8.
import { isUtf8 } from 'node:buffer';
import { decodeMarc8, Marc8Error } from './marc8';
import type { MarcField, MarcRecord } from './record';

export const RECORD_TERMINATOR = 0x1d;
export const FIELD_TERMINATOR = 0x1e;
export const SUBFIELD_DELIMITER = 0x1f;

export type Decoded = { ok: true; record: MarcRecord } | { ok: false; reason: string; controlNumber: string | null };

const ascii = (raw: Uint8Array, from: number, to: number) =>
  Buffer.from(raw.buffer, raw.byteOffset + from, Math.max(0, Math.min(to, raw.length) - from)).toString('latin1');

/** A byte that is an ASCII digit. */
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
const isTagByte = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));

/** The number written in `raw[from, from + n)`, or -1 when a byte of it is not a digit. */
function numberAt(raw: Uint8Array, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const b = raw[i];
    if (!isDigit(b)) return -1;
    v = v * 10 + (b! - 0x30);
  }
  return v;
}

/**
 * One array for every record's directory, grown when a record has more fields: a typed array
 * a record was memory outside the heap for each, given back only at the next collection.
 */
let spanScratch = new Int32Array(2 * 256);
function spansFor(fields: number): Int32Array {
  if (spanScratch.length < 2 * fields) spanScratch = new Int32Array(2 * fields);
  return spanScratch;
}

/**
 * `raw` is one record as framed by its terminator (the terminator included).
 *
 * Checked and decoded in one pass over the bytes, without marcjs: an import reads every record
 * through here, and marcjs's parse (strings for every number of the directory, a Record object,
 * then Circa's own check in front of it) was most of the import's reading time
 * (docs/performance.md). The fields come out exactly as marcjs's `Iso2709Parser.parse` makes
 * them and cleanField then made them (src/domain/marc/iso2709.test.ts compares the two).
 */
export function decodeIso2709(raw: Uint8Array): Decoded {
  const fail = (reason: string): Decoded => ({ ok: false, reason, controlNumber: guessControlNumber(raw) });
  if (raw.length < 26) return fail(`is ${raw.length} bytes long, too short for a leader and a directory`);
  const declared = numberAt(raw, 0, 5);
  const base = numberAt(raw, 12, 5);
  if (declared < 0 || base < 0)
    return fail(
      `has a bad leader ("${ascii(raw, 0, 24).replace(/[^\x20-\x7e]/g, '?')}"): its record length and base address must be numbers`,
    );
  if (raw[10] !== 0x32 || raw[11] !== 0x32) return fail('has a bad leader: positions 10 and 11 must be "22"');
  if (declared !== raw.length)
    return fail(
      `says in its leader that it is ${declared} bytes long, but it is ${raw.length} bytes up to its record terminator`,
    );
  if (base < 25 || base > raw.length - 1 || raw[base - 1] !== FIELD_TERMINATOR || (base - 25) % 12 !== 0) {
    return fail(
      `has a bad directory: the base address ${base} does not follow a directory ending in a field terminator`,
    );
  }
  const count = (base - 25) / 12;
  if (count === 0) return fail('has no fields');
  // The directory's numbers, checked before any field is believed: [start, length] a field.
  const spans = spansFor(count);
  for (let n = 0, at = 24; n < count; n++, at += 12) {
    const length = numberAt(raw, at + 3, 4);
    const start = numberAt(raw, at + 7, 5);
    if (!isTagByte(raw[at]) || !isTagByte(raw[at + 1]) || !isTagByte(raw[at + 2]) || length < 0 || start < 0) {
      return fail(
        `has a bad directory entry at byte ${at} ("${ascii(raw, at, at + 12).replace(/[^\x20-\x7e]/g, '?')}")`,
      );
    }
    const end = base + start + length;
    if (length < 1 || end > raw.length - 1 || raw[end - 1] !== FIELD_TERMINATOR)
      return fail(`has a bad directory: field ${ascii(raw, at, at + 3)} does not end where its entry says`);
    spans[2 * n] = base + start;
    spans[2 * n + 1] = length;
  }
  const encoding = raw[9];
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  if (encoding === 0x61 /* a */) {
    // Checked without decoding it to a string only to throw that away.
    if (!isUtf8(raw))
      return fail('says it is UTF-8 (leader/09 = "a") but is not: check the file\'s character encoding');
    const fields: MarcField[] = new Array(count);
    for (let n = 0, at = 24; n < count; n++, at += 12) {
      const tag = buf.toString('latin1', at, at + 3);
      const from = spans[2 * n]!;
      fields[n] = utf8Field(tag, buf.toString('utf8', from, from + spans[2 * n + 1]! - 1));
    }
    return { ok: true, record: { leader: buf.toString('utf8', 0, 24), fields } };
  }
  const leader = ascii(raw, 0, 24);
  if (encoding !== 0x20) return fail(`has an unknown character coding in leader/09 ("${leader[9]}")`);
  try {
    const fields: MarcField[] = new Array(count);
    for (let n = 0, at = 24; n < count; n++, at += 12) {
      const from = spans[2 * n]!;
      fields[n] = splitField(
        buf.toString('latin1', at, at + 3),
        decodeMarc8(raw.subarray(from, from + spans[2 * n + 1]! - 1)),
      );
    }
    return { ok: true, record: { leader: `${leader.slice(0, 9)}a${leader.slice(10)}`, fields } };
  } catch (error) {
    if (error instanceof Marc8Error) return fail(error.message);
    throw error;
  }
}

/**
 * One UTF-8 field as marcjs reads it: a tag whose number is under 10 ("001", but also "00A")
 * holds its value whole; a data field is its two indicators, then code and value for each
 * subfield (what stands between the indicators and the first delimiter is dropped, as marcjs
 * drops it); a data field that starts with a delimiter gets blank indicators.
 */
function utf8Field(tag: string, value: string): MarcField {
  if (parseInt(tag, 10) < 10) return [tag, value];
  if (value.charCodeAt(0) === SUBFIELD_DELIMITER) return [tag, '  '];
  const field: MarcField = [tag, value.substring(0, 2)];
  let at = value.indexOf('\x1f', 2);
  while (at !== -1) {
    const next = value.indexOf('\x1f', at + 1);
    const end = next === -1 ? value.length : next;
    field.push(value.substring(at + 1, Math.min(at + 2, end)), end > at + 2 ? value.substring(at + 2, end) : '');
    at = next;
  }
  return field;
}

function splitField(tag: string, value: string): MarcField {
  if (/^00\d$/.test(tag)) return [tag, value];
  const parts = value.split('\x1f');
  const field: MarcField = [tag, (parts[0] ?? '').padEnd(2, ' ').slice(0, 2)];
  for (const part of parts.slice(1)) if (part.length > 0) field.push(part[0] as string, part.slice(1));
  return field;
}

/** The 001 of a broken record, when its bytes still show one, for the report. */
function guessControlNumber(raw: Uint8Array): string | null {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
  if (text.length < 24) return null;
  const dir = /^\d{5}.{7}(\d{5})/.exec(text);
  if (dir) {
    const base = Number(dir[1]);
    for (let at = 24; at + 12 <= Math.min(base, text.length); at += 12) {
      if (text.slice(at, at + 3) === '001') {
        const len = Number(text.slice(at + 3, at + 7));
        const start = Number(text.slice(at + 7, at + 12));
        const raw = text.slice(base + start, base + start + len);
        // eslint-disable-next-line no-control-regex -- MARC's own terminators end the value
        const v = raw.replace(/[\x1d\x1e\x1f].*$/s, '').trim();
        if (v && /^[\x20-\x7e]+$/.test(v)) return v;
      }
    }
  }
  return null;
}

/** Stops a value breaking the record it is written into (no terminators or delimiters inside). */
// eslint-disable-next-line no-control-regex -- MARC's structure characters are what must go
const withoutStructure = (v: string) => v.replace(/[\x1d\x1e\x1f]/g, ' ');

/** The record as ISO 2709 bytes, UTF-8, through marcjs. */
export function encodeIso2709(record: MarcRecord, format: (r: MarcRecord) => string): Buffer {
  const leader = normalLeader(record.leader);
  const fields = record.fields.map((f) => f.map((v, i) => (i === 0 ? v : withoutStructure(v))));
  return Buffer.from(format({ leader, fields }), 'utf8');
}

/** A 24-character leader saying UTF-8, with the record structure's fixed positions. */
export function normalLeader(leader: string): string {
  const l = (leader ?? '').padEnd(24, ' ').slice(0, 24);
  const status = /[acdnp]/.test(l[5] ?? '') ? l[5] : 'n';
  const type = /[a-z]/.test(l[6] ?? '') ? l[6] : 'a';
  const level = /[a-z]/.test(l[7] ?? '') ? l[7] : 'm';
  return `00000${status}${type}${level}${l[8] ?? ' '}a2200000${l.slice(17, 20)}4500`;
}
