// The station API: Sync with the hub, its exceptions to work through, and the status bar.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/sync.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, type ApiMethod } from './method';

export const syncApi = {
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
  'sync.resolveException': method(
    'command',
    'circulate',
    z.object({ id: S.Id, note: S.MultiLine(2000).nullable().optional() }).strict(),
    z.object({ resolved: z.boolean() }),
  ),
  /**
   * Public, for the first-load progress a new station shows before anyone can sign in. Only a
   * staff session hears the hub's address, the entries waiting to go (journalWaiting, sync.waiting)
   * and the last sync error; others get the sync state without them (src/station/handlers/sync.ts).
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
