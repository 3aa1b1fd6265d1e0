// Applying one station's journal entry at the hub, with circulation sense rather than "last
// writer wins". The entry's effects are the station's new rows, checked first (well formed, and
// the station's to write: src/hub/policy.ts); most are stored as they are, but
// where two stations acted on the same thing while apart the hub decides as a circulation desk
// would, keeps every row, and records an exception staff can work through.
import { orderCheckouts, TOO_CLOSE_RULE, type TimedCheckout } from '../domain/clock-offset';
import { pickHoldToTrap } from '../domain/holds';
import { findRule, DEFAULT_RULE } from '../domain/rules';
import { localDateOf } from '../domain/time';
import { COMMAND } from '../domain/commands';
import { SYNCED_TABLES, type JournalEntry, type RowChange } from '../domain/journal';
import type { CirculationRule, Fee, Hold, Item, Loan, Patron } from '../domain/types';
import type { HubDb, Queryable } from './db';
import { applyResolution } from './exceptions';

import type { ApplyResult, HubException } from './verdicts';

export type { ApplyResult, HubException, Outcome } from './verdicts';

type Data = Record<string, unknown> & { id: string };

/**
 * The station that wrote a loan's check-out, and its clock offset (its wall clock minus the hub's)
 * as known at the push that brought it, with that measurement's uncertainty (null: measured one
 * way by the hub, for a station that does not measure round trips, or recorded before they were).
 */
export interface LoanClock {
  stationId: string;
  offsetMs: number;
  uncertaintyMs: number | null;
}

// --- the rows of one write transaction ---------------------------------------------------------
//
// A push batch of 500 entries used to cost several round trips per entry (a lookup or two, one
// upsert per row, then a restamp of every row). Now the rows a batch needs are read up front in a
// handful of queries (prefetchBatch), every read inside the transaction goes through an in-memory
// view of the rows (the database as read, overlaid with what this transaction wrote), and the
// writes go to the database once, in one multi-row upsert, just before the commit. The circulation
// sense below reads as before: getRow, putRow and the lookups only changed their plumbing.

/** A secondary lookup the circulation rules need, mirrored in SQL (to use the partial indexes of migration 0002) and in JS (for rows written in this transaction). */
interface Lookup {
  table: string;
  field: string;
  /** Extra SQL condition, matching a partial index's predicate word for word. */
  where: string;
  keep: (d: Data) => boolean;
}

const OPEN_LOANS_BY_ITEM: Lookup = { table: 'loans', field: 'itemId', where: `AND (data->>'returnedAt') IS NULL`, keep: (d) => d.returnedAt == null };
const BLOCKS_BY_PATRON: Lookup = { table: 'patron_blocks', field: 'patronId', where: '', keep: () => true };
const PATRONS_BY_CARD: Lookup = { table: 'patrons', field: 'cardBarcode', where: '', keep: () => true };
const PENDING_HOLDS_BY_RECORD: Lookup = { table: 'holds', field: 'recordId', where: `AND (data->>'status') = 'pending'`, keep: (d) => d.status === 'pending' };
const LOOKUPS = [OPEN_LOANS_BY_ITEM, BLOCKS_BY_PATRON, PATRONS_BY_CARD, PENDING_HOLDS_BY_RECORD];

/** Parents before children, so that a station loading rows in change order meets a parent first. */
const TABLE_RANK = new Map<string, number>(SYNCED_TABLES.map((t, i) => [t, i]));

interface PendingWrite {
  table: string;
  id: string;
  json: string;
  deleted: boolean;
  order: number;
}

const keyOf = (table: string, id: string) => `${table}\u0000${id}`;
const fieldText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

class TxRows {
  /** table+id -> the row as this transaction sees it; null: absent or deleted. */
  private readonly rows = new Map<string, Data | null>();
  private readonly pending = new Map<string, PendingWrite>();
  /** Rows written to the database before the end (a raw query needed them there): stamped again under the lock. */
  private readonly flushedEarly = new Map<string, [string, string]>();
  /** Per lookup: value -> ids the database had; value -> ids this transaction wrote. */
  private readonly loaded = new Map<Lookup, Map<string, Set<string>>>();
  private readonly written = new Map<Lookup, Map<string, Set<string>>>();
  private readonly wholeTables = new Map<string, Set<string>>();
  private readonly writtenIds = new Map<string, Set<string>>();
  private order = 0;
  /** Loans' clocks (the loan_clocks table) this transaction records, and those it looked up. */
  private readonly newClocks = new Map<string, LoanClock>();
  private readonly knownClocks = new Map<string, LoanClock | null>();

  constructor(readonly raw: Queryable) {
    for (const l of LOOKUPS) {
      this.loaded.set(l, new Map());
      this.written.set(l, new Map());
    }
  }

