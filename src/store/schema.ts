// The station's SQLite schema, described with drizzle-orm. `npm run db:generate` turns changes
// here into a new SQL migration in migrations/station (made STRICT by scripts/strict-migrations.ts).
//
// Property names are the camelCase field names of src/domain/types.ts, so a row read from a
// table is a domain object and a journal effect row is the same object (see rows.ts). Every
// synced table has a text `id` (UUIDv7, or the code for categories and item types).

import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ILL_DIRECTIONS, ILL_STATUSES } from '../domain/ill';
import { NOTICE_KINDS } from '../domain/notices';
import {
  BLOCK_KINDS,
  CLOSED_DAY_KINDS,
  FEE_KINDS,
  HARD_DUE_DATE_MODES,
  HOLD_STATUSES,
  ITEM_STATUSES,
  LOAN_UNITS,
  NOTICE_CHANNELS,
  PAYMENT_METHODS,
  RETURN_POLICIES,
  STAFF_ROLES,
} from '../domain/types';

const bool = (name: string) => integer(name, { mode: 'boolean' });

// --- library configuration ----------------------------------------------------------------------

/** Library-wide settings as JSON documents by key (`library` holds LibrarySettings). */
export const settings = sqliteTable('settings', {
  id: text('id').primaryKey(),
  value: text('value').notNull(),
});

export const branches = sqliteTable('branches', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
});

export const closedDays = sqliteTable(
  'closed_days',
  {
    id: text('id').primaryKey(),
    branchId: text('branch_id')
      .notNull()
      .references(() => branches.id),
    kind: text('kind', { enum: CLOSED_DAY_KINDS }).notNull(),
    date: text('date'),
    weekday: integer('weekday'),
    month: integer('month'),
    day: integer('day'),
    description: text('description'),
  },
  (t) => [index('closed_days_branch').on(t.branchId)],
);

export const patronCategories = sqliteTable('patron_categories', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  cardValidityDays: integer('card_validity_days').notNull(),
});

export const itemTypes = sqliteTable('item_types', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  notForLoan: bool('not_for_loan').notNull(),
});

export const circulationRules = sqliteTable(
  'circulation_rules',
  {
    id: text('id').primaryKey(),
    branchId: text('branch_id').notNull(),
    categoryCode: text('category_code').notNull(),
    itemTypeCode: text('item_type_code').notNull(),
    loanLength: integer('loan_length').notNull(),
    loanUnit: text('loan_unit', { enum: LOAN_UNITS }).notNull(),
    hardDueDate: text('hard_due_date'),
    hardDueDateMode: text('hard_due_date_mode', { enum: HARD_DUE_DATE_MODES }).notNull(),
    maxLoans: integer('max_loans'),
    renewalsAllowed: integer('renewals_allowed').notNull(),
    renewalPeriod: integer('renewal_period'),
    noRenewalBeforeDays: integer('no_renewal_before_days'),
    fineAmount: integer('fine_amount').notNull(),
    finePeriod: integer('fine_period').notNull(),
    graceDays: integer('grace_days').notNull(),
    fineCap: integer('fine_cap'),
    capFineAtReplacementPrice: bool('cap_fine_at_replacement_price').notNull(),
    holdsAllowed: bool('holds_allowed').notNull(),
    holdsPerTitle: integer('holds_per_title').notNull(),
    onShelfHoldsAllowed: bool('on_shelf_holds_allowed').notNull(),
    pickupPeriodDays: integer('pickup_period_days').notNull(),
  },
  (t) => [uniqueIndex('circulation_rules_key').on(t.branchId, t.categoryCode, t.itemTypeCode)],
);

export const patronLimits = sqliteTable(
  'patron_limits',
  {
    id: text('id').primaryKey(),
    branchId: text('branch_id').notNull(),
    categoryCode: text('category_code').notNull(),
    totalMaxLoans: integer('total_max_loans'),
    maxHolds: integer('max_holds'),
  },
  (t) => [uniqueIndex('patron_limits_key').on(t.branchId, t.categoryCode)],
);

