// The vocabulary of circulation, shared by the rules, the store, the services, the station API,
// the hub and the renderer. Plain data only: no classes, no I/O, nothing that cannot be JSON.
//
// Conventions that hold everywhere:
// - Instants are UTC epoch milliseconds (`Instant`). Calendar dates are local to a branch and
//   written `YYYY-MM-DD` (`LocalDate`); a date never carries a time zone of its own.
// - Money is an integer number of minor units (cents) with an ISO 4217 currency code.
// - Ids are strings (UUIDv7 made by the station that created the row), so that rows made on
//   different stations while apart never collide.

export type Instant = number;
/** `YYYY-MM-DD`, a day in some branch's time zone. */
export type LocalDate = string;
export type Id = string;

export interface Money {
  /** Integer minor units (e.g. cents). */
  amount: number;
  currency: string;
}

// ---------------------------------------------------------------------------------------------
// Library, branches, calendar

export interface Branch {
  id: Id;
  code: string;
  name: string;
  /** IANA zone, e.g. "America/New_York". Day loans end at 23:59:59.999 in this zone. */
  timeZone: string;
}

export const CLOSED_DAY_KINDS = ['date', 'weekly', 'yearly'] as const satisfies readonly ClosedDay['kind'][];

/** A closed day: one date, every week on a weekday, or every year on a month and day. */
export type ClosedDay =
  | { kind: 'date'; date: LocalDate; description?: string }
  | { kind: 'weekly'; /** 0 = Sunday ... 6 = Saturday */ weekday: number; description?: string }
  | { kind: 'yearly'; /** 1-12 */ month: number; /** 1-31 */ day: number; description?: string };

/**
 * How closed days move a due date:
 * - `calendar`: closed days are skipped while counting the loan length;
 * - `push`: count plainly, then move the due date forward to the next open day;
 * - `ignore`: the calendar plays no part.
 */
export const CALENDAR_MODES = ['calendar', 'push', 'ignore'] as const;
export type CalendarMode = (typeof CALENDAR_MODES)[number];

/** Whose branch's rules apply to a loan (Koha's CircControl). */
export const CIRC_CONTROLS = ['desk_branch', 'patron_home_branch', 'item_home_branch'] as const;
export type CircControl = (typeof CIRC_CONTROLS)[number];

export interface BarcodeRule {
  /** Exact length required, or null for any length between minLength and maxLength. */
  length: number | null;
  minLength: number;
  maxLength: number;
  /** Required prefix (e.g. "2" for patron cards), or "" for none. */
  prefix: string;
  /** Digits only? */
  numeric: boolean;
  /** Verify the 14-digit library Codabar (Luhn) check digit. */
  checkDigit: boolean;
}

export interface BarcodeRules {
  patron: BarcodeRule;
  item: BarcodeRule;
}

export interface LibrarySettings {
  name: string;
  currency: string;
  /** BCP 47 locale used for dates and money, e.g. "en-US", "es-ES". */
  locale: string;
  circControl: CircControl;
  calendarMode: CalendarMode;
  /** A loan never runs past the patron's card expiry. */
  capDueDateAtCardExpiry: boolean;
  /** Closed days earn no fine. */
  finesSkipClosedDays: boolean;
  /** Hold shelf expiry counts only open days. */
  holdShelfSkipsClosedDays: boolean;
  /** Patron may not borrow once fees owed exceed this (minor units); null for no limit. */
  maxFeesOwed: number | null;
  /**
   * The overdue block (Koha's OverduesBlockCirc): no borrowing while a loan is more than this
   * many days overdue (0: any overdue loan blocks); null for no block.
   */
  overdueBlockDays: number | null;
  /** Days a returned loan stays linked to its patron (0 = unlinked at once) unless opted in. */
  loanHistoryRetentionDays: number;
  barcodes: BarcodeRules;
  /** The self-checkout kiosk: seconds of no activity before it warns, then before the warning ends the session. */
  kiosk: KioskSettings;
  /** Wrong PINs (a card) or passwords (a staff account) before sign-in is refused, and for how long. */
  lockout: LockoutSettings;
  /** Sync with the hub: how often a station pulls other branches' work while the hub answers. */
  sync?: SyncSettings;
  /** Other libraries' catalogues to copy records from (SRU or Z39.50), in the order staff see them. */
  copyCatalogueTargets: CopyCatalogueTarget[];
  /** Interlibrary loan (docs/ill.md); absent in settings saved before it existed: the defaults. */
  ill?: IllSettings;
}