  private remember(table: string, id: string, data: Data | null): void {
    const key = keyOf(table, id);
    // What this transaction already saw or wrote is as new as anything read later.
    if (!this.rows.has(key)) this.rows.set(key, data);
  }

  async get(table: string, id: string): Promise<Data | null> {
    const key = keyOf(table, id);
    if (!this.rows.has(key)) await this.load([[table, id]]);
    return this.rows.get(key) ?? null;
  }

  /** Reads rows by key in one query; keys already known are skipped. */
  async load(keys: [string, string][]): Promise<void> {
    const missing = keys.filter(([t, i]) => !this.rows.has(keyOf(t, i)));
    if (missing.length === 0) return;
    const found = await this.raw.query<{ table_name: string; id: string; data: Data }>(
      `SELECT r.table_name, r.id, r.data FROM rows r JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.table_name = k.t AND r.id = k.i WHERE r.deleted = 0`,
      [missing.map((k) => k[0]), missing.map((k) => k[1])],
    );
    for (const r of found) this.remember(r.table_name, r.id, r.data);
    for (const [t, i] of missing) this.remember(t, i, null);
  }

  /** Loads the database's matches of a lookup for several values at once. */
  async loadLookup(l: Lookup, values: string[]): Promise<void> {
    const known = this.loaded.get(l)!;
    const missing = [...new Set(values)].filter((v) => !known.has(v));
    if (missing.length === 0) return;
    for (const v of missing) known.set(v, new Set());
    const found = await this.raw.query<{ id: string; data: Data; k: string }>(
      `SELECT id, data, data->>'${l.field}' AS k FROM rows WHERE table_name = '${l.table}' AND deleted = 0 ${l.where} AND (data->>'${l.field}') = ANY($1::text[])`,
      [missing],
    );
    for (const r of found) {
      this.remember(l.table, r.id, r.data);
      known.get(r.k)?.add(r.id);
    }
  }

  async find(l: Lookup, value: string): Promise<Data[]> {
    await this.loadLookup(l, [value]);
    const ids = new Set([...(this.loaded.get(l)!.get(value) ?? []), ...(this.written.get(l)!.get(value) ?? [])]);
    const out: Data[] = [];
    for (const id of ids) {
      const d = this.rows.get(keyOf(l.table, id));
      if (d && fieldText(d[l.field]) === value && l.keep(d)) out.push(d);
    }
    return out;
  }

  async all(table: string): Promise<Data[]> {
    let ids = this.wholeTables.get(table);
    if (!ids) {
      ids = new Set();
      this.wholeTables.set(table, ids);
      for (const r of await this.raw.query<{ id: string; data: Data }>('SELECT id, data FROM rows WHERE table_name = $1 AND deleted = 0', [table])) {
        this.remember(table, r.id, r.data);
        ids.add(r.id);
      }
    }
    const out: Data[] = [];
    for (const id of new Set([...ids, ...(this.writtenIds.get(table) ?? [])])) {
      const d = this.rows.get(keyOf(table, id));
      if (d) out.push(d);
    }
    return out;
  }

  put(table: string, row: Data, deleted: boolean): void {
    const key = keyOf(table, row.id);
    // Serialized now: a caller changing the object afterwards must not change what is written.
    const json = JSON.stringify(row);
    const copy = JSON.parse(json) as Data;
    this.rows.set(key, deleted ? null : copy);
    this.pending.set(key, { table, id: row.id, json, deleted, order: this.order++ });
    let ids = this.writtenIds.get(table);
    if (!ids) this.writtenIds.set(table, (ids = new Set()));
    ids.add(row.id);
    for (const l of LOOKUPS) {
      if (l.table !== table) continue;
      const v = fieldText(copy[l.field]);
      if (v === null) continue;
      const byValue = this.written.get(l)!;
      let set = byValue.get(v);
      if (!set) byValue.set(v, (set = new Set()));
      set.add(row.id);
    }
  }

  /** Records which station wrote a loan's check-out and its measured clock offset; the first record stands. */
  recordClock(loanId: string, clock: LoanClock): void {
    if (this.knownClocks.get(loanId) || this.newClocks.has(loanId)) return;
    this.newClocks.set(loanId, clock);
  }

  async clockOf(loanId: string): Promise<LoanClock | null> {
    const fresh = this.newClocks.get(loanId);
    if (fresh) return fresh;
    if (!this.knownClocks.has(loanId)) {
      const r = (await this.raw.query<{ station_id: string; clock_offset_ms: string; uncertainty_ms: string | null }>(
        'SELECT station_id, clock_offset_ms, uncertainty_ms FROM loan_clocks WHERE loan_id = $1',
        [loanId],
      ))[0];
      this.knownClocks.set(loanId, r ? { stationId: r.station_id, offsetMs: Number(r.clock_offset_ms), uncertaintyMs: r.uncertainty_ms === null ? null : Number(r.uncertainty_ms) } : null);
    }
    return this.knownClocks.get(loanId) ?? null;
  }