export const branchItemPolicies = sqliteTable(
  'branch_item_policies',
  {
    id: text('id').primaryKey(),
    branchId: text('branch_id').notNull(),
    itemTypeCode: text('item_type_code').notNull(),
    returnPolicy: text('return_policy', { enum: RETURN_POLICIES }).notNull(),
  },
  (t) => [uniqueIndex('branch_item_policies_key').on(t.branchId, t.itemTypeCode)],
);

export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: STAFF_ROLES }).notNull(),
  branchId: text('branch_id').notNull(),
  /** scrypt, see src/shared/secrets.ts. */
  passwordHash: text('password_hash').notNull(),
  active: bool('active').notNull(),
  /** The account's Ed25519 public key (SPKI DER, base64): the hub checks the account's journal entries with it. Null for an account made before signing existed, until its password is next set. */
  publicKey: text('public_key'),
  /** The account's private key sealed with its password (src/shared/signing.ts), opened only at sign-in. */
  sealedKey: text('sealed_key'),
});

// --- patrons ----------------------------------------------------------------------------------

export const patrons = sqliteTable(
  'patrons',
  {
    id: text('id').primaryKey(),
    cardBarcode: text('card_barcode').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    homeBranchId: text('home_branch_id')
      .notNull()
      .references(() => branches.id),
    categoryCode: text('category_code').notNull(),
    cardExpiresOn: text('card_expires_on').notNull(),
    /** scrypt hash of the kiosk PIN; null when no PIN is set. */
    pinHash: text('pin_hash'),
    notes: text('notes').notNull(),
    keepReadingHistory: bool('keep_reading_history').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The language of the patron's notices ('en', 'es'); null: the library's. */
    language: text('language'),
    /** How notices reach the patron; null: email when there is an address, else a printed letter (src/domain/notices.ts). */
    noticeChannel: text('notice_channel', { enum: NOTICE_CHANNELS }),
  },
  // Not unique: two stations may register the same card while apart, and the hub reports the
  // conflict; the services refuse a duplicate locally.
  (t) => [index('patrons_card').on(t.cardBarcode)],
);

export const patronBlocks = sqliteTable(
  'patron_blocks',
  {
    id: text('id').primaryKey(),
    patronId: text('patron_id')
      .notNull()
      .references(() => patrons.id),
    kind: text('kind', { enum: BLOCK_KINDS }).notNull(),
    reason: text('reason').notNull(),
    until: text('until'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('patron_blocks_patron').on(t.patronId)],
);

// --- catalogue --------------------------------------------------------------------------------

export const records = sqliteTable(
  'records',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    author: text('author'),
    isbn: text('isbn'),
    issn: text('issn'),
    publisher: text('publisher'),
    year: integer('year'),
    callNumber: text('call_number'),
    /** Edition (MARC 250), for the desk and search. */
    edition: text('edition'),
    /** Subject headings (MARC 6XX), joined by " -- " and "; ", kept for keyword search. */
    subjects: text('subjects'),
    /** The imported record's control number: 003 and 001 as "003|001" (or "|001"), matched on re-import. */
    controlNumber: text('control_number'),
    /**
     * The whole MARC record as it was imported (MARC-in-JSON, src/domain/marc/record.ts), holdings
     * fields included, so an export gives another system back everything it had.
     */
    marc: text('marc'),
  },
  (t) => [index('records_control_number').on(t.controlNumber), index('records_isbn').on(t.isbn)],
);

