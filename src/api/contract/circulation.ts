// The station API: Lending and returning, and shelf reading (src/services/circulation.ts, shelf.ts).
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/circulation.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, type ApiMethod } from './method';

export const circulationApi = {
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
  'circulation.renew': method(
    'command',
    'kiosk',
    z.object({ itemBarcode: S.Barcode, override: S.OverrideInput.optional() }).strict(),
    S.LoanResultSchema,
  ),
  'circulation.renewAll': method(
    'command',
    'kiosk',
    z.object({ patronBarcode: S.Barcode }).strict(),
    z.object({
      renewed: z.array(S.LoanResultSchema),
      refused: z.array(
        z.object({
          itemBarcode: z.string(),
          title: z.string(),
          refusals: z.array(
            z.object({
              code: z.string(),
              overridable: z.boolean(),
              params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
            }),
          ),
        }),
      ),
    }),
  ),
  /** One copy scanned on the shelf: recorded as seen now, with what is wrong with it. */
  'shelf.scan': method(
    'command',
    'circulate',
    z
      .object({
        itemBarcode: S.Barcode,
        previousBarcode: S.Barcode.nullable().optional(),
        location: S.SingleLine(100).nullable().optional(),
      })
      .strict(),
    S.ShelfScanResultSchema,
  ),
  /** The copies the catalogue expects in a call-number range of this branch that were not seen since the reading began. */
  'shelf.missing': method(
    'query',
    'circulate',
    z
      .object({
        from: S.RequiredLine(100),
        to: S.RequiredLine(100),
        location: S.SingleLine(100).nullable().optional(),
        since: z.number().int().min(0),
      })
      .strict(),
    z.array(S.ShelfCopySchema),
  ),
  /** This branch's copies not seen (scanned or checked in) since a day, in shelf order. */
  'shelf.notSeen': method(
    'query',
    'circulate',
    z.object({ since: S.LocalDate, location: S.SingleLine(100).nullable().optional() }).strict(),
    z.array(S.ShelfCopySchema),
  ),
} as const satisfies Record<string, ApiMethod>;
