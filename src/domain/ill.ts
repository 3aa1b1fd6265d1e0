// Interlibrary loan: the two life cycles of a request, as pure rules. A borrowing request is a
// patron's, for something this library does not hold, asked of another library; a lending
// request is another library's, for a copy of ours. Each step is a state the request moves to
// from the states listed for it, and is dated in the request's history (src/services/ill.ts
// writes each step as one command: one transaction, one journal entry, one audit line).
//
// Borrowing: requested -> sent -> shipped (by the lender) -> received -> on_loan -> returned ->
//            shipped_back; cancelled or unfilled while nothing has arrived.
// Lending:   requested -> pulled -> checked_out -> shipped -> returned; cancelled or unfilled
//            before the copy leaves.

export const ILL_DIRECTIONS = ['borrowing', 'lending'] as const;
export type IllDirection = (typeof ILL_DIRECTIONS)[number];

export const ILL_STATUSES = [
  'requested',
  'sent',
  'shipped',
  'received',
  'on_loan',
  'pulled',
  'checked_out',
  'returned',
  'shipped_back',
  'cancelled',
  'unfilled',
] as const;
export type IllStatus = (typeof ILL_STATUSES)[number];

/** Which states each state may be reached from, per direction. */
const BORROWING_FROM: Partial<Record<IllStatus, IllStatus[]>> = {
  sent: ['requested'],
  shipped: ['sent'],
  received: ['requested', 'sent', 'shipped'],
  on_loan: ['received'],
  returned: ['on_loan'],
  shipped_back: ['returned', 'received'],
  cancelled: ['requested', 'sent'],
  unfilled: ['requested', 'sent'],
};

const LENDING_FROM: Partial<Record<IllStatus, IllStatus[]>> = {
  pulled: ['requested'],
  checked_out: ['pulled'],
  shipped: ['checked_out'],
  returned: ['shipped'],
  cancelled: ['requested', 'pulled'],
  unfilled: ['requested', 'pulled'],
};

/** States in which a request is finished: it leaves the ILL screen's open lists. */
const CLOSED: Record<IllDirection, IllStatus[]> = {
  borrowing: ['shipped_back', 'cancelled', 'unfilled'],
  lending: ['returned', 'cancelled', 'unfilled'],
};

export function isClosed(direction: IllDirection, status: IllStatus): boolean {
  return CLOSED[direction].includes(status);
}

/** Whether a request may move from `from` to `to`; the services refuse any other step and change nothing. */
export function canMove(direction: IllDirection, from: IllStatus, to: IllStatus): boolean {
  const table = direction === 'borrowing' ? BORROWING_FROM : LENDING_FROM;
  return table[to]?.includes(from) ?? false;
}

/** The states a request may move to next, in the order the screen offers them (the usual step first). */
export function nextSteps(direction: IllDirection, status: IllStatus): IllStatus[] {
  const table = direction === 'borrowing' ? BORROWING_FROM : LENDING_FROM;
  return (Object.keys(table) as IllStatus[]).filter((to) => table[to]!.includes(status));
}

/**
 * What staff do next for a request in this state: the screen's action. Some steps are not a
 * button on the ILL screen but the desk's ordinary work (the patron's check-out of the copy,
 * the check-in that brings it back): for those the action says so.
 */
export type IllAction =
  | 'send'
  | 'mark_shipped'
  | 'receive'
  | 'check_out_to_patron'
  | 'await_return'
  | 'ship_back'
  | 'pull'
  | 'check_out_to_library'
  | 'ship'
  | 'await_lender'
  | 'none';

export function nextAction(direction: IllDirection, status: IllStatus): IllAction {
  if (direction === 'borrowing') {
    switch (status) {
      case 'requested':
        return 'send';
      case 'sent':
        return 'mark_shipped';
      case 'shipped':
        return 'receive';
      case 'received':
        return 'check_out_to_patron';
      case 'on_loan':
        return 'await_return';
      case 'returned':
        return 'ship_back';
      default:
        return 'none';
    }
  }
  switch (status) {
    case 'requested':
      return 'pull';
    case 'pulled':
      return 'check_out_to_library';
    case 'checked_out':
      return 'ship';
    case 'shipped':
      return 'await_lender';
    default:
      return 'none';
  }
}