  /** Writes what is pending in one statement, each row stamped with the next change number. */
  async flush(final: boolean): Promise<void> {
    if (final && this.newClocks.size > 0) {
      const clocks = [...this.newClocks];
      this.newClocks.clear();
      for (const [id, c] of clocks) this.knownClocks.set(id, c);
      await this.raw.query(
        `INSERT INTO loan_clocks (loan_id, station_id, clock_offset_ms, uncertainty_ms) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) ON CONFLICT (loan_id) DO NOTHING`,
        [clocks.map((c) => c[0]), clocks.map((c) => c[1].stationId), clocks.map((c) => c[1].offsetMs), clocks.map((c) => c[1].uncertaintyMs)],
      );
    }
    if (this.pending.size > 0) {
      const writes = [...this.pending.values()].sort((a, b) => (TABLE_RANK.get(a.table) ?? 99) - (TABLE_RANK.get(b.table) ?? 99) || a.order - b.order);
      this.pending.clear();
      await this.raw.query(
        `INSERT INTO rows (table_name, id, data, deleted, change_seq)
         SELECT t, i, d::jsonb, x, nextval('change_seq') FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS k(t, i, d, x, n) ORDER BY n
         ON CONFLICT (table_name, id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, change_seq = excluded.change_seq`,
        [writes.map((w) => w.table), writes.map((w) => w.id), writes.map((w) => w.json), writes.map((w) => (w.deleted ? 1 : 0))],
      );
      for (const w of writes) {
        const key = keyOf(w.table, w.id);
        if (final) this.flushedEarly.delete(key);
        else this.flushedEarly.set(key, [w.table, w.id]);
      }
    }
    if (final && this.flushedEarly.size > 0) {
      const list = [...this.flushedEarly.values()];
      this.flushedEarly.clear();
      await this.raw.query(
        `UPDATE rows SET change_seq = nextval('change_seq') FROM unnest($1::text[], $2::text[]) AS k(t, i) WHERE rows.table_name = k.t AND rows.id = k.i`,
        [list.map((k) => k[0]), list.map((k) => k[1])],
      );
    }
  }

  get dirty(): boolean {
    return this.pending.size > 0 || this.flushedEarly.size > 0 || this.newClocks.size > 0;
  }
}

const txRows = new WeakMap<Queryable, TxRows>();

function rowsOf(tx: Queryable): TxRows {
  const r = txRows.get(tx);
  if (!r) throw new Error('library rows are read and written only inside writeRows: a change outside would never reach the stations');
  return r;
}

export async function getRow<T = Data>(tx: Queryable, table: string, id: string): Promise<T | null> {
  const r = txRows.get(tx);
  if (!r) {
    const found = await tx.query<{ data: T }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2 AND deleted = 0', [table, id]);
    return found[0]?.data ?? null;
  }
  return (await r.get(table, id)) as T | null;
}

/** Writes a library row; only inside writeRows, which gives it its place in the change feed. */
export async function putRow(tx: Queryable, table: string, row: Data, deleted = false): Promise<void> {
  rowsOf(tx).put(table, row, deleted);
}

/**
 * Gives a row a new place in the change feed without changing it: where the hub kept its own
 * version of a row an entry sent (a check-in of a copy since lent elsewhere, a renewal of a loan
 * already returned), the station that sent it must still hear the hub's verdict. It did not
 * apply the hub's version while its own change was waiting, and would otherwise keep its own.
 */
export async function touchRow(tx: Queryable, table: string, id: string): Promise<void> {
  // Written again as it is; whatever the entry then writes to the row replaces this.
  const current = await getRow(tx, table, id);
  if (current) await putRow(tx, table, current);
}

/**
 * A write transaction on library rows. Its rows reach the database just before it commits,
 * stamped with fresh change numbers under a lock held until the commit: change numbers then
 * become visible in the order they were given. Without that, a transaction that took number 10
 * and committed after another took 11 would be skipped for ever by a station whose cursor had
 * passed 11.
 *
 * A raw query on the rows table inside `fn` first writes what is pending, so it sees this
 * transaction's own writes (those rows are stamped again at the end).
 */
export async function writeRows<T>(db: HubDb, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (raw) => {
    const state = new TxRows(raw);
    const tx: Queryable = {
      async query<R>(sql: string, params?: unknown[]) {
        if (/\brows\b/.test(sql) && state.dirty) await state.flush(false);
        return raw.query<R>(sql, params);
      },
    };
    txRows.set(tx, state);
    const result = await fn(tx);
    if (state.dirty) {
      await raw.query('SELECT pg_advisory_xact_lock(7402)');
      await state.flush(true);
    }
    return result;
  });
}

