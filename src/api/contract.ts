// The station API: every command and query the desk, the kiosk and the Electron shell may call,
// described once with zod schemas. Both transports (Electron IPC, HTTP) validate every input
// against these schemas before the core sees it, and the core validates again.
//
// A method's `access` says who may call it:
// - 'public': anyone (health, sign-in, set-up status);
// - 'kiosk': a patron signed in at the kiosk with card and PIN, for themselves only, or staff;
// - a Permission: a staff session whose role grants it.

import { z } from 'zod';
import type { Permission } from '../domain/types';
import * as schemas from './schemas';
import { DevicesConfig, WedgeSettings } from './devices-config';
import { SIP2_CAPABILITIES } from '../domain/sip2-capabilities';
import { GROUPINGS } from '../domain/statistics';
import { ILL_DIRECTIONS, ILL_STATUSES } from '../domain/ill';
import { NOTICE_KINDS, NOTICE_LANGUAGES } from '../domain/notices';
import { NoticeSettingsSchema, NoticeTemplateSchema } from './notices';

export type Access = 'public' | 'kiosk' | 'staff' | Permission;

export interface ApiMethod<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'command' | 'query';
  access: Access;
  input: I;
  output: O;
  /** Only for a caller on the station's own machine (CallContext.local), whatever its session. */
  localOnly?: boolean;
}

const method = <I extends z.ZodType, O extends z.ZodType>(
  kind: 'command' | 'query',
  access: Access,
  input: I,
  output: O,
): ApiMethod<I, O> => ({ kind, access, input, output });

/**
 * Setting the station up and joining it to a hub: before either, the station has no staff to
 * sign in, so anyone who reached it could make themselves its administrator or point it at a hub
 * of their own. Only someone at the station's own machine may.
 */
const onThisMachineOnly = <I extends z.ZodType, O extends z.ZodType>(m: ApiMethod<I, O>): ApiMethod<I, O> & { localOnly: true } => ({ ...m, localOnly: true });

export const NoticeSchema = z.object({
  id: z.string(),
  patronId: z.string(),
  kind: z.enum(NOTICE_KINDS),
  level: z.string(),
  channel: z.enum(['email', 'print']),
  language: z.string(),
  status: z.enum(['queued', 'sent', 'printed', 'failed', 'uncertain', 'cancelled']),
  messageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
});

const NoticeRunSchema = z.object({
  skipped: z.enum(['disabled', 'not_sender']).nullable(),
  created: z.number(),
  cancelled: z.number(),
  sent: z.number(),
  waiting: z.number(),
  toPrint: z.number(),
  failed: z.number(),
  uncertain: z.number(),
  lastError: z.string().nullable(),
});

const NoticeViewSchema = z.object({
  settings: NoticeSettingsSchema,
  stationId: z.string(),
  isSender: z.boolean(),
  smtpPasswordSet: z.boolean(),
  lastRun: z.object({ at: z.number(), result: NoticeRunSchema }).nullable(),
});

export const Sip2AccountSchema = z.object({
  id: z.string(),
  login: z.string(),
  branchId: z.string(),
  allowed: z.array(z.enum(SIP2_CAPABILITIES)),
  requirePin: z.boolean(),
  errorDetection: z.boolean(),
  active: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const Sip2SettingsOutput = z.object({
  enabled: z.boolean(),
  port: z.number(),
  host: z.string(),
  listening: z.boolean(),
  /** The port the listener opened (it may differ when the command line named one). */
  listeningPort: z.number().nullable(),
  connections: z.number(),
  error: z.string().nullable(),
});

const StatisticsCounts = {
  checkouts: z.number(),
  renewals: z.number(),
  checkins: z.number(),
  inHouseUses: z.number(),
  holdsFilled: z.number(),
  newPatrons: z.number(),
  illBorrowed: z.number(),
  illLent: z.number(),
  /** Minor units (cents) of `currency`. */
  finesCollected: z.number(),
};

/** Statistics of a period (src/services/statistics.ts): counts by group, never a patron. */
export const StatisticsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(GROUPINGS),
  branchId: z.string().nullable(),
  currency: z.string(),
  rows: z.array(z.object({ key: z.string(), label: z.string(), ...StatisticsCounts, activePatrons: z.number().nullable() })),
  totals: z.object({ ...StatisticsCounts, activePatrons: z.number() }),
});

export const HealthOutput = z.object({
  ok: z.boolean(),
  version: z.string(),
  stationId: z.string().nullable(),
  configured: z.boolean(),
});

const IllStatusSchema = z.enum(ILL_STATUSES);
export const IllViewSchema = z.object({
  id: z.string(),
  direction: z.enum(ILL_DIRECTIONS),
  status: IllStatusSchema,
  branchId: z.string(),
  patronId: z.string().nullable(),
  title: z.string(),
  author: z.string().nullable(),
  isbn: z.string().nullable(),
  partnerName: z.string(),
  partnerAgencyId: z.string(),
  needBy: z.string().nullable(),
  requestingRequestId: z.string(),
  recordId: z.string().nullable(),
  itemId: z.string().nullable(),
  lenderDueOn: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  steps: z.array(z.object({ status: IllStatusSchema, at: z.number(), by: z.string().nullable(), note: z.string().optional() })),
  nextAction: z.string(),
  nextSteps: z.array(IllStatusSchema),
  closed: z.boolean(),
  itemBarcode: z.string().nullable(),
  patron: z.object({ id: z.string(), cardBarcode: z.string(), firstName: z.string(), lastName: z.string() }).nullable(),
});
/** A step that prints the package's ILL slip (or a hold slip) answers with it, as the check-in does. */
const IllPrinted = IllViewSchema.extend({
  printJob: z.number().nullable().optional(),
  slipHtml: z.string().nullable().optional(),
  followUpFailed: schemas.FollowUpFailedSchema.optional(),
});
const IllId = z.object({ id: schemas.Id }).strict();
const IllNote = schemas.MultiLine(500).nullable().optional();
const IllMessageKind = z.enum(['request', 'supplyingAgencyMessage', 'requestingAgencyMessage']);