export const items = sqliteTable(
  'items',
  {
    id: text('id').primaryKey(),
    barcode: text('barcode').notNull().unique(),
    recordId: text('record_id')
      .notNull()
      .references(() => records.id),
    homeBranchId: text('home_branch_id').notNull(),
    currentBranchId: text('current_branch_id').notNull(),
    itemTypeCode: text('item_type_code').notNull(),
    status: text('status', { enum: ITEM_STATUSES }).notNull(),
    damaged: bool('damaged').notNull(),
    notForLoan: bool('not_for_loan').notNull(),
    replacementPrice: integer('replacement_price'),
    transitToBranchId: text('transit_to_branch_id'),
    /** The shelving location or collection within its branch ("ADULT", "JUV", "REF"); null for the branch's general shelves. */
    location: text('location'),
    /** When the copy was last in staff's hands: scanned in a shelf reading or checked in (src/services/shelf.ts). */
    lastSeenAt: integer('last_seen_at'),
  },
  // Few indexes on purpose: every index is another page written (and fsynced) by each check-out.
  (t) => [index('items_record').on(t.recordId)],
);

// --- circulation ------------------------------------------------------------------------------

export const loans = sqliteTable(
  'loans',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    patronId: text('patron_id').references(() => patrons.id),
    branchId: text('branch_id').notNull(),
    checkedOutAt: integer('checked_out_at').notNull(),
    dueAt: integer('due_at').notNull(),
    renewals: integer('renewals').notNull(),
    lastRenewedAt: integer('last_renewed_at'),
    returnedAt: integer('returned_at'),
    returnBranchId: text('return_branch_id'),
    /** The copy came back damaged from this loan (check-in's "damaged"), with staff's note. */
    damagedAt: integer('damaged_at'),
    damageNote: text('damage_note'),
  },
  (t) => [
    // One open loan per item: the store itself refuses to lend a copy twice.
    uniqueIndex('loans_open_item')
      .on(t.itemId)
      .where(sql`returned_at IS NULL`),
    index('loans_open_patron')
      .on(t.patronId)
      .where(sql`returned_at IS NULL`),
    index('loans_returned')
      .on(t.returnedAt)
      .where(sql`returned_at IS NOT NULL AND patron_id IS NOT NULL`),
  ],
);

export const holds = sqliteTable(
  'holds',
  {
    id: text('id').primaryKey(),
    patronId: text('patron_id')
      .notNull()
      .references(() => patrons.id),
    recordId: text('record_id')
      .notNull()
      .references(() => records.id),
    itemId: text('item_id'),
    itemLevel: bool('item_level').notNull(),
    pickupBranchId: text('pickup_branch_id').notNull(),
    placedAt: integer('placed_at').notNull(),
    status: text('status', { enum: HOLD_STATUSES }).notNull(),
    suspendedUntil: text('suspended_until'),
    waitingSince: integer('waiting_since'),
    shelfExpiresOn: text('shelf_expires_on'),
  },
  (t) => [
    index('holds_record_active')
      .on(t.recordId, t.placedAt)
      .where(sql`status IN ('pending', 'in_transit', 'waiting')`),
    index('holds_item_active')
      .on(t.itemId)
      .where(sql`status IN ('pending', 'in_transit', 'waiting')`),
    index('holds_patron_active')
      .on(t.patronId)
      .where(sql`status IN ('pending', 'in_transit', 'waiting')`),
  ],
);

export const fees = sqliteTable(
  'fees',
  {
    id: text('id').primaryKey(),
    patronId: text('patron_id')
      .notNull()
      .references(() => patrons.id),
    kind: text('kind', { enum: FEE_KINDS }).notNull(),
    amount: integer('amount').notNull(),
    outstanding: integer('outstanding').notNull(),
    currency: text('currency').notNull(),
    loanId: text('loan_id'),
    itemId: text('item_id'),
    description: text('description').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('fees_patron').on(t.patronId, t.createdAt)],
);

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    patronId: text('patron_id')
      .notNull()
      .references(() => patrons.id),
    /** What was applied to fees, minor units. */
    amount: integer('amount').notNull(),
    /** Cash handed over; change = tendered - amount. */
    tendered: integer('tendered').notNull(),
    currency: text('currency').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    /** The card slip's or the cheque's number, as staff typed it; null for cash. */
    reference: text('reference'),
    staffId: text('staff_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('payments_patron').on(t.patronId)],
);

