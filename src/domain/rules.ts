// Looking up the circulation rules matrix, most specific first (Koha's precedence):
// branch + category + type, branch + category + *, branch + * + type, branch + * + *,
// then the same four for all branches (*).
import { ANY } from './types';
import type { BranchItemPolicy, CircControl, CirculationRule, Id, PatronLimits, ReturnPolicy } from './types';

export function findRule(rules: CirculationRule[], key: { branchId: Id; categoryCode: string; itemTypeCode: string }): CirculationRule | null {
  for (const branch of [key.branchId, ANY]) {
    for (const [category, type] of [
      [key.categoryCode, key.itemTypeCode],
      [key.categoryCode, ANY],
      [ANY, key.itemTypeCode],
      [ANY, ANY],
    ] as const) {
      const hit = rules.find((r) => r.branchId === branch && r.categoryCode === category && r.itemTypeCode === type);
      if (hit) return hit;
    }
  }
  return null;
}

/** Two-key lookup, most specific first: (branch, x), (branch, *), (*, x), (*, *). */
function mostSpecific<T extends { branchId: string }>(rows: T[], branchId: Id, other: (row: T) => string, value: string): T | null {
  for (const [branch, second] of [
    [branchId, value],
    [branchId, ANY],
    [ANY, value],
    [ANY, ANY],
  ] as const) {
    const hit = rows.find((r) => r.branchId === branch && other(r) === second);
    if (hit) return hit;
  }
  return null;
}

export function findPatronLimits(limits: PatronLimits[], key: { branchId: Id; categoryCode: string }): PatronLimits | null {
  return mostSpecific(limits, key.branchId, (l) => l.categoryCode, key.categoryCode);
}

export function findReturnPolicy(policies: BranchItemPolicy[], key: { branchId: Id; itemTypeCode: string }): ReturnPolicy {
  return mostSpecific(policies, key.branchId, (p) => p.itemTypeCode, key.itemTypeCode)?.returnPolicy ?? 'home_branch';
}

export function ruleBranchFor(circControl: CircControl, ids: { deskBranchId: Id; patronHomeBranchId: Id; itemHomeBranchId: Id }): Id {
  return circControl === 'patron_home_branch' ? ids.patronHomeBranchId : circControl === 'item_home_branch' ? ids.itemHomeBranchId : ids.deskBranchId;
}

/** The rule that applies when the library has written none: three weeks, two renewals, modest fines. */
export const DEFAULT_RULE: CirculationRule = {
  branchId: ANY,
  categoryCode: ANY,
  itemTypeCode: ANY,
  loanLength: 21,
  loanUnit: 'days',
  hardDueDate: null,
  hardDueDateMode: 'before',
  maxLoans: null,
  renewalsAllowed: 2,
  renewalPeriod: null,
  noRenewalBeforeDays: null,
  fineAmount: 10,
  finePeriod: 1,
  graceDays: 0,
  fineCap: 500,
  capFineAtReplacementPrice: true,
  holdsAllowed: true,
  holdsPerTitle: 1,
  onShelfHoldsAllowed: true,
  pickupPeriodDays: 7,
};
