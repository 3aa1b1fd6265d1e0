// The station API: Devices: scanners, receipt printers, slips.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/devices.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, type ApiMethod } from './method';
import { DevicesConfig } from '../devices-config';

export const devicesApi = {
  'devices.get': method(
    'query',
    'staff',
    none,
    z.object({
      config: DevicesConfig,
      states: z.array(z.record(z.string(), z.unknown())),
      jobs: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
  'devices.configure': method('command', 'settings', DevicesConfig, DevicesConfig),
  'devices.testPrint': method(
    'command',
    'settings',
    z.object({ printerId: S.SingleLine(64).min(1).optional() }).strict(),
    z.object({ jobId: z.number() }),
  ),
  'devices.preview': method(
    'query',
    'staff',
    z
      .object({
        kind: z.enum(['checkout', 'checkin', 'hold', 'transit', 'payment', 'ill']),
        printerId: S.SingleLine(64).optional(),
      })
      .strict(),
    z.object({ columns: z.number(), lines: z.array(z.string()) }),
  ),
  'slips.checkout': method(
    'command',
    'kiosk',
    z.object({ patronBarcode: S.Barcode, loanIds: z.array(S.Id).min(1).max(100) }).strict(),
    z.object({ jobId: z.number().nullable(), html: z.string(), followUpFailed: S.FollowUpFailedSchema.optional() }),
  ),
} as const satisfies Record<string, ApiMethod>;
