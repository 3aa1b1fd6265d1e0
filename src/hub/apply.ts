// Applying one station's journal entry at the hub, with circulation sense rather than "last
// writer wins". The entry's effects are the station's new rows; most are stored as they are, but
// where two stations acted on the same thing while apart the hub decides as a circulation desk
// would, keeps every row, and records an exception staff can work through.
import { pickHoldToTrap } from '../domain/holds';
import { findRule, DEFAULT_RULE } from '../domain/rules';
import { localDateOf } from '../domain/time';
import type { JournalEntry, RowChange } from '../domain/journal';
import type { CirculationRule, Fee, Hold, Item, Loan, Patron } from '../domain/types';
import type { HubDb, Queryable } from './db';

export type Outcome = 'applied' | 'applied_with_warning' | 'conflict' | 'rejected';

export interface HubException {
  kind: string;
  message: string;
  patronIds: string[];
  itemId: string | null;
  entryIds: string[];
  branchIds: string[];
}

export interface ApplyResult {
  outcome: Outcome;
  reason?: string;
  exceptions: HubException[];
}

type Data = Record<string, unknown> & { id: string };

export async function getRow<T = Data>(tx: Queryable, table: string, id: string): Promise<T | null> {
  const r = await tx.query<{ data: T }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2 AND deleted = 0', [table, id]);
  return r[0]?.data ?? null;
}

const touched = new WeakMap<Queryable, Map<string, [string, string]>>();

/** Writes a library row; only inside writeRows, which gives it its place in the change feed. */
export async function putRow(tx: Queryable, table: string, row: Data, deleted = false): Promise<void> {
  const keys = touched.get(tx);
  if (!keys) throw new Error('putRow outside writeRows: the change would never reach the stations');
  keys.set(`${table}\u0000${row.id}`, [table, row.id]);
  await tx.query(
    `INSERT INTO rows (table_name, id, data, deleted, change_seq) VALUES ($1, $2, $3, $4, nextval('change_seq'))
     ON CONFLICT (table_name, id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, change_seq = excluded.change_seq`,
    [table, row.id, JSON.stringify(row), deleted ? 1 : 0],
  );
}

/**
 * Gives a row a new place in the change feed without changing it: where the hub kept its own
 * version of a row an entry sent (a check-in of a copy since lent elsewhere, a renewal of a loan
 * already returned), the station that sent it must still hear the hub's verdict. It did not
 * apply the hub's version while its own change was waiting, and would otherwise keep its own.
 */
export async function touchRow(tx: Queryable, table: string, id: string): Promise<void> {
  // Written again as it is; whatever the entry then writes to the row replaces this.
  const current = await getRow(tx, table, id);
  if (current) await putRow(tx, table, current);
}

/**
 * A write transaction on library rows. Just before it commits, its rows are stamped again with
 * fresh change numbers under a lock held until the commit: change numbers then become visible in
 * the order they were given. Without that, a transaction that took number 10 and committed after
 * another took 11 would be skipped for ever by a station whose cursor had passed 11.
 */
export async function writeRows<T>(db: HubDb, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const keys = new Map<string, [string, string]>();
    touched.set(tx, keys);
    const result = await fn(tx);
    if (keys.size > 0) {
      const list = [...keys.values()];
      await tx.query('SELECT pg_advisory_xact_lock(7402)');
      await tx.query(
        `UPDATE rows SET change_seq = nextval('change_seq') FROM unnest($1::text[], $2::text[]) AS k(t, i) WHERE rows.table_name = k.t AND rows.id = k.i`,
        [list.map((k) => k[0]), list.map((k) => k[1])],
      );
    }
    return result;
  });
}

async function openLoansOfItem(tx: Queryable, itemId: string): Promise<Loan[]> {
  const r = await tx.query<{ data: Loan }>(
    `SELECT data FROM rows WHERE table_name = 'loans' AND deleted = 0 AND data->>'itemId' = $1 AND data->>'returnedAt' IS NULL`,
    [itemId],
  );
  return r.map((x) => x.data);
}

async function rulesMatrix(tx: Queryable): Promise<CirculationRule[]> {
  return (await tx.query<{ data: CirculationRule }>(`SELECT data FROM rows WHERE table_name = 'circulation_rules' AND deleted = 0`)).map((r) => r.data);
}

const RENEW_COMMANDS = new Set(['circulation.renew', 'circulation.renewAll', 'circulation.checkout']);

