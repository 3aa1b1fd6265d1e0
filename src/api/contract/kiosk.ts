// The station API: The self-checkout's own door: a patron signs in with card and PIN (what they may then do is marked 'kiosk' in each area).
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/kiosk.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, type ApiMethod } from './method';

export const kioskApi = {
  'auth.kioskSignIn': method(
    'command',
    'public',
    z.object({ cardBarcode: S.Barcode, pin: S.SingleLine(8).min(1) }).strict(),
    z.object({ token: z.string(), patronId: z.string(), firstName: z.string() }),
  ),
} as const satisfies Record<string, ApiMethod>;
