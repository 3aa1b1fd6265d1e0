// What a slip says. Dates and money arrive already formatted in the branch's locale; the patron
// arrives already trimmed to what a slip may show (see patronOnSlip).

export interface SlipPatron {
  firstName: string;
  /** The last digits of the card only. */
  cardTail: string;
}

export interface SlipLine {
  title: string;
  barcode: string;
  /** e.g. the due date, or "Shelve it". */
  detail: string;
}

export type Slip =
  | { kind: 'checkout'; patron: SlipPatron; at: string; lines: SlipLine[] }
  | { kind: 'checkin'; at: string; lines: SlipLine[] }
  | { kind: 'hold'; patron: SlipPatron; pickupBranch: string; shelfExpires: string; title: string; itemBarcode: string }
  | { kind: 'transit'; destinationBranch: string; title: string; itemBarcode: string; at: string }
  | { kind: 'payment'; patron: SlipPatron; at: string; paid: string; tendered: string; change: string; remaining: string };

/** Print no more of a patron than a slip needs: the first name and the card's last digits. */
export function patronOnSlip(firstName: string, cardBarcode: string, cardDigits: number): SlipPatron {
  return { firstName, cardTail: cardDigits > 0 ? `*${cardBarcode.slice(-cardDigits)}` : '' };
}
