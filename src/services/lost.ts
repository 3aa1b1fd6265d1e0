// A copy lost by its borrower, as Koha does it by default: marking a copy on loan lost charges
// the borrower its replacement price (a `lost` fee) and keeps the loan open, so it still shows on
// the patron's account and the copy cannot be lent to anyone else. When the copy comes back
// (checked in, or marked found) the loan closes and whatever is still owed on the lost charge is
// forgiven (a waiver, so the hub forgives only what is still owed there); what was paid stays
// paid: a refund is staff's to make. Overdue fines are not touched.
import type { Fee, Item, Loan, Patron } from '../domain/types';
import type { Actor, Tx } from './command';
import type { ServiceContext } from './context';
import { keepsLoanLink } from './privacy';
import { hasLostFee, owedLostFees } from '../store/queries/fees';

export const LOST_FOUND_REASON = 'lost copy found';

/** Charges the borrower of `loan` the copy's replacement price, once per loan. Null when there is nothing to charge. */
export function chargeLostCopy(ctx: ServiceContext, tx: Tx, loan: Loan, item: Item): Fee | null {
  if (!loan.patronId || !item.replacementPrice || item.replacementPrice <= 0) return null;
  // By patron first: fees are indexed by patron (a copy is marked lost rarely, but fees are many).
  if (hasLostFee(ctx, loan.patronId, loan.id)) return null;
  const fee: Fee = {
    id: ctx.newId(),
    patronId: loan.patronId,
    kind: 'lost',
    amount: item.replacementPrice,
    outstanding: item.replacementPrice,
    currency: ctx.config.get().settings.currency,
    loanId: loan.id,
    itemId: item.id,
    description: 'lost: replacement price',
    createdAt: ctx.now(),
  };
  return tx.upsert('fees', fee);
}

/** Forgives what is still owed on the lost charges of a loan whose copy came back; returns the amount forgiven. */
export function forgiveLostCharges(ctx: ServiceContext, tx: Tx, loan: Loan, actor: Actor): number {
  if (!loan.patronId) return 0;
  const fees = owedLostFees(ctx, loan.patronId, loan.id);
  let forgiven = 0;
  for (const fee of fees) {
    tx.upsert('fee_waivers', {
      id: ctx.newId(),
      feeId: fee.id,
      amount: fee.outstanding,
      reason: LOST_FOUND_REASON,
      staffId: actor.staffId,
      createdAt: ctx.now(),
    });
    tx.upsert('fees', { ...fee, outstanding: 0 });
    forgiven += fee.outstanding;
  }
  return forgiven;
}

/** A lost copy found (marked so by staff): its loan closes here and now, as at a check-in without a fine. */
export function closeLoanOfFoundCopy(ctx: ServiceContext, tx: Tx, loan: Loan, actor: Actor): void {
  const patron = loan.patronId ? ctx.rows.get<Patron>('patrons', loan.patronId) : undefined;
  forgiveLostCharges(ctx, tx, loan, actor);
  const keepLink = keepsLoanLink(ctx.config.get().settings, patron);
  // Never returned before it was lent, whatever this station's clock says now (a clock set back).
  tx.upsert('loans', {
    ...loan,
    returnedAt: Math.max(ctx.now(), loan.checkedOutAt),
    returnBranchId: ctx.identity().branchId,
    patronId: keepLink ? loan.patronId : null,
  });
}
