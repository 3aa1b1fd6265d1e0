// MARC import: each record of the file becomes a Circa record (or updates the one it matches)
// with the copies its holdings fields describe. Records go in by batches, each batch one
// command (one transaction, one signed journal entry that syncs to the hub), so a record is in
// whole or not at all, and an interrupted import keeps every batch it committed; the resume
// mark (common.ts) lets the next run of the same file skip them.
//
// A record is refused whole, with its position and the reason, when anything in it cannot go
// in (no title, a copy without a barcode or with one that fails the barcode rules or belongs
// to another record, an item type or branch Circa does not know); the rest goes in. A dry run
// reads, checks and matches everything the same way and writes nothing.
import { normaliseLocation } from '../shelf';
import { validateBarcode } from '../../domain/barcode';
import { type Holding, type HoldingsProfile, HOLDINGS_PROFILES } from '../../domain/marc/mapping';
import { parseStoredMarc } from '../../domain/marc/record';
import type { BibRecord, Item } from '../../domain/types';
import { normaliseRecord } from '../catalogue';
import { runCommand, type Actor } from '../command';
import type { ServiceContext } from '../context';
import { ServiceError } from '../errors';
import type { LibraryConfig } from '../config';
import {
  branchIdFor,
  codeFor,
  ResumeMark,
  SkipList,
  type CodeMapping,
  type ImportProgress,
  type Skipped,
} from './common';
import type { ByteSource, MarcFileKind } from './marc-reader';
import { prepareInThread, prepareInWorker, prepareRecord, type PreparedRecord } from './marc-prepare';
import { SeenKeys, type KeyKind } from './seen-keys';
import { restoreSearchIndex, suspendSearchIndex } from '../../store/search-index';
import { COMMAND } from '../../domain/commands';

export interface MarcMapping extends CodeMapping {
  /** The item type of a copy whose holdings field names none. */
  defaultItemType?: string | null;
  /** Which subfield holds what in each holdings tag (952, 852, 949, 995): the defaults, changed. */
  holdings?: Record<string, Partial<HoldingsProfile>>;
}

export interface MarcImportOptions {
  dryRun?: boolean;
  mapping?: MarcMapping;
  /** What the file is called, for the journal and the audit. */
  fileName?: string;
  /** Identifies the file for resuming (import/fingerprint.ts); without it, no resume. */
  fingerprint?: string | null;
  /** Start from the first record even if an earlier run of this file stopped part way. */
  restart?: boolean;
  totalBytes?: number | null;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Read and map the file in this thread rather than in a worker thread (marc-prepare.ts). The
   * worker is the default: the reading is then on the other core while this one writes.
   */
  inThread?: boolean;
}

export interface MarcImportReport {
  kind: MarcFileKind | null;
  /** Where the file was read and mapped: a worker thread, or this one (asked for, or no worker could start). */
  readIn: 'worker' | 'thread' | null;
  dryRun: boolean;
  /** Records read from the file (good and bad). */
  records: number;
  added: number;
  updated: number;
  copies: number;
  copiesUpdated: number;
  skippedCount: number;
  /** The first SKIPPED_LISTED skipped records, by position. */
  skipped: Skipped[];
  /** Records an earlier, interrupted run of this file had committed, not read again. */
  resumedAfter: number;
}

interface PlannedItem {
  row: Item;
  isNew: boolean;
}

interface Plan {
  position: number;
  /**
   * The record as read is not kept: should the plan have to be made again (see FreshCatalogue),
   * it is read back from the row's MARC text. Four batches of records held twice (as objects
   * and as that text) were tens of megabytes of the import's heap.
   */
  record: BibRecord;
  isNew: boolean;
  items: PlannedItem[];
  bytes: number;
}

/**
 * A journal entry stays under the hub's 512 KB per entry (src/hub/request-limits.ts): the
 * estimate runs about 15% under the entry's JSON, so 320 KB of it is ~370 KB of entry. Bigger
 * batches are fewer commits, each an fsync.
 */
