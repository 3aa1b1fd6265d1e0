// The shapes that cross the station API, as zod schemas. Inputs are strict (an unknown field is
// an error, not silently ignored); outputs describe what the core returns, for the typed client
// and the OpenAPI document.
import { z } from 'zod';
import { isValidIsbn } from '../domain/isbn';
import { isValidLocalDate } from '../domain/time';
import {
  BLOCK_KINDS,
  CALENDAR_MODES,
  CIRC_CONTROLS,
  FEE_KINDS,
  HARD_DUE_DATE_MODES,
  HOLD_STATUSES,
  ITEM_STATUSES,
  LOAN_UNITS,
  NOTICE_CHANNELS,
  PATRON_LANGUAGES,
  PAYMENT_METHODS,
  STAFF_ROLES,
} from '../domain/types';
import {
  isMultiLineText,
  isSingleLineText,
  isSupportedCurrency,
  isSupportedLocale,
  isSupportedTimeZone,
} from '../domain/text';

// --- reusable text and date schemas ------------------------------------------------------------
// Every string the station API takes has a length limit and a character rule (src/domain/text.ts).
// The refusals carry `params.reason`, so a form can say them in the desk's language next to the
// field (renderer/screens/deviceForm.ts reads them).

const NOT_SINGLE_LINE = {
  message: 'control or text-direction characters are not allowed',
  params: { reason: 'controlCharacters' },
};

/** One line of printable text of at most `max` characters (names, titles, codes, searches). */
export const SingleLine = (max: number) => z.string().max(max).refine(isSingleLineText, NOT_SINGLE_LINE);
/** As SingleLine, trimmed, and required (at least one character left after trimming). */
export const RequiredLine = (max: number) =>
  z.string().trim().min(1).max(max).refine(isSingleLineText, NOT_SINGLE_LINE);
/** Text that may span lines (notes, a slip's header): line breaks allowed, no other controls. */
export const MultiLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine(isMultiLineText, {
      message: 'control or text-direction characters are not allowed',
      params: { reason: 'controlCharacters' },
    });
/** A code (a patron category, an item type, a branch): up to 20 characters, one line. */
export const Code = RequiredLine(20);

/** A calendar date that exists: 2026-02-28, not 2026-02-30 nor 2099-13-45. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-22')
  .refine(isValidLocalDate, { message: 'not a calendar date', params: { reason: 'notADate' } });
export const Barcode = RequiredLine(64).describe('a barcode');
export const Id = z.string().min(1).max(64).refine(isSingleLineText, NOT_SINGLE_LINE);
export const MinorUnits = z.number().int().min(-1_000_000_000).max(1_000_000_000);
/** A secret or a token as typed or handed back: bounded, otherwise anything (it is compared, never shown). */
export const Token = z.string().min(1).max(512);

/** A BCP 47 language tag both Intl.NumberFormat and Intl.DateTimeFormat support: "en-US", "es". */
export const Locale = z
  .string()
  .min(2)
  .max(35)
  .refine(isSupportedLocale, {
    message: 'not a language tag this station can format in, e.g. en-US',
    params: { reason: 'locale' },
  });
/** An ISO 4217 currency code: "USD", "EUR". */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code, e.g. USD')
  .refine(isSupportedCurrency, { message: 'not an ISO 4217 currency', params: { reason: 'currency' } });
/** An IANA time zone: "America/New_York". */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isSupportedTimeZone, { message: 'not a time zone, e.g. America/New_York', params: { reason: 'timeZone' } });

export const RefusalCodeSchema = z.string();
export const NoticeSchema = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/**
 * Work that follows a committed command and could not be done (a slip or receipt that did not
 * print). The command itself is done: the desk says so, and what did not follow.
 */
export const FollowUpFailedSchema = z.object({
  code: z.enum(['RECEIPT_NOT_PRINTED', 'SLIP_NOT_PRINTED']),
  /** For the log and a developer: what went wrong, in English, with no patron data. */
  message: z.string(),
});
export type FollowUpFailed = z.infer<typeof FollowUpFailedSchema>;

/** A supervisor's one-time override (from auth.verifySupervisor) for the named refusal codes. */
export const OverrideInput = z
  .object({ token: Token, codes: z.array(RefusalCodeSchema.max(40)).min(1).max(50) })
  .strict();
