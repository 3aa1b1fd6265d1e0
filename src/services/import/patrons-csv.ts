// Patrons in and out as CSV. The import reads the exports of the common systems without a
// mapping (Koha's borrowers export: cardnumber, surname, firstname, categorycode, branchcode,
// email, phone, address...; Evergreen's: barcode, family_name, first_given_name, profile,
// home_ou, day_phone, street1...), or with a column mapping the library gives. Every row is
// checked as the desk checks a registration (names, the card barcode rules, category, branch,
// dates, email); a repeated card keeps its first row. What cannot go in is reported by row.
// Rows go in by batches, one command each (state, journal entry, audit, signed), like the
// MARC import; a card Circa has already is updated, its PIN, blocks and history untouched.
//
// PINs and passwords are never imported: a password column is ignored, and patrons come in
// without a PIN (staff set one at the desk, or the patron at the kiosk's first sign-in).
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { validateBarcode } from '../../domain/barcode';
import { isMultiLineText, isSingleLineText } from '../../domain/text';
import { addDays, isValidLocalDate, localDateOf } from '../../domain/time';
import { runCommand, type Actor } from '../command';
import type { ServiceContext } from '../context';
import { ServiceError } from '../errors';
import type { PatronRow } from '../lookups';
import {
  branchIdFor,
  codeFor,
  ResumeMark,
  SkipList,
  type CodeMapping,
  type ImportProgress,
  type Skipped,
} from './common';
import { COMMAND } from '../../domain/commands';

type PatronField =
  | 'cardBarcode'
  | 'lastName'
  | 'firstName'
  | 'middleName'
  | 'email'
  | 'phone'
  | 'address'
  | 'address2'
  | 'city'
  | 'state'
  | 'postcode'
  | 'country'
  | 'category'
  | 'branch'
  | 'expiry'
  | 'dateOfBirth'
  | 'notes'
  | 'ignore';

/** Column names (lower case, letters and digits only) of Koha's and Evergreen's exports, and the usual others. */
const KNOWN_COLUMNS: Record<string, PatronField> = {
  cardnumber: 'cardBarcode',
  card: 'cardBarcode',
  cardbarcode: 'cardBarcode',
  barcode: 'cardBarcode',
  patronbarcode: 'cardBarcode',
  librarycard: 'cardBarcode',
  surname: 'lastName',
  lastname: 'lastName',
  familyname: 'lastName',
  firstname: 'firstName',
  firstnames: 'firstName',
  firstgivenname: 'firstName',
  givenname: 'firstName',
  givennames: 'firstName',
  secondgivenname: 'middleName',
  othernames: 'middleName',
  middlename: 'middleName',
  email: 'email',
  emailaddress: 'email',
  phone: 'phone',
  telephone: 'phone',
  dayphone: 'phone',
  mobile: 'phone',
  phonenumber: 'phone',
  address: 'address',
  street: 'address',
  street1: 'address',
  address1: 'address',
  streetaddress: 'address',
  address2: 'address2',
  street2: 'address2',
  city: 'city',
  town: 'city',
  state: 'state',
  county: 'state',
  province: 'state',
  zipcode: 'postcode',
  zip: 'postcode',
  postcode: 'postcode',
  postalcode: 'postcode',
  country: 'country',
  categorycode: 'category',
  category: 'category',
  patroncategory: 'category',
  profile: 'category',
  patrontype: 'category',
  branchcode: 'branch',
  branch: 'branch',
  homebranch: 'branch',
  homeou: 'branch',
  homelibrary: 'branch',
  library: 'branch',
  dateexpiry: 'expiry',
  expiry: 'expiry',
  expiredate: 'expiry',
  expirydate: 'expiry',
  cardexpires: 'expiry',
  expires: 'expiry',
  dateofbirth: 'dateOfBirth',
  dob: 'dateOfBirth',
  birthdate: 'dateOfBirth',
  borrowernotes: 'notes',
  notes: 'notes',
  note: 'notes',
  comments: 'notes',
  // Never imported: Circa keeps no copy of another system's password, in clear or hashed.
  password: 'ignore',
  passwd: 'ignore',
  pin: 'ignore',
};

const normalName = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface PatronMapping extends CodeMapping {
  /** File column -> Circa field, for columns the import does not know by name. */
  columns?: Record<string, PatronField>;
  /** The category of a row whose file names none. */
  defaultCategory?: string | null;
}

export interface PatronImportOptions {
  dryRun?: boolean;
  mapping?: PatronMapping;
  fileName?: string;
  fingerprint?: string | null;
  restart?: boolean;
  totalBytes?: number | null;
  onProgress?: (p: ImportProgress) => void;
}

export interface PatronImportReport {
  dryRun: boolean;
  /** Data rows read (the header not counted). */
  rows: number;
  added: number;
  updated: number;
  skippedCount: number;
  /** Positions are rows of the file, the header being row 1. */
  skipped: Skipped[];
  /** The file's columns Circa read, by the field each went to, and those it left aside. */
  columns: Record<string, string>;
  ignoredColumns: string[];
  resumedAfter: number;
}

