// The station API: Reports and statistics: counts by group, never a patron's reading.
// One area of the contract; src/api/contract/index.ts assembles the areas into the one table
// (stationApi) and src/station/handlers/reports.ts answers these methods, side by side.
import { z } from 'zod';
import * as S from '../schemas';
import { method, none, type ApiMethod } from './method';
import { GROUPINGS } from '../../domain/statistics';

const StatisticsCounts = {
  checkouts: z.number(),
  renewals: z.number(),
  checkins: z.number(),
  inHouseUses: z.number(),
  holdsFilled: z.number(),
  newPatrons: z.number(),
  illBorrowed: z.number(),
  illLent: z.number(),
  /** Minor units (cents) of `currency`. */
  finesCollected: z.number(),
};

/** Statistics of a period (src/services/statistics.ts): counts by group, never a patron. */
export const StatisticsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(GROUPINGS),
  branchId: z.string().nullable(),
  currency: z.string(),
  rows: z.array(
    z.object({ key: z.string(), label: z.string(), ...StatisticsCounts, activePatrons: z.number().nullable() }),
  ),
  totals: z.object({ ...StatisticsCounts, activePatrons: z.number() }),
});

export const reportsApi = {
  'reports.today': method(
    'query',
    'circulate',
    none,
    z.object({
      date: z.string(),
      byHour: z.array(
        z.object({ hour: z.number(), checkouts: z.number(), checkins: z.number(), renewals: z.number() }),
      ),
      byItemType: z.array(z.object({ itemType: z.string(), loans: z.number() })),
    }),
  ),
  'reports.overdue': method(
    'query',
    'circulate',
    none,
    z.array(
      z.object({
        itemBarcode: z.string(),
        title: z.string(),
        patronName: z.string(),
        cardBarcode: z.string(),
        email: z.string().nullable(),
        dueAt: z.number(),
        daysOverdue: z.number(),
      }),
    ),
  ),
  'reports.statistics': method(
    'query',
    'circulate',
    z
      .object({
        from: S.SingleLine(10),
        to: S.SingleLine(10),
        groupBy: z.enum(GROUPINGS),
        branchId: S.Id.nullable().optional(),
      })
      .strict(),
    StatisticsReportSchema,
  ),
  'reports.inTransit': method(
    'query',
    'circulate',
    none,
    z.array(z.object({ itemBarcode: z.string(), title: z.string(), toBranch: z.string() })),
  ),
} as const satisfies Record<string, ApiMethod>;