/** A supervisor's one-time grant (auth.verifySupervisor) for a command the signed-in account lacks the permission for. */
export const GrantInput = z.object({ token: Token }).strict();

export const StaffAccountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(STAFF_ROLES),
  branchId: z.string(),
  active: z.boolean(),
});

export const LoanResultSchema = z.object({
  loanId: z.string(),
  itemId: z.string(),
  itemBarcode: z.string(),
  title: z.string(),
  dueAt: z.number(),
  renewals: z.number(),
  /** How many more renewals the rule allows. */
  renewalsLeft: z.number(),
  renewed: z.boolean(),
  notices: z.array(NoticeSchema),
});

export const CheckinResultSchema = z.object({
  itemId: z.string(),
  itemBarcode: z.string(),
  title: z.string(),
  action: z.enum(['shelve', 'transit', 'hold_waiting', 'hold_transit', 'ill_ship_back', 'repair']),
  wasOnLoan: z.boolean(),
  destinationBranch: z.object({ id: z.string(), name: z.string() }).nullable(),
  hold: z
    .object({
      holdId: z.string(),
      patronId: z.string(),
      pickupBranchId: z.string(),
      shelfExpiresOn: z.string().nullable(),
      /** The holder as the hold slip names them: the first name and the card's last digits, no more. */
      patron: z.object({ firstName: z.string(), cardTail: z.string() }).optional(),
    })
    .nullable(),
  fine: z.object({ feeId: z.string(), amount: z.number(), currency: z.string() }).nullable(),
  /** Checked in as damaged: the copy went to repair, and the charge to the borrower if staff chose one. */
  damage: z
    .object({
      note: z.string(),
      charge: z.object({ feeId: z.string(), amount: z.number(), currency: z.string() }).nullable(),
    })
    .nullable()
    .optional(),
  notices: z.array(NoticeSchema),
  /** The hold or transit slip sent to the receipt printer, if one is set up. */
  printJob: z.number().nullable().optional(),
  /** The same slip as HTML, for the system printer (the desk prints it when there is no receipt printer). */
  slipHtml: z.string().nullable().optional(),
  /** The item is checked in, but its slip could not be made or printed. */
  followUpFailed: FollowUpFailedSchema.optional(),
});

const ItemStatusSchema = z.enum(ITEM_STATUSES);

