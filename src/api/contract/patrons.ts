// The station API: Patrons: look-up, registration, cards, PINs, blocks and reading history (src/services/patrons.ts).
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/patrons.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, ok, type ApiMethod } from './method';

export const patronsApi = {
  /** Lifts a card's PIN lockout (too many wrong PINs) at the desk; says whether there was one. */
  'auth.clearLockout': method(
    'command',
    'manage_patrons',
    z.object({ patronId: S.Id }).strict(),
    z.object({ wasLocked: z.boolean() }),
  ),
  'patrons.lookup': method('query', 'kiosk', z.object({ barcode: S.Barcode }).strict(), S.PatronSummarySchema),
  'patrons.get': method('query', 'manage_patrons', z.object({ patronId: S.Id }).strict(), S.PatronSummarySchema),
  'patrons.search': method(
    'query',
    'circulate',
    z.object({ query: S.SingleLine(200) }).strict(),
    z.array(
      z.object({
        id: z.string(),
        cardBarcode: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        email: z.string().nullable(),
      }),
    ),
  ),
  'patrons.register': method('command', 'manage_patrons', S.PatronInputSchema, S.PatronSummarySchema),
  'patrons.update': method(
    'command',
    'manage_patrons',
    z
      .object({
        patronId: S.Id,
        // A card always has an expiry: an edit may move it, not clear it (renewCard extends it).
        changes: S.PatronInputSchema.omit({ cardBarcode: true, pin: true })
          .extend({ cardExpiresOn: S.LocalDate, homeBranchId: S.Id })
          .partial(),
      })
      .strict(),
    S.PatronSummarySchema,
  ),
  'patrons.renewCard': method(
    'command',
    'manage_patrons',
    z.object({ patronId: S.Id }).strict(),
    S.PatronSummarySchema,
  ),
  'patrons.replaceCard': method(
    'command',
    'manage_patrons',
    z.object({ patronId: S.Id, cardBarcode: S.Barcode }).strict(),
    S.PatronSummarySchema,
  ),
  'patrons.setPin': method(
    'command',
    'manage_patrons',
    z.object({ patronId: S.Id, pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') }).strict(),
    ok,
  ),
  'patrons.addBlock': method(
    'command',
    'manage_patrons',
    z
      .object({
        patronId: S.Id,
        kind: z.enum(['barred', 'lost_card', 'manual']),
        reason: S.RequiredLine(500),
        until: S.LocalDate.nullable().optional(),
      })
      .strict(),
    S.PatronSummarySchema,
  ),
  'patrons.removeBlock': method('command', 'manage_patrons', z.object({ blockId: S.Id }).strict(), ok),
  'patrons.readingHistory': method(
    'query',
    'manage_patrons',
    z.object({ patronId: S.Id }).strict(),
    z.array(z.object({ title: z.string(), itemBarcode: z.string(), checkedOutAt: z.number(), returnedAt: z.number() })),
  ),
} as const satisfies Record<string, ApiMethod>;