/**
 * Reads, in a few queries, what applying these entries will look up: the rows they change, the
 * copies and borrowers of their loans, open loans of their copies, blocks of their borrowers,
 * patrons with their cards and holds on their titles. Anything missed is read when needed.
 */
export async function prefetchBatch(tx: Queryable, entries: JournalEntry[]): Promise<void> {
  const r = rowsOf(tx);
  const keys: [string, string][] = [];
  const itemIds: string[] = [];
  const patronIds: string[] = [];
  const cards: string[] = [];
  const recordIds: string[] = [];
  for (const entry of entries) {
    // The account that signed it (src/hub/authority.ts checks its key and role).
    if (entry.staffId) keys.push(['staff', entry.staffId]);
    for (const e of entry.payload.effects) {
      keys.push([e.table, e.row.id]);
      if (e.op === 'delete') continue;
      const row = e.row as Data;
      if (e.table === 'loans') {
        const itemId = fieldText(row.itemId);
        const patronId = fieldText(row.patronId);
        if (itemId) {
          itemIds.push(itemId);
          keys.push(['items', itemId]);
        }
        if (patronId) {
          patronIds.push(patronId);
          keys.push(['patrons', patronId]);
        }
      } else if (e.table === 'items') {
        itemIds.push(row.id);
        const recordId = fieldText(row.recordId);
        if (recordId && row.status === 'available') recordIds.push(recordId);
      } else if (e.table === 'patrons') {
        const card = fieldText(row.cardBarcode);
        if (card) cards.push(card);
      }
    }
  }
  await r.load(keys);
  await r.loadLookup(OPEN_LOANS_BY_ITEM, itemIds);
  if (patronIds.length > 0) await r.loadLookup(BLOCKS_BY_PATRON, patronIds);
  if (cards.length > 0) await r.loadLookup(PATRONS_BY_CARD, cards);
  if (recordIds.length > 0) await r.loadLookup(PENDING_HOLDS_BY_RECORD, recordIds);
}

async function openLoansOfItem(tx: Queryable, itemId: string): Promise<Loan[]> {
  return (await rowsOf(tx).find(OPEN_LOANS_BY_ITEM, itemId)) as unknown as Loan[];
}

async function rulesMatrix(tx: Queryable): Promise<CirculationRule[]> {
  return (await rowsOf(tx).all('circulation_rules')) as unknown as CirculationRule[];
}

const RENEW_COMMANDS = new Set<string>([COMMAND.circulation.renew, COMMAND.circulation.renewAll, COMMAND.circulation.checkout]);

/**
 * Circulation sense reads what it decides on (a copy's open loans, a card's patrons, a fee's
 * balance, a title's holds) and then writes. Two stations' batches in flight at once on
 * PostgreSQL (read committed) would each decide without seeing the other's uncommitted loan:
 * the sync property test caught a copy left "in transit" with an open loan that way. So a batch
 * first takes a lock on every copy, card, fee and title its entries touch, all in one statement
 * in a fixed order (no deadlock between batches), held until it commits; call it before reading.
 */
export async function lockWhatEntriesTouch(tx: Queryable, entries: JournalEntry[]): Promise<void> {
  const keys = new Set<string>();
  for (const entry of entries) {
    for (const e of entry.payload.effects) {
      const row = e.row as Record<string, unknown>;
      if (e.table === 'items') keys.add(`item:${e.row.id}`);
      if (e.table === 'fees') keys.add(`fee:${e.row.id}`);
      if (typeof row.itemId === 'string') keys.add(`item:${row.itemId}`);
      if (typeof row.recordId === 'string') keys.add(`record:${row.recordId}`);
      if (e.table === 'patrons' && typeof row.cardBarcode === 'string') keys.add(`card:${row.cardBarcode}`);
    }
  }
  if (keys.size === 0) return;
  // Sorted before locking (volatile functions run after the sort). Keys fall into 1024 buckets:
  // a first sync of a thousand entries must not take thousands of locks (PostgreSQL's lock table
  // is shared and finite); two small batches rarely meet in a bucket.
  await tx.query('SELECT pg_advisory_xact_lock(7404, k) FROM (SELECT DISTINCT hashtext(x) & 1023 AS k FROM unnest($1::text[]) AS x ORDER BY k) AS h ORDER BY k', [[...keys]]);
}

/** The pushing station's clock as known at this push (src/domain/clock-offset.ts). */
export interface PushClock {
  offsetMs: number;
  uncertaintyMs: number | null;
}

/**
 * Applies one entry. clock: the pushing station's clock offset (its wall clock minus the hub's)
 * and its uncertainty, or null if none is known; it orders two loans of the same copy lent while
 * apart (applyLoan).
 */