export async function applyEntry(tx: Queryable, entry: JournalEntry): Promise<ApplyResult> {
  const exceptions: HubException[] = [];
  const warnings: string[] = [];
  let conflict: string | null = null;
  const effects = entry.payload.effects;
  const loanIdsInEntry = new Set(effects.filter((e) => e.table === 'loans').map((e) => e.row.id));
  const allocations = new Map<string, number>();
  for (const e of effects) if (e.table === 'payment_allocations') allocations.set(String(e.row.feeId), Number(e.row.amount));

  for (const change of effects) {
    await touchRow(tx, change.table, change.row.id);
    if (change.op === 'delete') {
      const existing = await getRow(tx, change.table, change.row.id);
      if (existing) await putRow(tx, change.table, existing, true);
      continue;
    }
    const row = change.row as Data;
    switch (change.table) {
      case 'loans':
        conflict = (await applyLoan(tx, entry, row as unknown as Loan & Data, exceptions, warnings)) ?? conflict;
        break;
      case 'items':
        if (await applyItem(tx, row, loanIdsInEntry)) await holdsWaitingFor(tx, entry, row as unknown as Item & Data, exceptions, warnings);
        break;
      case 'holds':
        await applyHold(tx, entry, row as unknown as Hold & Data, exceptions, warnings);
        break;
      case 'fees':
        await applyFee(tx, entry, row as unknown as Fee & Data, allocations, warnings);
        break;
      case 'patrons':
        conflict = (await applyPatron(tx, entry, row as unknown as Patron & Data, exceptions)) ?? conflict;
        break;
      default:
        await putRow(tx, change.table, row);
    }
  }
  if (conflict) return { outcome: 'conflict', reason: conflict, exceptions };
  if (warnings.length > 0) return { outcome: 'applied_with_warning', reason: warnings.join('; '), exceptions };
  return { outcome: 'applied', exceptions };
}

/** Two stations lent the same copy while apart: keep both loans; the later borrower has it. */
async function applyLoan(tx: Queryable, entry: JournalEntry, loan: Loan & Data, exceptions: HubException[], warnings: string[]): Promise<string | null> {
  let result: string | null = null;
  if (loan.returnedAt === null) {
    // A renewal made at a desk that had not heard of the return: the copy came back, the return
    // stands (the station gets the returned loan back; see touchRow).
    const current = await getRow<Loan>(tx, 'loans', loan.id);
    if (current && current.returnedAt !== null) {
      warnings.push('renewed a loan already returned: the return stands');
      return null;
    }
    for (const other of await openLoansOfItem(tx, loan.itemId)) {
      if (other.id === loan.id) continue;
      const incomingIsLater = loan.checkedOutAt >= other.checkedOutAt;
      const [earlier, later] = incomingIsLater ? [other, loan] : [loan, other];
      // The earlier loan stays in history, closed when the copy was lent again.
      const closed = { ...earlier, returnedAt: later.checkedOutAt, returnBranchId: null };
      if (incomingIsLater) await putRow(tx, 'loans', closed as Data);
      else Object.assign(loan, closed);
      exceptions.push({
        kind: 'lent_twice',
        message: 'The same copy was lent at two stations while they were apart; the later borrower has it.',
        patronIds: [earlier.patronId, later.patronId].filter((p): p is string => !!p),
        itemId: loan.itemId,
        entryIds: [entry.id],
        branchIds: [...new Set([earlier.branchId, later.branchId])],
      });
      result = 'lent twice';
    }
    if (loan.patronId) {
      const blocks = await tx.query<{ data: { kind: string; until: string | null } }>(
        `SELECT data FROM rows WHERE table_name = 'patron_blocks' AND deleted = 0 AND data->>'patronId' = $1`,
        [loan.patronId],
      );
      const bars = blocks.filter((b) => b.data.kind === 'barred');
      if (bars.length > 0) {
        const branch = await getRow<{ timeZone: string }>(tx, 'branches', loan.branchId);
        const day = localDateOf(loan.checkedOutAt, branch?.timeZone ?? 'UTC');
        if (bars.some((b) => b.data.until === null || b.data.until >= day)) warnings.push('lent to a patron barred at the hub');
      }
    }
    if (RENEW_COMMANDS.has(entry.command) && loan.renewals > 0 && !(entry.payload.overrides?.length)) {
      const patron = loan.patronId ? await getRow<Patron>(tx, 'patrons', loan.patronId) : null;
      const item = await getRow<{ itemTypeCode: string }>(tx, 'items', loan.itemId);
      const rule = findRule(await rulesMatrix(tx), { branchId: loan.branchId, categoryCode: patron?.categoryCode ?? '*', itemTypeCode: item?.itemTypeCode ?? '*' }) ?? DEFAULT_RULE;
      if (loan.renewals > rule.renewalsAllowed) warnings.push('renewed offline beyond the renewal limit');
    }
  }
  await putRow(tx, 'loans', loan);
  return result;
}

/** An offline return of a copy since lent elsewhere closes the old loan only: the copy stays with its new borrower. */
async function applyItem(tx: Queryable, item: Data, loanIdsInEntry: Set<string>): Promise<boolean> {
  if (item.status !== 'on_loan') {
    const open = await openLoansOfItem(tx, item.id);
    if (open.some((l) => !loanIdsInEntry.has(l.id))) return false;
  }
  await putRow(tx, 'items', item);
  return true;
}

