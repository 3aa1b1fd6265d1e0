// MARC-8 to Unicode, for records whose leader/09 is blank. No maintained npm package converts
// MARC-8 (checked: none on the registry is kept up), so this is a small table-driven decoder of
// what Western library catalogues hold: ASCII and ANSEL (the Extended Latin set, with its
// combining diacritics), and the superscript, subscript and Greek-symbol sets reached by escape.
// The other MARC-8 sets (Cyrillic, Greek, Hebrew, Arabic, CJK/EACC) are refused with a reason
// rather than guessed: such a file should be converted first (yaz-marcdump -f MARC-8 -t UTF-8).
//
// Tables: Library of Congress, "MARC 21 Specifications for Record Structure, Character Sets, and
// Exchange Media", Part 3 (Code Tables: Extended Latin, Basic and Extended Latin combining).

/** ANSEL spacing characters, 0xA1-0xC8. */
const ANSEL: Record<number, number> = {
  0xa1: 0x0141,
  0xa2: 0x00d8,
  0xa3: 0x0110,
  0xa4: 0x00de,
  0xa5: 0x00c6,
  0xa6: 0x0152,
  0xa7: 0x02b9,
  0xa8: 0x00b7,
  0xa9: 0x266d,
  0xaa: 0x00ae,
  0xab: 0x00b1,
  0xac: 0x01a0,
  0xad: 0x01af,
  0xae: 0x02bc,
  0xb0: 0x02bb,
  0xb1: 0x0142,
  0xb2: 0x00f8,
  0xb3: 0x0111,
  0xb4: 0x00fe,
  0xb5: 0x00e6,
  0xb6: 0x0153,
  0xb7: 0x02ba,
  0xb8: 0x0131,
  0xb9: 0x00a3,
  0xba: 0x00f0,
  0xbc: 0x01a1,
  0xbd: 0x01b0,
  0xc0: 0x00b0,
  0xc1: 0x2113,
  0xc2: 0x2117,
  0xc3: 0x00a9,
  0xc4: 0x266f,
  0xc5: 0x00bf,
  0xc6: 0x00a1,
  0xc7: 0x00df,
  0xc8: 0x20ac,
};

/** ANSEL combining diacritics, 0xE0-0xFE: written before the letter they sit on, in MARC-8. */
const COMBINING: Record<number, number> = {
  0xe0: 0x0309,
  0xe1: 0x0300,
  0xe2: 0x0301,
  0xe3: 0x0302,
  0xe4: 0x0303,
  0xe5: 0x0304,
  0xe6: 0x0306,
  0xe7: 0x0307,
  0xe8: 0x0308,
  0xe9: 0x030c,
  0xea: 0x030a,
  0xeb: 0xfe20,
  0xec: 0xfe21,
  0xed: 0x0315,
  0xee: 0x030b,
  0xef: 0x0310,
  0xf0: 0x0327,
  0xf1: 0x0328,
  0xf2: 0x0323,
  0xf3: 0x0324,
  0xf4: 0x0325,
  0xf5: 0x0333,
  0xf6: 0x0332,
  0xf7: 0x0326,
  0xf8: 0x031c,
  0xf9: 0x032e,
  0xfa: 0xfe22,
  0xfb: 0xfe23,
  0xfe: 0x0313,
};

/** Controls MARC-8 allows in data: joiners and the non-sort markers. */
const CONTROLS: Record<number, number | null> = { 0x88: 0x0098, 0x89: 0x009c, 0x8d: 0x200d, 0x8e: 0x200c };

const SUPERSCRIPT: Record<string, number> = {
  '0': 0x2070,
  '1': 0x00b9,
  '2': 0x00b2,
  '3': 0x00b3,
  '4': 0x2074,
  '5': 0x2075,
  '6': 0x2076,
  '7': 0x2077,
  '8': 0x2078,
  '9': 0x2079,
  '+': 0x207a,
  '-': 0x207b,
  '(': 0x207d,
  ')': 0x207e,
};
const SUBSCRIPT: Record<string, number> = {
  '0': 0x2080,
  '1': 0x2081,
  '2': 0x2082,
  '3': 0x2083,
  '4': 0x2084,
  '5': 0x2085,
  '6': 0x2086,
  '7': 0x2087,
  '8': 0x2088,
  '9': 0x2089,
  '+': 0x208a,
  '-': 0x208b,
  '(': 0x208d,
  ')': 0x208e,
};
const GREEK_SYMBOLS: Record<string, number> = { a: 0x03b1, b: 0x03b2, c: 0x03b3 };

type G0 = 'ascii' | 'superscript' | 'subscript' | 'greekSymbols';

export class Marc8Error extends Error {}

const ESC = 0x1b;

/**
 * Decodes the bytes of one field. Subfield delimiters and terminators (0x1D-0x1F) pass
 * through. Throws Marc8Error for a byte or an escape this decoder does not know.
 */
export function decodeMarc8(bytes: Uint8Array): string {
  let out = '';
  let pending = '';
  let g0: G0 = 'ascii';
  const emit = (ch: string) => {
    out += ch + pending;
    pending = '';
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESC) {
      const next = bytes[i + 1];
      const then = bytes[i + 2];
      // ESC s / ESC ( B: back to ASCII. ESC p / b / g: superscripts, subscripts, Greek symbols.
      if (next === 0x73) g0 = 'ascii';
      else if (next === 0x70) g0 = 'superscript';
      else if (next === 0x62) g0 = 'subscript';
      else if (next === 0x67) g0 = 'greekSymbols';
      else if (next === 0x28 && (then === 0x42 || then === 0x21)) {
        g0 = 'ascii';
        i += then === 0x21 ? 2 : 1;
      } else if (next === 0x29 && then === 0x21) {
        // ESC ) ! E: ANSEL as G1, which it already is.
        i += 2;
      } else {
        const seq = Array.from(bytes.slice(i + 1, i + 4), (c) => String.fromCharCode(c)).join('');
        throw new Marc8Error(
          `uses a MARC-8 character set Circa does not convert (escape "ESC ${seq.replace(/[^\x20-\x7e]/g, '?')}"): convert the file to UTF-8 first`,
        );
      }
      i += 1;
      continue;
    }
    if (b < 0x80) {
      if (b >= 0x1d && b <= 0x1f) {
        out += pending + String.fromCharCode(b);
        pending = '';
        continue;
      }
      const ch = String.fromCharCode(b);
      const table =
        g0 === 'superscript'
          ? SUPERSCRIPT
          : g0 === 'subscript'
            ? SUBSCRIPT
            : g0 === 'greekSymbols'
              ? GREEK_SYMBOLS
              : null;
      const mapped = table?.[ch];
      emit(mapped !== undefined ? String.fromCodePoint(mapped) : ch);
      continue;
    }
    const combining = COMBINING[b];
    if (combining !== undefined) {
      pending += String.fromCodePoint(combining);
      continue;
    }
    const spacing = ANSEL[b];
    if (spacing !== undefined) {
      emit(String.fromCodePoint(spacing));
      continue;
    }
    if (b in CONTROLS) {
      const c = CONTROLS[b];
      if (c !== null && c !== undefined && c >= 0x2000) emit(String.fromCodePoint(c));
      continue;
    }
    throw new Marc8Error(`has the byte 0x${b.toString(16).toUpperCase()}, which is not a MARC-8 character`);
  }
  // A diacritic with nothing after it stays, on its own.
  return (out + pending).normalize('NFC');
}
