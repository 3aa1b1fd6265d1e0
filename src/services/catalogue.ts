// The catalogue: records and items, their status, and keyword search.
import { normaliseLocation } from './shelf';
import { validateBarcode } from '../domain/barcode';
import { normaliseIsbn } from '../domain/isbn';
import { refusal } from '../domain/refusals';
import type { BibRecord, Item, ItemStatus } from '../domain/types';
import { runCommand, type Actor } from './command';
import type { ServiceContext } from './context';
import {
  barcodeTaken,
  CatalogueSearch,
  copiesOfRecordWithDue,
  copyCountOfRecord,
  copyDeletionChecks,
  holdCountOfRecord,
  itemIdByBarcode,
  itemWithTitleByBarcode,
  openLoanOfItem,
  recordsWithIsbn,
  type SearchHit,
} from '../store/queries/catalogue';
import { invalid, InvalidFields, notFound, refused, ServiceError } from './errors';
import { ftsPrefixQuery } from './patrons';
import { chargeLostCopy, closeLoanOfFoundCopy } from './lost';
import { COMMAND } from '../domain/commands';

export type RecordInput = Omit<BibRecord, 'id'>;

export interface ItemInput {
  barcode: string;
  recordId: string;
  itemTypeCode: string;
  homeBranchId?: string | null;
  replacementPrice?: number | null;
  notForLoan?: boolean;
  /** Shelving location or collection code ("JUV", "REF"); shelf reading checks it. */
  location?: string | null;
}

/**
 * What staff can set by hand. `found` brings back a lost or missing copy. `claimed_returned`: the
 * borrower says it came back; the loan stays open, uncharged, until the copy is found or checked in.
 */
export type ItemStatusChange =
  'lost' | 'missing' | 'damaged' | 'undamaged' | 'found' | 'withdrawn' | 'claimed_returned' | 'repaired';

export type { SearchHit };

/** What a copy's form may correct. */
export type ItemChanges = Partial<
  Pick<Item, 'itemTypeCode' | 'homeBranchId' | 'replacementPrice' | 'notForLoan' | 'location'>
>;

export class CatalogueService {
  private readonly searcher: CatalogueSearch;

  constructor(private readonly ctx: ServiceContext) {
    this.searcher = new CatalogueSearch(ctx);
  }

  search(query: string, limit = 25): SearchHit[] {
    const match = ftsPrefixQuery(query);
    if (!match) return [];
    return this.searcher.search(match, limit);
  }

  record(recordId: string): { record: BibRecord; items: (Item & { dueAt: number | null })[] } {
    const record = this.ctx.rows.get<BibRecord>('records', recordId);
    if (!record) throw notFound('record');
    const items = copiesOfRecordWithDue(this.ctx, recordId);
    return { record, items };
  }

  /** Records that already carry this ISBN, however it was typed. */
  findIsbn(isbn: string): { id: string; title: string; author: string | null }[] {
    const normal = normaliseIsbn(isbn);
    if (!normal) return [];
    return recordsWithIsbn(this.ctx, normal);
  }

  itemByBarcode(barcode: string): Item & { title: string } {
    const item = itemWithTitleByBarcode(this.ctx, barcode.trim());
    if (!item) throw refused([refusal('ITEM_NOT_FOUND', { barcode })]);
    return item;
  }

  addRecord(input: RecordInput, actor: Actor): BibRecord {
    if (!input.title.trim()) throw invalid('A record needs a title.');
    checkRecordFields(input);
    const record: BibRecord = { ...normaliseRecord(input), id: this.ctx.newId() };
    return runCommand(this.ctx, { command: COMMAND.catalogue.addRecord, input, actor, summary: 'add record' }, (tx) =>
      tx.upsert('records', record),
    );
  }

  updateRecord(recordId: string, changes: Partial<RecordInput>, actor: Actor): BibRecord {
    return runCommand(
      this.ctx,
      { command: COMMAND.catalogue.updateRecord, input: { recordId, changes }, actor, summary: 'edit record' },
      (tx) => {
        const existing = this.ctx.rows.get<BibRecord>('records', recordId);
        if (!existing) throw notFound('record');
        checkRecordFields(changes);
        const merged = normaliseRecord({ ...existing, ...changes });
        if (!merged.title) throw invalid('A record needs a title.');
        return tx.upsert('records', { ...merged, id: recordId });
      },
    );
  }