export const paymentAllocations = sqliteTable(
  'payment_allocations',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    feeId: text('fee_id')
      .notNull()
      .references(() => fees.id),
    amount: integer('amount').notNull(),
  },
  (t) => [index('payment_allocations_fee').on(t.feeId)],
);

export const feeWaivers = sqliteTable('fee_waivers', {
  id: text('id').primaryKey(),
  feeId: text('fee_id')
    .notNull()
    .references(() => fees.id),
  amount: integer('amount').notNull(),
  reason: text('reason').notNull(),
  staffId: text('staff_id'),
  createdAt: integer('created_at').notNull(),
});

export const inHouseUses = sqliteTable('in_house_uses', {
  id: text('id').primaryKey(),
  itemId: text('item_id')
    .notNull()
    .references(() => items.id),
  branchId: text('branch_id').notNull(),
  usedAt: integer('used_at').notNull(),
});

// --- sign-in lockouts -------------------------------------------------------------------------

/**
 * A card or staff account locked after too many wrong PINs or passwords (src/services/lockouts.ts).
 * Synced, so that every station refuses it, not only the one where the guessing happened. The id
 * is `patron:<patron id>` or `staff:<staff id>`: one row per card or account, written when a lock
 * starts and when staff clear it. The failures in between are counted per station, in memory.
 */
export const lockouts = sqliteTable('lockouts', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['staff', 'patron'] }).notNull(),
  subjectId: text('subject_id').notNull(),
  /** The wrong tries that started the lock (0 once cleared). */
  failures: integer('failures').notNull(),
  /** Refused until then (epoch ms); null once cleared. */
  lockedUntil: integer('locked_until'),
  updatedAt: integer('updated_at').notNull(),
});

// --- SIP2 accounts ------------------------------------------------------------------------------

/**
 * The accounts self-checks, sorters and gates log in with over SIP2 (93 login; src/transports/sip2).
 * Synced: the hub checks each SIP-driven entry against the account it names (active, of the
 * station's branch, allowed that command; src/hub/authority.ts). The password is a scrypt hash
 * like a staff password, and travels as a journal secret reference (src/shared/secret-refs.ts).
 */