/**
 * The method table. Names are `area.verb`. More methods are added by the issues that need them;
 * the transports and the renderer's client are generic over this table.
 */
const none = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const S = schemas;

export const stationApi = {
  // --- system, set-up and sessions
  'system.health': method('query', 'public', none, HealthOutput),
  'setup.status': method(
    'query',
    'public',
    none,
    z.object({
      configured: z.boolean(),
      /** Joined a hub, and the library is still on its way (the first sync has not finished). */
      loadingLibrary: z.boolean(),
      libraryName: z.string().nullable(),
      branchName: z.string().nullable(),
      locale: z.string(),
      currency: z.string(),
      timeZone: z.string().nullable(),
      /** The library's barcode rules: the desk routes a wedge scan by them before anyone signs in. */
      barcodes: S.LibrarySettingsSchema.shape.barcodes,
      /** The kiosk's idle timeout (library settings) and this station's wedge key gap (device settings): read before anyone signs in. */
      kiosk: S.KioskSettingsSchema.optional(),
      wedge: WedgeSettings.optional(),
      /** This station has a receipt printer: the kiosk offers a paper receipt only then (it never opens the system print dialog). */
      receiptPrinter: z.boolean().optional(),
    }),
  ),
  /** First run, instead of setup.initialize: join the library's hub with a one-time enrolment code. */
  'setup.join': onThisMachineOnly(method(
    'command',
    'public',
    z
      .object({
        hubUrl: S.SingleLine(300).trim().regex(/^https?:\/\/\S+$/, 'an http:// or https:// address'),
        code: S.SingleLine(100).trim().min(4),
        stationName: S.RequiredLine(100),
      })
      .strict(),
    z.object({ joined: z.literal(true) }),
  )),
  'setup.initialize': onThisMachineOnly(method(
    'command',
    'public',
    z
      .object({
        libraryName: S.RequiredLine(200),
        branchCode: S.Code,
        branchName: S.RequiredLine(200),
        timeZone: S.TimeZone,
        currency: S.Currency,
        locale: S.Locale,
        admin: z.object({ username: S.RequiredLine(40).min(2), displayName: S.RequiredLine(100), password: z.string().min(8).max(200) }).strict(),
      })
      .strict(),
    z.object({ branchId: z.string(), adminId: z.string() }),
  )),
  'auth.signIn': method(
    'command',
    'public',
    z.object({ username: S.SingleLine(40).min(1), password: z.string().min(1).max(200) }).strict(),
    z.object({ token: z.string(), staff: S.StaffAccountSchema, permissions: z.array(z.string()) }),
  ),
  'auth.signOut': method('command', 'public', none, ok),
  'auth.session': method(
    'query',
    'public',
    none,
    z.object({ kind: z.enum(['staff', 'kiosk', 'none']), staff: S.StaffAccountSchema.nullable(), permissions: z.array(z.string()), patronId: z.string().nullable() }),
  ),
  'auth.kioskSignIn': method(
    'command',
    'public',
    z.object({ cardBarcode: S.Barcode, pin: S.SingleLine(8).min(1) }).strict(),
    z.object({ token: z.string(), patronId: z.string(), firstName: z.string() }),
  ),
  'auth.verifySupervisor': method(
    'command',
    'circulate',
    z.object({ username: S.SingleLine(40).min(1), password: z.string().min(1).max(200) }).strict(),
    z.object({ overrideToken: z.string(), displayName: z.string() }),
  ),
  /** Lifts a card's PIN lockout (too many wrong PINs) at the desk; says whether there was one. */
  'auth.clearLockout': method('command', 'manage_patrons', z.object({ patronId: S.Id }).strict(), z.object({ wasLocked: z.boolean() })),

  // --- circulation
  'circulation.checkout': method(
    'command',
    'kiosk',
    z.object({ patronBarcode: S.Barcode, itemBarcode: S.Barcode, override: S.OverrideInput.optional() }).strict(),
    S.LoanResultSchema,
  ),
  'circulation.checkin': method(
    'command',
    'circulate',
    z
      .object({
        itemBarcode: S.Barcode,
        backdate: S.LocalDate.nullable().optional(),
        /** Checked in damaged: to repair, with a note, and a charge to the borrower if staff choose one. */
        damage: z
          .object({
            note: S.RequiredLine(500),
            charge: z.enum(['none', 'price', 'amount']),
            amount: S.MinorUnits.min(1).nullable().optional(),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
    S.CheckinResultSchema,
  ),
  'circulation.renew': method('command', 'kiosk', z.object({ itemBarcode: S.Barcode, override: S.OverrideInput.optional() }).strict(), S.LoanResultSchema),
  'circulation.renewAll': method(
    'command',
    'kiosk',
    z.object({ patronBarcode: S.Barcode }).strict(),
    z.object({
      renewed: z.array(S.LoanResultSchema),
      refused: z.array(z.object({ itemBarcode: z.string(), title: z.string(), refusals: z.array(z.object({ code: z.string(), overridable: z.boolean() }).passthrough()) })),
    }),
  ),

  // --- patrons
  'patrons.lookup': method('query', 'kiosk', z.object({ barcode: S.Barcode }).strict(), S.PatronSummarySchema),
  'patrons.get': method('query', 'manage_patrons', z.object({ patronId: S.Id }).strict(), S.PatronSummarySchema),
  'patrons.search': method(
    'query',
    'circulate',
    z.object({ query: S.SingleLine(200) }).strict(),
    z.array(z.object({ id: z.string(), cardBarcode: z.string(), firstName: z.string(), lastName: z.string(), email: z.string().nullable() })),
  ),
  'patrons.register': method('command', 'manage_patrons', S.PatronInputSchema, S.PatronSummarySchema),
  'patrons.update': method(
    'command',
    'manage_patrons',
    z
      .object({
        patronId: S.Id,
        // A card always has an expiry: an edit may move it, not clear it (renewCard extends it).
        changes: S.PatronInputSchema.omit({ cardBarcode: true, pin: true }).extend({ cardExpiresOn: S.LocalDate, homeBranchId: S.Id }).partial(),
      })
      .strict(),
    S.PatronSummarySchema,
  ),
  'patrons.renewCard': method('command', 'manage_patrons', z.object({ patronId: S.Id }).strict(), S.PatronSummarySchema),
  'patrons.replaceCard': method('command', 'manage_patrons', z.object({ patronId: S.Id, cardBarcode: S.Barcode }).strict(), S.PatronSummarySchema),
  'patrons.setPin': method('command', 'manage_patrons', z.object({ patronId: S.Id, pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') }).strict(), ok),
  'patrons.addBlock': method(
    'command',
    'manage_patrons',
    z.object({ patronId: S.Id, kind: z.enum(['barred', 'lost_card', 'manual']), reason: S.RequiredLine(500), until: S.LocalDate.nullable().optional() }).strict(),
    S.PatronSummarySchema,
  ),
  'patrons.removeBlock': method('command', 'manage_patrons', z.object({ blockId: S.Id }).strict(), ok),
  'patrons.readingHistory': method(
    'query',
    'manage_patrons',
    z.object({ patronId: S.Id }).strict(),
    z.array(z.object({ title: z.string(), itemBarcode: z.string(), checkedOutAt: z.number(), returnedAt: z.number() })),
  ),

  // --- fees
  'fees.list': method('query', 'circulate', z.object({ patronId: S.Id }).strict(), z.array(S.FeeSchema)),
  'fees.history': method('query', 'circulate', z.object({ patronId: S.Id }).strict(), z.array(S.FeeHistoryLineSchema)),
  'fees.pay': method(
    'command',
    'circulate',
    z
      .object({
        patronId: S.Id,
        tendered: S.MinorUnits.positive(),
        amount: S.MinorUnits.positive().nullable().optional(),
        method: z.enum(['cash', 'card', 'cheque', 'other']).optional(),
        /** The card slip's or the cheque's number (required for a cheque); not kept for cash. */
        reference: S.SingleLine(120).nullable().optional(),
        feeIds: z.array(S.Id).max(500).nullable().optional(),
      })
      .strict(),
    z.object({
      paymentId: z.string(),
      applied: z.number(),
      tendered: z.number(),
      change: z.number(),
      currency: z.string(),
      method: z.enum(['cash', 'card', 'cheque', 'other']).optional(),
      reference: z.string().nullable().optional(),
      allocations: z.array(z.object({ feeId: z.string(), amount: z.number() })),
      lines: z
        .array(z.object({ feeId: z.string(), amount: z.number(), kind: z.string(), description: z.string(), title: z.string().nullable(), itemBarcode: z.string().nullable() }))
        .optional(),
      remainingOwed: z.number(),
      /** The receipt as HTML, for the system printer when the desk has no receipt printer (or to print it again). */
      receiptHtml: z.string().nullable().optional(),
      /** The payment is recorded, but its receipt could not be made or printed. */
      followUpFailed: S.FollowUpFailedSchema.optional(),
    }),
  ),
  'fees.waive': method(
    'command',
    'waive_fees',
    z
      .object({ feeId: S.Id, reason: S.RequiredLine(500), amount: S.MinorUnits.positive().nullable().optional(), override: S.GrantInput.optional() })
      .strict(),
    S.FeeSchema,
  ),
  'fees.charge': method(
    'command',
    'circulate',
    z
      .object({
        patronId: S.Id,
        kind: z.enum(['lost', 'damage', 'card_replacement', 'printing', 'manual']),
        amount: S.MinorUnits.positive(),
        /** The reason, as the fee's description. */
        description: S.RequiredLine(300),
        itemId: S.Id.nullable().optional(),
        /** The copy the charge is for (damage), as scanned. */
        itemBarcode: S.SingleLine(64).nullable().optional(),
      })
      .strict(),
    S.FeeSchema,
  ),

  // --- holds
  'holds.place': method(
    'command',
    'kiosk',
    z.object({ patronId: S.Id, recordId: S.Id, itemId: S.Id.nullable().optional(), pickupBranchId: S.Id.nullable().optional(), override: S.OverrideInput.optional() }).strict(),
    S.HoldSchema,
  ),
  'holds.cancel': method('command', 'kiosk', z.object({ holdId: S.Id }).strict(), S.HoldSchema),
  'holds.suspend': method('command', 'kiosk', z.object({ holdId: S.Id, until: S.LocalDate.nullable() }).strict(), S.HoldSchema),
  'holds.clearExpired': method(
    'command',
    'circulate',
    none,
    z.object({ expired: z.array(z.object({ holdId: z.string(), itemBarcode: z.string().nullable(), title: z.string(), patronId: z.string(), patronName: z.string() })) }),
  ),
  'holds.queue': method(
    'query',
    'circulate',
    z.object({ recordId: S.Id }).strict(),
    z.array(S.HoldSchema.extend({ position: z.number(), patronName: z.string() })),
  ),
  'holds.toPull': method(
    'query',
    'circulate',
    none,
    z.array(z.object({ holdId: z.string(), title: z.string(), callNumber: z.string().nullable(), itemBarcode: z.string(), placedAt: z.number() })),
  ),
  'holds.shelf': method(
    'query',
    'circulate',
    none,
    z.array(
      z.object({ holdId: z.string(), title: z.string(), itemBarcode: z.string().nullable(), patronName: z.string(), shelfExpiresOn: z.string().nullable(), expired: z.boolean() }),
    ),
  ),

  // --- catalogue
  'catalogue.search': method(
    'query',
    'kiosk',
    z.object({ query: S.SingleLine(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
    z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        author: z.string().nullable(),
        isbn: z.string().nullable(),
        callNumber: z.string().nullable(),
        year: z.number().nullable(),
        copies: z.number(),
        available: z.number(),
        /** When the first copy out on loan is due back (epoch ms), or null when none is out. */
        nextDueAt: z.number().nullable(),
      }),
    ),
  ),
  /** Records that already carry this ISBN (typed with or without hyphens): a warning before a duplicate is catalogued. */
  'catalogue.findIsbn': method(
    'query',
    'manage_catalogue',
    z.object({ isbn: S.Isbn }).strict(),
    z.array(z.object({ id: z.string(), title: z.string(), author: z.string().nullable() })),
  ),
  'catalogue.record': method(
    'query',
    'kiosk',
    z.object({ recordId: S.Id }).strict(),
    z.object({ record: S.RecordSchema, items: z.array(S.ItemSchema.extend({ dueAt: z.number().nullable() })) }),
  ),
  'catalogue.item': method('query', 'circulate', z.object({ barcode: S.Barcode }).strict(), S.ItemSchema.extend({ title: z.string() })),
  'catalogue.addRecord': method('command', 'manage_catalogue', S.RecordInputSchema, S.RecordSchema),
  'catalogue.updateRecord': method('command', 'manage_catalogue', z.object({ recordId: S.Id, changes: S.RecordInputSchema.partial() }).strict(), S.RecordSchema),
  'catalogue.addItem': method(
    'command',
    'manage_catalogue',
    z
      .object({
        barcode: S.Barcode,
        recordId: S.Id,
        itemTypeCode: S.Code,
        homeBranchId: S.Id.nullable().optional(),
        replacementPrice: S.MinorUnits.min(0).nullable().optional(),
        notForLoan: z.boolean().optional(),
        location: S.SingleLine(100).nullable().optional(),
      })
      .strict(),
    S.ItemSchema,
  ),
  /** A copy's item type, home branch, replacement price or not-for-loan flag corrected. */
  'catalogue.updateItem': method(
    'command',
    'manage_catalogue',
    z
      .object({
        itemId: S.Id,
        changes: z
          .object({
            itemTypeCode: S.Code.optional(),
            homeBranchId: S.Id.optional(),
            replacementPrice: S.MinorUnits.min(0).nullable().optional(),
            notForLoan: z.boolean().optional(),
            location: S.SingleLine(100).nullable().optional(),
          })
          .strict(),
      })
      .strict(),
    S.ItemSchema,
  ),
  /** A copy catalogued by mistake deleted: refused (with the reason) while it is on loan, holds a hold, or has a history. */
  'catalogue.deleteItem': method('command', 'manage_catalogue', z.object({ itemId: S.Id }).strict(), ok),
  /** A record catalogued by mistake deleted: refused while it has copies or holds. */
  'catalogue.deleteRecord': method('command', 'manage_catalogue', z.object({ recordId: S.Id }).strict(), ok),
  'catalogue.setItemStatus': method(
    'command',
    'circulate',
    z.object({ itemBarcode: S.Barcode, change: z.enum(['lost', 'missing', 'damaged', 'undamaged', 'found', 'withdrawn', 'claimed_returned', 'repaired']) }).strict(),
    S.ItemSchema,
  ),
  'catalogue.inHouseUse': method('command', 'circulate', z.object({ itemBarcode: S.Barcode }).strict(), z.object({ itemBarcode: z.string(), title: z.string() })),

  // --- copy cataloguing (another library's catalogue over SRU) and labels
  /** The targets staff may search (Settings › Copy cataloguing keeps them, in settings.copyCatalogueTargets). */
  'copyCatalogue.targets': method(
    'query',
    'manage_catalogue',
    none,
    z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['sru', 'z3950']) })),
  ),
  /** One search of a target by ISBN, title or author: its records as ours would be, each with its MARCXML for copyCatalogue.import. */
  'copyCatalogue.search': method(
    'query',
    'manage_catalogue',
    z
      .object({
        targetId: S.RequiredLine(40),
        by: z.enum(['isbn', 'title', 'author']),
        term: S.RequiredLine(200),
        start: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    z.object({
      target: z.object({ id: z.string(), name: z.string() }),
      total: z.number(),
      hits: z.array(
        S.RecordSchema.omit({ id: true }).extend({
          position: z.number(),
          controlNumber: z.string().nullable(),
          existingRecordId: z.string().nullable(),
          marcxml: z.string(),
        }),
      ),
    }),
  ),
  /** The record picked from a search becomes a catalogue record (journaled as catalogue.addRecord). */
  'copyCatalogue.import': method('command', 'manage_catalogue', z.object({ marcxml: z.string().min(1).max(200_000) }).strict(), S.RecordSchema),
  /** Barcode or spine labels for a list of copies, as a PDF (base64) on a label sheet. */
  'labels.pdf': method(
    'query',
    'manage_catalogue',
    z
      .object({
        copies: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('barcodes'), barcodes: z.array(S.Barcode).min(1).max(1_000) }).strict(),
          z.object({ kind: z.literal('addedSince'), since: z.number().int().min(0) }).strict(),
          z.object({ kind: z.literal('range'), from: S.Barcode, to: S.Barcode }).strict(),
          z.object({ kind: z.literal('search'), query: S.RequiredLine(200) }).strict(),
        ]),
        sheet: z.enum(['avery5160', 'l7160']),
        labelKind: z.enum(['barcode', 'spine']),
        symbology: z.enum(['codabar', 'code128']),
        startPosition: z.number().int().min(1).max(30),
        topMarginMm: z.number().min(0).max(50).nullable().optional(),
        leftMarginMm: z.number().min(0).max(50).nullable().optional(),
      })
      .strict(),
    z.object({ pdfBase64: z.string(), pages: z.number(), labels: z.number(), barcodes: z.array(z.string()) }),
  ),

  // --- configuration
  'settings.get': method('query', 'staff', none, S.LibrarySettingsOutputSchema),
  'settings.update': method('command', 'settings', S.LibrarySettingsSchema.partial().strict(), S.LibrarySettingsOutputSchema),
  'branches.list': method('query', 'public', none, z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), timeZone: z.string() }))),
  'branches.save': method(
    'command',
    'settings',
    z.object({ id: S.Id.nullable().optional(), code: S.Code, name: S.RequiredLine(200), timeZone: S.TimeZone }).strict(),
    z.object({ id: z.string(), code: z.string(), name: z.string(), timeZone: z.string() }),
  ),
  'calendar.list': method('query', 'staff', z.object({ branchId: S.Id }).strict(), z.array(z.record(z.string(), z.unknown()))),
  'calendar.addClosedDay': method('command', 'edit_rules', z.object({ branchId: S.Id, day: S.ClosedDaySchema }).strict(), z.object({ id: z.string() })),
  'calendar.removeClosedDay': method('command', 'edit_rules', z.object({ id: S.Id }).strict(), ok),
  'categories.list': method('query', 'staff', none, z.array(z.object({ code: z.string(), name: z.string(), cardValidityDays: z.number() }))),
  'categories.save': method(
    'command',
    'edit_rules',
    z.object({ code: S.Code, name: S.RequiredLine(100), cardValidityDays: z.number().int().min(1).max(36500) }).strict(),
    z.object({ code: z.string(), name: z.string(), cardValidityDays: z.number() }),
  ),
  // --- data in and out (Settings › Import; src/station/imports.ts). The file comes in pieces of
  // at most 512 KB (base64), under the HTTP body limit.
  'import.upload': method('command', 'settings', z.object({ uploadId: z.string().max(64).nullable(), chunk: z.string().max(700_000) }).strict(), z.object({ uploadId: z.string(), bytes: z.number() })),
  'import.start': method(
    'command',
    'settings',
    z.object({ uploadId: z.string().max(64), kind: z.enum(['marc', 'patrons']), dryRun: z.boolean(), defaultItemType: S.Code.nullable().optional(), defaultCategory: S.Code.nullable().optional() }).strict(),
    z.object({ jobId: z.string() }),
  ),
  'import.status': method(
    'query',
    'settings',
    z.object({ jobId: z.string().max(64) }).strict(),
    z.object({
      state: z.enum(['running', 'done', 'failed']),
      kind: z.enum(['marc', 'patrons']),
      read: z.number(),
      bytes: z.number(),
      totalBytes: z.number(),
      report: z
        .object({
          dryRun: z.boolean(),
          read: z.number(),
          added: z.number(),
          updated: z.number(),
          copies: z.number(),
          skipped: z.number(),
          skippedRows: z.array(z.object({ position: z.number(), id: z.string().nullable(), reason: z.string() })),
        })
        .nullable(),
      error: z.string().nullable(),
    }),
  ),
  /** Every patron as CSV (Koha's column names; no PIN, loans or history). */
  'export.patrons': method('query', 'settings', none, z.object({ csv: z.string(), patrons: z.number() })),
  /** Koha's .koc or Evergreen's offline file of a span of days; the entries it carries are marked exported. */
  'export.offline': method(
    'command',
    'settings',
    z.object({ format: z.enum(['koc', 'evergreen']), from: S.LocalDate, to: S.LocalDate, again: z.boolean().optional() }).strict(),
    z.object({ text: z.string(), transactions: z.number(), skipped: z.number() }),
  ),
  'itemTypes.list': method('query', 'staff', none, z.array(z.object({ code: z.string(), name: z.string(), notForLoan: z.boolean() }))),
  'itemTypes.save': method(
    'command',
    'edit_rules',
    z.object({ code: S.Code, name: S.RequiredLine(100), notForLoan: z.boolean() }).strict(),
    z.object({ code: z.string(), name: z.string(), notForLoan: z.boolean() }),
  ),
  'rules.list': method(
    'query',
    'staff',
    none,
    z.object({ rules: z.array(CirculationRuleOut()), patronLimits: z.array(z.record(z.string(), z.unknown())), branchItemPolicies: z.array(z.record(z.string(), z.unknown())) }),
  ),
  'rules.save': method('command', 'edit_rules', S.CirculationRuleSchema, CirculationRuleOut()),
  'rules.delete': method('command', 'edit_rules', z.object({ id: S.Id }).strict(), ok),
  /** A patron's totals across item types, per branch x category (`*` for any): loans and holds at once. */
  'rules.saveLimits': method('command', 'edit_rules', PatronLimitsSchemaOf(), PatronLimitsSchemaOf().extend({ id: z.string() })),
  /** Where a returned item goes, per branch x item type (`*` for any): its home, where it was returned, or it stays. */
  'rules.saveReturnPolicy': method('command', 'edit_rules', ReturnPolicySchemaOf(), ReturnPolicySchemaOf().extend({ id: z.string() })),
  // --- SIP2 (self-checks, sorters, gates; src/transports/sip2, docs/sip2.md)
  'sip2.accounts': method('query', 'settings', none, z.array(Sip2AccountSchema)),
  /** Adds or changes a SIP2 account; a new one needs a password, an existing one keeps its own unless given one. */
  'sip2.saveAccount': method(
    'command',
    'settings',
    z
      .object({
        id: S.Id.nullable().optional(),
        login: S.RequiredLine(64),
        password: z.string().min(6).max(200).nullable().optional(),
        branchId: S.Id,
        allowed: z.array(z.enum(SIP2_CAPABILITIES)).max(SIP2_CAPABILITIES.length),
        requirePin: z.boolean().optional(),
        errorDetection: z.boolean().optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    Sip2AccountSchema,
  ),
  'sip2.removeAccount': method('command', 'settings', z.object({ id: S.Id }).strict(), ok),
  /** This station's SIP2 listener: the setting, and whether it is listening now. */
  'sip2.settings': method('query', 'settings', none, Sip2SettingsOutput),
  'sip2.saveSettings': method(
    'command',
    'settings',
    z.object({ enabled: z.boolean(), port: z.number().int().min(1).max(65535), host: S.SingleLine(253).trim().min(1) }).strict(),
    Sip2SettingsOutput,
  ),
  // --- notices to patrons (src/services/notices.ts, docs/notices.md)
  /** The library's notice settings, and whether this station sends them and holds the SMTP password (never the password itself). */
  'notices.settings': method('query', 'settings', none, NoticeViewSchema),
  /** Saves the settings (journaled, synced); the SMTP password, when given, stays on this station (null forgets it). */
  'notices.saveSettings': method(
    'command',
    'settings',
    z.object({ settings: NoticeSettingsSchema, smtpPassword: z.string().max(500).regex(/^[^\r\n]*$/).nullable().optional() }).strict(),
    NoticeViewSchema,
  ),
  /** A template filled with sample values, in a language, for the editor's preview. */
  'notices.preview': method('query', 'settings', z.object({ template: NoticeTemplateSchema, language: z.enum(NOTICE_LANGUAGES) }).strict(), z.object({ subject: z.string(), body: z.string() })),
  /** "Send now": one notice pass at once (what the scheduler runs every few minutes). */
  'notices.run': method('command', 'settings', none, NoticeRunSchema),
  /** What waits: email queued, letters to print, notices failed or uncertain. */
  'notices.status': method('query', 'circulate', none, z.object({ counts: z.object({ queuedEmail: z.number(), queuedPrint: z.number(), failed: z.number(), uncertain: z.number() }), attention: z.array(NoticeSchema), isSender: z.boolean(), enabled: z.boolean() })),
  /** A patron's notices, newest first. */
  'notices.forPatron': method('query', 'manage_patrons', z.object({ patronId: S.Id }).strict(), z.array(NoticeSchema)),
  /** The letters waiting to be printed, as one HTML page (one letter a page, the address for a window envelope). */
  'notices.letters': method('query', 'circulate', none, z.object({ html: z.string(), ids: z.array(z.string()) })),
  'notices.markPrinted': method('command', 'circulate', z.object({ ids: z.array(S.Id).min(1).max(1000) }).strict(), z.object({ printed: z.number() })),
  /** Sends again a notice that failed or may not have gone out (same Message-ID). */
  'notices.retry': method('command', 'circulate', z.object({ id: S.Id }).strict(), NoticeSchema),
  'staff.list': method('query', 'manage_staff', none, z.array(S.StaffAccountSchema)),
  'staff.save': method(
    'command',
    'manage_staff',
    z
      .object({
        id: S.Id.nullable().optional(),
        username: S.RequiredLine(40).min(2),
        displayName: S.RequiredLine(100),
        role: z.enum(['technician', 'supervisor', 'admin']),
        branchId: S.Id.nullable().optional(),
        password: z.string().min(8).max(200).nullable().optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    S.StaffAccountSchema,
  ),

  // --- devices: scanners, receipt printers, slips
  'devices.get': method(
    'query',
    'staff',
    none,
    z.object({ config: DevicesConfig, states: z.array(z.record(z.string(), z.unknown())), jobs: z.array(z.record(z.string(), z.unknown())) }),
  ),
  'devices.configure': method('command', 'settings', DevicesConfig, DevicesConfig),
  'devices.testPrint': method('command', 'settings', z.object({ printerId: S.SingleLine(64).min(1).optional() }).strict(), z.object({ jobId: z.number() })),
  'devices.preview': method(
    'query',
    'staff',
    z.object({ kind: z.enum(['checkout', 'checkin', 'hold', 'transit', 'payment', 'ill']), printerId: S.SingleLine(64).optional() }).strict(),
    z.object({ columns: z.number(), lines: z.array(z.string()) }),
  ),
  'slips.checkout': method(
    'command',
    'kiosk',
    z.object({ patronBarcode: S.Barcode, loanIds: z.array(S.Id).min(1).max(100) }).strict(),
    z.object({ jobId: z.number().nullable(), html: z.string(), followUpFailed: S.FollowUpFailedSchema.optional() }),
  ),

  // --- interlibrary loan (docs/ill.md): each step one command
  'ill.list': method('query', 'circulate', z.object({ includeClosed: z.boolean().optional() }).strict(), z.array(IllViewSchema)),
  'ill.get': method('query', 'circulate', IllId, IllViewSchema),
  'ill.pullList': method(
    'query',
    'circulate',
    none,
    z.array(z.object({ requestId: z.string(), title: z.string(), partnerName: z.string(), copies: z.array(z.object({ itemBarcode: z.string(), callNumber: z.string().nullable() })) })),
  ),
  /** A patron's own requests: the kiosk shows them to the patron signed in. */
  'ill.forPatron': method(
    'query',
    'kiosk',
    z.object({ patronId: S.Id }).strict(),
    z.array(z.object({ id: z.string(), title: z.string(), author: z.string().nullable(), status: IllStatusSchema, needBy: z.string().nullable(), updatedAt: z.number() })),
  ),
  'ill.requestBorrowing': method(
    'command',
    'circulate',
    z
      .object({
        patronId: S.Id,
        title: S.RequiredLine(500),
        author: S.SingleLine(500).nullable().optional(),
        isbn: S.SingleLine(20).nullable().optional(),
        partnerName: S.RequiredLine(200),
        partnerAgencyId: S.SingleLine(100).nullable().optional(),
        needBy: S.LocalDate.nullable().optional(),
        note: IllNote,
      })
      .strict(),
    IllViewSchema,
  ),
  'ill.send': method('command', 'circulate', IllId, IllViewSchema),
  'ill.markShipped': method('command', 'circulate', z.object({ id: S.Id, lenderDueOn: S.LocalDate.nullable().optional() }).strict(), IllViewSchema),
  /** The package arrived: a temporary copy is made and its hold slip printed for the patron's hold. */
  'ill.receive': method(
    'command',
    'circulate',
    z.object({ id: S.Id, lenderDueOn: S.LocalDate, itemTypeCode: S.SingleLine(20).nullable().optional() }).strict(),
    IllPrinted.extend({ hold: z.object({ holdId: z.string(), patronId: z.string(), pickupBranchId: z.string(), shelfExpiresOn: z.string().nullable() }).nullable() }),
  ),
  'ill.shipBack': method('command', 'circulate', IllId, IllPrinted),
  'ill.recordLending': method(
    'command',
    'circulate',
    z
      .object({
        partnerName: S.RequiredLine(200),
        partnerAgencyId: S.SingleLine(100).nullable().optional(),
        libraryCardBarcode: S.Barcode,
        requestingRequestId: S.RequiredLine(200),
        title: S.RequiredLine(500),
        author: S.SingleLine(500).nullable().optional(),
        isbn: S.SingleLine(20).nullable().optional(),
        recordId: S.Id.nullable().optional(),
        lenderDueOn: S.LocalDate.nullable().optional(),
        note: IllNote,
      })
      .strict(),
    IllViewSchema,
  ),
  'ill.pull': method('command', 'circulate', z.object({ id: S.Id, itemBarcode: S.Barcode }).strict(), IllViewSchema),
  'ill.shipLending': method('command', 'circulate', IllId, IllPrinted),
  'ill.cancel': method('command', 'circulate', z.object({ id: S.Id, note: IllNote }).strict(), IllViewSchema),
  'ill.markUnfilled': method('command', 'circulate', z.object({ id: S.Id, note: IllNote }).strict(), IllViewSchema),
  /** The package's slip again (ESC/POS on the receipt printer, and HTML). */
  'ill.slip': method('command', 'circulate', IllId, z.object({ jobId: z.number().nullable(), html: z.string(), followUpFailed: S.FollowUpFailedSchema.optional() })),
  'ill.exportIso': method('query', 'circulate', z.object({ id: S.Id, message: IllMessageKind }).strict(), z.object({ xml: z.string() })),
  'ill.readIso': method(
    'query',
    'circulate',
    z.object({ xml: z.string().min(1).max(200_000) }).strict(),
    z.object({
      kind: IllMessageKind,
      requestingAgencyId: z.string(),
      supplyingAgencyId: z.string(),
      requestingAgencyRequestId: z.string(),
      timestamp: z.string(),
      title: z.string().optional(),
      author: z.string().optional(),
      isbn: z.string().optional(),
      needBeforeDate: z.string().optional(),
      status: z.string().optional(),
      dueDate: z.string().optional(),
      action: z.string().optional(),
      note: z.string().optional(),
      requestId: z.string().nullable(),
    }),
  ),

  // --- reports
  'reports.today': method(
    'query',
    'circulate',
    none,
    z.object({
      date: z.string(),
      byHour: z.array(z.object({ hour: z.number(), checkouts: z.number(), checkins: z.number(), renewals: z.number() })),
      byItemType: z.array(z.object({ itemType: z.string(), loans: z.number() })),
    }),
  ),
  'reports.overdue': method(
    'query',
    'circulate',
    none,
    z.array(z.object({ itemBarcode: z.string(), title: z.string(), patronName: z.string(), cardBarcode: z.string(), email: z.string().nullable(), dueAt: z.number(), daysOverdue: z.number() })),
  ),
  'reports.statistics': method(
    'query',
    'circulate',
    z
      .object({
        from: S.SingleLine(10),
        to: S.SingleLine(10),
        groupBy: z.enum(GROUPINGS),
        branchId: S.Id.nullable().optional(),
      })
      .strict(),
    StatisticsReportSchema,
  ),
  'reports.inTransit': method('query', 'circulate', none, z.array(z.object({ itemBarcode: z.string(), title: z.string(), toBranch: z.string() }))),

  // --- shelf reading (src/services/shelf.ts)
  /** One copy scanned on the shelf: recorded as seen now, with what is wrong with it. */
  'shelf.scan': method(
    'command',
    'circulate',
    z.object({ itemBarcode: S.Barcode, previousBarcode: S.Barcode.nullable().optional(), location: S.SingleLine(100).nullable().optional() }).strict(),
    S.ShelfScanResultSchema,
  ),
  /** The copies the catalogue expects in a call-number range of this branch that were not seen since the reading began. */
  'shelf.missing': method(
    'query',
    'circulate',
    z.object({ from: S.RequiredLine(100), to: S.RequiredLine(100), location: S.SingleLine(100).nullable().optional(), since: z.number().int().min(0) }).strict(),
    z.array(S.ShelfCopySchema),
  ),
  /** This branch's copies not seen (scanned or checked in) since a day, in shelf order. */
  'shelf.notSeen': method(
    'query',
    'circulate',
    z.object({ since: S.LocalDate, location: S.SingleLine(100).nullable().optional() }).strict(),
    z.array(S.ShelfCopySchema),
  ),

  // --- sync exceptions to work through
  'sync.exceptions': method(
    'query',
    'circulate',
    z.object({ includeResolved: z.boolean().optional() }).strict(),
    z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        /** The hub's (or station's) words in English; the desk words a kind it knows from `params` in its own language. */
        message: z.string(),
        /** The facts behind the message: a lent-twice verdict's grounds (decidedBy, apartMs, uncertaintyMs, rule), an entry's outcome and command. */
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
        /** The first patron concerned; `patrons` lists them all. */
        patronId: z.string().nullable(),
        patronName: z.string().nullable(),
        cardBarcode: z.string().nullable(),
        /** Every patron concerned (both borrowers of a copy lent twice); name and card null for one this station does not hold. */
        patrons: z.array(z.object({ id: z.string(), name: z.string().nullable(), cardBarcode: z.string().nullable() })),
        itemId: z.string().nullable(),
        itemBarcode: z.string().nullable(),
        title: z.string().nullable(),
        createdAt: z.number(),
        resolvedAt: z.number().nullable(),
      }),
    ),
  ),
  /** Push and pull now, rather than at the next interval (the status bar's "Sync now"); answers with the sync state after the round. */
  'sync.now': method('command', 'staff', none, z.record(z.string(), z.unknown())),
  'sync.resolveException': method('command', 'circulate', z.object({ id: S.Id, note: S.MultiLine(2000).nullable().optional() }).strict(), z.object({ resolved: z.boolean() })),

  // --- the status bar
  /**
   * Public, for the first-load progress a new station shows before anyone can sign in. Only a
   * staff session hears the hub's address, the entries waiting to go (journalWaiting, sync.waiting)
   * and the last sync error; others get the sync state without them (src/station/handlers.ts).
   */
  'status.get': method(
    'query',
    'public',
    none,
    z.object({
      /** Staff sessions only. */
      journalWaiting: z.number().optional(),
      sync: z.record(z.string(), z.unknown()),
      devices: z.array(z.record(z.string(), z.unknown())),
      exceptionsOpen: z.number(),
    }),
  ),
} as const satisfies Record<string, ApiMethod>;

