// Call numbers in shelf order. A shelf is read left to right in the order libraries file call
// numbers, which is not the order of the characters:
//
// - Dewey: the class number is a number with decimals (599.75 before 599.8, 5 before 50), a
//   cutter such as ".B47" or "B47" is letters then a decimal (B47 before B5), a prefix such as
//   J, REF, FIC or E makes a section of its own (all of "J" after all of no prefix), and a date
//   or a copy number is a whole number (c.2 before c.10).
// - Library of Congress: class letters (Q before QA before QB), the class number as a number
//   with decimals (QA76 before QA76.73 before QA77 before QA100), then cutters (.A5 .B3, decimals
//   like Dewey's), then the date.
// - Everywhere, "nothing before something": FIC SMI before FIC SMI 2019, 813 before 813.54.
//
// `callNumberSortKey` turns a call number into a string that sorts in that order with a plain
// string comparison (the same in SQLite, JavaScript and PostgreSQL's C collation). Pure code.

export type CallNumberScheme = 'dewey' | 'lc' | 'other';

export interface ParsedCallNumber {
  scheme: CallNumberScheme;
  /** Section prefixes in order ("J", "REF"); empty for none. */
  prefixes: string[];
  /** LC class letters ("QA"); empty for Dewey and other. */
  classLetters: string;
  /** The class number as written ("599.75", "76.73"); empty when there is none. */
  classNumber: string;
  /** Everything after the class number, as tokens: cutters, dates, volume and copy numbers. */
  rest: string[];
}

/**
 * Words that start a section of the shelves in public and school libraries: always a prefix,
 * with or without a number after them ("FIC SMI", "J FIC ROW", "REF 030 ENC").
 */
const KNOWN_PREFIXES = new Set([
  'J',
  'E',
  'YA',
  'JUV',
  'REF',
  'R',
  'FIC',
  'F',
  'B',
  'BIO',
  'SC',
  'GN',
  'LP',
  'PB',
  'DVD',
  'CD',
  'AV',
  'PER',
  'OVERSIZE',
  'OS',
  'SPA',
  'ESP',
  'TEEN',
  'EASY',
  'PIC',
  'ER',
  'JE',
  'LT',
  'MYS',
  'SF',
  'WES',
  'ROM',
]);

/** Words for a volume, part or copy: the number after them is a whole number (v.2 before v.10). */
const ENUMERATION = new Set([
  'C',
  'CO',
  'COP',
  'COPY',
  'V',
  'VOL',
  'NO',
  'PT',
  'T',
  'BK',
  'BD',
  'SUPPL',
  'SUP',
  'SER',
  'ED',
]);

const TOKEN = new RegExp(`\\b(${[...ENUMERATION].join('|')})(?:\\. ?| )(\\d+)|([A-Z]+\\d*)|(\\d+(?:\\.\\d+)?)`, 'g');

const LC_CLASS = /^([A-Z]{1,3}) ?(\d{1,4}(?:\.\d+)?)(?=$|[ .A-Z])(.*)$/;
const DEWEY_NUMBER = /^(\d{1,3}(?:\.\d*)?)(?=$|[ .A-Z/])(.*)$/;

