// What text the station accepts, in one place (pure): the API schemas (src/api/schemas.ts), the
// services that may be called without them and the desk's forms all ask here.
//
// A name, a title, a code or a search is one line of printable text. Refused in it:
// - C0 controls (U+0000-U+001F, NUL and newlines included), DEL and the C1 controls
//   (U+007F-U+009F): they end strings in C code, break FTS queries, slips and CSV exports;
// - the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069): they make a name
//   or a title read differently on screen from what is stored ("Trojan Source");
// - a lone UTF-16 surrogate: it is not text, and cannot be stored as UTF-8 unchanged.
// A multi-line field (a note, a slip's header) may hold line breaks (LF, CR) and nothing else
// of the above.

const BIDI = '\\u202A-\\u202E\\u2066-\\u2069';
const LONE_SURROGATE = '\\p{Cs}';
const SINGLE_LINE_FORBIDDEN = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F${BIDI}${LONE_SURROGATE}]`, 'u');
const MULTI_LINE_FORBIDDEN = new RegExp(
  `[\\u0000-\\u0009\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${BIDI}${LONE_SURROGATE}]`,
  'u',
);

/** True when `s` is one line of printable text (see above). */
export function isSingleLineText(s: string): boolean {
  return !SINGLE_LINE_FORBIDDEN.test(s);
}

/** True when `s` is printable text, line breaks allowed. */
export function isMultiLineText(s: string): boolean {
  return !MULTI_LINE_FORBIDDEN.test(s);
}

/** The same characters taken out (a search the kiosk typed, which may as well find something). */
export function withoutControlCharacters(s: string): string {
  return s.replace(new RegExp(SINGLE_LINE_FORBIDDEN.source, 'gu'), ' ');
}

/**
 * A BCP 47 language tag the station can format with: canonical per Intl.getCanonicalLocales,
 * and one both Intl.NumberFormat and Intl.DateTimeFormat support (not just fall back from).
 * "en-US", "es", "es-419" pass; "english", "en_US" and "xx-YY" do not.
 */
export function isSupportedLocale(tag: string): boolean {
  if (tag.length < 2 || tag.length > 35 || !isSingleLineText(tag)) return false;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (!canonical) return false;
    return (
      Intl.NumberFormat.supportedLocalesOf([canonical]).length === 1 &&
      Intl.DateTimeFormat.supportedLocalesOf([canonical]).length === 1
    );
  } catch {
    return false;
  }
}

let currencies: Set<string> | null = null;

/** An ISO 4217 currency code this runtime knows (Intl.supportedValuesOf('currency')): "USD", "EUR", "MXN". */
export function isSupportedCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

let timeZones: Set<string> | null = null;

/** An IANA time zone this runtime knows ("America/New_York", "UTC"). */
export function isSupportedTimeZone(tz: string): boolean {
  timeZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (timeZones.has(tz)) return true;
  // Aliases Intl accepts but does not list (e.g. "Asia/Calcutta"): a zone it can format in.
  if (tz.length > 64 || !isSingleLineText(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