export const ShelfScanResultSchema = z.object({
  itemId: z.string(),
  itemBarcode: z.string(),
  title: z.string(),
  callNumber: z.string().nullable(),
  location: z.string().nullable(),
  status: ItemStatusSchema,
  homeBranch: z.object({ id: z.string(), name: z.string() }),
  previouslySeenAt: z.number().nullable(),
  seenAt: z.number(),
  problems: z.array(
    z.object({
      code: z.enum([
        'OUT_OF_ORDER',
        'OTHER_BRANCH',
        'OTHER_LOCATION',
        'ON_LOAN',
        'MARKED_LOST',
        'HOLD_WAITING',
        'UNEXPECTED_STATUS',
      ]),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
});

export const ShelfCopySchema = z.object({
  itemId: z.string(),
  itemBarcode: z.string(),
  title: z.string(),
  callNumber: z.string().nullable(),
  location: z.string().nullable(),
  status: ItemStatusSchema,
  lastSeenAt: z.number().nullable(),
});

export const BlockSchema = z.object({
  id: z.string(),
  kind: z.enum(BLOCK_KINDS),
  reason: z.string(),
  until: z.string().nullable(),
  createdAt: z.number(),
});

export const FeeSchema = z.object({
  id: z.string(),
  patronId: z.string(),
  kind: z.enum(FEE_KINDS),
  amount: z.number(),
  outstanding: z.number(),
  currency: z.string(),
  loanId: z.string().nullable(),
  itemId: z.string().nullable(),
  description: z.string(),
  createdAt: z.number(),
  /** What the fee is for: the copy's title and barcode (null for a fee about no copy). */
  title: z.string().nullable().optional(),
  itemBarcode: z.string().nullable().optional(),
});

/** An overdue fine still accruing on a copy not yet returned: charged as a fee when it is. */
export const AccruingFineSchema = z.object({
  loanId: z.string(),
  itemId: z.string(),
  itemBarcode: z.string(),
  title: z.string(),
  dueAt: z.number(),
  amount: z.number(),
  overdueUnits: z.number(),
});

export const FeeHistoryLineSchema = z.object({
  id: z.string(),
  event: z.enum(['charged', 'paid', 'waived', 'credited']),
  at: z.number(),
  amount: z.number(),
  currency: z.string(),
  feeId: z.string(),
  feeKind: z.enum(FEE_KINDS),
  description: z.string(),
  title: z.string().nullable(),
  itemBarcode: z.string().nullable(),
  method: z.enum(PAYMENT_METHODS).nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
});

export const HoldSchema = z.object({
  id: z.string(),
  patronId: z.string(),
  recordId: z.string(),
  itemId: z.string().nullable(),
  itemLevel: z.boolean(),
  pickupBranchId: z.string(),
  placedAt: z.number(),
  status: z.enum(HOLD_STATUSES),
  suspendedUntil: z.string().nullable(),
  waitingSince: z.number().nullable(),
  shelfExpiresOn: z.string().nullable(),
});

export const PatronSchema = z.object({
  id: z.string(),
  cardBarcode: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  homeBranchId: z.string(),
  categoryCode: z.string(),
  cardExpiresOn: z.string(),
  notes: z.string(),
  keepReadingHistory: z.boolean(),
  createdAt: z.number(),
  hasPin: z.boolean(),
  language: z.enum(PATRON_LANGUAGES).nullable().optional(),
  noticeChannel: z.enum(NOTICE_CHANNELS).nullable().optional(),
});

export const PatronSummarySchema = z.object({
  patron: PatronSchema,
  categoryName: z.string(),
  blocks: z.array(BlockSchema),
  feesOwed: z.number(),
  /** Optional only so a desk built before accrual still reads the answer. */
  accruedFines: z.number().optional(),
  currency: z.string(),
  fees: z.array(FeeSchema),
  accruing: z.array(AccruingFineSchema).optional(),
  loans: z.array(
    z.object({
      loanId: z.string(),
      itemId: z.string(),
      itemBarcode: z.string(),
      title: z.string(),
      dueAt: z.number(),
      renewals: z.number(),
      overdue: z.boolean(),
    }),
  ),
  holds: z.array(HoldSchema.extend({ title: z.string() })),
  holdsReady: z.number(),
});

export const PatronInputSchema = z
  .object({
    cardBarcode: Barcode,
    firstName: RequiredLine(100),
    lastName: RequiredLine(100),
    email: SingleLine(200).trim().nullable().optional(),
    phone: SingleLine(40).trim().nullable().optional(),
    address: MultiLine(400).trim().nullable().optional(),
    homeBranchId: Id.nullable().optional(),
    categoryCode: Code,
    /** Left out or null at registration: the category's validity from today. */
    cardExpiresOn: LocalDate.nullable().optional(),
    notes: MultiLine(2000).optional(),
    keepReadingHistory: z.boolean().optional(),
    /** The language of the patron's notices; null: the library's. */
    language: z.enum(PATRON_LANGUAGES).nullable().optional(),
    /** Email or a printed letter; null: email when there is an address. */
    noticeChannel: z.enum(NOTICE_CHANNELS).nullable().optional(),
    pin: z
      .string()
      .regex(/^\d{4,8}$/, '4 to 8 digits')
      .nullable()
      .optional(),
  })
  .strict();

export const RecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  author: z.string().nullable(),
  isbn: z.string().nullable(),
  issn: z.string().nullable(),
  publisher: z.string().nullable(),
  year: z.number().nullable(),
  callNumber: z.string().nullable(),
});

/**
 * An ISBN-10 or ISBN-13 with its check digit right (hyphens and spaces allowed; empty is no
 * ISBN). A typo is refused, not kept: a wrong ISBN finds no copy and matches no other record.
 */
export const Isbn = SingleLine(20).refine((v) => v.trim() === '' || isValidIsbn(v), {
  message: 'not an ISBN (10 or 13 digits, the check digit right)',
  params: { reason: 'isbn' },
});
/** A year of publication, a whole number (a text year is refused, not dropped). */
export const Year = z.number({ error: 'a year, e.g. 1955' }).int().min(0).max(3000);

export const RecordInputSchema = z
  .object({
    title: RequiredLine(500),
    author: SingleLine(300).nullable().optional(),
    isbn: Isbn.nullable().optional(),
    issn: SingleLine(12).nullable().optional(),
    publisher: SingleLine(300).nullable().optional(),
    year: Year.nullable().optional(),
    callNumber: SingleLine(100).nullable().optional(),
  })
  .strict();

export const ItemSchema = z.object({
  id: z.string(),
  barcode: z.string(),
  recordId: z.string(),
  homeBranchId: z.string(),
  currentBranchId: z.string(),
  itemTypeCode: z.string(),
  status: z.enum(ITEM_STATUSES),
  damaged: z.boolean(),
  notForLoan: z.boolean(),
  replacementPrice: z.number().nullable(),
  transitToBranchId: z.string().nullable(),
  location: z.string().nullable().optional(),
  lastSeenAt: z.number().nullable().optional(),
});

export const CirculationRuleSchema = z
  .object({
    /** A branch id, or `*` for any (as the two codes). */
    branchId: Id,
    categoryCode: Code,
    itemTypeCode: Code,
    // Upper bounds keep the date arithmetic in range: a loan of 100 years is already absurd.
    loanLength: z.number().int().min(0).max(36_500),
    loanUnit: z.enum(LOAN_UNITS),
    hardDueDate: LocalDate.nullable(),
    hardDueDateMode: z.enum(HARD_DUE_DATE_MODES),
    maxLoans: z.number().int().min(0).max(10_000).nullable(),
    renewalsAllowed: z.number().int().min(0).max(1_000),
    renewalPeriod: z.number().int().min(1).max(36_500).nullable(),
    noRenewalBeforeDays: z.number().int().min(0).max(36_500).nullable(),
    fineAmount: MinorUnits.min(0),
    finePeriod: z.number().int().min(1).max(36_500),
    graceDays: z.number().int().min(0).max(36_500),
    fineCap: MinorUnits.min(0).nullable(),
    capFineAtReplacementPrice: z.boolean(),
    holdsAllowed: z.boolean(),
    holdsPerTitle: z.number().int().min(0).max(1_000),
    onShelfHoldsAllowed: z.boolean(),
    pickupPeriodDays: z.number().int().min(1).max(3_650),
  })
  .strict();

export const ClosedDaySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: LocalDate, description: SingleLine(200).optional() }).strict(),
  z
    .object({
      kind: z.literal('weekly'),
      weekday: z.number().int().min(0).max(6),
      description: SingleLine(200).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('yearly'),
      month: z.number().int().min(1).max(12),
      day: z.number().int().min(1).max(31),
      description: SingleLine(200).optional(),
    })
    .strict()
    // 29 February is a closed day in leap years; 31 April never is.
    .refine((d) => isValidLocalDate(`2024-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`), {
      message: 'that day does not exist in that month',
      path: ['day'],
      params: { reason: 'notADate' },
    }),
]);

