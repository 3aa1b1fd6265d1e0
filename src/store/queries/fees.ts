// The fees screens' reads (services/fees.ts). A patron's fee lines are read on every look-up at
// the desk, so those statements are prepared once, with the service.
import type { Fee, PaymentMethod } from '../../domain/types';
import type { Rows } from '../rows';
import type { Reader } from './reader';

/** A fee with what it is for: the copy's title and barcode, when it is for a copy. */
export type FeeLine = Fee & { title: string | null; itemBarcode: string | null };

const FEE_LINE_COLUMNS = `f.*, i.barcode AS __barcode, r.title AS __title
  FROM fees f LEFT JOIN items i ON i.id = f.item_id LEFT JOIN records r ON r.id = i.record_id`;

export class FeeLineQueries {
  private readonly s;

  private readonly rows: Rows;

  constructor(r: Reader) {
    this.rows = r.rows;
    const db = r.store.db;
    this.s = {
      all: db.prepare(`SELECT ${FEE_LINE_COLUMNS} WHERE f.patron_id = ? ORDER BY f.created_at, f.id`),
      open: db.prepare(
        `SELECT ${FEE_LINE_COLUMNS} WHERE f.patron_id = ? AND f.outstanding <> 0 ORDER BY f.created_at, f.id`,
      ),
      one: db.prepare(`SELECT ${FEE_LINE_COLUMNS} WHERE f.id = ?`),
    };
  }

  /** Every fee of the patron, oldest first. */
  ofPatron(patronId: string): FeeLine[] {
    return this.lines(this.s.all, patronId);
  }

  /** The patron's fees with something still owed (or a credit), oldest first. */
  openOfPatron(patronId: string): FeeLine[] {
    return this.lines(this.s.open, patronId);
  }

  one(feeId: string): FeeLine | undefined {
    return this.lines(this.s.one, feeId)[0];
  }

  private lines(statement: { all(param: string): unknown[] }, param: string): FeeLine[] {
    return (statement.all(param) as Record<string, unknown>[]).map((r) => ({
      ...this.rows.decode<Fee>('fees', r),
      title: (r.__title as string | null) ?? null,
      itemBarcode: (r.__barcode as string | null) ?? null,
    }));
  }
}

/** Every allocation of the patron's payments, with the payment's method, reference and time. */
export function paymentAllocationsOfPatron(
  r: Reader,
  patronId: string,
): { id: string; feeId: string; amount: number; method: PaymentMethod; reference: string | null; at: number }[] {
  return r.store.db
    .prepare(
      `SELECT a.id, a.fee_id AS feeId, a.amount, p.method, p.reference, p.created_at AS at
       FROM payments p JOIN payment_allocations a ON a.payment_id = p.id WHERE p.patron_id = ?`,
    )
    .all(patronId) as {
    id: string;
    feeId: string;
    amount: number;
    method: PaymentMethod;
    reference: string | null;
    at: number;
  }[];
}

/** Every waiver of the patron's fees. */
export function waiversOfPatron(
  r: Reader,
  patronId: string,
): { id: string; feeId: string; amount: number; reason: string; at: number }[] {
  return r.store.db
    .prepare(
      'SELECT w.id, w.fee_id AS feeId, w.amount, w.reason, w.created_at AS at FROM fee_waivers w JOIN fees f ON f.id = w.fee_id WHERE f.patron_id = ?',
    )
    .all(patronId) as { id: string; feeId: string; amount: number; reason: string; at: number }[];
}

/** Whether a loan already has a lost-copy fee. */
export function hasLostFee(r: Reader, patronId: string, loanId: string): boolean {
  return (
    r.store.db
      .prepare("SELECT 1 FROM fees WHERE patron_id = ? AND loan_id = ? AND kind = 'lost'")
      .get(patronId, loanId) !== undefined
  );
}

/** A loan's lost-copy fees with something still owed. */
export function owedLostFees(r: Reader, patronId: string, loanId: string): Fee[] {
  return (
    r.store.db
      .prepare("SELECT * FROM fees WHERE patron_id = ? AND loan_id = ? AND kind = 'lost' AND outstanding > 0")
      .all(patronId, loanId) as Record<string, unknown>[]
  ).map((raw) => r.rows.decode<Fee>('fees', raw));
}
