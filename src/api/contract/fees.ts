// The station API: Fees: what a patron owes, paying, waiving and charging (src/services/fees.ts).
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/fees.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, type ApiMethod } from './method';

export const feesApi = {
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
        .array(
          z.object({
            feeId: z.string(),
            amount: z.number(),
            kind: z.string(),
            description: z.string(),
            title: z.string().nullable(),
            itemBarcode: z.string().nullable(),
          }),
        )
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
      .object({
        feeId: S.Id,
        reason: S.RequiredLine(500),
        amount: S.MinorUnits.positive().nullable().optional(),
        override: S.GrantInput.optional(),
      })
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
} as const satisfies Record<string, ApiMethod>;
