// MARC 21 bibliographic fields to Circa's record. Small on purpose, and kept apart from the SRU
// client so the MARC import can share (or replace) it: title 245, author 100/110/111 (else the
// first 700/710), ISBN 020, ISSN 022, publisher and year 260/264 (year else 008/07-10), call
// number from the local 092/090, else Dewey 082, else LC 050.
import { isSingleLineText } from '../../domain/text';
import type { RecordInput } from '../catalogue';
import type { MarcDataField, MarcRecord } from './marcxml';

/** The field limits of catalogue.addRecord (src/api/schemas.ts RecordInputSchema). */
const LIMITS = { title: 500, author: 300, isbn: 20, issn: 12, publisher: 300, callNumber: 100 } as const;

const fields = (r: MarcRecord, tag: string) => r.dataFields.filter((f) => f.tag === tag);
const first = (r: MarcRecord, ...tags: string[]) => tags.map((t) => fields(r, t)[0]).find((f) => f !== undefined);
const sub = (f: MarcDataField | undefined, ...codes: string[]) =>
  f ? f.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value) : [];

/** One line of text: control and direction characters become spaces, runs of space one. */
function oneLine(text: string): string {
  const cleaned = [...text].map((ch) => (isSingleLineText(ch) ? ch : ' ')).join('');
  return cleaned.replace(/\s+/g, ' ').trim();
}

/** ISBD punctuation that ends a MARC subfield (" /", " :", ";", ",", a final "."), dropped for display. */
function trimIsbd(text: string): string {
  return text
    .replace(/[\s/:;,=]+$/, '')
    .replace(/(?<![A-Z]|\.\.)\.$/, '')
    .trim();
}

function fit(text: string | null, max: number): string | null {
  if (text === null) return null;
  const line = oneLine(text);
  if (!line) return null;
  return line.length <= max ? line : line.slice(0, max).trimEnd();
}

/** An ISBN as catalogued ("0-8391-0882-6 (pbk.)"): its digits and X, or null if it is not 10 or 13 long. */
export function cleanIsbn(raw: string): string | null {
  const m = raw.replace(/[-\s]/g, '').match(/^(\d{13}|\d{9}[\dXx])/);
  return m?.[1] ? m[1].toUpperCase() : null;
}

function isbnOf(r: MarcRecord): string | null {
  for (const f of fields(r, '020')) {
    for (const v of sub(f, 'a')) {
      const isbn = cleanIsbn(v);
      if (isbn) return isbn;
    }
  }
  return null;
}

function yearOf(r: MarcRecord): number | null {
  for (const f of [...fields(r, '264'), ...fields(r, '260')]) {
    for (const v of sub(f, 'c')) {
      const m = v.match(/\b(1[5-9]\d\d|20\d\d)\b/);
      if (m) return Number(m[1]);
    }
  }
  const f008 = r.controlFields.find((c) => c.tag === '008')?.value ?? '';
  const date1 = f008.slice(7, 11);
  return /^\d{4}$/.test(date1) && date1 !== '0000' ? Number(date1) : null;
}

function callNumberOf(r: MarcRecord): string | null {
  const local = first(r, '092', '090');
  if (local) return sub(local, 'a', 'b').join(' ');
  const dewey = first(r, '082');
  // 082 marks the segmentation points with "/": "616.07/572" is classed 616.07572.
  if (dewey) return sub(dewey, 'a')[0]?.replace(/\//g, '').replace(/\s+s$/, '') ?? null;
  const lc = first(r, '050');
  if (lc) return sub(lc, 'a', 'b').join(' ');
  return null;
}

/** The record Circa keeps for a MARC record; null title when 245 has none (the caller refuses it). */
export function marcToRecord(r: MarcRecord): RecordInput & { controlNumber: string | null } {
  const title245 = first(r, '245');
  // "Title : subtitle. Part number. Part name", as a catalogue displays it.
  const main = sub(title245, 'a', 'b').map(trimIsbd).filter(Boolean).join(' : ');
  const title = [main, ...sub(title245, 'n', 'p').map(trimIsbd)].filter(Boolean).join('. ');
  const author = first(r, '100', '110', '111', '700', '710');
  const publication = first(r, '264', '260');
  return {
    title: fit(title, LIMITS.title) ?? '',
    author: fit(trimIsbd(sub(author, 'a', 'b', 'c', 'd').map(trimIsbd).join(' ')), LIMITS.author),
    isbn: isbnOf(r),
    issn: fit(sub(first(r, '022'), 'a')[0] ?? null, LIMITS.issn),
    publisher: fit(trimIsbd(sub(publication, 'b')[0] ?? ''), LIMITS.publisher),
    year: yearOf(r),
    callNumber: fit(callNumberOf(r), LIMITS.callNumber),
    controlNumber: fit(r.controlFields.find((c) => c.tag === '001')?.value ?? null, 100),
  };
}