function PatronLimitsSchemaOf() {
  return z
    .object({
      branchId: S.Id,
      categoryCode: S.Code,
      totalMaxLoans: z.number().int().min(0).max(10_000).nullable(),
      maxHolds: z.number().int().min(0).max(10_000).nullable(),
    })
    .strict();
}

function ReturnPolicySchemaOf() {
  return z
    .object({
      branchId: S.Id,
      itemTypeCode: S.Code,
      returnPolicy: z.enum(['home_branch', 'holding_branch', 'stays']),
    })
    .strict();
}

function CirculationRuleOut() {
  return S.CirculationRuleSchema.extend({ id: z.string() });
}

export type StationApi = typeof stationApi;
export type ApiName = keyof StationApi;
export type ApiInput<N extends ApiName> = z.input<StationApi[N]['input']>;
export type ApiOutput<N extends ApiName> = z.output<StationApi[N]['output']>;

/** Every failure crosses a transport as this shape. */
export const ApiErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  /** For a refused circulation command: every reason, with whether an override may lend anyway. */
  refusals: z
    .array(z.object({ code: z.string(), overridable: z.boolean(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }))
    .optional(),
  /** For a malformed input: where it is wrong (and, for a check beyond the schema, why, for the desk to say in its language). */
  issues: z
    .array(z.object({ path: z.string(), message: z.string(), reason: z.string().optional(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }))
    .optional(),
  /** For LOCKED and RATE_LIMITED: when a sign-in may be tried again (epoch ms). */
  retryAt: z.number().int().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/**
 * The desktop app's station core could not start, several times in a row, and is no longer
 * restarted by itself: what it said, and where the whole story is. Staff see it with a Retry.
 */
export const CoreFailure = z.object({
  /** The first lines of the core's own error (a file, a lock, a missing native build: no patron data). */
  lines: z.array(z.string().max(1_000)).max(20),
  /** How many starts in a row failed. */
  attempts: z.number().int().nonnegative(),
  /** The desktop app's log file. */
  logPath: z.string().max(1_000).optional(),
});
export type CoreFailure = z.infer<typeof CoreFailure>;

/** Where the desktop app's station core is (the desk asks once it is loaded, then hears events). */
export const CoreStatus = z.object({ state: z.enum(['starting', 'ready', 'restarting', 'stopped', 'failed']), failure: CoreFailure.optional() });
export type CoreStatus = z.infer<typeof CoreStatus>;

/** Events the core pushes to every client (scans, sync state, device state, slips). */
export const StationEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('scan'),
    barcode: z.string(),
    kind: z.enum(['patron', 'item', 'unknown']),
    deviceId: z.string(),
    /** The AIM symbology identifier (e.g. ]F0 for Codabar) when the scanner reports it (USB HID POS). */
    symbology: z.string().optional(),
  }),
  z.object({ type: z.literal('sync'), state: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('device'), deviceId: z.string(), state: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('core'), state: z.enum(['ready', 'restarting', 'stopped', 'failed']), failure: CoreFailure.optional() }),
]);
export type StationEvent = z.infer<typeof StationEvent>;

/** What a client (the renderer, a test) holds: one call function and one event subscription. */
export interface StationClient {
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  subscribe(listener: (event: StationEvent) => void): () => void;
}

/** Who is calling: carried by the transport (an HTTP bearer token, the IPC window's session). */
export interface CallContext {
  sessionToken?: string | null;
  /**
   * The caller is on the station's own machine: the Electron window (IPC) always; over HTTP a
   * loopback socket with no proxy in between. Absent means not known to be local: the core then
   * refuses the methods marked localOnly.
   */
  local?: boolean;
}

/**
 * The core the transports drive. `invoke` validates, authorises and runs one method; it never
 * throws for a refusal or bad input but returns `{ ok: false, error }`.
 */
export interface StationCoreApi {
  invoke(name: string, input: unknown, ctx: CallContext): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  onEvent(listener: (event: StationEvent) => void): () => void;
  close(): Promise<void>;
}
