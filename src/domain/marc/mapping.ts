// What Circa takes from a MARC record: the fields of its own record (title, author, ISBN...)
// and the copies its holdings fields describe. MARC 21 by default; a record with a 200 and no
// 245 is UNIMARC and is read by UNIMARC's tags (title 200, holdings 995), whole.
import {
  controlNumberOf,
  fieldsOf,
  firstSubfield,
  isControlTag,
  subfield,
  subfields,
  type MarcField,
  type MarcRecord,
} from './record';

export interface MappedRecord {
  title: string;
  author: string | null;
  isbn: string | null;
  issn: string | null;
  publisher: string | null;
  year: number | null;
  callNumber: string | null;
  edition: string | null;
  subjects: string | null;
  controlNumber: string | null;
}

export interface Holding {
  /** Index of the field in record.fields, so an export can put the copy's current state there. */
  fieldIndex: number;
  tag: string;
  barcode: string | null;
  callNumber: string | null;
  itemType: string | null;
  homeBranch: string | null;
  holdingBranch: string | null;
  /** Minor units. */
  price: number | null;
  notForLoan: boolean;
  /** The shelving location or collection code (Koha's 952 $c, MARC 852 $c); shelf reading checks it. */
  location?: string | null;
}

/** Which subfield holds what, in one holdings field. The library can change these (the mapping file). */
export interface HoldingsProfile {
  barcode: string;
  callNumber: string[];
  itemType?: string;
  homeBranch?: string;
  holdingBranch?: string;
  /** Tried in order: replacement price first, then purchase price. */
  price?: string[];
  notForLoan?: string;
  location?: string;
}

export const HOLDINGS_PROFILES: Record<string, HoldingsProfile> = {
  // Koha MARC 21.
  '952': {
    barcode: 'p',
    callNumber: ['o'],
    itemType: 'y',
    homeBranch: 'a',
    holdingBranch: 'b',
    price: ['v', 'g'],
    notForLoan: '7',
    location: 'c',
  },
  // MARC 21 Holdings location: $b sublocation (branch), $h classification + $i item part.
  '852': { barcode: 'p', callNumber: ['h', 'i'], homeBranch: 'b', price: ['9'], location: 'c' },
  // The common local item field (OCLC, Sirsi exports): $i barcode, $a call number, $t type, $l location.
  '949': { barcode: 'i', callNumber: ['a'], itemType: 't', homeBranch: 'l', price: ['p'] },
  // Koha UNIMARC.
  '995': {
    barcode: 'f',
    callNumber: ['k'],
    itemType: 'r',
    homeBranch: 'b',
    holdingBranch: 'c',
    price: ['u'],
    notForLoan: 'o',
  },
};

export type MarcFlavour = 'marc21' | 'unimarc';

export function flavourOf(record: MarcRecord): MarcFlavour {
  let has200 = false;
  for (const f of record.fields) {
    const tag = f[0];
    if (tag === '245') return 'marc21';
    if (tag === '200') has200 = true;
  }
  return has200 ? 'unimarc' : 'marc21';
}

/** Trailing ISBD punctuation (" /", " :", ";", ",", ".") and spaces, as catalogues end subfields. */
export function trimPunctuation(value: string): string {
  return value
    .replace(/[\s/:;,=]+$/u, '')
    .replace(/(?<!\b\p{Lu})\.$/u, '')
    .trim();
}

const clip = (v: string | null, max: number) => (v == null ? null : v.length > max ? v.slice(0, max) : v);
const joined = (field: MarcField, codes: string) => {
  const parts: string[] = [];
  for (let i = 2; i + 1 < field.length; i += 2)
    if (codes.includes(field[i] as string)) parts.push((field[i + 1] as string).trim());
  return parts.filter(Boolean).join(' ');
};

/** The first ISBN of 020 $a (or UNIMARC 010 $a), digits and X only, when it is 10 or 13 long. */
export function normaliseIsbn(value: string | null): string | null {
  if (!value) return null;
  const m = /[0-9][0-9\-\s]{8,16}[0-9Xx]/.exec(value);
  const isbn = m ? m[0].replace(/[-\s]/g, '').toUpperCase() : '';
  return isbn.length === 10 || isbn.length === 13 ? isbn : null;
}