const BarcodeRuleSchema = z.object({
  length: z.number().int().min(1).max(64).nullable(),
  minLength: z.number().int().min(1).max(64),
  maxLength: z.number().int().min(1).max(64),
  prefix: SingleLine(10),
  numeric: z.boolean(),
  checkDigit: z.boolean(),
});

/**
 * The library's logo for the kiosk: an image as a data: address, since the pages' content security
 * policy loads images from the station itself or data: only (a web address would be refused, and
 * would make the kiosk depend on the network). At most 200,000 characters (about 145 KB of image).
 */
export const KioskLogoSchema = z
  .string()
  .max(200_000, 'at most 200,000 characters (an image of about 145 KB)')
  .regex(
    /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/,
    'a PNG, JPEG, GIF, WebP or SVG image as a data: address',
  );

/**
 * The self-checkout kiosk: its idle timeout (it warns after `idleSeconds`, and ends the session
 * `warningSeconds` later), the library's logo at its top (absent or null: the name alone) and
 * whether it plays a tone on success and refusal (absent: it does). The last two are optional so
 * settings saved before they existed stay valid.
 */
export const KioskSettingsSchema = z.object({
  idleSeconds: z.number().int().min(10).max(3600),
  warningSeconds: z.number().int().min(5).max(300),
  logo: KioskLogoSchema.nullable().optional(),
  sounds: z.boolean().optional(),
});

