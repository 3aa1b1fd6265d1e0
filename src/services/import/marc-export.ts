// MARC export of the catalogue with its holdings, ISO 2709 or MARCXML, UTF-8. A record that
// came in as MARC goes out as the whole record it was, its holdings fields brought up to date
// from the copies (a copy's 952 keeps every subfield it had and gets its current barcode, call
// number, item type, branches, price and status); a record typed in at the desk gets a MARC
// record made from its fields. Another system's import (Koha's, yaz-marcdump in the tests)
// reads the result.
import { Marc } from 'marcjs';
import { encodeIso2709, normalLeader } from '../../domain/marc/iso2709';
import { holdingsOf, mapRecord } from '../../domain/marc/mapping';
import { insertInTagOrder, parseStoredMarc, type MarcField, type MarcRecord } from '../../domain/marc/record';
import type { BibRecord, Item } from '../../domain/types';
import type { ServiceContext } from '../context';

export type MarcExportFormat = 'iso2709' | 'marcxml';

export interface MarcExportReport {
  records: number;
  copies: number;
}

const PAGE = 500;
const fmt = (r: MarcRecord) => Marc.format(r, 'iso2709');

/** Writes the catalogue to `write` (which resolves once the chunk may be followed by another). */
export async function exportMarc(
  ctx: ServiceContext,
  format: MarcExportFormat,
  write: (chunk: Buffer | string) => Promise<void>,
): Promise<MarcExportReport> {
  const db = ctx.store.db;
  const page = db.prepare('SELECT rowid AS __rowid, * FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?');
  const itemsOf = db.prepare('SELECT * FROM items WHERE record_id = ? ORDER BY barcode');
  const branchCode = new Map([...ctx.config.get().branches.values()].map((b) => [b.id, b.code]));
  const report: MarcExportReport = { records: 0, copies: 0 };
  if (format === 'marcxml')
    await write('<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n');
  for (let after = 0; ;) {
    const rows = page.all(after, PAGE) as Record<string, unknown>[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.__rowid as number;
    const out: (Buffer | string)[] = [];
    for (const raw of rows) {
      const record = ctx.rows.decode<BibRecord>('records', raw);
      const items = (itemsOf.all(record.id) as Record<string, unknown>[]).map((i) => ctx.rows.decode<Item>('items', i));
      const marc = marcOf(record, items, branchCode);
      out.push(format === 'iso2709' ? encodeIso2709(marc, fmt) : xmlRecord(marc));
      report.records++;
      report.copies += items.length;
    }
    await write(format === 'iso2709' ? Buffer.concat(out as Buffer[]) : (out as string[]).join(''));
  }
  if (format === 'marcxml') await write('</collection>\n');
  return report;
}

/** The record as MARC: its imported record brought up to date, or one made from its fields. */
export function marcOf(record: BibRecord, items: Item[], branchCode: Map<string, string>): MarcRecord {
  const stored = parseStoredMarc(record.marc);
  const marc: MarcRecord = stored
    ? { leader: stored.leader, fields: stored.fields.map((f) => [...f]) }
    : madeFrom(record);
  // A title edited at the desk since the import wins over the imported 245.
  if (stored && mapRecord(stored).title !== record.title) {
    const at = marc.fields.findIndex((f) => f[0] === '245');
    const field: MarcField = ['245', at >= 0 ? (marc.fields[at]![1] ?? '00') : '00', 'a', record.title];
    if (at >= 0) marc.fields[at] = field;
    else insertInTagOrder(marc, field);
  }
  const byBarcode = new Map(items.map((i) => [i.barcode, i]));
  const original = new Map<string, { field: MarcField; callNumber: string | null }>();
  const drop = new Set<number>();
  for (const h of holdingsOf(marc)) {
    if (!h.barcode || !byBarcode.has(h.barcode)) continue;
    drop.add(h.fieldIndex);
    original.set(h.barcode, { field: h.tag === '952' ? marc.fields[h.fieldIndex]! : [], callNumber: h.callNumber });
  }
  marc.fields = marc.fields.filter((_, i) => !drop.has(i));
  for (const item of items) insertInTagOrder(marc, holdingField(item, original.get(item.barcode), record, branchCode));
  return { leader: normalLeader(marc.leader), fields: marc.fields };
}

/** Koha's 952 for a copy: what it had, with what Circa knows now. */
function holdingField(
  item: Item,
  original: { field: MarcField; callNumber: string | null } | undefined,
  record: BibRecord,
  branchCode: Map<string, string>,
): MarcField {
  const set = new Map<string, string>();
  set.set('a', branchCode.get(item.homeBranchId) ?? item.homeBranchId);
  set.set('b', branchCode.get(item.currentBranchId) ?? item.currentBranchId);
  const callNumber = original?.callNumber ?? record.callNumber;
  if (callNumber) set.set('o', callNumber);
  // Koha's shelving location; a copy without one keeps what the imported field had.
  if (item.location) set.set('c', item.location);
  set.set('p', item.barcode);
  if (item.replacementPrice !== null) set.set('v', (item.replacementPrice / 100).toFixed(2));
  set.set('y', item.itemTypeCode);
  set.set('7', item.notForLoan ? '1' : '0');
  // Koha's status subfields: lost ($1), withdrawn ($0), damaged ($4).
  set.set(
    '1',
    item.status === 'lost' ? '1' : item.status === 'missing' ? '4' : item.status === 'claimed_returned' ? '5' : '0',
  );
  set.set('0', item.status === 'withdrawn' ? '1' : '0');
  set.set('4', item.damaged ? '1' : '0');
  const field: MarcField = ['952', original?.field[1] ?? '  '];
  const old = original?.field ?? [];
  for (let i = 2; i + 1 < old.length; i += 2) if (!set.has(old[i]!)) field.push(old[i]!, old[i + 1]!);
  for (const [code, value] of set) field.push(code, value);
  return field;
}

/** A MARC 21 record for a record typed in at the desk. */
function madeFrom(r: BibRecord): MarcRecord {
  const fields: MarcField[] = [
    ['001', r.id],
    ['003', 'Circa'],
  ];
  if (r.isbn) fields.push(['020', '  ', 'a', r.isbn]);
  if (r.issn) fields.push(['022', '  ', 'a', r.issn]);
  if (r.callNumber) fields.push(['090', '  ', 'a', r.callNumber]);
  if (r.author) fields.push(['100', '1 ', 'a', r.author]);
  fields.push(['245', r.author ? '10' : '00', 'a', r.title]);
  if (r.edition) fields.push(['250', '  ', 'a', r.edition]);
  if (r.publisher || r.year)
    fields.push(['264', ' 1', ...(r.publisher ? ['b', r.publisher] : []), ...(r.year ? ['c', String(r.year)] : [])]);
  for (const s of (r.subjects ?? '').split('; ').filter(Boolean)) fields.push(['653', '  ', 'a', s]);
  return { leader: '00000nam a2200000 i 4500', fields };
}

const escapeXml = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Characters XML 1.0 cannot hold at all. */
// eslint-disable-next-line no-control-regex -- these are exactly the characters XML forbids
const xmlSafe = (v: string) => v.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, ' ');

/** marcjs's MARCXML record, its control fields escaped (marcjs escapes subfields only). */
function xmlRecord(marc: MarcRecord): string {
  const fields = marc.fields.map((f) =>
    /^00\d$/.test(f[0]!) ? [f[0]!, escapeXml(xmlSafe(f[1] ?? ''))] : f.map((v, i) => (i === 0 ? v : xmlSafe(v))),
  );
  return Marc.format({ leader: escapeXml(marc.leader), fields }, 'marcxml');
}