export async function applyEntry(tx: Queryable, entry: JournalEntry, clock: PushClock | null = null): Promise<ApplyResult> {
  // Staff at a station resolved an exception: no rows, the hub's exception list (exceptions.ts).
  if (entry.command === COMMAND.sync.resolveException) return applyResolution(tx, entry);
  const exceptions: HubException[] = [];
  const warnings: string[] = [];
  let conflict: string | null = null;
  const effects = entry.payload.effects;
  const loanIdsInEntry = new Set(effects.filter((e) => e.table === 'loans').map((e) => e.row.id));
  const allocations = new Map<string, number>();
  for (const e of effects) if (e.table === 'payment_allocations') allocations.set(String(e.row.feeId), Number(e.row.amount));
  const waivers = new Map<string, number>();
  const refusedTraps = new Set<string>();
  for (const e of effects) if (e.table === 'fee_waivers') waivers.set(String(e.row.feeId), Number(e.row.amount));

  for (const change of effects) {
    await touchRow(tx, change.table, change.row.id);
    if (change.op === 'delete') {
      const existing = await getRow(tx, change.table, change.row.id);
      if (existing) await putRow(tx, change.table, existing, true);
      continue;
    }
    const row = change.row as Data;
    switch (change.table) {
      case 'loans':
        conflict = (await applyLoan(tx, entry, row as unknown as Loan & Data, exceptions, warnings, clock)) ?? conflict;
        break;
      case 'items':
        // A copy whose trap did not stand (applyHold) stays as the hub has it.
        if (refusedTraps.has(row.id)) break;
        if (await applyItem(tx, row, loanIdsInEntry)) await holdsWaitingFor(tx, entry, row as unknown as Item & Data, exceptions, warnings);
        break;
      case 'holds':
        await applyHold(tx, entry, row as unknown as Hold & Data, exceptions, warnings, refusedTraps);
        break;
      case 'fees':
        await applyFee(tx, entry, row as unknown as Fee & Data, allocations, warnings, waivers);
        break;
      case 'patrons':
        conflict = (await applyPatron(tx, entry, row as unknown as Patron & Data, exceptions)) ?? conflict;
        break;
      default:
        await putRow(tx, change.table, row);
    }
  }
  if (conflict) return { outcome: 'conflict', reason: conflict, exceptions };
  if (warnings.length > 0) return { outcome: 'applied_with_warning', reason: warnings.join('; '), exceptions };
  return { outcome: 'applied', exceptions };
}

/** The hub has this loan returned at a desk (not merely closed by the hub because the copy was lent again elsewhere). */
async function returnedAtADesk(tx: Queryable, loanId: string): Promise<boolean> {
  const current = await getRow<Loan>(tx, 'loans', loanId);
  return !!current && current.returnedAt !== null && current.returnBranchId !== null;
}

/**
 * A loan's check-out as the hub orders it: the station's time, the offset known for the station
 * that wrote it and that offset's uncertainty; the station's own time (offset 0, uncertainty
 * unknown) where no offset is known.
 */
async function timedCheckout(tx: Queryable, loan: Loan): Promise<TimedCheckout> {
  const clock = await rowsOf(tx).clockOf(loan.id);
  return { loanId: loan.id, stationId: clock?.stationId ?? '', checkedOutAt: loan.checkedOutAt, offsetMs: clock?.offsetMs ?? 0, uncertaintyMs: clock?.uncertaintyMs ?? null };
}

const LENT_TWICE_MESSAGES = {
  station_clocks: 'The same copy was lent at two stations while they were apart; the later borrower has it.',
  corrected_clocks:
    "The same copy was lent at two stations while they were apart; the later borrower has it. Later by the hub's clock: a station's clock was off, and its check-out time was corrected by the offset the hub measured.",
  too_close:
    'The same copy was lent at two stations while they were apart, at check-outs too close to tell which came first (%APART% ms apart, within the clocks\' combined uncertainty of %UNCERTAINTY% ms). By the stated rule, the check-out at the station with the lower id keeps the copy.',
} as const;

const LENT_TWICE_REASONS = {
  station_clocks: 'lent twice',
  corrected_clocks: "lent twice (the later by the stations' clocks corrected as the hub measured them)",
  too_close: 'lent twice, too close to tell (the station with the lower id keeps the copy)',
} as const;

/**
 * A time that went backwards at the station: a loan returned before it was checked out (its
 * clock was corrected back between the two). Never stored as it is: the return is clamped to the
 * check-out, the entry is applied with a warning, and the branch is told.
 */