/** Wrong PINs or passwords in a row before a card or staff account is locked, and for how many minutes. */
export const LockoutSettingsSchema = z.object({
  maxFailures: z.number().int().min(1).max(100),
  minutes: z.number().int().min(1).max(1440),
});

/** How often a station pulls other branches' work while its hub answers (src/sync/worker.ts). */
export const SyncSettingsSchema = z.object({
  pullIntervalSeconds: z.number().int().min(1).max(3600),
});

/** A catalogue to copy records from (src/domain/types.ts CopyCatalogueTarget). */
export const CopyCatalogueTargetSchema = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _'),
    name: RequiredLine(100),
    kind: z.enum(['sru', 'z3950']),
    address: RequiredLine(300),
    database: SingleLine(100).trim(),
    sruVersion: z.enum(['1.2', '2.0']),
  })
  .strict()
  .superRefine((t, ctx) => {
    // An SRU target is a web address; a Z39.50 one is host:port. Anything else is refused here, not at search time.
    const ok =
      t.kind === 'sru'
        ? /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(t.address)
        : /^[A-Za-z0-9.-]+:\d{1,5}$/.test(t.address);
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: t.kind === 'sru' ? 'an http:// or https:// address without a query' : 'host:port',
        params: { reason: t.kind === 'sru' ? 'sruAddress' : 'z3950Address' },
      });
    }
  });

/**
 * The library's settings as settings.update takes them (and as the hub checks a pushed settings
 * row). What the station answers with is LibrarySettingsOutputSchema, looser, so settings saved
 * before these checks can still be read and corrected.
 */
export const LibrarySettingsSchema = z.object({
  name: SingleLine(200),
  currency: Currency,
  locale: Locale,
  circControl: z.enum(CIRC_CONTROLS),
  calendarMode: z.enum(CALENDAR_MODES),
  capDueDateAtCardExpiry: z.boolean(),
  finesSkipClosedDays: z.boolean(),
  holdShelfSkipsClosedDays: z.boolean(),
  maxFeesOwed: MinorUnits.min(0).nullable(),
  // Optional: a settings document saved before the overdue block existed has none (no block).
  overdueBlockDays: z.number().int().min(0).max(3650).nullable().optional(),
  loanHistoryRetentionDays: z.number().int().min(0).max(36_500),
  barcodes: z.object({ patron: BarcodeRuleSchema, item: BarcodeRuleSchema }),
  kiosk: KioskSettingsSchema,
  lockout: LockoutSettingsSchema,
  // Optional: a settings document saved before it existed pulls at the default interval.
  sync: SyncSettingsSchema.optional(),
  copyCatalogueTargets: z
    .array(CopyCatalogueTargetSchema)
    .max(20)
    .refine((list) => new Set(list.map((t) => t.id)).size === list.length, {
      message: 'two targets have the same id',
      params: { reason: 'duplicateTarget' },
    }),
  ill: z
    .object({
      agencyId: z
        .string()
        .trim()
        .max(100)
        .regex(/^([A-Za-z0-9]+:)?[^\s:]*$/, 'an agency id like ISIL:US-ABC'),
      tempBarcodeFirst: z.string().trim().min(1).max(64).nullable(),
      tempBarcodeLast: z.string().trim().min(1).max(64).nullable(),
      libraryCategoryCode: z.string().trim().min(1).max(20),
      returnMarginDays: z.number().int().min(0).max(60),
    })
    .strict()
    .optional(),
});

export const LibrarySettingsOutputSchema = LibrarySettingsSchema.extend({
  name: z.string(),
  currency: z.string(),
  locale: z.string(),
  copyCatalogueTargets: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['sru', 'z3950']),
        address: z.string(),
        database: z.string(),
        sruVersion: z.enum(['1.2', '2.0']),
      }),
    )
    .optional(),
});
