// The station API: Set-up, sign-in and sessions: what a station answers before anyone has signed in.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/session.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, onThisMachineOnly, none, ok, type ApiMethod } from './method';
import { WedgeSettings } from '../devices-config';

export const HealthOutput = z.object({
  ok: z.boolean(),
  version: z.string(),
  stationId: z.string().nullable(),
  configured: z.boolean(),
});

export const sessionApi = {
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
  'setup.join': onThisMachineOnly(
    method(
      'command',
      'public',
      z
        .object({
          hubUrl: S.SingleLine(300)
            .trim()
            .regex(/^https?:\/\/\S+$/, 'an http:// or https:// address'),
          code: S.SingleLine(100).trim().min(4),
          stationName: S.RequiredLine(100),
        })
        .strict(),
      z.object({ joined: z.literal(true) }),
    ),
  ),
  'setup.initialize': onThisMachineOnly(
    method(
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
          admin: z
            .object({
              username: S.RequiredLine(40).min(2),
              displayName: S.RequiredLine(100),
              password: z.string().min(8).max(200),
            })
            .strict(),
        })
        .strict(),
      z.object({ branchId: z.string(), adminId: z.string() }),
    ),
  ),
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
    z.object({
      kind: z.enum(['staff', 'kiosk', 'none']),
      staff: S.StaffAccountSchema.nullable(),
      permissions: z.array(z.string()),
      patronId: z.string().nullable(),
    }),
  ),
  'auth.verifySupervisor': method(
    'command',
    'circulate',
    z.object({ username: S.SingleLine(40).min(1), password: z.string().min(1).max(200) }).strict(),
    z.object({ overrideToken: z.string(), displayName: z.string() }),
  ),
} as const satisfies Record<string, ApiMethod>;