  addItem(input: ItemInput, actor: Actor): Item {
    const cfg = this.ctx.config.get();
    const check = validateBarcode(cfg.settings.barcodes.item, input.barcode);
    if (!check.ok) throw refused([refusal('BARCODE_INVALID', { kind: 'item', reason: check.reason })]);
    if (!cfg.itemTypes.has(input.itemTypeCode)) throw invalid(`Unknown item type ${input.itemTypeCode}.`);
    checkPrice(input.replacementPrice);
    const branchId = input.homeBranchId ?? this.ctx.identity().branchId;
    if (!cfg.branches.has(branchId)) throw invalid('Unknown branch.');
    return runCommand(
      this.ctx,
      {
        command: COMMAND.catalogue.addItem,
        input: { ...input, barcode: check.barcode },
        actor,
        summary: `add item ${check.barcode}`,
      },
      (tx) => {
        if (!this.ctx.rows.get('records', input.recordId)) throw notFound('record');
        if (barcodeTaken(this.ctx, check.barcode)) {
          throw new ServiceError('CONFLICT', 'An item with that barcode exists already.');
        }
        const item: Item = {
          id: this.ctx.newId(),
          barcode: check.barcode,
          recordId: input.recordId,
          homeBranchId: branchId,
          currentBranchId: branchId,
          itemTypeCode: input.itemTypeCode,
          status: 'available',
          damaged: false,
          notForLoan: input.notForLoan ?? false,
          replacementPrice: input.replacementPrice ?? null,
          transitToBranchId: null,
          location: normaliseLocation(input.location),
          lastSeenAt: null,
        };
        return tx.upsert('items', item);
      },
    );
  }

  updateItem(itemId: string, changes: ItemChanges, actor: Actor): Item {
    const cfg = this.ctx.config.get();
    if (changes.itemTypeCode !== undefined && !cfg.itemTypes.has(changes.itemTypeCode))
      throw invalid(`Unknown item type ${changes.itemTypeCode}.`);
    if (changes.homeBranchId !== undefined && !cfg.branches.has(changes.homeBranchId)) throw invalid('Unknown branch.');
    checkPrice(changes.replacementPrice);
    return runCommand(
      this.ctx,
      { command: COMMAND.catalogue.updateItem, input: { itemId, changes }, actor, summary: 'edit item' },
      (tx) => {
        const item = this.ctx.rows.get<Item>('items', itemId);
        if (!item) throw notFound('item');
        return tx.upsert('items', {
          ...item,
          ...changes,
          ...(changes.location !== undefined ? { location: normaliseLocation(changes.location) } : {}),
        });
      },
    );
  }

  /**
   * Deletes a copy catalogued by mistake (a duplicate, a wrong barcode). Refused while a borrower
   * has it or a hold waits on it, and for a copy with loans, fees or in-house uses on record: the
   * history keeps its copy, which is withdrawn instead.
   */
  deleteItem(itemId: string, actor: Actor): void {
    runCommand(
      this.ctx,
      { command: COMMAND.catalogue.deleteItem, input: { itemId }, actor, summary: 'delete item' },
      (tx) => {
        const item = this.ctx.rows.get<Item>('items', itemId);
        if (!item) throw notFound('item');
        if (copyDeletionChecks.onLoan(this.ctx, itemId))
          throw refused([refusal('COPY_ON_LOAN', { barcode: item.barcode })]);
        if (copyDeletionChecks.held(this.ctx, itemId)) throw refused([refusal('COPY_HELD', { barcode: item.barcode })]);
        if (copyDeletionChecks.hasHistory(this.ctx, itemId)) {
          throw refused([refusal('COPY_HAS_HISTORY', { barcode: item.barcode })]);
        }
        tx.delete('items', itemId);
      },
    );
  }

  /** Deletes a record catalogued by mistake: refused while it has copies (delete or move them first) or holds. */
  deleteRecord(recordId: string, actor: Actor): void {
    runCommand(
      this.ctx,
      { command: COMMAND.catalogue.deleteRecord, input: { recordId }, actor, summary: 'delete record' },
      (tx) => {
        const record = this.ctx.rows.get<BibRecord>('records', recordId);
        if (!record) throw notFound('record');
        const copies = copyCountOfRecord(this.ctx, recordId);
        if (copies > 0) throw refused([refusal('RECORD_HAS_COPIES', { count: copies })]);
        if (holdCountOfRecord(this.ctx, recordId) > 0) throw refused([refusal('RECORD_HAS_HOLDS')]);
        tx.delete('records', recordId);
      },
    );
  }

