// The hub's row store: a unit of work over Queryable. Every read of a library row inside a write
// transaction goes through an in-memory view (the database as read, overlaid with what this
// transaction wrote), and the writes reach the database once, just before the commit, stamped with
// fresh change numbers. It knows rows, lookups and locks, and nothing of circulation: the rules
// that decide what to write live in src/hub/apply.ts.
import { SYNCED_TABLES, type JournalEntry } from '../domain/journal';
import type { CirculationRule, Hold, Loan } from '../domain/types';
import type { HubDb, Queryable } from './db';

export type Data = Record<string, unknown> & { id: string };

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
// sense (apply.ts) reads as before: getRow, putRow and the lookups only changed their plumbing.

/** A secondary lookup the circulation rules need, mirrored in SQL (to use the partial indexes of migration 0002) and in JS (for rows written in this transaction). */
interface Lookup {
  table: string;
  field: string;
  /** Extra SQL condition, matching a partial index's predicate word for word. */
  where: string;
  keep: (d: Data) => boolean;
}

const OPEN_LOANS_BY_ITEM: Lookup = {
  table: 'loans',
  field: 'itemId',
  where: `AND (data->>'returnedAt') IS NULL`,
  keep: (d) => d.returnedAt == null,
};
const BLOCKS_BY_PATRON: Lookup = { table: 'patron_blocks', field: 'patronId', where: '', keep: () => true };
const PATRONS_BY_CARD: Lookup = { table: 'patrons', field: 'cardBarcode', where: '', keep: () => true };
const PENDING_HOLDS_BY_RECORD: Lookup = {
  table: 'holds',
  field: 'recordId',
  where: `AND (data->>'status') = 'pending'`,
  keep: (d) => d.status === 'pending',
};
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
const fieldText = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);

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
      for (const r of await this.raw.query<{ id: string; data: Data }>(
        'SELECT id, data FROM rows WHERE table_name = $1 AND deleted = 0',
        [table],
      )) {
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
      const r = (
        await this.raw.query<{ station_id: string; clock_offset_ms: string; uncertainty_ms: string | null }>(
          'SELECT station_id, clock_offset_ms, uncertainty_ms FROM loan_clocks WHERE loan_id = $1',
          [loanId],
        )
      )[0];
      this.knownClocks.set(
        loanId,
        r
          ? {
              stationId: r.station_id,
              offsetMs: Number(r.clock_offset_ms),
              uncertaintyMs: r.uncertainty_ms === null ? null : Number(r.uncertainty_ms),
            }
          : null,
      );
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
        [
          clocks.map((c) => c[0]),
          clocks.map((c) => c[1].stationId),
          clocks.map((c) => c[1].offsetMs),
          clocks.map((c) => c[1].uncertaintyMs),
        ],
      );
    }
    if (this.pending.size > 0) {
      const writes = [...this.pending.values()].sort(
        (a, b) => (TABLE_RANK.get(a.table) ?? 99) - (TABLE_RANK.get(b.table) ?? 99) || a.order - b.order,
      );
      this.pending.clear();
      await this.raw.query(
        `INSERT INTO rows (table_name, id, data, deleted, change_seq)
         SELECT t, i, d::jsonb, x, nextval('change_seq') FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS k(t, i, d, x, n) ORDER BY n
         ON CONFLICT (table_name, id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, change_seq = excluded.change_seq`,
        [
          writes.map((w) => w.table),
          writes.map((w) => w.id),
          writes.map((w) => w.json),
          writes.map((w) => (w.deleted ? 1 : 0)),
        ],
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
  if (!r)
    throw new Error(
      'library rows are read and written only inside writeRows: a change outside would never reach the stations',
    );
  return r;
}

export async function getRow<T = Data>(tx: Queryable, table: string, id: string): Promise<T | null> {
  const r = txRows.get(tx);
  if (!r) {
    const found = await tx.query<{ data: T }>(
      'SELECT data FROM rows WHERE table_name = $1 AND id = $2 AND deleted = 0',
      [table, id],
    );
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

export async function openLoansOfItem(tx: Queryable, itemId: string): Promise<Loan[]> {
  return (await rowsOf(tx).find(OPEN_LOANS_BY_ITEM, itemId)) as unknown as Loan[];
}

export async function rulesMatrix(tx: Queryable): Promise<CirculationRule[]> {
  return (await rowsOf(tx).all('circulation_rules')) as unknown as CirculationRule[];
}

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
  await tx.query(
    'SELECT pg_advisory_xact_lock(7404, k) FROM (SELECT DISTINCT hashtext(x) & 1023 AS k FROM unnest($1::text[]) AS x ORDER BY k) AS h ORDER BY k',
    [[...keys]],
  );
}

/** A patron's blocks, as this transaction sees them. */
export async function blocksOfPatron(
  tx: Queryable,
  patronId: string,
): Promise<{ kind: string; until: string | null }[]> {
  return (await rowsOf(tx).find(BLOCKS_BY_PATRON, patronId)) as unknown as { kind: string; until: string | null }[];
}

/** A title's pending holds, as this transaction sees them. */
export async function pendingHoldsOfRecord(tx: Queryable, recordId: string): Promise<Hold[]> {
  return (await rowsOf(tx).find(PENDING_HOLDS_BY_RECORD, recordId)) as unknown as Hold[];
}

/** The patrons holding this card barcode, as this transaction sees them. */
export async function patronsWithCard(tx: Queryable, cardBarcode: string): Promise<Data[]> {
  return rowsOf(tx).find(PATRONS_BY_CARD, cardBarcode);
}

/** Remembers the clock of the station that wrote a check-out new to the hub (stored at the commit). */
export function recordLoanClock(tx: Queryable, loanId: string, clock: LoanClock): void {
  rowsOf(tx).recordClock(loanId, clock);
}

/** The clock of the station that wrote a loan's check-out, if known. */
export async function clockOfLoan(tx: Queryable, loanId: string): Promise<LoanClock | null> {
  return rowsOf(tx).clockOf(loanId);
}
