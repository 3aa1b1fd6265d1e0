// SIP2 (3M Standard Interchange Protocol 2.00) messages as text: parsing a request into its
// fixed fields and tagged fields, and formatting a response. Pure: no sockets, no station.
//
// A message is a two-digit code, fixed fields in their exact widths, then tagged fields
// `XXvalue|` in any order, then optionally error detection `AY<digit>AZ<4 hex>` (the checksum is
// the two's complement of the low 16 bits of the byte sum of everything up to and including
// "AZ"). Unknown messages and fields are ignored; a short fixed part reads as blanks.
import { DateTime } from 'luxon';

/** The fixed part of each request, as [name, width] in order. */
export const REQUEST_LAYOUTS: Record<string, [string, number][]> = {
  '99': [
    ['statusCode', 1],
    ['maxPrintWidth', 3],
    ['protocolVersion', 4],
  ],
  '93': [
    ['uidAlgorithm', 1],
    ['pwdAlgorithm', 1],
  ],
  '23': [
    ['language', 3],
    ['date', 18],
  ],
  '63': [
    ['language', 3],
    ['date', 18],
    ['summary', 10],
  ],
  '11': [
    ['scRenewalPolicy', 1],
    ['noBlock', 1],
    ['date', 18],
    ['nbDueDate', 18],
  ],
  '09': [
    ['noBlock', 1],
    ['date', 18],
    ['returnDate', 18],
  ],
  '29': [
    ['thirdPartyAllowed', 1],
    ['noBlock', 1],
    ['date', 18],
    ['nbDueDate', 18],
  ],
  '65': [['date', 18]],
  '17': [['date', 18]],
  '19': [['date', 18]],
  '15': [
    ['holdMode', 1],
    ['date', 18],
  ],
  '37': [
    ['date', 18],
    ['feeType', 2],
    ['paymentType', 2],
    ['currencyType', 3],
  ],
  '35': [['date', 18]],
  '01': [
    ['cardRetained', 1],
    ['date', 18],
  ],
  '25': [['date', 18]],
  '97': [],
};

export interface SipRequest {
  code: string;
  fixed: Record<string, string>;
  /** Tagged fields: the first value of each tag (a repeated tag keeps its first). */
  fields: Map<string, string>;
  /** AY, when the request carried error detection. */
  sequence: string | null;
  /** Whether the request carried AZ (and so wants error detection back). */
  hasChecksum: boolean;
}

export type ParseResult = { ok: true; request: SipRequest } | { ok: false; reason: 'empty' | 'checksum' | 'malformed' };

