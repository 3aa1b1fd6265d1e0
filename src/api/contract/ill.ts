// The station API: Interlibrary loan (docs/ill.md): each step one command.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/ill.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, type ApiMethod } from './method';
import { ILL_DIRECTIONS, ILL_STATUSES } from '../../domain/ill';

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
  steps: z.array(
    z.object({ status: IllStatusSchema, at: z.number(), by: z.string().nullable(), note: z.string().optional() }),
  ),
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
  followUpFailed: S.FollowUpFailedSchema.optional(),
});
const IllId = z.object({ id: S.Id }).strict();
const IllNote = S.MultiLine(500).nullable().optional();
const IllMessageKind = z.enum(['request', 'supplyingAgencyMessage', 'requestingAgencyMessage']);

export const illApi = {
  'ill.list': method(
    'query',
    'circulate',
    z.object({ includeClosed: z.boolean().optional() }).strict(),
    z.array(IllViewSchema),
  ),
  'ill.get': method('query', 'circulate', IllId, IllViewSchema),
  'ill.pullList': method(
    'query',
    'circulate',
    none,
    z.array(
      z.object({
        requestId: z.string(),
        title: z.string(),
        partnerName: z.string(),
        copies: z.array(z.object({ itemBarcode: z.string(), callNumber: z.string().nullable() })),
      }),
    ),
  ),
  /** A patron's own requests: the kiosk shows them to the patron signed in. */
  'ill.forPatron': method(
    'query',
    'kiosk',
    z.object({ patronId: S.Id }).strict(),
    z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        author: z.string().nullable(),
        status: IllStatusSchema,
        needBy: z.string().nullable(),
        updatedAt: z.number(),
      }),
    ),
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
  'ill.markShipped': method(
    'command',
    'circulate',
    z.object({ id: S.Id, lenderDueOn: S.LocalDate.nullable().optional() }).strict(),
    IllViewSchema,
  ),
  /** The package arrived: a temporary copy is made and its hold slip printed for the patron's hold. */
  'ill.receive': method(
    'command',
    'circulate',
    z.object({ id: S.Id, lenderDueOn: S.LocalDate, itemTypeCode: S.SingleLine(20).nullable().optional() }).strict(),
    IllPrinted.extend({
      hold: z
        .object({
          holdId: z.string(),
          patronId: z.string(),
          pickupBranchId: z.string(),
          shelfExpiresOn: z.string().nullable(),
        })
        .nullable(),
    }),
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
  'ill.slip': method(
    'command',
    'circulate',
    IllId,
    z.object({ jobId: z.number().nullable(), html: z.string(), followUpFailed: S.FollowUpFailedSchema.optional() }),
  ),
  'ill.exportIso': method(
    'query',
    'circulate',
    z.object({ id: S.Id, message: IllMessageKind }).strict(),
    z.object({ xml: z.string() }),
  ),
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
} as const satisfies Record<string, ApiMethod>;