function yearOf(values: (string | null)[]): number | null {
  for (const v of values) {
    const m = v ? /(1[0-9]|20)\d\d/.exec(v) : null;
    if (m) return Number(m[0]);
  }
  return null;
}

export function mapRecord(record: MarcRecord): MappedRecord {
  return flavourOf(record) === 'unimarc' ? mapUnimarc(record) : mapMarc21(record);
}

/** The first of `field`'s `code` subfields, when it is not blank: firstSubfield's test, one field at a time. */
const nonBlank = (field: MarcField, code: string) => {
  const v = subfield(field, code);
  return v && v.trim() ? v : null;
};

/**
 * Read in one pass over the fields (an import maps every record: a search of all the fields for
 * each tag asked of them was a measurable share of its time); what each value is taken from is
 * as the field-by-field look-ups had it, first field of a tag first.
 */
function mapMarc21(r: MarcRecord): MappedRecord {
  let titleField: MarcField | undefined;
  let mainEntry: MarcField | undefined;
  let addedEntry: MarcField | undefined;
  let pub264First: MarcField | undefined;
  let pub264: MarcField | undefined;
  let pub260: MarcField | undefined;
  const calls: (MarcField | undefined)[] = [undefined, undefined, undefined, undefined];
  let isbn: string | null = null;
  let issn: string | null = null;
  let edition: string | null = null;
  let fixed: MarcField | undefined;
  const subjectFields: MarcField[] = [];
  for (const f of r.fields) {
    const tag = f[0] as string;
    if (tag.length !== 3) continue;
    if (isControlTag(tag)) {
      if (tag === '008') fixed ??= f;
      continue;
    }
    switch (tag) {
      case '245':
        titleField ??= f;
        break;
      case '100':
      case '110':
      case '111':
        mainEntry ??= f;
        break;
      case '700':
      case '710':
      case '711':
        addedEntry ??= f;
        break;
      case '264':
        pub264First ??= f;
        if (!pub264 && f[1]?.[1] === '1') pub264 = f;
        break;
      case '260':
        pub260 ??= f;
        break;
      case '050':
        calls[0] ??= f;
        break;
      case '082':
        calls[1] ??= f;
        break;
      case '090':
        calls[2] ??= f;
        break;
      case '092':
        calls[3] ??= f;
        break;
      case '020':
        isbn ??= nonBlank(f, 'a');
        break;
      case '022':
        issn ??= nonBlank(f, 'a');
        break;
      case '250':
        edition ??= nonBlank(f, 'a');
        break;
      default:
        if (tag.charCodeAt(0) === 0x36 /* 6 */ && isDigitCode(tag.charCodeAt(1)) && isDigitCode(tag.charCodeAt(2)))
          subjectFields.push(f);
    }
  }
  const title = titleField ? trimPunctuation(joined(titleField, 'abnp')) : '';
  const entry = mainEntry ?? addedEntry;
  const author = entry ? trimPunctuation(joined(entry, entry[0]!.endsWith('00') ? 'abcq' : 'ab')) || null : null;
  const pub = pub264 ?? pub260 ?? pub264First;
  const fixedValue = fixed && fixed.length >= 2 ? (fixed[1] ?? null) : null;
  const callField = calls.find((f) => f && subfield(f, 'a'));
  return {
    title: clip(title, 500) ?? '',
    author: clip(author, 300),
    isbn: normaliseIsbn(isbn),
    issn: clip(issn?.trim() ?? null, 12),
    publisher: clip(pub && subfield(pub, 'b') ? trimPunctuation(subfields(pub, 'b').join(' ')) : null, 300),
    year: yearOf([
      pub ? subfield(pub, 'c') : null,
      fixedValue && /^\d{4}$/.test(fixedValue.slice(7, 11)) ? fixedValue.slice(7, 11) : null,
    ]),
    callNumber: clip(callField ? joined(callField, 'ab') : null, 100),
    edition: clip(edition ? trimPunctuation(edition) : null, 300),
    subjects: subjectsOf(subjectFields),
    controlNumber: controlNumberOf(r),
  };
}

