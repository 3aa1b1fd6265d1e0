// Where interlibrary loan meets the desk's ordinary check-out and check-in. A borrowed item's
// temporary copy is lent by the normal check-out (its due date is the lender's, less the margin
// to ship it back) and comes back by the normal check-in, which sends it to "ILL to ship back"
// instead of a shelf; a lent copy goes out by the normal check-out to the borrowing library's
// own patron record, and its check-in closes the lending request. These steps are written in the
// check-out's or check-in's own journal entry: one command, one entry.
import { moved, type IllRequest } from '../domain/ill';
import { addDays, endOfLocalDay } from '../domain/time';
import type { Tx } from './command';
import type { ServiceContext } from './context';

/** The open request a copy belongs to, if any (asked on every check-out and check-in: prepared once per connection). */
export function illRequestOfItem(ctx: ServiceContext, itemId: string): IllRequest | undefined {
  return ctx.circulation.openIllRequestOfItem(itemId);
}

/** The day the patron's loan of a borrowed copy ends: the lender's due date less the margin to ship it back. */
export function illPatronDueAt(ctx: ServiceContext, request: IllRequest, timeZone: string): number | null {
  if (!request.lenderDueOn) return null;
  const margin = ctx.config.get().settings.ill?.returnMarginDays ?? 3;
  return endOfLocalDay(addDays(request.lenderDueOn, -margin), timeZone);
}

/**
 * After a check-out wrote its loan: a borrowed copy lent to its patron (received -> on_loan), or a
 * pulled copy lent to the borrowing library (pulled -> checked_out). Answers the due date the
 * loan must have instead of the rules' one (a borrowed copy's), or null.
 */
export function illOnCheckout(
  ctx: ServiceContext,
  tx: Tx,
  c: { itemId: string; patronId: string; by: string | null; timeZone: string },
): number | null {
  const request = illRequestOfItem(ctx, c.itemId);
  if (!request) return null;
  const now = ctx.now();
  if (request.direction === 'borrowing' && request.status === 'received') {
    tx.upsert('ill_requests', moved(request, 'on_loan', now, c.by));
    return illPatronDueAt(ctx, request, c.timeZone);
  }
  if (request.direction === 'lending' && request.status === 'pulled' && request.patronId === c.patronId) {
    tx.upsert('ill_requests', moved(request, 'checked_out', now, c.by));
    return request.lenderDueOn ? endOfLocalDay(request.lenderDueOn, c.timeZone) : null;
  }
  // A borrowed copy renewed or lent on: it still never runs past the lender's date.
  if (request.direction === 'borrowing' && request.status === 'on_loan')
    return illPatronDueAt(ctx, request, c.timeZone);
  return null;
}

/** A renewal of a borrowed copy's loan stops at the lender's date too. */
export function illRenewalCap(ctx: ServiceContext, itemId: string, timeZone: string): number | null {
  const request = illRequestOfItem(ctx, itemId);
  return request?.direction === 'borrowing' && request.status === 'on_loan'
    ? illPatronDueAt(ctx, request, timeZone)
    : null;
}

/**
 * After a check-in closed the loan, when no hold took the copy: a borrowed copy goes to "ILL to
 * ship back" (on_loan -> returned), kept off the shelf and out of lending; a lent copy back from
 * the borrowing library closes its request (shipped -> returned) and is shelved as usual.
 * Answers the partner's name when the copy is to be shipped back, else null.
 */
export function illOnCheckin(
  ctx: ServiceContext,
  tx: Tx,
  itemId: string,
  by: string | null,
): { shipBackTo: string } | null {
  const request = illRequestOfItem(ctx, itemId);
  if (!request) return null;
  const now = ctx.now();
  if (request.direction === 'borrowing') {
    if (request.status === 'on_loan') tx.upsert('ill_requests', moved(request, 'returned', now, by));
    if (request.status === 'on_loan' || request.status === 'returned' || request.status === 'received')
      return { shipBackTo: request.partnerName };
    return null;
  }
  if (request.status === 'shipped' || request.status === 'checked_out') {
    const shippedFirst = request.status === 'checked_out' ? moved(request, 'shipped', now, by) : request;
    tx.upsert('ill_requests', moved(shippedFirst, 'returned', now, by));
  }
  return null;
}
