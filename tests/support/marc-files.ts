// MARC records for the data-in-and-out tests and the import benchmark, written with marcjs's
// ISO 2709 and MARCXML formatters (through src/domain/marc), so the files are what a MARC
// library writes, not what Circa's reader expects.
import { Marc } from 'marcjs';
import { encodeIso2709 } from '../../src/domain/marc/iso2709';
import type { MarcField, MarcRecord } from '../../src/domain/marc/record';
import { itemBarcode } from './station';

const fmt = (r: MarcRecord) => Marc.format(r, 'iso2709');

export interface BookSpec {
  id?: string | null;
  title: string;
  author?: string;
  isbn?: string;
  copies?: { barcode: string; type?: string; branch?: string; callNumber?: string; price?: string }[];
  extra?: MarcField[];
}

export function bookRecord(b: BookSpec): MarcRecord {
  const fields: MarcField[] = [];
  if (b.id) fields.push(['001', b.id], ['003', 'TEST']);
  fields.push(['008', '200101s2020    xxu           000 0 eng d']);
  if (b.isbn) fields.push(['020', '  ', 'a', `${b.isbn} (pbk.)`]);
  if (b.author) fields.push(['100', '1 ', 'a', `${b.author},`]);
  fields.push(['245', '10', 'a', `${b.title} /`, 'c', b.author ?? 'Anon.']);
  fields.push(['264', ' 1', 'a', 'Springfield :', 'b', 'Test Press,', 'c', '2020.']);
  fields.push(['650', ' 0', 'a', 'Libraries', 'x', 'Automation.']);
  for (const f of b.extra ?? []) fields.push(f);
  for (const c of b.copies ?? []) {
    fields.push([
      '952',
      '  ',
      'a',
      c.branch ?? 'MAIN',
      'b',
      c.branch ?? 'MAIN',
      'o',
      c.callNumber ?? '020 TES',
      'p',
      c.barcode,
      'y',
      c.type ?? 'BOOK',
      ...(c.price ? ['v', c.price] : []),
      'z',
      'kept note',
    ]);
  }
  return { leader: '00000nam a2200000 a 4500', fields };
}

export const iso2709 = (records: MarcRecord[]) => Buffer.concat(records.map((r) => encodeIso2709(r, fmt)));

export function marcXml(records: MarcRecord[], prefix = ''): string {
  const p = prefix ? `${prefix}:` : '';
  const ns = prefix ? `xmlns:${prefix}` : 'xmlns';
  const body = records
    .map((r) =>
      Marc.format(r, 'marcxml').replace(/<(\/?)(record|leader|controlfield|datafield|subfield)\b/g, `<$1${p}$2`),
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${p}collection ${ns}="http://www.loc.gov/MARC21/slim">\n${body}</${p}collection>\n`;
}

/** `n` generated books, each with one or two copies, barcodes from `firstItem`. */
export function generatedBooks(n: number, firstItem = 1, firstNumber = 1): MarcRecord[] {
  const out: MarcRecord[] = [];
  let item = firstItem;
  for (let i = firstNumber; i < firstNumber + n; i++) {
    const copies = [{ barcode: itemBarcode(item++), price: '24.99' }];
    if (i % 3 === 0) copies.push({ barcode: itemBarcode(item++), price: '19.50' });
    out.push(
      bookRecord({
        id: `gen${i}`,
        title: `Generated book number ${i}`,
        author: `Author ${i % 97}`,
        isbn: isbn13(i),
        copies,
      }),
    );
  }
  return out;
}

/** A valid ISBN-13 (978 prefix) for a number. */
export function isbn13(n: number): string {
  const first12 = `978${String(n).padStart(9, '0')}`;
  const sum = [...first12].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${first12}${(10 - (sum % 10)) % 10}`;
}
