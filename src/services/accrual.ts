// Fines that accrue: what each open, overdue loan of a patron has earned so far.
//
// Why computed when asked, not written by a nightly job (Koha's fines.pl writes an accruing
// fine into the account every night):
// - One copy of the rule. The accrued amount is src/domain/fines.ts accruedFine, the very
//   computation the check-in charges with (computeOverdueFine with "returned now"), on the same
//   terms (fineTermsAt, below). What the desk shows a patron owing today is what a return today
//   charges; there is no second number to drift from it.
// - Correct across sync. Nothing is journaled until the copy comes back, so there is nothing for
//   two stations to both write: a nightly run at two desks of one branch (or a desk and the
//   kiosk's station) would each journal a fine for the same loan, which the hub would have to
//   merge by deterministic ids and then reconcile with the check-in's fee. The check-in's fine is
//   the one fee row, charged once; a second check-in of the same loan elsewhere is already not
//   charged by the hub (src/hub/apply.ts applyFee).
// - Offline and fast: it reads the station's own loans, copies and rules; a patron's overdue
//   loans are a handful of rows behind an index (loans_open_patron), and the sums are integer
//   arithmetic. Nothing has to have run overnight for a desk opened in the morning to be right.
// What it gives up: an accruing fine is not a fee row, so it cannot be paid or waived before the
// copy is returned (or marked lost); the desk shows it apart, "accruing", and the limits count it.
import { accruedFine, daysOverdue, fineTerms, type FineTerms } from '../domain/fines';
import { DEFAULT_RULE, findRule, ruleBranchFor } from '../domain/rules';
import type { Branch, CirculationRule, Item, Patron } from '../domain/types';
import type { LibraryConfig } from './config';
import type { ServiceContext } from './context';

export interface AccruingFine {
  loanId: string;
  itemId: string;
  itemBarcode: string;
  title: string;
  dueAt: number;
  /** What a return now would be charged, minor units. */
  amount: number;
  /** Charge units (days, or hours for hourly loans) overdue, as the fine counts them. */
  overdueUnits: number;
}

export interface Accrual {
  fines: AccruingFine[];
  /** The sum of the fines, minor units. */
  total: number;
  /** The most calendar days any open loan is overdue (0 for none): the overdue block reads it. */
  mostDaysOverdue: number;
}

/** The rule a loan of `item` to `patron` follows at `deskBranchId` (Koha's CircControl, then the matrix). */
export function circulationRuleFor(
  cfg: LibraryConfig,
  deskBranchId: string,
  patron: Pick<Patron, 'homeBranchId' | 'categoryCode'>,
  item: Pick<Item, 'homeBranchId' | 'itemTypeCode'>,
): CirculationRule {
  const branchId = ruleBranchFor(cfg.settings.circControl, {
    deskBranchId,
    patronHomeBranchId: patron.homeBranchId,
    itemHomeBranchId: item.homeBranchId,
  });
  return (
    findRule(cfg.matrix.rules, { branchId, categoryCode: patron.categoryCode, itemTypeCode: item.itemTypeCode }) ??
    DEFAULT_RULE
  );
}

/** A loan's fine terms at this desk: the check-in charges on these, and the accrual reckons on them. */
export function fineTermsAt(
  cfg: LibraryConfig,
  desk: Branch,
  rule: CirculationRule,
  item: Pick<Item, 'replacementPrice'>,
): FineTerms {
  return fineTerms(rule, item.replacementPrice, {
    timeZone: desk.timeZone,
    closedDays: cfg.closedDays.get(desk.id) ?? [],
    skipClosedDays: cfg.settings.finesSkipClosedDays,
  });
}

/**
 * Copies marked lost or claimed returned stop accruing (Koha's default): the lost charge stands
 * for them, and a claim is staff's to settle.
 */
const NOT_ACCRUING = new Set(['lost', 'claimed_returned']);

export class FineAccrual {
  constructor(private readonly ctx: ServiceContext) {}

  /** What the patron's open loans have accrued by now (the station's clock), at this station's branch. */
  forPatron(patron: Pick<Patron, 'id' | 'homeBranchId' | 'categoryCode'>, now = this.ctx.now()): Accrual {
    const cfg = this.ctx.config.get();
    const desk = cfg.branches.get(this.ctx.identity().branchId);
    const result: Accrual = { fines: [], total: 0, mostDaysOverdue: 0 };
    if (!desk) return result;
    const rows = this.ctx.circulation.overdueLoansOfPatron(patron.id, now) as (Omit<
      AccruingFine,
      'amount' | 'overdueUnits'
    > & {
      branchId: string;
      homeBranchId: string;
      itemTypeCode: string;
      replacementPrice: number | null;
      status: string;
    })[];
    for (const row of rows) {
      result.mostDaysOverdue = Math.max(result.mostDaysOverdue, daysOverdue(row.dueAt, now, desk.timeZone));
      if (NOT_ACCRUING.has(row.status)) continue;
      // The rule as the check-in picks it: by the branch that lent the copy (closeLoan).
      const rule = circulationRuleFor(cfg, row.branchId, patron, row);
      const { amount, overdueUnits } = accruedFine(row, fineTermsAt(cfg, desk, rule, row), now);
      if (amount <= 0) continue;
      result.fines.push({
        loanId: row.loanId,
        itemId: row.itemId,
        itemBarcode: row.itemBarcode,
        title: row.title,
        dueAt: row.dueAt,
        amount,
        overdueUnits,
      });
      result.total += amount;
    }
    return result;
  }
}