function normalise(callNumber: string): string {
  return callNumber
    .toUpperCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z0-9. ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits the part after the class number into tokens: "B47", "S65", "2019", "C.2", "V.10". */
function tokens(rest: string): string[] {
  const out: string[] = [];
  // A cutter may be run on to the number or to another cutter: ".J38S65" is J38 and S65. A
  // volume or copy word keeps its number ("C.2", "V 10") so the number is read as whole.
  for (const m of rest.matchAll(TOKEN)) out.push(m[1] !== undefined ? `${m[1]}.${m[2]}` : (m[3] ?? m[4])!);
  return out;
}

export function parseCallNumber(callNumber: string): ParsedCallNumber {
  let s = normalise(callNumber);
  const prefixes: string[] = [];
  // Prefix words, then a Dewey number after a space ("J 599.75"), or a known section word.
  for (;;) {
    const word = /^([A-Z]+) (.*)$/.exec(s);
    if (!word) break;
    const [, w, after] = word as unknown as [string, string, string];
    const deweyAfter = /^\d{3}(?:\.\d*)?(?:$| )/.test(after);
    if (KNOWN_PREFIXES.has(w) || (deweyAfter && w.length <= 4)) {
      prefixes.push(w);
      s = after;
      continue;
    }
    break;
  }
  // A known section word alone ("FIC") is a prefix with nothing after it.
  if (KNOWN_PREFIXES.has(s)) {
    prefixes.push(s);
    s = '';
  }
  const dewey = DEWEY_NUMBER.exec(s);
  if (dewey)
    return {
      scheme: 'dewey',
      prefixes,
      classLetters: '',
      classNumber: dewey[1]!.replace(/\.$/, ''),
      rest: tokens(dewey[2]!),
    };
  const lc = prefixes.length === 0 ? LC_CLASS.exec(s) : null;
  if (lc) return { scheme: 'lc', prefixes, classLetters: lc[1]!, classNumber: lc[2]!, rest: tokens(lc[3]!) };
  return { scheme: 'other', prefixes, classLetters: '', classNumber: '', rest: tokens(s) };
}

const pad = (digits: string, width: number) => digits.padStart(width, '0');

/** A number with decimals, its whole part padded so that 5 < 50 < 599.75 < 599.8. */
function decimalKey(n: string, width: number): string {
  const [whole = '0', fraction = ''] = n.split('.');
  const f = fraction.replace(/0+$/, '');
  return pad(whole.replace(/^0+(?=\d)/, ''), width) + (f ? `.${f}` : '');
}

/**
 * One token of the rest: a cutter keeps its letters and its digits as a decimal (B47 < B5); a
 * date or other whole number is padded (999 < 2019); a volume or copy number is padded after its
 * word (C.2 < C.10).
 */
function tokenKey(token: string): string {
  if (/^\d+$/.test(token)) return pad(token, 9);
  if (/^\d+\.\d+$/.test(token)) return decimalKey(token, 9);
  const enumeration = /^([A-Z]+)\.(\d+)$/.exec(token);
  if (enumeration) return `${enumeration[1]}.${pad(enumeration[2]!, 9)}`;
  return token;
}

// The key is built from [0-9A-Z.] and separators that sort below all of them: "/" after each
// prefix, "!" where the prefixes end and " " between tokens, so that a shorter call number sorts
// before a longer one it begins ("nothing before something"), the whole unprefixed section
// before "B", and "J 599.75" (section J) before "J FIC ROW" (section J FIC).
const SCHEME_ORDER: Record<CallNumberScheme, string> = { dewey: '1', lc: '2', other: '3' };

/** A string that sorts as the shelves do (compare with <, or ORDER BY in SQLite). */
export function callNumberSortKey(callNumber: string | null | undefined): string {
  if (!callNumber || !normalise(callNumber)) return '~';
  const p = parseCallNumber(callNumber);
  const parts: string[] = [];
  if (p.scheme === 'lc') parts.push(p.classLetters, decimalKey(p.classNumber, 4));
  else if (p.scheme === 'dewey') parts.push(decimalKey(p.classNumber, 3));
  parts.push(...p.rest.map(tokenKey));
  return `${p.prefixes.map((x) => `${x}/`).join('')}!${SCHEME_ORDER[p.scheme]}${parts.join(' ')}`;
}

/** Negative, zero or positive, as `a` files before, with or after `b`. */
export function compareCallNumbers(a: string | null | undefined, b: string | null | undefined): number {
  const ka = callNumberSortKey(a);
  const kb = callNumberSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Whether `callNumber` files from `from` to `to`, both ends included (either end null: open). */
export function inCallNumberRange(
  callNumber: string | null | undefined,
  from: string | null | undefined,
  to: string | null | undefined,
): boolean {
  const k = callNumberSortKey(callNumber);
  if (from && k < callNumberSortKey(from)) return false;
  if (to && k > callNumberSortKey(to)) return false;
  return true;
}
