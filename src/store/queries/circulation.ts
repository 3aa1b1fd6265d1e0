// The reads circulation commands make (check-out, check-in, renewal, holds, fees at the desk),
// as statements prepared once per connection: they run inside every check-out, and a prepare
// costs more than the query (bench, bench:sip2). The service context builds one of these when
// the station opens (services/context.ts); every service shares it.
import type { IllRequest } from '../../domain/ill';
import type { Fee, Hold, Item, Loan, Patron, PatronBlock } from '../../domain/types';
import type { Rows } from '../rows';
import type { Reader } from './reader';

export type PatronRow = Omit<Patron, 'blocks'> & { pinHash: string | null };

/** A copy scanned at the desk, with the title its slip and the desk's answer name. */
export type DeskItem = Item & { title: string };

/** An overdue loan as fine accrual reads it. */
export type OverdueLoanForFine = {
  loanId: string;
  itemId: string;
  branchId: string;
  dueAt: number;
  itemBarcode: string;
  homeBranchId: string;
  itemTypeCode: string;
  replacementPrice: number | null;
  status: string;
  title: string;
};

export class CirculationQueries {
  private readonly s;

  private readonly rows: Rows;

  constructor(r: Reader) {
    this.rows = r.rows;
    const db = r.store.db;
    this.s = {
      patronByCard: db.prepare('SELECT * FROM patrons WHERE card_barcode = ? ORDER BY created_at LIMIT 1'),
      blocksOf: db.prepare('SELECT * FROM patron_blocks WHERE patron_id = ?'),
      itemByBarcode: db.prepare('SELECT * FROM items WHERE barcode = ?'),
      // Two statements, not a join: SQLite ran the join at twice their time together.
      titleOf: db.prepare('SELECT title FROM records WHERE id = ?').pluck(),
      openLoanOfItem: db.prepare('SELECT * FROM loans WHERE item_id = ? AND returned_at IS NULL'),
      openLoansOfPatron: db.prepare(
        `SELECT l.*, i.item_type_code AS __type FROM loans l JOIN items i ON i.id = l.item_id
         WHERE l.patron_id = ? AND l.returned_at IS NULL ORDER BY l.due_at`,
      ),
      openLoanTypesOfPatron: db.prepare(
        `SELECT l.item_id AS itemId, i.item_type_code AS itemTypeCode FROM loans l JOIN items i ON i.id = l.item_id
         WHERE l.patron_id = ? AND l.returned_at IS NULL`,
      ),
      feesOwed: db.prepare('SELECT coalesce(sum(outstanding), 0) AS owed FROM fees WHERE patron_id = ?'),
      openFees: db.prepare('SELECT * FROM fees WHERE patron_id = ? AND outstanding <> 0 ORDER BY created_at, id'),
      activeHoldsOfRecord: db.prepare(
        `SELECT * FROM holds WHERE record_id = ? AND status IN ('pending', 'in_transit', 'waiting') ORDER BY placed_at, id`,
      ),
      activeHoldsOfItem: db.prepare(
        `SELECT * FROM holds WHERE item_id = ? AND status IN ('pending', 'in_transit', 'waiting') ORDER BY placed_at, id`,
      ),
      activeHoldsOfPatron: db.prepare(
        `SELECT * FROM holds WHERE patron_id = ? AND status IN ('pending', 'in_transit', 'waiting') ORDER BY placed_at, id`,
      ),
      copiesOfRecord: db.prepare('SELECT * FROM items WHERE record_id = ?'),
      // Fines accrue on every patron look-up (services/accrual.ts).
      overdueLoansOfPatron: db.prepare(
        `SELECT l.id AS loanId, l.item_id AS itemId, l.branch_id AS branchId, l.due_at AS dueAt,
                i.barcode AS itemBarcode, i.home_branch_id AS homeBranchId, i.item_type_code AS itemTypeCode,
                i.replacement_price AS replacementPrice, i.status AS status, r.title AS title
         FROM loans l JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id
         WHERE l.patron_id = ? AND l.returned_at IS NULL AND l.due_at < ? ORDER BY l.due_at, l.id`,
      ),
      // Asked on every check-out and check-in (services/ill-circulation.ts): one small indexed
      // read, only of requests that have a copy.
      openIllRequestOfItem: db.prepare(
        "SELECT * FROM ill_requests WHERE item_id = ? AND status NOT IN ('shipped_back', 'cancelled', 'unfilled') AND NOT (direction = 'lending' AND status = 'returned') ORDER BY created_at DESC LIMIT 1",
      ),
    };
  }