/** One dated step of a request's life. */
export interface IllStep {
  status: IllStatus;
  at: number;
  /** The staff account that took the step (null for the kiosk or the system). */
  by: string | null;
  note?: string;
}

/** A request as the ill_requests table holds it. */
export interface IllRequest {
  id: string;
  direction: IllDirection;
  status: IllStatus;
  /** The branch that handles it (where the copy arrives or leaves). */
  branchId: string;
  /**
   * Borrowing: the patron who asked, until the request closes (then null unless the patron keeps
   * a reading history). Lending: the borrowing library's own patron record (category ILL).
   */
  patronId: string | null;
  title: string;
  author: string | null;
  isbn: string | null;
  /** The other library: who lends to us, or who borrows from us. */
  partnerName: string;
  /** Its ISO 18626 agency id, "TYPE:VALUE" (e.g. "ISIL:US-NjCaTC"). */
  partnerAgencyId: string;
  /** Borrowing: the day the patron needs it by (branch-local date). */
  needBy: string | null;
  /** The requesting library's id for the request (ours for borrowing, theirs for lending). */
  requestingRequestId: string;
  /** Borrowing: the temporary record and copy made on receipt. Lending: the copy pulled. */
  recordId: string | null;
  itemId: string | null;
  /** The day the copy is due back at the lender (borrowing: set by the lender; lending: by us). */
  lenderDueOn: string | null;
  note: string | null;
  /** Every step, dated: JSON of IllStep[]. */
  history: string;
  createdAt: number;
  updatedAt: number;
}

export function stepsOf(request: Pick<IllRequest, 'history'>): IllStep[] {
  try {
    const parsed = JSON.parse(request.history) as unknown;
    return Array.isArray(parsed) ? (parsed as IllStep[]) : [];
  } catch {
    return [];
  }
}

/** The request moved to `to`, its history one dated step longer. Throws on a step the life cycle has not. */
export function moved(request: IllRequest, to: IllStatus, at: number, by: string | null, note?: string): IllRequest {
  if (!canMove(request.direction, request.status, to))
    throw new Error(`an ILL ${request.direction} request cannot go from ${request.status} to ${to}`);
  const step: IllStep = { status: to, at, by, ...(note ? { note } : {}) };
  return { ...request, status: to, history: JSON.stringify([...stepsOf(request), step]), updatedAt: at };
}

/** "ISIL:US-ABC" as its two parts; an id without a type is taken as an ISIL. */
export function parseAgencyId(text: string): { type: string; value: string } {
  const i = text.indexOf(':');
  return i > 0 ? { type: text.slice(0, i), value: text.slice(i + 1) } : { type: 'ISIL', value: text };
}

/**
 * The next barcode of the range set aside for temporary ILL copies. The range is given as its
 * first and last barcodes (both valid item barcodes of the same length); with a check digit the
 * sequence is the part before it, and each barcode gets its own check digit. Null when the range
 * is used up.
 */
export function nextRangeBarcode(
  range: { first: string; last: string },
  used: ReadonlySet<string>,
  checkDigit: ((body: string) => number) | null,
): string | null {
  const bodyOf = (b: string) => (checkDigit ? b.slice(0, -1) : b);
  const first = bodyOf(range.first);
  const last = bodyOf(range.last);
  if (!/^\d+$/.test(first) || !/^\d+$/.test(last) || first.length !== last.length) return null;
  const width = first.length;
  for (let n = BigInt(first); n <= BigInt(last); n++) {
    const body = n.toString().padStart(width, '0');
    const barcode = checkDigit ? `${body}${checkDigit(body)}` : body;
    if (!used.has(barcode)) return barcode;
  }
  return null;
}
