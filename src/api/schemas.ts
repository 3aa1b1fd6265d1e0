// The shapes that cross the station API, as zod schemas. Inputs are strict (an unknown field is
// an error, not silently ignored); outputs describe what the core returns, for the typed client
// and the OpenAPI document.
import { z } from 'zod';

export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-22');
export const Barcode = z.string().trim().min(1, 'a barcode').max(64);
export const Id = z.string().min(1).max(64);
export const MinorUnits = z.number().int();

export const RefusalCodeSchema = z.string();
export const NoticeSchema = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });

/** A supervisor's one-time override (from auth.verifySupervisor) for the named refusal codes. */
export const OverrideInput = z.object({ token: z.string().min(1), codes: z.array(RefusalCodeSchema).min(1) }).strict();
/** A supervisor's one-time grant (auth.verifySupervisor) for a command the signed-in account lacks the permission for. */
export const GrantInput = z.object({ token: z.string().min(1) }).strict();

export const StaffAccountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['technician', 'supervisor', 'admin']),
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
  renewed: z.boolean(),
  notices: z.array(NoticeSchema),
});

export const CheckinResultSchema = z.object({
  itemId: z.string(),
  itemBarcode: z.string(),
  title: z.string(),
  action: z.enum(['shelve', 'transit', 'hold_waiting', 'hold_transit']),
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
  notices: z.array(NoticeSchema),
  /** The hold or transit slip sent to the receipt printer, if one is set up. */
  printJob: z.number().nullable().optional(),
  /** The same slip as HTML, for the system printer (the desk prints it when there is no receipt printer). */
  slipHtml: z.string().nullable().optional(),
});

export const BlockSchema = z.object({
  id: z.string(),
  kind: z.enum(['barred', 'lost_card', 'manual']),
  reason: z.string(),
  until: z.string().nullable(),
  createdAt: z.number(),
});

export const FeeSchema = z.object({
  id: z.string(),
  patronId: z.string(),
  kind: z.string(),
  amount: z.number(),
  outstanding: z.number(),
  currency: z.string(),
  loanId: z.string().nullable(),
  itemId: z.string().nullable(),
  description: z.string(),
  createdAt: z.number(),
});

export const HoldSchema = z.object({
  id: z.string(),
  patronId: z.string(),
  recordId: z.string(),
  itemId: z.string().nullable(),
  itemLevel: z.boolean(),
  pickupBranchId: z.string(),
  placedAt: z.number(),
  status: z.enum(['pending', 'in_transit', 'waiting', 'fulfilled', 'cancelled', 'expired']),
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
});

export const PatronSummarySchema = z.object({
  patron: PatronSchema,
  categoryName: z.string(),
  blocks: z.array(BlockSchema),
  feesOwed: z.number(),
  currency: z.string(),
  fees: z.array(FeeSchema),
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
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    email: z.string().trim().max(200).nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    address: z.string().trim().max(400).nullable().optional(),
    homeBranchId: Id.nullable().optional(),
    categoryCode: z.string().min(1).max(20),
    cardExpiresOn: LocalDate.nullable().optional(),
    notes: z.string().max(2000).optional(),
    keepReadingHistory: z.boolean().optional(),
    pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits').nullable().optional(),
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

export const RecordInputSchema = z
  .object({
    title: z.string().trim().min(1).max(500),
    author: z.string().max(300).nullable().optional(),
    isbn: z.string().max(20).nullable().optional(),
    issn: z.string().max(12).nullable().optional(),
    publisher: z.string().max(300).nullable().optional(),
    year: z.number().int().min(0).max(3000).nullable().optional(),
    callNumber: z.string().max(100).nullable().optional(),
  })
  .strict();

export const ItemSchema = z.object({
  id: z.string(),
  barcode: z.string(),
  recordId: z.string(),
  homeBranchId: z.string(),
  currentBranchId: z.string(),
  itemTypeCode: z.string(),
  status: z.enum(['available', 'on_loan', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'withdrawn', 'claimed_returned']),
  damaged: z.boolean(),
  notForLoan: z.boolean(),
  replacementPrice: z.number().nullable(),
  transitToBranchId: z.string().nullable(),
});

export const CirculationRuleSchema = z
  .object({
    branchId: z.string().min(1),
    categoryCode: z.string().min(1),
    itemTypeCode: z.string().min(1),
    loanLength: z.number().int().min(0),
    loanUnit: z.enum(['days', 'hours']),
    hardDueDate: LocalDate.nullable(),
    hardDueDateMode: z.enum(['before', 'exactly', 'after']),
    maxLoans: z.number().int().min(0).nullable(),
    renewalsAllowed: z.number().int().min(0),
    renewalPeriod: z.number().int().min(1).nullable(),
    noRenewalBeforeDays: z.number().int().min(0).nullable(),
    fineAmount: MinorUnits.min(0),
    finePeriod: z.number().int().min(1),
    graceDays: z.number().int().min(0),
    fineCap: MinorUnits.min(0).nullable(),
    capFineAtReplacementPrice: z.boolean(),
    holdsAllowed: z.boolean(),
    holdsPerTitle: z.number().int().min(0),
    onShelfHoldsAllowed: z.boolean(),
    pickupPeriodDays: z.number().int().min(1),
  })
  .strict();

export const ClosedDaySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: LocalDate, description: z.string().max(200).optional() }).strict(),
  z.object({ kind: z.literal('weekly'), weekday: z.number().int().min(0).max(6), description: z.string().max(200).optional() }).strict(),
  z
    .object({ kind: z.literal('yearly'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31), description: z.string().max(200).optional() })
    .strict(),
]);

const BarcodeRuleSchema = z.object({
  length: z.number().int().min(1).max(64).nullable(),
  minLength: z.number().int().min(1).max(64),
  maxLength: z.number().int().min(1).max(64),
  prefix: z.string().max(10),
  numeric: z.boolean(),
  checkDigit: z.boolean(),
});

/** The self-checkout kiosk's idle timeout: it warns after `idleSeconds`, and ends the session `warningSeconds` later. */
export const KioskSettingsSchema = z.object({
  idleSeconds: z.number().int().min(10).max(3600),
  warningSeconds: z.number().int().min(5).max(300),
});

/** Wrong PINs or passwords in a row before a card or staff account is locked, and for how many minutes. */
export const LockoutSettingsSchema = z.object({
  maxFailures: z.number().int().min(1).max(100),
  minutes: z.number().int().min(1).max(1440),
});

export const LibrarySettingsSchema = z.object({
  name: z.string(),
  currency: z.string(),
  locale: z.string(),
  circControl: z.enum(['desk_branch', 'patron_home_branch', 'item_home_branch']),
  calendarMode: z.enum(['calendar', 'push', 'ignore']),
  capDueDateAtCardExpiry: z.boolean(),
  finesSkipClosedDays: z.boolean(),
  holdShelfSkipsClosedDays: z.boolean(),
  maxFeesOwed: z.number().int().nullable(),
  loanHistoryRetentionDays: z.number().int().min(0),
  barcodes: z.object({ patron: BarcodeRuleSchema, item: BarcodeRuleSchema }),
  kiosk: KioskSettingsSchema,
  lockout: LockoutSettingsSchema,
});
