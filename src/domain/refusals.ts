// Refusal codes, and which of them staff with the override permission may lend through anyway.
// A refusal about the patron's standing or the copy's state is a judgement call for a
// supervisor; one about identity (no such patron, a misread scan) or a copy in someone else's
// hands is not.
import type { Refusal, RefusalCode } from './types';

export const OVERRIDABLE: Record<RefusalCode, boolean> = {
  PATRON_NOT_FOUND: false,
  ITEM_NOT_FOUND: false,
  BARCODE_INVALID: false,
  CARD_EXPIRED: true,
  PATRON_BARRED: false,
  CARD_LOST: false,
  PATRON_BLOCKED: true,
  FEES_OVER_LIMIT: true,
  PATRON_HAS_OVERDUES: true,
  TOO_MANY_LOANS: true,
  TOO_MANY_LOANS_OF_TYPE: true,
  ITEM_NOT_FOR_LOAN: true,
  ITEM_LOST: true,
  ITEM_MISSING: true,
  ITEM_WITHDRAWN: true,
  ITEM_CLAIMED_RETURNED: true,
  ITEM_IN_REPAIR: true,
  ITEM_IN_TRANSIT: true,
  ITEM_ON_LOAN_TO_OTHER: false,
  ITEM_ON_HOLD_FOR_OTHER: true,
  // Says why a check-out came back with a renewal's refusals: the copy is with this patron already.
  ALREADY_ON_LOAN_TO_PATRON: true,
  NOT_ON_LOAN: false,
  RENEWAL_LIMIT: true,
  RENEWAL_TOO_SOON: true,
  // Not overridable: an override cannot move a due date the rules pin (a hard due date, the card's end).
  RENEWAL_NO_LATER_DUE_DATE: false,
  ITEM_NEEDED_FOR_HOLD: true,
  HOLDS_NOT_ALLOWED: false,
  TOO_MANY_HOLDS: true,
  TOO_MANY_HOLDS_FOR_TITLE: true,
  ALREADY_HOLDING_TITLE: false,
  ALREADY_ON_LOAN_FOR_HOLD: false,
  ON_SHELF_HOLDS_NOT_ALLOWED: true,
  NO_LOANABLE_COPY: false,
  // A book-drop return date lies between the loan's check-out and today: any other is a typo, and
  // one before the check-out would take the fine off a late return.
  RETURN_DATE_IN_FUTURE: false,
  RETURN_DATE_BEFORE_CHECKOUT: false,
  // Deleting from the catalogue: nobody may delete what a borrower or a hold still needs, or a
  // copy whose loans, fees or uses are on record (it is withdrawn instead).
  COPY_ON_LOAN: false,
  COPY_HELD: false,
  COPY_HAS_HISTORY: false,
  RECORD_HAS_COPIES: false,
  RECORD_HAS_HOLDS: false,
};

export function refusal(code: RefusalCode, params?: Record<string, string | number>): Refusal {
  return params ? { code, params, overridable: OVERRIDABLE[code] } : { code, overridable: OVERRIDABLE[code] };
}

/**
 * What still stops the command: every refusal that is not overridable, or that the override
 * does not name, or all of them when nobody allowed to override has.
 */
export function unoverridden(refusals: Refusal[], overrides: RefusalCode[], canOverride: boolean): Refusal[] {
  if (!canOverride) return refusals;
  const granted = new Set(overrides);
  return refusals.filter((r) => !r.overridable || !granted.has(r.code));
}