const BATCH_BYTES = 320 * 1024;
const BATCH_RECORDS = 500;
/**
 * Batches written in one SQLite transaction, each still its own command (a savepoint inside it,
 * runCommand nests) with its own signed journal entry. One: four a transaction saved three
 * fsyncs in four, but kept four batches' plans alive while the group filled, long enough for V8
 * to promote them to its old generation. Measured by the kernel's high-water mark, one batch a
 * transaction was the lower peak and no slower (docs/performance.md, "Fourth round"). Only
 * whole groups are durable, so a resume starts after the last group committed; the group is
 * written synchronously, so no other command can run inside its transaction.
 */
const GROUP_BATCHES = 1;
/** SQLite's page cache while an import writes, KiB (docs/performance.md: 8 MB cost no time, saved ~20 MB of RSS). */
const IMPORT_CACHE_KIB = 8 * 1024;

/**
 * An import that began on an empty catalogue, while nothing else has written to it: the rows in
 * records and items are all this run's, so a key it never wrote needs no look-up (seen-keys.ts).
 * "Nothing else" is checked before every batch is written: the tables' highest rowids must be
 * those this run's last commit left. A row added by anyone else (the desk, a pull from the hub)
 * raises one; the batch is then planned again with look-ups, and so is the rest of the run.
 */
interface FreshCatalogue {
  seen: SeenKeys;
  maxRecordRowid: number;
  maxItemRowid: number;
}

export class MarcImporter {
  private readonly byControl;
  private readonly byIsbn;
  private readonly itemByBarcode;
  private readonly maxRecordRowid;
  private readonly maxItemRowid;
  private fresh: FreshCatalogue | null = null;

  constructor(private readonly ctx: ServiceContext) {
    const db = ctx.store.db;
    this.byControl = db.prepare('SELECT id FROM records WHERE control_number = ? LIMIT 1').pluck();
    this.byIsbn = db.prepare('SELECT id FROM records WHERE isbn = ? ORDER BY rowid LIMIT 1').pluck();
    this.itemByBarcode = db.prepare('SELECT * FROM items WHERE barcode = ?');
    this.maxRecordRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM records').pluck();
    this.maxItemRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM items').pluck();
  }

  private rowids(): { maxRecordRowid: number; maxItemRowid: number } {
    return { maxRecordRowid: this.maxRecordRowid.get() as number, maxItemRowid: this.maxItemRowid.get() as number };
  }

  /** Could the store hold this key? Always, unless the catalogue is this run's alone and the run never wrote it. */
  private mayBeStored(kind: KeyKind, key: string): boolean {
    return !this.fresh || this.fresh.seen.mayHave(kind, key);
  }

  /** False when something other than this run has added records or copies since its last batch. */
  private freshStillHolds(): boolean {
    if (!this.fresh) return false;
    const now = this.rowids();
    return now.maxRecordRowid === this.fresh.maxRecordRowid && now.maxItemRowid === this.fresh.maxItemRowid;
  }