const isDigitCode = (c: number) => c >= 0x30 && c <= 0x39;

function mapUnimarc(r: MarcRecord): MappedRecord {
  const titleField = fieldsOf(r, '200')[0]!;
  const person = fieldsOf(r, /^70[012]$/)[0];
  const body = fieldsOf(r, /^71[012]$/)[0];
  const author = person
    ? [subfield(person, 'a'), subfield(person, 'b')].filter(Boolean).join(', ')
    : body
      ? subfield(body, 'a')
      : null;
  const pub = fieldsOf(r, '214')[0] ?? fieldsOf(r, '210')[0];
  const callField = ['676', '686'].map((t) => fieldsOf(r, t)[0]).find((f) => f && subfield(f, 'a'));
  return {
    title: clip(trimPunctuation(joined(titleField, 'aehi')), 500) ?? '',
    author: clip(author ? trimPunctuation(author) : null, 300),
    isbn: normaliseIsbn(firstSubfield(r, ['010'], 'a')),
    issn: clip(firstSubfield(r, ['011'], 'a')?.trim() ?? null, 12),
    publisher: clip(pub && subfield(pub, 'c') ? trimPunctuation(subfield(pub, 'c')!) : null, 300),
    year: yearOf([pub ? subfield(pub, 'd') : null]),
    callNumber: clip(callField ? subfield(callField, 'a') : null, 100),
    edition: clip(firstSubfield(r, ['205'], 'a'), 300),
    subjects: subjectsOf(fieldsOf(r, /^6[01]\d$/)),
    controlNumber: controlNumberOf(r),
  };
}

function subjectsOf(fields: MarcField[]): string | null {
  if (fields.length === 0) return null;
  const headings = new Set<string>();
  for (const f of fields) {
    const parts: string[] = [];
    const main = joined(f, 'abcdt');
    if (main) parts.push(main);
    for (const c of SUBDIVISIONS) {
      for (let i = 2; i + 1 < f.length; i += 2) {
        if (f[i] !== c) continue;
        const s = (f[i + 1] as string).trim();
        if (s) parts.push(s);
      }
    }
    const heading = trimPunctuation(parts.join(' -- '));
    if (heading) headings.add(heading);
  }
  return headings.size > 0 ? clip([...headings].join('; '), 2000) : null;
}

const SUBDIVISIONS = ['v', 'x', 'y', 'z'];

/** "12.50", "12,50", "$12.50", "12" -> cents; null when it is not a price. */
export function priceInCents(value: string | null): number | null {
  if (!value) return null;
  const m = /(\d+)(?:[.,](\d{1,2}))?/.exec(value.replace(/\s/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** Every holdings field of the record, with the profile of its tag (the library's or the default). */
export function holdingsOf(
  record: MarcRecord,
  profiles: Record<string, HoldingsProfile> = HOLDINGS_PROFILES,
): Holding[] {
  const flavour = flavourOf(record);
  const out: Holding[] = [];
  record.fields.forEach((field, fieldIndex) => {
    const tag = field[0] as string;
    // 995 is UNIMARC's; in a MARC 21 record it is someone's local field.
    if ((tag === '995') !== (flavour === 'unimarc')) return;
    const p = profiles[tag];
    if (!p) return;
    const get = (code: string | undefined) => (code ? subfield(field, code)?.trim() || null : null);
    const notForLoanValue = get(p.notForLoan);
    out.push({
      fieldIndex,
      tag,
      barcode: get(p.barcode),
      callNumber:
        p.callNumber
          .map((c) => get(c))
          .filter(Boolean)
          .join(' ') || null,
      itemType: get(p.itemType),
      homeBranch: get(p.homeBranch),
      holdingBranch: get(p.holdingBranch),
      price: (p.price ?? []).map((c) => priceInCents(get(c))).find((v) => v !== null) ?? null,
      notForLoan: notForLoanValue !== null && notForLoanValue !== '0',
      location: get(p.location),
    });
  });
  return out;
}