function clampBackwardsReturn(entry: JournalEntry, loan: Loan & Data, exceptions: HubException[], warnings: string[]): void {
  if (loan.returnedAt === null || loan.returnedAt >= loan.checkedOutAt) return;
  const byMs = loan.checkedOutAt - loan.returnedAt;
  loan.returnedAt = loan.checkedOutAt;
  warnings.push(`returned ${Math.ceil(byMs / 1000)} s before its check-out by the station's clock: the return was set to the check-out time`);
  exceptions.push({
    kind: 'time_went_back',
    message: `A loan was returned ${Math.ceil(byMs / 1000)} s before it was checked out by the station's clock (its clock was set back): the return was recorded at the check-out time. Check the station's clock.`,
    params: { field: 'returnedAt', byMs },
    patronIds: loan.patronId ? [loan.patronId] : [],
    itemId: loan.itemId,
    entryIds: [entry.id],
    branchIds: [entry.branchId],
  });
}

/**
 * Two stations lent the same copy while apart: keep both loans; the later borrower has it. Later
 * by the hub's clock: each check-out time corrected by its station's measured clock offset, so a
 * station whose clock runs fast does not win for that. Check-outs closer than the offsets'
 * combined uncertainty are too close to tell: a stated rule decides (src/domain/clock-offset.ts)
 * and the exception says so. The loans keep the times their stations wrote (their due dates were
 * computed from them).
 */
async function applyLoan(tx: Queryable, entry: JournalEntry, loan: Loan & Data, exceptions: HubException[], warnings: string[], clock: PushClock | null = null): Promise<string | null> {
  let result: string | null = null;
  clampBackwardsReturn(entry, loan, exceptions, warnings);
  if (loan.returnedAt !== null && (await returnedAtADesk(tx, loan.id))) {
    // Privacy: a returned loan's link to its patron, once dropped at a station (the retention
    // period passed, src/services/privacy.ts), is dropped here too, whatever else the hub keeps.
    const current = (await getRow<Loan & Data>(tx, 'loans', loan.id))!;
    if (loan.patronId === null && current.patronId !== null) await putRow(tx, 'loans', { ...current, patronId: null });
    if (entry.command === COMMAND.privacy.purgeLoanHistory) return null;
    // Checked in again at a desk that had not heard of the first check-in: the copy came back
    // once, when it first did (its second fine is not charged, see applyFee).
    warnings.push('checked in again: the first return stands');
    return null;
  }
  if (loan.returnedAt === null) {
    // A renewal made at a desk that had not heard of the return: the copy came back, the return
    // stands (the station gets the returned loan back; see touchRow).
    const current = await getRow<Loan>(tx, 'loans', loan.id);
    if (current && current.returnedAt !== null) {
      // (A copy marked lost or claimed returned names its loan too: the same verdict.)
      warnings.push(RENEW_COMMANDS.has(entry.command) ? 'renewed a loan already returned: the return stands' : 'a loan already returned: the return stands');
      return null;
    }
    // A check-out new to the hub: its station's clock offset, for ordering it against another
    // station's loan of the same copy (now or when that one arrives).
    if (!current && clock !== null) rowsOf(tx).recordClock(loan.id, { stationId: entry.stationId, offsetMs: clock.offsetMs, uncertaintyMs: clock.uncertaintyMs });
    for (const other of await openLoansOfItem(tx, loan.itemId)) {
      if (other.id === loan.id) continue;
      const incoming = await timedCheckout(tx, loan);
      const order = orderCheckouts(incoming, await timedCheckout(tx, other));
      const incomingIsLater = order.later === incoming;
      const [earlier, later] = incomingIsLater ? [other, loan] : [loan, other];
      // The earlier loan stays in history, closed when the copy was lent again: at the later
      // check-out's time, or where the corrected clocks decided, that moment on the earlier
      // station's clock; never before its own check-out.
      const laterOnEarliersClock = order.later.checkedOutAt - order.later.offsetMs + order.earlier.offsetMs;
      const returnedAt = order.decidedBy === 'station_clocks' ? later.checkedOutAt : Math.max(earlier.checkedOutAt, laterOnEarliersClock);
      const closed = { ...earlier, returnedAt, returnBranchId: null };
      if (incomingIsLater) await putRow(tx, 'loans', closed as Data);
      else Object.assign(loan, closed);
      const apartMs = Math.round(order.apartMs);
      const uncertaintyMs = order.decidedBy === 'too_close' ? order.uncertaintyMs : null;
      exceptions.push({
        kind: 'lent_twice',
        message: LENT_TWICE_MESSAGES[order.decidedBy].replace('%APART%', String(apartMs)).replace('%UNCERTAINTY%', String(uncertaintyMs)),
        params: {
          decidedBy: order.decidedBy,
          apartMs,
          ...(order.decidedBy === 'too_close' ? { uncertaintyMs, rule: TOO_CLOSE_RULE, keptByStationId: order.later.stationId } : {}),
        },
        patronIds: [earlier.patronId, later.patronId].filter((p): p is string => !!p),
        itemId: loan.itemId,
        entryIds: [entry.id],
        branchIds: [...new Set([earlier.branchId, later.branchId])],
      });
      result = LENT_TWICE_REASONS[order.decidedBy];
    }
    if (loan.patronId) {
      const blocks = (await rowsOf(tx).find(BLOCKS_BY_PATRON, loan.patronId)) as unknown as { kind: string; until: string | null }[];
      const bars = blocks.filter((b) => b.kind === 'barred');
      if (bars.length > 0) {
        const branch = await getRow<{ timeZone: string }>(tx, 'branches', loan.branchId);
        const day = localDateOf(loan.checkedOutAt, branch?.timeZone ?? 'UTC');
        if (bars.some((b) => b.until === null || b.until >= day)) warnings.push('lent to a patron barred at the hub');
      }
    }
    if (RENEW_COMMANDS.has(entry.command) && loan.renewals > 0 && !(entry.payload.overrides?.length)) {
      const patron = loan.patronId ? await getRow<Patron>(tx, 'patrons', loan.patronId) : null;
      const item = await getRow<{ itemTypeCode: string }>(tx, 'items', loan.itemId);
      const rule = findRule(await rulesMatrix(tx), { branchId: loan.branchId, categoryCode: patron?.categoryCode ?? '*', itemTypeCode: item?.itemTypeCode ?? '*' }) ?? DEFAULT_RULE;
      if (loan.renewals > rule.renewalsAllowed) warnings.push('renewed offline beyond the renewal limit');
    }
  }
  await putRow(tx, 'loans', loan);
  return result;
}