  /**
   * Marks a copy lost, missing, damaged, found or withdrawn. A copy on loan keeps its loan; marked
   * lost, its borrower is charged the replacement price (lost.ts). Found, a copy still on loan
   * comes back: its loan closes (no overdue fine) and what is owed on the lost charge is forgiven.
   */
  setItemStatus(itemBarcode: string, change: ItemStatusChange, actor: Actor): Item {
    return runCommand(
      this.ctx,
      { command: COMMAND.catalogue.setItemStatus, input: { itemBarcode, change }, actor, summary: `item ${change}` },
      (tx) => {
        const itemId = itemIdByBarcode(this.ctx, itemBarcode.trim());
        if (!itemId) throw refused([refusal('ITEM_NOT_FOUND', { barcode: itemBarcode })]);
        const current = this.ctx.rows.get<Item>('items', itemId) as Item;
        const next = { ...current };
        const openLoan = () => openLoanOfItem(this.ctx, current.id);
        switch (change) {
          case 'damaged':
            next.damaged = true;
            break;
          case 'undamaged':
            next.damaged = false;
            break;
          case 'repaired':
            // Back from the mender (a damaged check-in sent it there): on the shelf, no longer damaged.
            if (current.status !== 'in_repair') throw invalid('That item is not in repair.');
            next.status = 'available';
            next.damaged = false;
            break;
          case 'found': {
            if (!(['lost', 'missing', 'claimed_returned'] as ItemStatus[]).includes(current.status))
              throw invalid('That item is not lost or missing.');
            next.status = 'available';
            const loan = openLoan();
            if (loan) {
              closeLoanOfFoundCopy(this.ctx, tx, loan, actor);
              next.currentBranchId = this.ctx.identity().branchId;
              next.transitToBranchId = null;
            }
            break;
          }
          case 'lost': {
            next.status = 'lost';
            const loan = openLoan();
            if (loan) {
              if (current.status !== 'lost') chargeLostCopy(this.ctx, tx, loan, current);
              // The entry names the loan the copy went missing on, unchanged: the hub then takes
              // the status for a copy it knows is out with that borrower, and only then.
              tx.upsert('loans', loan);
            }
            break;
          }
          case 'claimed_returned': {
            const loan = openLoan();
            if (!loan) throw invalid('Only a copy on loan can be claimed returned.');
            next.status = 'claimed_returned';
            tx.upsert('loans', loan);
            break;
          }
          default:
            next.status = change;
        }
        return tx.upsert('items', next);
      },
    );
  }

  /** Counts a use in the library (read at a table, not borrowed); no patron is recorded. */
  inHouseUse(itemBarcode: string, actor: Actor): { itemBarcode: string; title: string } {
    const item = this.itemByBarcode(itemBarcode);
    return runCommand(
      this.ctx,
      { command: COMMAND.catalogue.inHouseUse, input: { itemBarcode }, actor, summary: 'in-house use' },
      (tx) => {
        tx.upsert('in_house_uses', {
          id: this.ctx.newId(),
          itemId: item.id,
          branchId: this.ctx.identity().branchId,
          usedAt: this.ctx.now(),
        });
        return { itemBarcode: item.barcode, title: item.title };
      },
    );
  }
}

/** The station checks again what the schema checks, for callers that reach the service directly (a test, the CLI). */
function checkRecordFields(input: Partial<RecordInput>): void {
  const issues = [];
  if (input.isbn != null && input.isbn.trim() !== '' && !normaliseIsbn(input.isbn))
    issues.push({ path: 'isbn', message: 'not an ISBN', reason: 'isbn' });
  if (input.year != null && (!Number.isInteger(input.year) || input.year < 0 || input.year > 3000))
    issues.push({ path: 'year', message: 'not a year', reason: 'year' });
  if (issues.length) throw new InvalidFields(issues);
}

function checkPrice(price: number | null | undefined): void {
  if (price != null && (!Number.isInteger(price) || price < 0)) {
    throw new InvalidFields([
      {
        path: 'replacementPrice',
        message: 'The replacement price must be a whole number of cents, not below zero.',
        reason: 'money',
      },
    ]);
  }
}

/** An ISBN kept as one run of digits; one from before ISBNs were checked is kept as it was, without hyphens. */
const isbnOf = (typed: string | null): string | null =>
  typed === null ? null : (normaliseIsbn(typed) ?? typed.replace(/[-\s]/g, ''));

export function normaliseRecord(input: RecordInput): RecordInput {
  const clean = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());
  return {
    title: input.title.trim(),
    author: clean(input.author),
    isbn: isbnOf(clean(input.isbn)),
    issn: clean(input.issn),
    publisher: clean(input.publisher),
    year: input.year ?? null,
    callNumber: clean(input.callNumber),
    edition: clean(input.edition),
    subjects: clean(input.subjects),
    controlNumber: input.controlNumber ?? null,
    marc: input.marc ?? null,
  };
}
