// What a slip says. Dates and money arrive already formatted in the branch's locale; the patron
// arrives already trimmed to what a slip may show (see patronOnSlip).
import type { SlipLanguage } from './i18n';

export interface SlipPatron {
  firstName: string;
  /** The last digits of the card only, e.g. "*0019"; empty when slips show no card digits. */
  cardTail: string;
}

export interface SlipLine {
  title: string;
  barcode: string;
  /** e.g. the due date, or "Shelve it". */
  detail: string;
}

/** The slip's fixed words follow `language` when given (e.g. the patron's own), else the slip settings. */
export type Slip = SlipBody & { language?: SlipLanguage };

type SlipBody =
  | { kind: 'checkout'; patron: SlipPatron; at: string; lines: SlipLine[] }
  | { kind: 'checkin'; at: string; lines: SlipLine[] }
  | { kind: 'hold'; patron: SlipPatron; pickupBranch: string; shelfExpires: string; title: string; itemBarcode: string }
  | {
      kind: 'transit';
      destinationBranch: string;
      fromBranch?: string;
      title: string;
      itemBarcode: string;
      at: string;
      /** The copy travels to fill this patron's hold: the branch it goes to shelves it for them. */
      holdFor?: SlipPatron;
    }
  | {
      kind: 'payment';
      patron: SlipPatron;
      at: string;
      paid: string;
      tendered: string;
      change: string;
      remaining: string;
      /** How it was paid, and the card slip's or cheque's number. */
      method?: 'cash' | 'card' | 'cheque' | 'other';
      reference?: string | null;
      /** What was paid: each fee's title (or its description) and barcode, the amount in detail. */
      lines?: SlipLine[];
    }
  | {
      /** Goes with an interlibrary loan package: a lent copy on its way out, or a borrowed one shipped back (docs/ill.md). */
      kind: 'ill';
      /** lend: our copy to a borrowing library; return: a borrowed copy back to its lender. */
      purpose: 'lend' | 'return';
      toLibrary: string;
      /** The other library's ISO 18626 agency id, and the requesting library's request id. */
      agencyId: string;
      requestId: string;
      fromLibrary: string;
      title: string;
      itemBarcode: string | null;
      /** The day it is due back at the lender, already formatted. */
      dueBack: string | null;
      at: string;
    }
  | { kind: 'test'; printerId: string; at: string };

export type SlipKind = Slip['kind'];

/** Print no more of a patron than a slip needs: the first name and the card's last digits. */
export function patronOnSlip(firstName: string, cardBarcode: string, cardDigits: number): SlipPatron {
  const first = firstName.trim().split(/\s+/)[0] ?? '';
  const digits = Math.max(0, Math.min(cardDigits, cardBarcode.length - 1));
  return { firstName: first, cardTail: digits > 0 ? `*${cardBarcode.slice(-digits)}` : '' };
}