/** An offline return of a copy since lent elsewhere closes the old loan only: the copy stays with its new borrower. */
async function applyItem(tx: Queryable, item: Data, loanIdsInEntry: Set<string>): Promise<boolean> {
  if (item.status !== 'on_loan') {
    const open = await openLoansOfItem(tx, item.id);
    if (open.some((l) => !loanIdsInEntry.has(l.id))) return false;
  }
  await putRow(tx, 'items', item);
  return true;
}

/**
 * A copy checked in offline went back on the shelf, but the hub holds a hold it could fill that
 * the station did not know of: the hold stays pending and the branch is told to pull the copy.
 * Where the station trapped the copy itself, its trap stands (applyHold).
 */
async function holdsWaitingFor(tx: Queryable, entry: JournalEntry, item: Item & Data, exceptions: HubException[], warnings: string[]): Promise<void> {
  if (item.status !== 'available') return;
  if (entry.payload.effects.some((e) => e.table === 'holds' && e.row.itemId === item.id)) return;
  const holds = (await rowsOf(tx).find(PENDING_HOLDS_BY_RECORD, String(item.recordId))) as unknown as Hold[];
  if (holds.length === 0) return;
  const branch = await getRow<{ timeZone: string }>(tx, 'branches', item.currentBranchId);
  const hold = pickHoldToTrap({ item, holds, today: localDateOf(entry.wallTime, branch?.timeZone ?? 'UTC') });
  if (!hold) return;
  warnings.push('checked in while the hub holds a hold for it: pull it from the shelf');
  exceptions.push({
    kind: 'hold_to_pull',
    message: 'A copy checked in offline is on the shelf while a hold waits for it: pull it and check it in again to trap it.',
    patronIds: [hold.patronId],
    itemId: item.id,
    entryIds: [entry.id],
    branchIds: [...new Set([item.currentBranchId, hold.pickupBranchId])],
  });
}

/** A station's trap stands; if the hub had meanwhile closed that hold, the copy is flagged rather than lost on a shelf. */
async function applyHold(tx: Queryable, entry: JournalEntry, hold: Hold & Data, exceptions: HubException[], warnings: string[], refusedTraps = new Set<string>()): Promise<void> {
  const current = await getRow<Hold>(tx, 'holds', hold.id);
  const closed = (s: string) => s === 'cancelled' || s === 'expired' || s === 'fulfilled';
  const trapping = (hold.status === 'waiting' || hold.status === 'in_transit') && hold.itemId !== null;
  if (trapping && !(current && (current.status === 'waiting' || current.status === 'in_transit') && current.itemId === hold.itemId)) {
    // Two desks trapped the same copy for different holds while apart (it was checked in at both):
    // the first trap stands, this hold waits again, and both branches are told to find the copy.
    // Rare (only traps get here), so a plain query rather than an index of its own.
    const other = (await tx.query<{ data: Hold }>(
      `SELECT data FROM rows WHERE table_name = 'holds' AND deleted = 0 AND id <> $1 AND data->>'itemId' = $2 AND data->>'status' IN ('waiting', 'in_transit') LIMIT 1`,
      [hold.id, hold.itemId],
    ))[0]?.data;
    if (other) {
      refusedTraps.add(hold.itemId!);
      warnings.push('the copy was already trapped for another hold: the first trap stands');
      exceptions.push({
        kind: 'trapped_twice',
        message: 'A copy was trapped for two holds at two desks while they were apart; the first trap stands and the other hold waits again: check where the copy is.',
        patronIds: [other.patronId, hold.patronId],
        itemId: hold.itemId,
        entryIds: [entry.id],
        branchIds: [...new Set([entry.branchId, other.pickupBranchId, hold.pickupBranchId])],
      });
      await putRow(tx, 'holds', { ...(current ?? hold), status: 'pending', itemId: hold.itemLevel ? hold.itemId : null, waitingSince: null, shelfExpiresOn: null } as Data);
      return;
    }
  }
  if (current && closed(current.status) && (hold.status === 'waiting' || hold.status === 'in_transit')) {
    warnings.push(`trapped for a hold already ${current.status} at the hub`);
    exceptions.push({
      kind: 'trapped_for_closed_hold',
      message: `A copy was trapped offline for a hold that was ${current.status} meanwhile: reshelve it or trap it for the next hold.`,
      patronIds: [hold.patronId],
      itemId: hold.itemId,
      entryIds: [entry.id],
      branchIds: [...new Set([entry.branchId, hold.pickupBranchId])],
    });
    return;
  }
  await putRow(tx, 'holds', hold);
}

