// The station API: The catalogue: records and copies, copy cataloguing from another library, labels.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/catalogue.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, ok, type ApiMethod } from './method';

export const catalogueApi = {
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
  'catalogue.item': method(
    'query',
    'circulate',
    z.object({ barcode: S.Barcode }).strict(),
    S.ItemSchema.extend({ title: z.string() }),
  ),
  'catalogue.addRecord': method('command', 'manage_catalogue', S.RecordInputSchema, S.RecordSchema),
  'catalogue.updateRecord': method(
    'command',
    'manage_catalogue',
    z.object({ recordId: S.Id, changes: S.RecordInputSchema.partial() }).strict(),
    S.RecordSchema,
  ),
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
    z
      .object({
        itemBarcode: S.Barcode,
        change: z.enum([
          'lost',
          'missing',
          'damaged',
          'undamaged',
          'found',
          'withdrawn',
          'claimed_returned',
          'repaired',
        ]),
      })
      .strict(),
    S.ItemSchema,
  ),
  'catalogue.inHouseUse': method(
    'command',
    'circulate',
    z.object({ itemBarcode: S.Barcode }).strict(),
    z.object({ itemBarcode: z.string(), title: z.string() }),
  ),
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
  'copyCatalogue.import': method(
    'command',
    'manage_catalogue',
    z.object({ marcxml: z.string().min(1).max(200_000) }).strict(),
    S.RecordSchema,
  ),
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
} as const satisfies Record<string, ApiMethod>;