  async import(source: ByteSource, actor: Actor, options: MarcImportOptions = {}): Promise<MarcImportReport> {
    const dryRun = options.dryRun ?? false;
    const mapping = options.mapping ?? {};
    const profiles = profilesWith(mapping.holdings);
    const cfg = this.ctx.config.get();
    const homeBranch = this.ctx.identity().branchId;
    const mark = new ResumeMark(this.ctx, 'marc', dryRun ? null : (options.fingerprint ?? null));
    if (options.restart) mark.clear();
    const resumeAfter = mark.read();
    const skipped = new SkipList();
    const report: MarcImportReport = {
      kind: null,
      readIn: null,
      dryRun,
      records: 0,
      added: 0,
      updated: 0,
      copies: 0,
      copiesUpdated: 0,
      skippedCount: 0,
      skipped: skipped.list,
      resumedAfter: resumeAfter,
    };
    // What this run has planned but not yet written (all of it, in a dry run): matched like the store.
    const pending = new PendingIndex();
    const db = this.ctx.store.db;
    const start = this.rowids();
    this.fresh = start.maxRecordRowid === 0 && start.maxItemRowid === 0 ? { seen: new SeenKeys(), ...start } : null;
    const remember = (p: Plan) => {
      pending.add(p);
      if (!this.fresh) return;
      const seen = this.fresh.seen;
      seen.add('id', p.record.id);
      if (p.record.controlNumber) seen.add('control', p.record.controlNumber);
      if (p.record.isbn) seen.add('isbn', p.record.isbn);
      for (const i of p.items) seen.add('barcode', i.row.barcode);
    };
    const refuse = (position: number, prepared: PreparedRecord, reason: string) =>
      skipped.add({
        position,
        id: prepared.field001,
        reason: `Record ${position} ${reason}.`,
      });
    let batch: Plan[] = [];
    let batchBytes = 0;
    let bytes = 0;
    const progress = () =>
      options.onProgress?.({ read: report.records, bytes, totalBytes: options.totalBytes ?? null });

    // Batches planned but not yet written: written together, in one transaction (see GROUP_BATCHES).
    let batches: Plan[][] = [];
    let indexSuspended = false;
    const writeBatches = () => {
      if (batches.length === 0) return;
      if (this.fresh && !this.freshStillHolds()) {
        this.fresh = null;
        if (!dryRun) {
          // Planned without look-ups that are now needed: plan these batches again, with them.
          pending.clear();
          batches = batches.map((again) => {
            const replanned: Plan[] = [];
            for (const p of again) {
              const prepared = prepareRecord(parseStoredMarc(p.record.marc)!, profiles);
              const planned = this.plan(p.position, prepared, cfg, mapping, homeBranch, pending);
              if ('reason' in planned) refuse(p.position, prepared, planned.reason);
              else {
                remember(planned);
                replanned.push(planned);
              }
            }
            return replanned;
          });
        }
      }
      if (!dryRun) {
        db.transaction(() => {
          // Into an empty catalogue, the keyword index is built once at the end (store/search-index.ts).
          if (this.fresh && !indexSuspended) {
            suspendSearchIndex(db);
            indexSuspended = true;
          }
          for (const b of batches)
            if (b.length > 0) this.write(b, actor, options.fileName ?? null, mark, skipped, report);
        }).immediate();
        if (this.fresh) Object.assign(this.fresh, this.rowids());
        pending.clear();
      } else for (const b of batches) for (const p of b) count(report, p);
      batches = [];
      progress();
    };
    const flush = (last = false) => {
      if (batch.length > 0) batches.push(batch);
      batch = [];
      batchBytes = 0;
      if (last || batches.length >= GROUP_BATCHES) writeBatches();
    };

    // An import appends (ids, barcodes and the rows in file order): a small page cache serves it as
    // well as the desk's 32 MB does, and keeps the process's memory down while it runs.
    const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
    if (!dryRun) db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    try {
      const slices = options.inThread ? prepareInThread(source, profiles) : prepareInWorker(source, profiles);
      for await (const slice of slices) {
        report.kind = slice.kind;
        report.readIn = slice.readIn;
        bytes = slice.bytes;
        for (const read of slice.records) {
          report.records = read.position;
          if (read.position <= resumeAfter) continue;
          if (!read.ok) {
            skipped.add({
              position: read.position,
              id: read.controlNumber,
              reason: `Record ${read.position} ${read.reason}.`,
            });
            continue;
          }
          const planned = this.plan(read.position, read.record, cfg, mapping, homeBranch, pending);
          if ('reason' in planned) {
            refuse(read.position, read.record, planned.reason);
            continue;
          }
          remember(planned);
          batch.push(planned);
          batchBytes += planned.bytes;
          if (batch.length >= BATCH_RECORDS || batchBytes >= BATCH_BYTES) flush();
        }
      }
      flush(true);
    } finally {
      // Also when the import stops part way: what went in is searchable.
      if (indexSuspended) restoreSearchIndex(db);
      db.pragma(`cache_size = ${cacheBefore}`);
    }
    this.fresh = null;
    if (!dryRun) mark.clear();
    report.skippedCount = skipped.count;
    progress();
    return report;
  }

