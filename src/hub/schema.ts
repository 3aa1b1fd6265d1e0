// The hub's PostgreSQL schema (PGlite embedded, or a real server), described with drizzle.
// `npm run hub:generate` writes migrations into migrations/hub.
//
// Library data is kept as current-state rows (table name + id -> the row as JSON), each stamped
// with a global change sequence: the pull feed is "every row changed after cursor N". Sync
// bookkeeping (stations, received entries and their outcomes, exceptions) has tables of its own.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const rows = pgTable(
  'rows',
  {
    tableName: text('table_name').notNull(),
    id: text('id').notNull(),
    data: jsonb('data').notNull(),
    deleted: integer('deleted').notNull().default(0),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.id] }),
    index('rows_change_seq').on(t.changeSeq),
    // What circulation sense looks up for every entry; without these each push scans the library.
    index('rows_open_loans_by_item')
      .on(sql`(${t.data}->>'itemId')`)
      .where(sql`${t.tableName} = 'loans' AND ${t.deleted} = 0 AND (${t.data}->>'returnedAt') IS NULL`),
    index('rows_patrons_by_card')
      .on(sql`(${t.data}->>'cardBarcode')`)
      .where(sql`${t.tableName} = 'patrons' AND ${t.deleted} = 0`),
    index('rows_blocks_by_patron')
      .on(sql`(${t.data}->>'patronId')`)
      .where(sql`${t.tableName} = 'patron_blocks' AND ${t.deleted} = 0`),
    index('rows_pending_holds_by_record')
      .on(sql`(${t.data}->>'recordId')`)
      .where(sql`${t.tableName} = 'holds' AND ${t.deleted} = 0 AND (${t.data}->>'status') = 'pending'`),
  ],
);

export const library = pgTable('library', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
});

export const branches = pgTable('branches', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
});

export const stations = pgTable('stations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  branchId: text('branch_id').notNull(),
  /** sha256 of the station's random secret: the secret itself is never stored. */
  credentialHash: text('credential_hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  lastSeenAt: bigint('last_seen_at', { mode: 'number' }),
  clockOffsetMs: bigint('clock_offset_ms', { mode: 'number' }),
  /** Half the round trip of the measurement behind clockOffsetMs (src/domain/clock-offset.ts); null: measured one way. */
  clockUncertaintyMs: bigint('clock_uncertainty_ms', { mode: 'number' }),
  /** The station's Ed25519 public key (SPKI DER, base64): its kiosk and housekeeping entries are checked with it. */
  publicKey: text('public_key'),
});

export const enrolmentCodes = pgTable('enrolment_codes', {
  codeHash: text('code_hash').primaryKey(),
  branchId: text('branch_id').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
  /**
   * Set for the code `admin init --from-station` prints: it enrols that station, already known to
   * the hub with its own id, key and journal (src/hub/founding.ts), rather than a new one.
   */
  stationId: text('station_id'),
});

/** Every journal entry the hub has received, with the outcome it got: the idempotency record. */
export const received = pgTable(
  'received',
  {
    entryId: text('entry_id').primaryKey(),
    stationId: text('station_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hlc: text('hlc').notNull(),
    command: text('command').notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('received_station_seq').on(t.stationId, t.seq)],
);

export const exceptions = pgTable(
  'exceptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    /** The facts the desk words the exception with, in its own language (ExceptionParams in src/api/sync-protocol.ts). */
    params: jsonb('params'),
    patronIds: jsonb('patron_ids').notNull(),
    itemId: text('item_id'),
    entryIds: jsonb('entry_ids').notNull(),
    branchIds: jsonb('branch_ids').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    resolvedAt: bigint('resolved_at', { mode: 'number' }),
    /** Who resolved it: a staff account id (from a station) or the name an administrator gave. */
    resolvedBy: text('resolved_by'),
    resolutionNote: text('resolution_note'),
    /**
     * The exceptions feed's cursor: stamped by a trigger (migration 0003) at every insert and
     * update, under a lock held until the commit, so a resolution reaches every branch concerned
     * and a late commit is never skipped (the same reasoning as rows.change_seq).
     */
    changeSeq: bigint('change_seq', { mode: 'number' }),
  },
  (t) => [index('exceptions_change_seq').on(t.changeSeq)],
);

/**
 * Which station wrote each loan's check-out, and that station's clock offset as the hub measured it
 * at the push that brought the loan: when two stations lent the same copy while apart, the later
 * borrower is decided on check-out times corrected by these offsets (src/hub/apply.ts), not on
 * the stations' raw wall clocks. Hub-only bookkeeping: the loan rows keep the station's time.
 */
export const loanClocks = pgTable('loan_clocks', {
  loanId: text('loan_id').primaryKey(),
  stationId: text('station_id').notNull(),
  clockOffsetMs: bigint('clock_offset_ms', { mode: 'number' }).notNull(),
  /** That offset's uncertainty (half the round trip it was measured from); null: measured one way, or before round trips were. */
  uncertaintyMs: bigint('uncertainty_ms', { mode: 'number' }),
});
