// Looking up the circulation rules matrix, most specific first (Koha's precedence):
// branch + category + type, branch + category + *, branch + * + type, branch + * + *,
// then the same four for all branches (*).
import { ANY } from './types';
import type { BranchItemPolicy, CircControl, CirculationRule, Id, PatronLimits, ReturnPolicy } from './types';

export function findRule(
  rules: CirculationRule[],
  key: { branchId: Id; categoryCode: string; itemTypeCode: string },
): CirculationRule | null {
  let best: CirculationRule | null = null;
  let bestRank = NO_MATCH;
  for (const r of rules) {
    const byBranch = keyRank(r.branchId, key.branchId);
    if (byBranch === NO_MATCH) continue;
    const rest = pairRank(r.categoryCode, key.categoryCode, r.itemTypeCode, key.itemTypeCode);
    if (rest === NO_MATCH) continue;
    const rank = byBranch * 4 + rest;
    // Strictly better only: among equals the first in the list wins, as a search in order would.
    if (rank < bestRank) {
      best = r;
      bestRank = rank;
      if (rank === 0) break;
    }
  }
  return best;
}

/*
 * Precedence as ranks rather than as a list of keys to try in turn: one pass, nothing allocated
 * (these run in every check-out). 0 = the exact value, 1 = the wildcard; a row's rank for two
 * keys is the position of its (first, second) pair in Koha's order: (x, y), (x, *), (*, y), (*, *).
 */
const NO_MATCH = 99;

function keyRank(rowValue: string, wanted: string): number {
  return rowValue === wanted ? 0 : rowValue === ANY ? 1 : NO_MATCH;
}

function pairRank(rowFirst: string, first: string, rowSecond: string, second: string): number {
  const a = keyRank(rowFirst, first);
  const b = keyRank(rowSecond, second);
  return a === NO_MATCH || b === NO_MATCH ? NO_MATCH : a * 2 + b;
}

/** Two-key lookup, most specific first: (branch, x), (branch, *), (*, x), (*, *). */
function mostSpecific<T extends { branchId: string }>(
  rows: T[],
  branchId: Id,
  other: (row: T) => string,
  value: string,
): T | null {
  let best: T | null = null;
  let bestRank = NO_MATCH;
  for (const r of rows) {
    const rank = pairRank(r.branchId, branchId, other(r), value);
    if (rank < bestRank) {
      best = r;
      bestRank = rank;
      if (rank === 0) break;
    }
  }
  return best;
}

export function findPatronLimits(
  limits: PatronLimits[],
  key: { branchId: Id; categoryCode: string },
): PatronLimits | null {
  return mostSpecific(limits, key.branchId, (l) => l.categoryCode, key.categoryCode);
}

export function findReturnPolicy(
  policies: BranchItemPolicy[],
  key: { branchId: Id; itemTypeCode: string },
): ReturnPolicy {
  return mostSpecific(policies, key.branchId, (p) => p.itemTypeCode, key.itemTypeCode)?.returnPolicy ?? 'home_branch';
}

export function ruleBranchFor(
  circControl: CircControl,
  ids: { deskBranchId: Id; patronHomeBranchId: Id; itemHomeBranchId: Id },
): Id {
  return circControl === 'patron_home_branch'
    ? ids.patronHomeBranchId
    : circControl === 'item_home_branch'
      ? ids.itemHomeBranchId
      : ids.deskBranchId;
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