  /** The rows one record becomes, or why it cannot go in. */
  private plan(
    position: number,
    prepared: PreparedRecord,
    cfg: LibraryConfig,
    mapping: MarcMapping,
    homeBranch: string,
    pending: PendingIndex,
  ): Plan | { reason: string } {
    const { mapped, holdings, marcText } = prepared;
    if (!mapped.title) return { reason: 'has no title (245 $a, or 200 $a in UNIMARC)' };
    // A record Circa made and exported carries Circa's id as its 001 (marc-export.ts).
    const ownId = mapped.controlNumber?.startsWith('Circa|') ? mapped.controlNumber.slice(6) : null;
    const matchedId =
      (ownId && (pending.records.has(ownId) || (this.mayBeStored('id', ownId) && this.ctx.rows.get('records', ownId)))
        ? ownId
        : null) ||
      (mapped.controlNumber &&
        (pending.control.get(mapped.controlNumber) ??
          (this.mayBeStored('control', mapped.controlNumber)
            ? (this.byControl.get(mapped.controlNumber) as string | undefined)
            : undefined))) ||
      (mapped.isbn &&
        (pending.isbn.get(mapped.isbn) ??
          (this.mayBeStored('isbn', mapped.isbn)
            ? (this.byIsbn.get(mapped.isbn) as string | undefined)
            : undefined))) ||
      null;
    const existing = matchedId
      ? (pending.records.get(matchedId) ?? this.ctx.rows.get<BibRecord>('records', matchedId))
      : undefined;
    const fields = normaliseRecord({
      ...mapped,
      callNumber: mapped.callNumber ?? holdings.find((h) => h.callNumber)?.callNumber ?? null,
      marc: marcText,
    });
    const record: BibRecord = { ...(existing ?? {}), ...fields, id: existing?.id ?? this.ctx.newId() } as BibRecord;
    const items: PlannedItem[] = [];
    const seen = new Set<string>();
    for (const [n, h] of holdings.entries()) {
      const item = this.planItem(h, n + 1, record.id, cfg, mapping, homeBranch, pending);
      if ('reason' in item) return item;
      if (seen.has(item.row.barcode)) return { reason: `has the copy barcode ${item.row.barcode} twice` };
      seen.add(item.row.barcode);
      items.push(item);
    }
    return { position, record, isNew: !existing, items, bytes: marcText.length + 400 + items.length * 300 };
  }

  private planItem(
    h: Holding,
    n: number,
    recordId: string,
    cfg: LibraryConfig,
    mapping: MarcMapping,
    homeBranch: string,
    pending: PendingIndex,
  ): PlannedItem | { reason: string } {
    const which = `copy ${n} (${h.tag})`;
    if (!h.barcode) return { reason: `has a ${which} without a barcode` };
    const check = validateBarcode(cfg.settings.barcodes.item, h.barcode);
    if (!check.ok)
      return {
        reason: `has a ${which} whose barcode ${h.barcode} fails the item barcode rules (${check.reason.replace('_', ' ')})`,
      };
    const itemTypeCode = h.itemType
      ? codeFor(cfg.itemTypes.keys(), mapping.itemTypes, h.itemType)
      : (mapping.defaultItemType ?? null);
    if (!itemTypeCode || !cfg.itemTypes.has(itemTypeCode)) {
      return {
        reason: h.itemType
          ? `has a ${which} of item type "${h.itemType}", which Circa does not have: add it or map it`
          : `has a ${which} without an item type, and no default item type is set`,
      };
    }
    const home = h.homeBranch ? branchIdFor(cfg, mapping, h.homeBranch) : homeBranch;
    if (!home)
      return { reason: `has a ${which} at branch "${h.homeBranch}", which Circa does not have: add it or map it` };
    const holding = h.holdingBranch ? branchIdFor(cfg, mapping, h.holdingBranch) : home;
    if (!holding)
      return {
        reason: `has a ${which} held at branch "${h.holdingBranch}", which Circa does not have: add it or map it`,
      };
    const barcode = check.barcode;
    const current =
      pending.items.get(barcode) ?? (this.mayBeStored('barcode', barcode) ? this.storedItem(barcode) : undefined);
    if (current && current.recordId !== recordId)
      return { reason: `has a ${which} with the barcode ${barcode}, which is a copy of another record already` };
    // A file without a location leaves the copy's own (set at the desk) as it is.
    const fields = {
      itemTypeCode,
      homeBranchId: home,
      replacementPrice: h.price,
      notForLoan: h.notForLoan,
      ...(h.location ? { location: normaliseLocation(h.location) } : {}),
    };
    if (current) return { row: { ...current, ...fields }, isNew: false };
    return {
      row: {
        id: this.ctx.newId(),
        barcode,
        recordId,
        currentBranchId: holding,
        status: 'available',
        damaged: false,
        transitToBranchId: null,
        ...fields,
      },
      isNew: true,
    };
  }