const BATCH = 250;

export async function importPatrons(
  ctx: ServiceContext,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  actor: Actor,
  options: PatronImportOptions = {},
): Promise<PatronImportReport> {
  const dryRun = options.dryRun ?? false;
  const mapping = options.mapping ?? {};
  const cfg = ctx.config.get();
  const stationBranch = ctx.identity().branchId;
  const mark = new ResumeMark(ctx, 'patrons', dryRun ? null : (options.fingerprint ?? null));
  if (options.restart) mark.clear();
  const resumeAfter = mark.read();
  const skipped = new SkipList();
  const report: PatronImportReport = {
    dryRun,
    rows: 0,
    added: 0,
    updated: 0,
    skippedCount: 0,
    skipped: skipped.list,
    columns: {},
    ignoredColumns: [],
    resumedAfter: resumeAfter,
  };
  const byCard = ctx.store.db.prepare('SELECT * FROM patrons WHERE card_barcode = ? ORDER BY created_at LIMIT 1');
  const seenCards = new Map<string, number>();
  let header: (PatronField | null)[] | null = null;
  let batch: { row: number; patron: PatronRow; isNew: boolean }[] = [];
  let bytes = 0;

  const flush = () => {
    if (batch.length === 0) return;
    if (!dryRun) {
      const rows = batch;
      runCommand(
        ctx,
        {
          command: COMMAND.patrons.importBatch,
          input: {
            file: options.fileName ?? null,
            from: rows[0]!.row,
            to: rows[rows.length - 1]!.row,
            patrons: rows.length,
          },
          actor,
          summary: `import ${rows.length} patrons`,
        },
        (tx) => {
          for (const r of rows) {
            if (r.isNew) tx.insert('patrons', r.patron);
            else tx.upsert('patrons', r.patron);
          }
          mark.write(rows[rows.length - 1]!.row);
        },
      );
    }
    for (const r of batch) {
      if (r.isNew) report.added++;
      else report.updated++;
    }
    batch = [];
    options.onProgress?.({ read: report.rows, bytes, totalBytes: options.totalBytes ?? null });
  };

  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    delimiter: [',', ';', '\t'],
    trim: true,
  });
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        bytes += chunk.length;
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();

  let line = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      line++;
      if (!header) {
        header = cells.map((name) => mapping.columns?.[name] ?? KNOWN_COLUMNS[normalName(name)] ?? null);
        cells.forEach((name, i) => {
          const f = header![i];
          if (f && f !== 'ignore') report.columns[name] = f;
          else report.ignoredColumns.push(name);
        });
        if (!header.includes('cardBarcode') || !header.includes('lastName')) {
          throw new ServiceError(
            'INVALID',
            `The file's first row must name its columns, with at least a card number and a surname; it has ${cells.map((c) => `"${c}"`).join(', ')}. Give a column mapping for other names.`,
          );
        }
        continue;
      }
      const row = line;
      report.rows++;
      if (row <= resumeAfter) continue;
      const values: Partial<Record<PatronField, string>> = {};
      header.forEach((f, i) => {
        const v = cells[i]?.trim();
        if (f && f !== 'ignore' && v) values[f] = values[f] ? `${values[f]} ${v}` : v;
      });
      const result = patronFromRow(values, row);
      if ('reason' in result) {
        skipped.add({ position: row, id: values.cardBarcode ?? null, reason: `Row ${row}: ${result.reason}.` });
        continue;
      }
      const first = seenCards.get(result.cardBarcode);
      if (first !== undefined) {
        skipped.add({
          position: row,
          id: result.cardBarcode,
          reason: `Row ${row}: the card ${result.cardBarcode} is on row ${first} already; that row was kept.`,
        });
        continue;
      }
      seenCards.set(result.cardBarcode, row);
      const raw = byCard.get(result.cardBarcode) as Record<string, unknown> | undefined;
      const existing = raw ? ctx.rows.decode<PatronRow>('patrons', raw) : undefined;
      const patron: PatronRow = existing
        ? { ...existing, ...result, notes: result.notes || existing.notes }
        : {
            id: ctx.newId(),
            pinHash: null,
            keepReadingHistory: false,
            createdAt: ctx.now(),
            language: null,
            noticeChannel: null,
            ...result,
          };
      batch.push({ row, patron, isNew: !existing });
      if (batch.length >= BATCH) flush();
    }
  } finally {
    await feed;
  }
  if (!header) throw new ServiceError('INVALID', 'The file is empty.');
  flush();
  if (!dryRun) mark.clear();
  report.skippedCount = skipped.count;
  return report;

  function patronFromRow(
    v: Partial<Record<PatronField, string>>,
    row: number,
  ): Omit<PatronRow, 'id' | 'pinHash' | 'keepReadingHistory' | 'createdAt'> | { reason: string } {
    void row;
    if (!v.cardBarcode) return { reason: 'no card number' };
    const card = validateBarcode(cfg.settings.barcodes.patron, v.cardBarcode);
    if (!card.ok)
      return { reason: `the card ${v.cardBarcode} fails the patron barcode rules (${card.reason.replace('_', ' ')})` };
    const lastName = v.lastName ?? '';
    const firstName = [v.firstName, v.middleName].filter(Boolean).join(' ');
    if (!lastName) return { reason: 'no surname' };
    if (!firstName) return { reason: 'no first name' };
    for (const [what, value] of [
      ['the surname', lastName],
      ['the first name', firstName],
      ['the email', v.email],
      ['the phone', v.phone],
    ] as const) {
      if (value && (value.length > 200 || !isSingleLineText(value)))
        return { reason: `${what} is over 200 characters or holds control characters` };
    }
    if (v.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email))
      return { reason: `the email "${v.email}" is not an email address` };
    const categoryCode = v.category
      ? codeFor(cfg.categories.keys(), mapping.categories, v.category)
      : (mapping.defaultCategory ?? null);
    if (!categoryCode || !cfg.categories.has(categoryCode))
      return {
        reason: v.category
          ? `the category "${v.category}" is not one of Circa's: add it or map it`
          : 'no category, and no default category is set',
      };
    const homeBranchId = v.branch ? branchIdFor(cfg, mapping, v.branch) : stationBranch;
    if (!homeBranchId) return { reason: `the branch "${v.branch}" is not one of Circa's: add it or map it` };
    let cardExpiresOn: string;
    if (v.expiry) {
      const day = isoDay(v.expiry);
      if (!day) return { reason: `the expiry "${v.expiry}" is not a date like 2027-06-30` };
      cardExpiresOn = day;
    } else {
      const zone = cfg.branches.get(homeBranchId)?.timeZone ?? 'UTC';
      cardExpiresOn = addDays(localDateOf(ctx.now(), zone), cfg.categories.get(categoryCode)!.cardValidityDays);
    }
    if (v.dateOfBirth && !isoDay(v.dateOfBirth))
      return { reason: `the date of birth "${v.dateOfBirth}" is not a date like 1990-04-01` };
    const place = [v.city, v.state, v.postcode].filter(Boolean).join(' ');
    const address = [v.address, v.address2, place, v.country].filter(Boolean).join('\n') || null;
    if (address && (address.length > 400 || !isMultiLineText(address)))
      return { reason: 'the address is over 400 characters or holds control characters' };
    const notes = v.notes ?? '';
    if (notes.length > 2000 || !isMultiLineText(notes))
      return { reason: 'the notes are over 2000 characters or hold control characters' };
    return {
      cardBarcode: card.barcode,
      firstName,
      lastName,
      email: v.email ?? null,
      phone: v.phone ?? null,
      address,
      homeBranchId,
      categoryCode,
      cardExpiresOn,
      notes,
    };
  }
}