/** Interlibrary loan settings (src/services/ill.ts). */
export interface IllSettings {
  /** This library's ISO 18626 agency id, "TYPE:VALUE" (e.g. "ISIL:US-XYZ"); empty until set. */
  agencyId: string;
  /** The barcodes set aside for temporary copies of borrowed items, first and last; null for the default range. */
  tempBarcodeFirst: string | null;
  tempBarcodeLast: string | null;
  /** The patron category of other libraries borrowing from us (made the first time it is needed). */
  libraryCategoryCode: string;
  /** Days before the lender's due date the patron's loan ends, to leave time to ship it back. */
  returnMarginDays: number;
}

export interface SyncSettings {
  /** Seconds between pulls while the hub answers (after a failure, the back-off decides). */
  pullIntervalSeconds: number;
}

/**
 * A catalogue to copy records from. SRU: `address` is the base URL (http://host:port/path) and
 * `database`, if any, is appended as its last path segment. Z39.50: `address` is host:port.
 */
export interface CopyCatalogueTarget {
  id: string;
  name: string;
  kind: 'sru' | 'z3950';
  address: string;
  database: string;
  /** SRU only: the protocol version the target speaks. */
  sruVersion: '1.2' | '2.0';
}

export interface LockoutSettings {
  /** Wrong tries in a row that lock the card or account. */
  maxFailures: number;
  /** Minutes it stays locked (staff may clear a card's lock sooner). */
  minutes: number;
}

