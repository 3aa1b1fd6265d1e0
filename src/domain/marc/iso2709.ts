// One ISO 2709 record, checked and decoded. The structure is checked here before anything is
// believed (marcjs's parser trusts the leader and the directory, and reads a broken record as
// garbage rather than refusing it): the leader's length is the record's, the directory's
// entries are numbers that point inside the record, every field ends where its entry says.
// A record that passes is decoded by marcjs (UTF-8, leader/09 = a) or by the MARC-8 table
// (leader/09 blank), and comes back with its leader saying UTF-8.
import { isUtf8 } from 'node:buffer';
import { Iso2709Parser } from 'marcjs';
import { decodeMarc8, Marc8Error } from './marc8';
import type { MarcField, MarcRecord } from './record';

export const RECORD_TERMINATOR = 0x1d;
export const FIELD_TERMINATOR = 0x1e;
export const SUBFIELD_DELIMITER = 0x1f;

export type Decoded = { ok: true; record: MarcRecord } | { ok: false; reason: string; controlNumber: string | null };

const ascii = (raw: Uint8Array, from: number, to: number) => Buffer.from(raw.buffer, raw.byteOffset + from, Math.max(0, Math.min(to, raw.length) - from)).toString('latin1');
const digits = (s: string) => /^\d+$/.test(s);

interface Entry {
  tag: string;
  length: number;
  start: number;
}

/** `raw` is one record as framed by its terminator (the terminator included). */
export function decodeIso2709(raw: Uint8Array): Decoded {
  const fail = (reason: string): Decoded => ({ ok: false, reason, controlNumber: guessControlNumber(raw) });
  if (raw.length < 26) return fail(`is ${raw.length} bytes long, too short for a leader and a directory`);
  const leader = ascii(raw, 0, 24);
  const lengthText = leader.slice(0, 5);
  const baseText = leader.slice(12, 17);
  if (!digits(lengthText) || !digits(baseText)) return fail(`has a bad leader ("${leader.replace(/[^\x20-\x7e]/g, '?')}"): its record length and base address must be numbers`);
  if (leader.slice(10, 12) !== '22') return fail('has a bad leader: positions 10 and 11 must be "22"');
  const declared = Number(lengthText);
  if (declared !== raw.length) return fail(`says in its leader that it is ${declared} bytes long, but it is ${raw.length} bytes up to its record terminator`);
  const base = Number(baseText);
  if (base < 25 || base > raw.length - 1 || raw[base - 1] !== FIELD_TERMINATOR || (base - 25) % 12 !== 0) {
    return fail(`has a bad directory: the base address ${base} does not follow a directory ending in a field terminator`);
  }
  const entries: Entry[] = [];
  for (let at = 24; at < base - 1; at += 12) {
    const tag = ascii(raw, at, at + 3);
    const length = ascii(raw, at + 3, at + 7);
    const start = ascii(raw, at + 7, at + 12);
    if (!/^[0-9A-Za-z]{3}$/.test(tag) || !digits(length) || !digits(start)) return fail(`has a bad directory entry at byte ${at} ("${ascii(raw, at, at + 12).replace(/[^\x20-\x7e]/g, '?')}")`);
    const e = { tag, length: Number(length), start: Number(start) };
    const end = base + e.start + e.length;
    if (e.length < 1 || end > raw.length - 1 || raw[end - 1] !== FIELD_TERMINATOR) return fail(`has a bad directory: field ${tag} does not end where its entry says`);
    entries.push(e);
  }
  if (entries.length === 0) return fail('has no fields');
  const encoding = leader[9];
  if (encoding === 'a') {
    // Checked without decoding it to a string only to throw that away.
    if (!isUtf8(raw)) return fail('says it is UTF-8 (leader/09 = "a") but is not: check the file\'s character encoding');
    const parsed = Iso2709Parser.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length - 1));
    return { ok: true, record: { leader: parsed.leader, fields: parsed.fields.map(cleanField) } };
  }
  if (encoding !== ' ') return fail(`has an unknown character coding in leader/09 ("${encoding}")`);
  try {
    const fields = entries.map((e) => splitField(e.tag, decodeMarc8(raw.subarray(base + e.start, base + e.start + e.length - 1))));
    return { ok: true, record: { leader: `${leader.slice(0, 9)}a${leader.slice(10)}`, fields } };
  } catch (error) {
    if (error instanceof Marc8Error) return fail(error.message);
    throw error;
  }
}

function splitField(tag: string, value: string): MarcField {
  if (/^00\d$/.test(tag)) return [tag, value];
  const parts = value.split('\x1f');
  const field: MarcField = [tag, (parts[0] ?? '').padEnd(2, ' ').slice(0, 2)];
  for (const part of parts.slice(1)) if (part.length > 0) field.push(part[0] as string, part.slice(1));
  return field;
}

/** marcjs leaves a data field without subfields as [tag, value]; Circa keeps indicators apart. */
function cleanField(field: string[]): MarcField {
  const tag = field[0] as string;
  if (/^00\d$/.test(tag)) return [tag, field[1] ?? ''];
  if (field.length < 2) return [tag, '  '];
  return field.map((v) => v ?? '');
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
        // eslint-disable-next-line no-control-regex -- MARC's own terminators end the value
        const v = text.slice(base + start, base + start + len).replace(/[\x1d\x1e\x1f].*$/s, '').trim();
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