  patronByCard(card: string): PatronRow | undefined {
    const raw = this.s.patronByCard.get(card) as Record<string, unknown> | undefined;
    return raw ? this.rows.decode<PatronRow>('patrons', raw) : undefined;
  }

  patronById(id: string): PatronRow | undefined {
    return this.rows.get<PatronRow>('patrons', id);
  }

  /** The patron with blocks, as the rules want it. */
  withBlocks(row: PatronRow): Patron & { pinHash: string | null } {
    const blocks = (this.s.blocksOf.all(row.id) as Record<string, unknown>[]).map((b) =>
      this.rows.decode<PatronBlock>('patron_blocks', b),
    );
    return { ...row, blocks };
  }

  itemByBarcode(barcode: string): Item | undefined {
    const raw = this.s.itemByBarcode.get(barcode) as Record<string, unknown> | undefined;
    return raw ? this.rows.decode<Item>('items', raw) : undefined;
  }

  deskItemByBarcode(barcode: string): DeskItem | undefined {
    const item = this.itemByBarcode(barcode) as DeskItem | undefined;
    if (item) item.title = this.titleOf(item.recordId);
    return item;
  }

  titleOf(recordId: string): string {
    return (this.s.titleOf.get(recordId) as string | undefined) ?? '';
  }

  item(id: string): Item | undefined {
    return this.rows.get<Item>('items', id);
  }

  openLoanOfItem(itemId: string): Loan | undefined {
    const raw = this.s.openLoanOfItem.get(itemId) as Record<string, unknown> | undefined;
    return raw ? this.rows.decode<Loan>('loans', raw) : undefined;
  }

  openLoansOfPatron(patronId: string): (Loan & { itemTypeCode: string })[] {
    return (this.s.openLoansOfPatron.all(patronId) as Record<string, unknown>[]).map((raw) => ({
      ...this.rows.decode<Loan>('loans', raw),
      itemTypeCode: raw.__type as string,
    }));
  }

  /** What the loan limits count: each open loan's copy and its item type, without decoding the loans. */
  openLoanTypesOfPatron(patronId: string): { itemId: string; itemTypeCode: string }[] {
    return this.s.openLoanTypesOfPatron.all(patronId) as { itemId: string; itemTypeCode: string }[];
  }

  feesOwed(patronId: string): number {
    return (this.s.feesOwed.get(patronId) as { owed: number }).owed;
  }

  openFees(patronId: string): Fee[] {
    return (this.s.openFees.all(patronId) as Record<string, unknown>[]).map((r) => this.rows.decode<Fee>('fees', r));
  }

  private holds(stmt: { all(id: string): unknown[] }, id: string): Hold[] {
    return (stmt.all(id) as Record<string, unknown>[]).map((r) => this.rows.decode<Hold>('holds', r));
  }

  activeHoldsOfRecord(recordId: string): Hold[] {
    return this.holds(this.s.activeHoldsOfRecord, recordId);
  }

  activeHoldsOfItem(itemId: string): Hold[] {
    return this.holds(this.s.activeHoldsOfItem, itemId);
  }

  activeHoldsOfPatron(patronId: string): Hold[] {
    return this.holds(this.s.activeHoldsOfPatron, patronId);
  }

  copiesOfRecord(recordId: string): Item[] {
    return (this.s.copiesOfRecord.all(recordId) as Record<string, unknown>[]).map((r) =>
      this.rows.decode<Item>('items', r),
    );
  }

  /** The patron's open loans due before `now`, soonest first, with what a fine needs of the copy. */
  overdueLoansOfPatron(patronId: string, now: number): OverdueLoanForFine[] {
    return this.s.overdueLoansOfPatron.all(patronId, now) as OverdueLoanForFine[];
  }

  /** The open interlibrary-loan request a copy belongs to, if any. */
  openIllRequestOfItem(itemId: string): IllRequest | undefined {
    const raw = this.s.openIllRequestOfItem.get(itemId) as Record<string, unknown> | undefined;
    return raw ? this.rows.decode<IllRequest>('ill_requests', raw) : undefined;
  }
}