export const sipAccounts = sqliteTable('sip_accounts', {
  id: text('id').primaryKey(),
  login: text('login').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  /** The branch it acts for: the station serving that branch answers it, AO is its code. */
  branchId: text('branch_id').notNull(),
  /** What it may do, comma-separated (src/domain/sip2-capabilities.ts): checkout,checkin,renew,fees,hold,patron_info,block,item_status. */
  allowed: text('allowed').notNull(),
  /** Check-outs need the patron's PIN (AD); by default a self-check that checked it with 63 need not resend it. */
  requirePin: bool('require_pin').notNull(),
  /** Always send AY/AZ error detection back, even when the request has none. */
  errorDetection: bool('error_detection').notNull(),
  active: bool('active').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

// --- interlibrary loan --------------------------------------------------------------------------

/**
 * Interlibrary loan requests, both ways (src/domain/ill.ts): a patron's request borrowed from
 * another library, or another library's request for a copy of ours. Synced like circulation. The
 * life cycle's steps are dated in `history` (JSON); a borrowing request drops its patron when it
 * closes unless the patron keeps a reading history (src/services/ill.ts).
 */
export const illRequests = sqliteTable(
  'ill_requests',
  {
    id: text('id').primaryKey(),
    direction: text('direction', { enum: ILL_DIRECTIONS }).notNull(),
    status: text('status', { enum: ILL_STATUSES }).notNull(),
    branchId: text('branch_id').notNull(),
    patronId: text('patron_id'),
    title: text('title').notNull(),
    author: text('author'),
    isbn: text('isbn'),
    partnerName: text('partner_name').notNull(),
    partnerAgencyId: text('partner_agency_id').notNull(),
    needBy: text('need_by'),
    requestingRequestId: text('requesting_request_id').notNull(),
    recordId: text('record_id'),
    itemId: text('item_id'),
    lenderDueOn: text('lender_due_on'),
    note: text('note'),
    history: text('history').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('ill_requests_status').on(t.status, t.createdAt),
    // Check-out and check-in ask whether a copy is an ILL one: a small index, only of requests that have a copy.
    index('ill_requests_item')
      .on(t.itemId)
      .where(sql`item_id IS NOT NULL`),
    index('ill_requests_patron')
      .on(t.patronId)
      .where(sql`patron_id IS NOT NULL`),
  ],
);

// --- notices to patrons ---------------------------------------------------------------------------

/**
 * A notice to a patron (src/services/notices.ts): made once per key (patron, kind, subject,
 * level), by the one station that sends notices, and journaled when made and when it was sent
 * or printed, so the hub and every desk show it in the patron's notice history. It holds no text:
 * the message is rendered when it is sent, and the subject (a loan) is dropped once the loan has
 * lost its patron, so the notices keep no reading history.
 */
export const notices = sqliteTable(
  'notices',
  {
    id: text('id').primaryKey(),
    patronId: text('patron_id').notNull(),
    kind: text('kind', { enum: NOTICE_KINDS }).notNull(),
    /** The loan, hold or fee; null once a returned loan is unlinked for privacy. */
    subjectId: text('subject_id'),
    level: text('level').notNull(),
    /** patron|kind|subject|level while the subject is known (the notice is made once per key). */
    noticeKey: text('notice_key').notNull(),
    channel: text('channel', { enum: NOTICE_CHANNELS }).notNull(),
    language: text('language').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'printed', 'failed', 'uncertain', 'cancelled'] }).notNull(),
    /** The Message-ID the email carried (derived from the id): what to look for in the mail server's log. */
    messageId: text('message_id'),
    /** Why it failed, in words for staff (never a password). */
    error: text('error'),
    stationId: text('station_id').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  // Not unique on purpose: a row pulled from another station must always apply. The key is
  // checked inside the transaction that makes the notice, and only one station makes them.
  (t) => [
    index('notices_key').on(t.noticeKey),
    index('notices_patron').on(t.patronId, t.createdAt),
    index('notices_status').on(t.status),
  ],
);

// --- the station's own records (never synced as rows) -------------------------------------------

/**
 * The journal: append-only (triggers in the FTS migration refuse DELETE and any UPDATE other
 * than recording the hub's acknowledgement). `seq` is the push order.
 */
export const journal = sqliteTable('journal', {
  seq: integer('seq').primaryKey(),
  /** UUIDv7, unique by construction; not indexed, since acknowledgements go by seq. */
  id: text('id').notNull(),
  stationId: text('station_id').notNull(),
  hlc: text('hlc').notNull(),
  wallTime: integer('wall_time').notNull(),
  staffId: text('staff_id'),
  branchId: text('branch_id').notNull(),
  command: text('command').notNull(),
  payload: text('payload').notNull(),
  /** When the hub acknowledged the entry, and what it made of it. */
  ackedAt: integer('acked_at'),
  outcome: text('outcome'),
  /** When the patron was taken out of the payload, its loans having lost their link (src/services/journal-privacy.ts). */
  redactedAt: integer('redacted_at'),
  /** Ed25519 signature of the entry by the account that made it, or by the station (src/shared/signing.ts). */
  signature: text('signature'),
});

/**
 * The secrets a journal entry refers to (a PIN hash, a password hash, a sealed key), by the
 * sha256 digest that stands for each in the entry's payload. The journal never holds a secret:
 * they travel to the hub beside the entries that name them (src/shared/secret-refs.ts), and
 * are deleted here once the hub has acknowledged those entries.
 */
export const journalSecrets = sqliteTable('journal_secrets', {
  digest: text('digest').primaryKey(),
  value: text('value').notNull(),
});

/** Journal entries that name a loan still linked to its patron: looked at again on each privacy run. */
export const journalRedactionPending = sqliteTable('journal_redaction_pending', {
  seq: integer('seq').primaryKey(),
});