export interface KioskSettings {
  idleSeconds: number;
  warningSeconds: number;
  /** The library's logo at the top of the kiosk, as a data: address; absent or null: the name alone. */
  logo?: string | null;
  /** A tone on success and on refusal; absent: on. */
  sounds?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Patrons

export interface PatronCategory {
  code: string;
  name: string;
  /** Card validity in days when a card is issued or renewed. */
  cardValidityDays: number;
}

export const BLOCK_KINDS = ['barred', 'lost_card', 'manual'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** The languages a patron's notices can be in. */
export const PATRON_LANGUAGES = ['en', 'es'] as const;
export type PatronLanguage = (typeof PATRON_LANGUAGES)[number];
/** How notices reach a patron: by email or as a printed letter. */
export const NOTICE_CHANNELS = ['email', 'print'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export interface PatronBlock {
  id: Id;
  kind: BlockKind;
  reason: string;
  /** Last day the block applies, inclusive; null for until lifted. */
  until: LocalDate | null;
  createdAt: Instant;
}

export interface Patron {
  id: Id;
  cardBarcode: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  homeBranchId: Id;
  categoryCode: string;
  /** Last day the card is valid, inclusive, in the home branch's zone. */
  cardExpiresOn: LocalDate;
  blocks: PatronBlock[];
  notes: string;
  /** The patron chose to keep a reading history. Without it, returned loans are unlinked. */
  keepReadingHistory: boolean;
  createdAt: Instant;
  /** The language of their notices ('en', 'es'); null: the library's. */
  language?: PatronLanguage | null;
  /** How notices reach them; null: email when there is an address, else print (src/domain/notices.ts). */
  noticeChannel?: NoticeChannel | null;
}

// ---------------------------------------------------------------------------------------------
// Catalogue

export interface ItemType {
  code: string;
  name: string;
  /** Items of this type never circulate (reference, etc.). */
  notForLoan: boolean;
}

export interface BibRecord {
  id: Id;
  title: string;
  author: string | null;
  isbn: string | null;
  issn: string | null;
  publisher: string | null;
  year: number | null;
  callNumber: string | null;
  /** Edition statement (MARC 250). */
  edition?: string | null;
  /** Subject headings (MARC 6XX), for keyword search. */
  subjects?: string | null;
  /** An imported record's control number, "003|001": matched on re-import. */
  controlNumber?: string | null;
  /** The whole imported MARC record, MARC-in-JSON (src/domain/marc/record.ts); null for a record typed in. */
  marc?: string | null;
}

export const ITEM_STATUSES = [
  'available',
  'on_loan',
  'in_transit',
  'on_hold_shelf',
  'lost',
  'missing',
  'withdrawn',
  'claimed_returned',
  // Came back damaged and went to be mended (check-in's "damaged"); back to available when repaired.
  'in_repair',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface Item {
  id: Id;
  barcode: string;
  recordId: Id;
  homeBranchId: Id;
  currentBranchId: Id;
  itemTypeCode: string;
  status: ItemStatus;
  /** Damaged items still circulate; the flag warns staff. */
  damaged: boolean;
  /** This one copy does not circulate, whatever its type says. */
  notForLoan: boolean;
  /** Minor units, in the library currency; null when unknown. */
  replacementPrice: number | null;
  /** Where an in-transit item is going. */
  transitToBranchId: Id | null;
  /** Shelving location or collection within the branch ("JUV", "REF"); null or absent: the general shelves. */
  location?: string | null;
  /** Last scanned in a shelf reading or checked in; null: never seen since it was catalogued. */
  lastSeenAt?: Instant | null;
}

// ---------------------------------------------------------------------------------------------
// Loans, holds, fees

export interface Loan {
  id: Id;
  itemId: Id;
  /** Null once a returned loan has been unlinked from its patron for privacy. */
  patronId: Id | null;
  branchId: Id;
  checkedOutAt: Instant;
  dueAt: Instant;
  renewals: number;
  lastRenewedAt: Instant | null;
  returnedAt: Instant | null;
  returnBranchId: Id | null;
  /** Checked in damaged from this loan (with staff's note); absent or null: not damaged. */
  damagedAt?: Instant | null;
  damageNote?: string | null;
}

export const HOLD_STATUSES = ['pending', 'in_transit', 'waiting', 'fulfilled', 'cancelled', 'expired'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export interface Hold {
  id: Id;
  patronId: Id;
  recordId: Id;
  /** Set for an item-level hold from the start, or once a copy is trapped for it. */
  itemId: Id | null;
  itemLevel: boolean;
  pickupBranchId: Id;
  placedAt: Instant;
  status: HoldStatus;
  /** Not filled before this day (exclusive end of a suspension); null when active. */
  suspendedUntil: LocalDate | null;
  /** When the trapped item reached the pickup shelf. */
  waitingSince: Instant | null;
  /** Last day on the hold shelf, inclusive. */
  shelfExpiresOn: LocalDate | null;
}

export const FEE_KINDS = [
  'overdue',
  'lost',
  'damage',
  'hold_expired',
  'card_replacement',
  'printing',
  'manual',
] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** How a patron paid: card and cheque payments carry a reference (the slip or cheque number). */
export const PAYMENT_METHODS = ['cash', 'card', 'cheque', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Fee {
  id: Id;
  patronId: Id;
  kind: FeeKind;
  /** Original charge, minor units. */
  amount: number;
  /** Still owed, minor units (0 when paid or waived; negative for a credit). */
  outstanding: number;
  currency: string;
  loanId: Id | null;
  itemId: Id | null;
  description: string;
  createdAt: Instant;
}

// ---------------------------------------------------------------------------------------------
// Circulation rules (the Koha matrix)

/** `*` matches any branch, patron category or item type. */
export const ANY = '*';

export const LOAN_UNITS = ['days', 'hours'] as const;
export type LoanUnit = (typeof LOAN_UNITS)[number];
export const HARD_DUE_DATE_MODES = ['before', 'exactly', 'after'] as const;
export type HardDueDateMode = (typeof HARD_DUE_DATE_MODES)[number];

export interface CirculationRule {
  branchId: Id | typeof ANY;
  categoryCode: string | typeof ANY;
  itemTypeCode: string | typeof ANY;
  loanLength: number;
  loanUnit: LoanUnit;
  /** A fixed date that bounds due dates; null for none. */
  hardDueDate: LocalDate | null;
  /** before: due no later than it; exactly: always due on it; after: due no earlier than it. */
  hardDueDateMode: HardDueDateMode;
  /** Most loans of this item type a patron may hold; null for no limit. */
  maxLoans: number | null;
  renewalsAllowed: number;
  /** Renewal period in loan units; null means the loan length. */
  renewalPeriod: number | null;
  /** Renewal refused earlier than this many days before the due date; null for any time. */
  noRenewalBeforeDays: number | null;
  /** Fine per charge period, minor units. */
  fineAmount: number;
  /** Charge period, in loan units (days for day loans, hours for hourly loans). */
  finePeriod: number;
  /** Grace period in loan units: no fine if returned within it. */
  graceDays: number;
  /** Most one loan's overdue fine can reach, minor units; null for no cap. */
  fineCap: number | null;
  capFineAtReplacementPrice: boolean;
  holdsAllowed: boolean;
  holdsPerTitle: number;
  onShelfHoldsAllowed: boolean;
  /** Days a trapped hold waits on the shelf. */
  pickupPeriodDays: number;
}

/** Per branch x patron category: totals across item types. */
export interface PatronLimits {
  branchId: Id | typeof ANY;
  categoryCode: string | typeof ANY;
  /** null for no limit */
  totalMaxLoans: number | null;
  maxHolds: number | null;
}

export const RETURN_POLICIES = ['home_branch', 'holding_branch', 'stays'] as const;
export type ReturnPolicy = (typeof RETURN_POLICIES)[number];

/** Per branch x item type: where returns go. */
export interface BranchItemPolicy {
  branchId: Id | typeof ANY;
  itemTypeCode: string | typeof ANY;
  returnPolicy: ReturnPolicy;
}

export interface RulesMatrix {
  rules: CirculationRule[];
  patronLimits: PatronLimits[];
  branchItemPolicies: BranchItemPolicy[];
}

// ---------------------------------------------------------------------------------------------
// Refusals: what the desk shows when the rules say no.

export type RefusalCode =
  | 'PATRON_NOT_FOUND'
  | 'ITEM_NOT_FOUND'
  | 'BARCODE_INVALID'
  | 'CARD_EXPIRED'
  | 'PATRON_BARRED'
  | 'CARD_LOST'
  | 'PATRON_BLOCKED'
  | 'FEES_OVER_LIMIT'
  | 'PATRON_HAS_OVERDUES'
  | 'TOO_MANY_LOANS'
  | 'TOO_MANY_LOANS_OF_TYPE'
  | 'ITEM_NOT_FOR_LOAN'
  | 'ITEM_LOST'
  | 'ITEM_MISSING'
  | 'ITEM_WITHDRAWN'
  | 'ITEM_CLAIMED_RETURNED'
  | 'ITEM_IN_REPAIR'
  | 'ITEM_IN_TRANSIT'
  | 'ITEM_ON_LOAN_TO_OTHER'
  | 'ITEM_ON_HOLD_FOR_OTHER'
  | 'ALREADY_ON_LOAN_TO_PATRON'
  | 'NOT_ON_LOAN'
  | 'RENEWAL_LIMIT'
  | 'RENEWAL_TOO_SOON'
  | 'RENEWAL_NO_LATER_DUE_DATE'
  | 'ITEM_NEEDED_FOR_HOLD'
  | 'HOLDS_NOT_ALLOWED'
  | 'TOO_MANY_HOLDS'
  | 'TOO_MANY_HOLDS_FOR_TITLE'
  | 'ALREADY_HOLDING_TITLE'
  | 'ALREADY_ON_LOAN_FOR_HOLD'
  | 'ON_SHELF_HOLDS_NOT_ALLOWED'
  | 'NO_LOANABLE_COPY'
  | 'RETURN_DATE_IN_FUTURE'
  | 'RETURN_DATE_BEFORE_CHECKOUT'
  // Why a copy or a record catalogued by mistake cannot be deleted.
  | 'COPY_ON_LOAN'
  | 'COPY_HELD'
  | 'COPY_HAS_HISTORY'
  | 'RECORD_HAS_COPIES'
  | 'RECORD_HAS_HOLDS';

export interface Refusal {
  code: RefusalCode;
  /** Values the message needs (a date, a count, a patron's name), by name. */
  params?: Record<string, string | number>;
  /** Staff with the override permission may lend (renew, hold) anyway. */
  overridable: boolean;
}

/** Warnings never stop a transaction; the desk shows them. */
export type NoticeCode =
  | 'DUE_DATE_MOVED_CLOSED_DAY'
  | 'DUE_DATE_CAPPED_CARD_EXPIRY'
  | 'DUE_DATE_HARD'
  | 'ITEM_DAMAGED'
  | 'LOST_ITEM_FOUND'
  | 'CLOCK_WENT_BACK'
  | 'FINE_CHARGED'
  | 'ITEM_TO_REPAIR'
  | 'DAMAGE_CHARGED'
  | 'ROUTE_TO_BRANCH'
  | 'HOLD_TRAPPED_WAITING'
  | 'HOLD_TRAPPED_TRANSIT'
  | 'CARD_EXPIRES_SOON'
  | 'FEES_OWED'
  | 'ILL_SHIP_BACK'
  | 'ILL_DUE_SET_BY_LENDER';

export interface Notice {
  code: NoticeCode;
  params?: Record<string, string | number>;
}

// ---------------------------------------------------------------------------------------------
// Staff

export const STAFF_ROLES = ['technician', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type Permission =
  | 'circulate'
  | 'override'
  | 'waive_fees'
  | 'manage_patrons'
  | 'manage_catalogue'
  | 'edit_rules'
  | 'manage_staff'
  | 'settings';

export interface StaffAccount {
  id: Id;
  username: string;
  displayName: string;
  role: StaffRole;
  branchId: Id;
  active: boolean;
}