/** The same fee paid at two stations: the hub applies each payment to what is still owed; any excess becomes a credit. */
async function applyFee(tx: Queryable, entry: JournalEntry, fee: Fee & Data, allocations: Map<string, number>, warnings: string[], waivers = new Map<string, number>()): Promise<void> {
  const paid = allocations.get(fee.id);
  const current = await getRow<Fee & Data>(tx, 'fees', fee.id);
  const waived = waivers.get(fee.id);
  if (waived !== undefined && current) {
    // A waiver forgives what is still owed at the hub, never more: the station's row would undo a
    // payment made meanwhile at another desk (found by the sync property test).
    const left = current.outstanding - waived;
    if (left < 0) warnings.push(`waived ${waived} of a fee that owed ${Math.max(0, current.outstanding)}: the rest was not needed`);
    await putRow(tx, 'fees', { ...current, outstanding: Math.max(0, left) });
    return;
  }
  if (!current && fee.kind === 'overdue' && fee.loanId && (await returnedAtADesk(tx, fee.loanId))) {
    // The fine of a second check-in of a loan already returned: kept for the record, not charged.
    // (Kept rather than deleted: a desk may already have taken a payment against it, which then
    // becomes a credit.)
    warnings.push('a second fine for the same loan was not charged');
    await putRow(tx, 'fees', { ...fee, outstanding: 0, description: `${fee.description} (not charged: returned twice)` });
    return;
  }
  if (paid === undefined || !current) {
    await putRow(tx, 'fees', fee);
    return;
  }
  // A payment changes only what is owed: the rest of the fee is the hub's (a fine marked not charged stays so).
  const outstanding = current.outstanding - paid;
  if (outstanding >= 0) {
    await putRow(tx, 'fees', { ...current, outstanding });
    return;
  }
  await putRow(tx, 'fees', { ...current, outstanding: 0 });
  const credit: Fee = {
    id: `${fee.id}:credit:${entry.id}`,
    patronId: fee.patronId,
    kind: 'manual',
    amount: outstanding,
    outstanding,
    currency: fee.currency,
    loanId: null,
    itemId: fee.itemId,
    description: 'credit: paid twice',
    createdAt: entry.wallTime,
  };
  await putRow(tx, 'fees', credit as unknown as Data);
  warnings.push(`fee paid twice: ${-outstanding} kept as a credit`);
}

/**
 * Two stations registered the same card: both patrons are kept; the second is a conflict to
 * resolve. Every branch concerned is told: the one that pushed, and the home branches of the
 * patrons holding the card (the branch that registered it first among them: the hub does not
 * keep which station wrote a row, and a desk registers a patron at its own branch by default).
 */
async function applyPatron(tx: Queryable, entry: JournalEntry, patron: Patron & Data, exceptions: HubException[]): Promise<string | null> {
  const same = (await rowsOf(tx).find(PATRONS_BY_CARD, String(patron.cardBarcode))).filter((p) => p.id !== patron.id) as unknown as (Patron & Data)[];
  await putRow(tx, 'patrons', patron);
  if (same.length === 0) return null;
  exceptions.push({
    kind: 'duplicate_card',
    message: 'Two patrons were registered with the same card barcode while the stations were apart.',
    patronIds: [...same.map((s) => s.id), patron.id],
    itemId: null,
    entryIds: [entry.id],
    branchIds: [...new Set([...same.map((s) => s.homeBranchId), patron.homeBranchId, entry.branchId].filter((b): b is string => typeof b === 'string' && b !== ''))],
  });
  return 'duplicate card barcode';
}

export type { RowChange };