/** The checksum of `text` (which ends in "AZ"): four upper-case hex digits. */
export function checksum(text: string): string {
  let sum = 0;
  for (const byte of Buffer.from(text, 'utf8')) sum = (sum + byte) & 0xffff;
  return (-sum & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

const TRAILER = /(?:\|?AY(\d))?AZ([0-9A-Fa-f]{4})$/;

/** One request, its line end already taken off. */
export function parseRequest(line: string): ParseResult {
  const text = line.replace(/^\n+/, '');
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  if (!/^\d\d/.test(text)) return { ok: false, reason: 'malformed' };
  let body = text;
  let sequence: string | null = null;
  let hasChecksum = false;
  const trailer = TRAILER.exec(text);
  if (trailer) {
    hasChecksum = true;
    const upToAz = text.slice(0, text.length - 4);
    if (checksum(upToAz).toUpperCase() !== (trailer[2] as string).toUpperCase())
      return { ok: false, reason: 'checksum' };
    sequence = trailer[1] ?? null;
    body = text.slice(0, trailer.index);
  } else {
    // A sequence number without a checksum: kept, echoed back.
    const ay = /\|?AY(\d)$/.exec(text);
    if (ay) {
      sequence = ay[1] as string;
      body = text.slice(0, ay.index);
    }
  }
  const code = body.slice(0, 2);
  const layout = REQUEST_LAYOUTS[code] ?? [];
  const fixed: Record<string, string> = {};
  let at = 2;
  for (const [name, width] of layout) {
    fixed[name] = body.slice(at, at + width).padEnd(width, ' ');
    at += width;
  }
  const fields = new Map<string, string>();
  for (const piece of body.slice(at).split('|')) {
    if (piece.length < 2) continue;
    const tag = piece.slice(0, 2);
    if (!fields.has(tag)) fields.set(tag, piece.slice(2));
  }
  return { ok: true, request: { code, fixed, fields, sequence, hasChecksum } };
}

/** A response being built: fixed text first, then fields in the order added. */
export class SipResponse {
  private text: string;

  constructor(code: string, ...fixed: string[]) {
    this.text = code + fixed.join('');
  }

  /** A tagged field; `|` and line ends in a value would end the field or the message, so they become spaces. */
  field(tag: string, value: string | number | null | undefined): this {
    this.text += `${tag}${clean(value == null ? '' : String(value))}|`;
    return this;
  }

  /** A field only when it has a value. */
  optional(tag: string, value: string | number | null | undefined): this {
    return value == null || value === '' ? this : this.field(tag, value);
  }

  /** The message as sent: with AY/AZ when asked, and a lone CR at the end. */
  toString(errorDetection?: { sequence: string | null }): string {
    if (!errorDetection) return `${this.text}\r`;
    const withSeq = `${this.text}${errorDetection.sequence !== null ? `AY${errorDetection.sequence}` : ''}AZ`;
    return `${withSeq}${checksum(withSeq)}\r`;
  }
}

function clean(value: string): string {
  return value.replace(/[|\r\n\0]/g, ' ').slice(0, 255);
}

/** A single Y/N flag. */
export const yn = (b: boolean): string => (b ? 'Y' : 'N');
/** A SIP "1"/"0" flag. */
export const bit = (b: boolean): string => (b ? '1' : '0');
/** A fixed-width count: four digits, "9999" at most. */
export const count4 = (n: number): string => String(Math.max(0, Math.min(9999, Math.trunc(n)))).padStart(4, '0');

/** One formatter per zone: every response carries a date, and making a formatter costs more than using one. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/**
 * The last few dates made, per zone and second: a response carries the time of day, and a
 * check-out's due date is usually the same as the one before (end of the same day).
 */
const RECENT = new Map<string, string>();
const RECENT_MAX = 64;

/** A date in SIP2's 18-character form, local time in `timeZone`, with four blanks for the zone. */
export function sipDate(ms: number, timeZone: string): string {
  const key = `${timeZone} ${Math.floor(ms / 1000)}`;
  const known = RECENT.get(key);
  if (known !== undefined) return known;
  const made = formatSipDate(ms, timeZone);
  if (RECENT.size >= RECENT_MAX) RECENT.delete(RECENT.keys().next().value as string);
  RECENT.set(key, made);
  return made;
}

function formatSipDate(ms: number, timeZone: string): string {
  let f = FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    FORMATTERS.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  return `${p.year}${p.month}${p.day}    ${p.hour}${p.minute}${p.second}`;
}

/**
 * A date the client sent (a check-in's return date), as ms; null when blank or not a date. Four
 * blanks in the zone mean local time (`timeZone`); `   Z` means UTC.
 */
export function parseSipDate(text: string, timeZone: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(.{4})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const zone = (m[4] as string).trim() === 'Z' ? 'UTC' : timeZone;
  const d = DateTime.fromObject(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[5]),
      minute: Number(m[6]),
      second: Number(m[7]),
    },
    { zone },
  );
  return d.isValid ? d.toMillis() : null;
}

/** SIP2 language codes (the spec's table) for the languages Circa speaks; anything else is the library's. */
const LANGUAGES: Record<string, string> = { '001': 'en', '024': 'en', '008': 'es', '021': 'es' };
const LANGUAGE_CODES: Record<string, string> = { en: '001', es: '008' };

export const languageOf = (code: string | undefined): string | null => (code ? (LANGUAGES[code] ?? null) : null);
export const languageCode = (language: string): string => LANGUAGE_CODES[language.slice(0, 2)] ?? '000';