/** "2027-06-30", "2027/06/30", "2027-06-30T00:00:00-04:00", "2027-06-30 00:00:00" -> "2027-06-30". Day-first forms are refused: 03/04 is not one date. */
function isoDay(value: string): string | null {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ].*)?$/.exec(value.trim());
  if (!m) return null;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  return isValidLocalDate(day) ? day : null;
}

/** Koha's column names, so that Koha (and Circa) import the file without a mapping. */
export const EXPORT_COLUMNS = [
  'cardnumber',
  'surname',
  'firstname',
  'email',
  'phone',
  'address',
  'categorycode',
  'branchcode',
  'dateexpiry',
  'borrowernotes',
];

/** Every patron as CSV. No PIN, no loans, no reading history: what moving a library needs. */
export async function exportPatrons(
  ctx: ServiceContext,
  write: (chunk: string) => Promise<void>,
): Promise<{ patrons: number }> {
  const branchCode = new Map([...ctx.config.get().branches.values()].map((b) => [b.id, b.code]));
  const page = ctx.store.db.prepare(
    'SELECT rowid AS r, card_barcode, last_name, first_name, email, phone, address, category_code, home_branch_id, card_expires_on, notes FROM patrons WHERE rowid > ? ORDER BY rowid LIMIT 1000',
  );
  await write(stringify([EXPORT_COLUMNS]));
  let count = 0;
  for (let after = 0; ;) {
    const rows = page.all(after) as Record<string, string | number | null>[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.r as number;
    count += rows.length;
    // A cell starting with = + - @ would be a formula in a spreadsheet: a quote mark keeps it text.
    const safe = (v: string | number | null | undefined) =>
      typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : (v ?? '');
    await write(
      stringify(
        rows.map((p) =>
          [
            p.card_barcode,
            p.last_name,
            p.first_name,
            p.email,
            p.phone,
            p.address,
            p.category_code,
            branchCode.get(p.home_branch_id as string) ?? p.home_branch_id,
            p.card_expires_on,
            p.notes,
          ].map(safe),
        ),
      ),
    );
  }
  return { patrons: count };
}
