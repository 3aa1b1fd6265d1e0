// The station API: Holds: placing, suspending, the queue, the pull list and the shelf (src/services/holds.ts).
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/holds.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, type ApiMethod } from './method';

export const holdsApi = {
  'holds.place': method(
    'command',
    'kiosk',
    z
      .object({
        patronId: S.Id,
        recordId: S.Id,
        itemId: S.Id.nullable().optional(),
        pickupBranchId: S.Id.nullable().optional(),
        override: S.OverrideInput.optional(),
      })
      .strict(),
    S.HoldSchema,
  ),
  'holds.cancel': method('command', 'kiosk', z.object({ holdId: S.Id }).strict(), S.HoldSchema),
  'holds.suspend': method(
    'command',
    'kiosk',
    z.object({ holdId: S.Id, until: S.LocalDate.nullable() }).strict(),
    S.HoldSchema,
  ),
  'holds.clearExpired': method(
    'command',
    'circulate',
    none,
    z.object({
      expired: z.array(
        z.object({
          holdId: z.string(),
          itemBarcode: z.string().nullable(),
          title: z.string(),
          patronId: z.string(),
          patronName: z.string(),
        }),
      ),
    }),
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
    z.array(
      z.object({
        holdId: z.string(),
        title: z.string(),
        callNumber: z.string().nullable(),
        itemBarcode: z.string(),
        placedAt: z.number(),
      }),
    ),
  ),
  'holds.shelf': method(
    'query',
    'circulate',
    none,
    z.array(
      z.object({
        holdId: z.string(),
        title: z.string(),
        itemBarcode: z.string().nullable(),
        patronName: z.string(),
        shelfExpiresOn: z.string().nullable(),
        expired: z.boolean(),
      }),
    ),
  ),
} as const satisfies Record<string, ApiMethod>;