/**
 * A copy checked in offline went back on the shelf, but the hub holds a hold it could fill that
 * the station did not know of: the hold stays pending and the branch is told to pull the copy.
 * Where the station trapped the copy itself, its trap stands (applyHold).
 */
async function holdsWaitingFor(tx: Queryable, entry: JournalEntry, item: Item & Data, exceptions: HubException[], warnings: string[]): Promise<void> {
  if (item.status !== 'available') return;
  if (entry.payload.effects.some((e) => e.table === 'holds' && e.row.itemId === item.id)) return;
  const holds = (await tx.query<{ data: Hold }>(
    `SELECT data FROM rows WHERE table_name = 'holds' AND deleted = 0 AND data->>'recordId' = $1 AND data->>'status' = 'pending'`,
    [item.recordId],
  )).map((r) => r.data);
  if (holds.length === 0) return;
  const branch = await getRow<{ timeZone: string }>(tx, 'branches', item.currentBranchId);
  const hold = pickHoldToTrap({ item, holds, today: localDateOf(entry.wallTime, branch?.timeZone ?? 'UTC') });
  if (!hold) return;
  warnings.push('checked in while the hub holds a hold for it: pull it from the shelf');
  exceptions.push({
    kind: 'hold_to_pull',
    message: 'A copy checked in offline is on the shelf while a hold waits for it: pull it and check it in again to trap it.',
    patronIds: [hold.patronId],
    itemId: item.id,
    entryIds: [entry.id],
    branchIds: [...new Set([item.currentBranchId, hold.pickupBranchId])],
  });
}

/** A station's trap stands; if the hub had meanwhile closed that hold, the copy is flagged rather than lost on a shelf. */
async function applyHold(tx: Queryable, entry: JournalEntry, hold: Hold & Data, exceptions: HubException[], warnings: string[]): Promise<void> {
  const current = await getRow<Hold>(tx, 'holds', hold.id);
  const closed = (s: string) => s === 'cancelled' || s === 'expired' || s === 'fulfilled';
  if (current && closed(current.status) && (hold.status === 'waiting' || hold.status === 'in_transit')) {
    warnings.push(`trapped for a hold already ${current.status} at the hub`);
    exceptions.push({
      kind: 'trapped_for_closed_hold',
      message: `A copy was trapped offline for a hold that was ${current.status} meanwhile: reshelve it or trap it for the next hold.`,
      patronIds: [hold.patronId],
      itemId: hold.itemId,
      entryIds: [entry.id],
      branchIds: [...new Set([entry.branchId, hold.pickupBranchId])],
    });
    return;
  }
  await putRow(tx, 'holds', hold);
}

/** The same fee paid at two stations: the hub applies each payment to what is still owed; any excess becomes a credit. */
async function applyFee(tx: Queryable, entry: JournalEntry, fee: Fee & Data, allocations: Map<string, number>, warnings: string[]): Promise<void> {
  const paid = allocations.get(fee.id);
  const current = await getRow<Fee & Data>(tx, 'fees', fee.id);
  if (paid === undefined || !current) {
    await putRow(tx, 'fees', fee);
    return;
  }
  const outstanding = current.outstanding - paid;
  if (outstanding >= 0) {
    await putRow(tx, 'fees', { ...fee, outstanding });
    return;
  }
  await putRow(tx, 'fees', { ...fee, outstanding: 0 });
  const credit: Fee = {
    id: `${fee.id}:credit:${entry.id}`,
    patronId: fee.patronId,
    kind: 'manual',
    amount: outstanding,
    outstanding,
    currency: fee.currency,
    loanId: null,
    itemId: fee.itemId,
    description: 'credit: paid twice',
    createdAt: entry.wallTime,
  };
  await putRow(tx, 'fees', credit as unknown as Data);
  warnings.push(`fee paid twice: ${-outstanding} kept as a credit`);
}

/** Two stations registered the same card: both patrons are kept; the second is a conflict to resolve. */
async function applyPatron(tx: Queryable, entry: JournalEntry, patron: Patron & Data, exceptions: HubException[]): Promise<string | null> {
  const same = await tx.query<{ id: string }>(
    `SELECT id FROM rows WHERE table_name = 'patrons' AND deleted = 0 AND data->>'cardBarcode' = $1 AND id <> $2`,
    [patron.cardBarcode, patron.id],
  );
  await putRow(tx, 'patrons', patron);
  if (same.length === 0) return null;
  exceptions.push({
    kind: 'duplicate_card',
    message: 'Two patrons were registered with the same card barcode while the stations were apart.',
    patronIds: [...same.map((s) => s.id), patron.id],
    itemId: null,
    entryIds: [entry.id],
    branchIds: [entry.branchId],
  });
  return 'duplicate card barcode';
}

export type { RowChange };