/** Who did what, for the library's own review. Holds no PIN, password or reading history. */
export const audit = sqliteTable('audit', {
  seq: integer('seq').primaryKey(),
  at: integer('at').notNull(),
  staffId: text('staff_id'),
  command: text('command').notNull(),
  journalId: text('journal_id'),
  summary: text('summary').notNull(),
});

/** Local key-value state: station identity, clock, hub credentials, sync cursor. */
export const stationState = sqliteTable('station_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const sessions = sqliteTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  kind: text('kind', { enum: ['staff', 'kiosk'] }).notNull(),
  staffId: text('staff_id'),
  patronId: text('patron_id'),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  /** A staff session's private key, sealed with the session's token (held only by the client), so a restarted station can sign again. */
  sealedKey: text('sealed_key'),
});

/**
 * Which journal entries each offline-circulation export (Koha's .koc, Evergreen's) has carried,
 * so that the next export of a span carries only what is new: Koha and Evergreen load a file
 * as it is, and an entry loaded twice is a loan (or a payment) recorded twice.
 */
export const exportMarks = sqliteTable(
  'export_marks',
  {
    format: text('format', { enum: ['koc', 'evergreen'] }).notNull(),
    seq: integer('seq').notNull(),
    exportedAt: integer('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.format, t.seq] })],
);

/**
 * The sending station's own delivery state of each notice it has to send (not synced): attempts,
 * the next try (back-off), and `sending`, written and committed BEFORE the SMTP conversation, so
 * a station killed mid-send finds it at start and does not send it again by itself.
 */
export const noticeOutbox = sqliteTable('notice_outbox', {
  noticeId: text('notice_id').primaryKey(),
  state: text('state', { enum: ['waiting', 'sending'] }).notNull(),
  attempts: integer('attempts').notNull(),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  lastError: text('last_error'),
});

/** Sync exceptions reported by the hub (lent twice, duplicate card ...), for staff to work through. */
export const syncExceptions = sqliteTable('sync_exceptions', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  message: text('message').notNull(),
  /** The facts the desk words the exception with in its own language (JSON object), as the hub sent them or the station recorded them. */
  params: text('params'),
  /** The first patron concerned (patronIds[0]), kept for older readers. */
  patronId: text('patron_id'),
  /** Every patron concerned, as a JSON array of ids: both borrowers of a copy lent twice, every holder of a duplicated card. */
  patronIds: text('patron_ids').notNull().default('[]'),
  itemId: text('item_id'),
  entryIds: text('entry_ids').notNull(),
  createdAt: integer('created_at').notNull(),
  resolvedAt: integer('resolved_at'),
  resolvedBy: text('resolved_by'),
});

// --- statistics (derived from the journal; never synced, rebuildable) ---------------------------

/**
 * Counts of what the desk did, by the branch's day, one dimension at a time
 * (src/services/statistics.ts, docs/statistics.md): `dimension` is 'total' (value ''), 'hour'
 * ('0'..'23', the branch's clock), 'itemType', 'collection' or 'patronCategory'. Derived from
 * the journal, a high-water mark at a time, so a year's report reads a few thousand of these
 * rows instead of parsing every entry. It names no patron: the patron's category is counted,
 * never the patron. `n` is a count, or minor units for finesCollected; '' is "not known".
 */
export const statsCounts = sqliteTable(
  'stats_counts',
  {
    day: text('day').notNull(),
    branchId: text('branch_id').notNull(),
    dimension: text('dimension').notNull(),
    value: text('value').notNull(),
    measure: text('measure').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.branchId, t.dimension, t.value, t.measure] })],
);

/**
 * Active patrons: one HyperLogLog sketch per branch and day (src/domain/statistics.ts) of keyed
 * hashes of the patrons who borrowed or renewed. It tells about how many, not who.
 */
export const statsActive = sqliteTable(
  'stats_active',
  {
    day: text('day').notNull(),
    branchId: text('branch_id').notNull(),
    sketch: blob('sketch', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.branchId] })],
);