  private storedItem(barcode: string): Item | undefined {
    const raw = this.itemByBarcode.get(barcode) as Record<string, unknown> | undefined;
    return raw ? this.ctx.rows.decode<Item>('items', raw) : undefined;
  }

  /** One batch, one command. Should it fail as a whole (it should not: everything was checked), each record is tried alone so one bad record costs only itself. */
  private write(
    batch: Plan[],
    actor: Actor,
    fileName: string | null,
    mark: ResumeMark,
    skipped: SkipList,
    report: MarcImportReport,
  ): void {
    const run = (plans: Plan[]) =>
      runCommand(
        this.ctx,
        {
          command: COMMAND.catalogue.importRecords,
          input: {
            file: fileName,
            from: plans[0]!.position,
            to: plans[plans.length - 1]!.position,
            records: plans.length,
          },
          actor,
          summary: `import ${plans.length} MARC records`,
        },
        (tx) => {
          for (const p of plans) {
            if (p.isNew) tx.insert('records', p.record);
            else tx.upsert('records', p.record);
            for (const i of p.items) {
              if (i.isNew) tx.insert('items', i.row);
              else tx.upsert('items', i.row);
            }
          }
          mark.write(plans[plans.length - 1]!.position);
        },
      );
    try {
      run(batch);
      for (const p of batch) count(report, p);
    } catch (error) {
      // Not a bad record but a station that cannot write at all: stop, do not list every record.
      if (error instanceof ServiceError && (error.code === 'UNAUTHENTICATED' || error.code === 'NOT_CONFIGURED'))
        throw error;
      if (batch.length === 1) {
        skipped.add({
          position: batch[0]!.position,
          id: null,
          reason: `Record ${batch[0]!.position} could not be written: ${error instanceof Error ? error.message : String(error)}.`,
        });
        return;
      }
      for (const p of batch) this.write([p], actor, fileName, mark, skipped, report);
    }
  }
}

function count(report: MarcImportReport, p: Plan): void {
  if (p.isNew) report.added++;
  else report.updated++;
  for (const i of p.items) {
    if (i.isNew) report.copies++;
    else report.copiesUpdated++;
  }
}

function profilesWith(changes: Record<string, Partial<HoldingsProfile>> | undefined): Record<string, HoldingsProfile> {
  const out: Record<string, HoldingsProfile> = { ...HOLDINGS_PROFILES };
  for (const [tag, change] of Object.entries(changes ?? {})) {
    const base = out[tag] ?? { barcode: 'p', callNumber: [] };
    out[tag] = { ...base, ...change } as HoldingsProfile;
  }
  return out;
}

/** Records and copies this run has planned and not yet written, found as the store would find them. */
class PendingIndex {
  readonly records = new Map<string, BibRecord>();
  readonly control = new Map<string, string>();
  readonly isbn = new Map<string, string>();
  readonly items = new Map<string, Item>();
  add(plan: Plan): void {
    // Without its MARC: a dry run of a large file keeps every record here, and the next plan replaces it anyway.
    this.records.set(plan.record.id, { ...plan.record, marc: null });
    if (plan.record.controlNumber) this.control.set(plan.record.controlNumber, plan.record.id);
    if (plan.record.isbn && !this.isbn.has(plan.record.isbn)) this.isbn.set(plan.record.isbn, plan.record.id);
    for (const i of plan.items) this.items.set(i.row.barcode, i.row);
  }
  clear(): void {
    this.records.clear();
    this.control.clear();
    this.isbn.clear();
    this.items.clear();
  }
}
