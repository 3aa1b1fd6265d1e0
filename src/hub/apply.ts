// Applying one station's journal entry at the hub, with circulation sense rather than "last
// writer wins". The entry's effects are the station's new rows, checked first (well formed, and
// the station's to write: src/hub/policy.ts); most are stored as they are, but
// where two stations acted on the same thing while apart the hub decides as a circulation desk
// would, keeps every row, and records an exception staff can work through.
import { orderCheckouts, TOO_CLOSE_RULE, type TimedCheckout } from '../domain/clock-offset';
import { isBarredOn, isBeyondRenewalLimit } from '../domain/eligibility';
import { isClosedHoldStatus, pickHoldToTrap } from '../domain/holds';
import { findRule, DEFAULT_RULE } from '../domain/rules';
import { localDateOf } from '../domain/time';
import { COMMAND } from '../domain/commands';
import { exceptionOf } from '../domain/exception-kinds';
import type { JournalEntry } from '../domain/journal';
import type { Fee, Hold, Item, Loan, Patron } from '../domain/types';
import type { Queryable } from './db';
import {
  blocksOfPatron,
  clockOfLoan,
  getRow,
  touchRow,
  openLoansOfItem,
  patronsWithCard,
  pendingHoldsOfRecord,
  putRow,
  recordLoanClock,
  rulesMatrix,
  type Data,
} from './row-store';
import { applyResolution } from './exceptions';
import type { ApplyResult, HubException } from './verdicts';

const RENEW_COMMANDS = new Set<string>([
  COMMAND.circulation.renew,
  COMMAND.circulation.renewAll,
  COMMAND.circulation.checkout,
]);

/** The pushing station's clock as known at this push (src/domain/clock-offset.ts). */
export interface PushClock {
  offsetMs: number;
  uncertaintyMs: number | null;
}

/**
 * Applies one entry. clock: the pushing station's clock offset (its wall clock minus the hub's)
 * and its uncertainty, or null if none is known; it orders two loans of the same copy lent while
 * apart (applyLoan).
 */
export async function applyEntry(
  tx: Queryable,
  entry: JournalEntry,
  clock: PushClock | null = null,
): Promise<ApplyResult> {
  // Staff at a station resolved an exception: no rows, the hub's exception list (exceptions.ts).
  if (entry.command === COMMAND.sync.resolveException) return applyResolution(tx, entry);
  const exceptions: HubException[] = [];
  const warnings: string[] = [];
  let conflict: string | null = null;
  const effects = entry.payload.effects;
  const loanIdsInEntry = new Set(effects.filter((e) => e.table === 'loans').map((e) => e.row.id));
  const allocations = new Map<string, number>();
  for (const e of effects)
    if (e.table === 'payment_allocations') allocations.set(String(e.row.feeId), Number(e.row.amount));
  const waivers = new Map<string, number>();
  const refusedTraps = new Set<string>();
  for (const e of effects) if (e.table === 'fee_waivers') waivers.set(String(e.row.feeId), Number(e.row.amount));

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
        conflict = (await applyLoan(tx, entry, row as unknown as Loan & Data, exceptions, warnings, clock)) ?? conflict;
        break;
      case 'items':
        // A copy whose trap did not stand (applyHold) stays as the hub has it.
        if (refusedTraps.has(row.id)) break;
        if (await applyItem(tx, row, loanIdsInEntry))
          await holdsWaitingFor(tx, entry, row as unknown as Item & Data, exceptions, warnings);
        break;
      case 'holds':
        await applyHold(tx, entry, row as unknown as Hold & Data, exceptions, warnings, refusedTraps);
        break;
      case 'fees':
        await applyFee(tx, entry, row as unknown as Fee & Data, allocations, warnings, waivers);
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

/** The hub has this loan returned at a desk (not merely closed by the hub because the copy was lent again elsewhere). */
async function returnedAtADesk(tx: Queryable, loanId: string): Promise<boolean> {
  const current = await getRow<Loan>(tx, 'loans', loanId);
  return !!current && current.returnedAt !== null && current.returnBranchId !== null;
}

/**
 * A loan's check-out as the hub orders it: the station's time, the offset known for the station
 * that wrote it and that offset's uncertainty; the station's own time (offset 0, uncertainty
 * unknown) where no offset is known.
 */
async function timedCheckout(tx: Queryable, loan: Loan): Promise<TimedCheckout> {
  const clock = await clockOfLoan(tx, loan.id);
  return {
    loanId: loan.id,
    stationId: clock?.stationId ?? '',
    checkedOutAt: loan.checkedOutAt,
    offsetMs: clock?.offsetMs ?? 0,
    uncertaintyMs: clock?.uncertaintyMs ?? null,
  };
}

const LENT_TWICE_REASONS = {
  station_clocks: 'lent twice',
  corrected_clocks: "lent twice (the later by the stations' clocks corrected as the hub measured them)",
  too_close: 'lent twice, too close to tell (the station with the lower id keeps the copy)',
} as const;

/**
 * A time that went backwards at the station: a loan returned before it was checked out (its
 * clock was corrected back between the two). Never stored as it is: the return is clamped to the
 * check-out, the entry is applied with a warning, and the branch is told.
 */
function clampBackwardsReturn(
  entry: JournalEntry,
  loan: Loan & Data,
  exceptions: HubException[],
  warnings: string[],
): void {
  if (loan.returnedAt === null || loan.returnedAt >= loan.checkedOutAt) return;
  const byMs = loan.checkedOutAt - loan.returnedAt;
  loan.returnedAt = loan.checkedOutAt;
  warnings.push(
    `returned ${Math.ceil(byMs / 1000)} s before its check-out by the station's clock: the return was set to the check-out time`,
  );
  exceptions.push({
    ...exceptionOf('time_went_back', { field: 'returnedAt', byMs, checkedOutAt: loan.checkedOutAt }),
    patronIds: loan.patronId ? [loan.patronId] : [],
    itemId: loan.itemId,
    entryIds: [entry.id],
    branchIds: [entry.branchId],
  });
}

/**
 * Two stations lent the same copy while apart: keep both loans; the later borrower has it. Later
 * by the hub's clock: each check-out time corrected by its station's measured clock offset, so a
 * station whose clock runs fast does not win for that. Check-outs closer than the offsets'
 * combined uncertainty are too close to tell: a stated rule decides (src/domain/clock-offset.ts)
 * and the exception says so. The loans keep the times their stations wrote (their due dates were
 * computed from them).
 */
async function applyLoan(
  tx: Queryable,
  entry: JournalEntry,
  loan: Loan & Data,
  exceptions: HubException[],
  warnings: string[],
  clock: PushClock | null = null,
): Promise<string | null> {
  let result: string | null = null;
  clampBackwardsReturn(entry, loan, exceptions, warnings);
  if (loan.returnedAt !== null && (await returnedAtADesk(tx, loan.id))) {
    // Privacy: a returned loan's link to its patron, once dropped at a station (the retention
    // period passed, src/services/privacy.ts), is dropped here too, whatever else the hub keeps.
    const current = (await getRow<Loan & Data>(tx, 'loans', loan.id))!;
    if (loan.patronId === null && current.patronId !== null) await putRow(tx, 'loans', { ...current, patronId: null });
    if (entry.command === COMMAND.privacy.purgeLoanHistory) return null;
    // Checked in again at a desk that had not heard of the first check-in: the copy came back
    // once, when it first did (its second fine is not charged, see applyFee).
    warnings.push('checked in again: the first return stands');
    return null;
  }
  if (loan.returnedAt === null) {
    // A renewal made at a desk that had not heard of the return: the copy came back, the return
    // stands (the station gets the returned loan back; see touchRow).
    const current = await getRow<Loan>(tx, 'loans', loan.id);
    if (current && current.returnedAt !== null) {
      // (A copy marked lost or claimed returned names its loan too: the same verdict.)
      warnings.push(
        RENEW_COMMANDS.has(entry.command)
          ? 'renewed a loan already returned: the return stands'
          : 'a loan already returned: the return stands',
      );
      return null;
    }
    // A check-out new to the hub: its station's clock offset, for ordering it against another
    // station's loan of the same copy (now or when that one arrives).
    if (!current && clock !== null)
      recordLoanClock(tx, loan.id, {
        stationId: entry.stationId,
        offsetMs: clock.offsetMs,
        uncertaintyMs: clock.uncertaintyMs,
      });
    for (const other of await openLoansOfItem(tx, loan.itemId)) {
      if (other.id === loan.id) continue;
      const incoming = await timedCheckout(tx, loan);
      const order = orderCheckouts(incoming, await timedCheckout(tx, other));
      const incomingIsLater = order.later === incoming;
      const [earlier, later] = incomingIsLater ? [other, loan] : [loan, other];
      // The earlier loan stays in history, closed when the copy was lent again: at the later
      // check-out's time, or where the corrected clocks decided, that moment on the earlier
      // station's clock; never before its own check-out.
      const laterOnEarliersClock = order.later.checkedOutAt - order.later.offsetMs + order.earlier.offsetMs;
      const returnedAt =
        order.decidedBy === 'station_clocks'
          ? later.checkedOutAt
          : Math.max(earlier.checkedOutAt, laterOnEarliersClock);
      const closed = { ...earlier, returnedAt, returnBranchId: null };
      if (incomingIsLater) await putRow(tx, 'loans', closed as Data);
      else Object.assign(loan, closed);
      const apartMs = Math.round(order.apartMs);
      exceptions.push({
        ...exceptionOf(
          'lent_twice',
          order.decidedBy === 'too_close'
            ? {
                decidedBy: order.decidedBy,
                apartMs,
                uncertaintyMs: order.uncertaintyMs,
                rule: TOO_CLOSE_RULE,
                keptByStationId: order.later.stationId,
              }
            : { decidedBy: order.decidedBy, apartMs },
        ),
        patronIds: [earlier.patronId, later.patronId].filter((p): p is string => !!p),
        itemId: loan.itemId,
        entryIds: [entry.id],
        branchIds: [...new Set([earlier.branchId, later.branchId])],
      });
      result = LENT_TWICE_REASONS[order.decidedBy];
    }
    if (loan.patronId) {
      const blocks = await blocksOfPatron(tx, loan.patronId);
      if (blocks.some((b) => b.kind === 'barred')) {
        // Barred on the day of the check-out, in the lending branch's time zone: the desk's question (src/domain/eligibility.ts).
        const branch = await getRow<{ timeZone: string }>(tx, 'branches', loan.branchId);
        const day = localDateOf(loan.checkedOutAt, branch?.timeZone ?? 'UTC');
        if (isBarredOn(blocks, day)) warnings.push('lent to a patron barred at the hub');
      }
    }
    if (RENEW_COMMANDS.has(entry.command) && loan.renewals > 0 && !entry.payload.overrides?.length) {
      const patron = loan.patronId ? await getRow<Patron>(tx, 'patrons', loan.patronId) : null;
      const item = await getRow<{ itemTypeCode: string }>(tx, 'items', loan.itemId);
      const rule =
        findRule(await rulesMatrix(tx), {
          branchId: loan.branchId,
          categoryCode: patron?.categoryCode ?? '*',
          itemTypeCode: item?.itemTypeCode ?? '*',
        }) ?? DEFAULT_RULE;
      if (isBeyondRenewalLimit(loan.renewals, rule)) warnings.push('renewed offline beyond the renewal limit');
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
async function holdsWaitingFor(
  tx: Queryable,
  entry: JournalEntry,
  item: Item & Data,
  exceptions: HubException[],
  warnings: string[],
): Promise<void> {
  if (item.status !== 'available') return;
  if (entry.payload.effects.some((e) => e.table === 'holds' && e.row.itemId === item.id)) return;
  const holds = await pendingHoldsOfRecord(tx, String(item.recordId));
  if (holds.length === 0) return;
  const branch = await getRow<{ timeZone: string }>(tx, 'branches', item.currentBranchId);
  const hold = pickHoldToTrap({ item, holds, today: localDateOf(entry.wallTime, branch?.timeZone ?? 'UTC') });
  if (!hold) return;
  warnings.push('checked in while the hub holds a hold for it: pull it from the shelf');
  exceptions.push({
    ...exceptionOf('hold_to_pull', {}),
    patronIds: [hold.patronId],
    itemId: item.id,
    entryIds: [entry.id],
    branchIds: [...new Set([item.currentBranchId, hold.pickupBranchId])],
  });
}

/** A station's trap stands; if the hub had meanwhile closed that hold, the copy is flagged rather than lost on a shelf. */
async function applyHold(
  tx: Queryable,
  entry: JournalEntry,
  hold: Hold & Data,
  exceptions: HubException[],
  warnings: string[],
  refusedTraps = new Set<string>(),
): Promise<void> {
  const current = await getRow<Hold>(tx, 'holds', hold.id);
  const trapping = (hold.status === 'waiting' || hold.status === 'in_transit') && hold.itemId !== null;
  if (
    trapping &&
    !(current && (current.status === 'waiting' || current.status === 'in_transit') && current.itemId === hold.itemId)
  ) {
    // Two desks trapped the same copy for different holds while apart (it was checked in at both):
    // the first trap stands, this hold waits again, and both branches are told to find the copy.
    // Rare (only traps get here), so a plain query rather than an index of its own.
    const other = (
      await tx.query<{ data: Hold }>(
        `SELECT data FROM rows WHERE table_name = 'holds' AND deleted = 0 AND id <> $1 AND data->>'itemId' = $2 AND data->>'status' IN ('waiting', 'in_transit') LIMIT 1`,
        [hold.id, hold.itemId],
      )
    )[0]?.data;
    if (other) {
      refusedTraps.add(hold.itemId!);
      warnings.push('the copy was already trapped for another hold: the first trap stands');
      exceptions.push({
        ...exceptionOf('trapped_twice', {}),
        patronIds: [other.patronId, hold.patronId],
        itemId: hold.itemId,
        entryIds: [entry.id],
        branchIds: [...new Set([entry.branchId, other.pickupBranchId, hold.pickupBranchId])],
      });
      await putRow(tx, 'holds', {
        ...(current ?? hold),
        status: 'pending',
        itemId: hold.itemLevel ? hold.itemId : null,
        waitingSince: null,
        shelfExpiresOn: null,
      } as Data);
      return;
    }
  }
  if (
    current?.status === 'waiting' &&
    current.itemId !== null &&
    isClosedHoldStatus(hold.status) &&
    hold.itemId !== current.itemId
  ) {
    // The mirror case (found by the sync property test): a desk closed the hold (cancelled it,
    // filled it with another copy, let it expire) before it heard that another desk had trapped a
    // copy for it. The closing stands; the trapped copy now sits on a hold shelf for nobody, and
    // its branch is told, as when the trap comes second.
    warnings.push(`${hold.status} at a desk that had not heard of the copy trapped for it: take it off the hold shelf`);
    exceptions.push({
      ...exceptionOf('trapped_for_closed_hold', { holdStatus: hold.status }),
      patronIds: [hold.patronId],
      itemId: current.itemId,
      entryIds: [entry.id],
      branchIds: [...new Set([entry.branchId, current.pickupBranchId])],
    });
  }
  if (current && isClosedHoldStatus(current.status) && (hold.status === 'waiting' || hold.status === 'in_transit')) {
    warnings.push(`trapped for a hold already ${current.status} at the hub`);
    exceptions.push({
      ...exceptionOf('trapped_for_closed_hold', { holdStatus: current.status }),
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
async function applyFee(
  tx: Queryable,
  entry: JournalEntry,
  fee: Fee & Data,
  allocations: Map<string, number>,
  warnings: string[],
  waivers = new Map<string, number>(),
): Promise<void> {
  const paid = allocations.get(fee.id);
  const current = await getRow<Fee & Data>(tx, 'fees', fee.id);
  const waived = waivers.get(fee.id);
  if (waived !== undefined && current) {
    // A waiver forgives what is still owed at the hub, never more: the station's row would undo a
    // payment made meanwhile at another desk (found by the sync property test).
    const left = current.outstanding - waived;
    if (left < 0)
      warnings.push(`waived ${waived} of a fee that owed ${Math.max(0, current.outstanding)}: the rest was not needed`);
    await putRow(tx, 'fees', { ...current, outstanding: Math.max(0, left) });
    return;
  }
  if (!current && fee.kind === 'overdue' && fee.loanId && (await returnedAtADesk(tx, fee.loanId))) {
    // The fine of a second check-in of a loan already returned: kept for the record, not charged.
    // (Kept rather than deleted: a desk may already have taken a payment against it, which then
    // becomes a credit.)
    warnings.push('a second fine for the same loan was not charged');
    await putRow(tx, 'fees', {
      ...fee,
      outstanding: 0,
      description: `${fee.description} (not charged: returned twice)`,
    });
    return;
  }
  if (paid === undefined || !current) {
    await putRow(tx, 'fees', fee);
    return;
  }
  // A payment changes only what is owed: the rest of the fee is the hub's (a fine marked not charged stays so).
  const outstanding = current.outstanding - paid;
  if (outstanding >= 0) {
    await putRow(tx, 'fees', { ...current, outstanding });
    return;
  }
  await putRow(tx, 'fees', { ...current, outstanding: 0 });
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

/**
 * Two stations registered the same card: both patrons are kept; the second is a conflict to
 * resolve. Every branch concerned is told: the one that pushed, and the home branches of the
 * patrons holding the card (the branch that registered it first among them: the hub does not
 * keep which station wrote a row, and a desk registers a patron at its own branch by default).
 */
async function applyPatron(
  tx: Queryable,
  entry: JournalEntry,
  patron: Patron & Data,
  exceptions: HubException[],
): Promise<string | null> {
  const same = (await patronsWithCard(tx, String(patron.cardBarcode))).filter(
    (p) => p.id !== patron.id,
  ) as unknown as (Patron & Data)[];
  await putRow(tx, 'patrons', patron);
  if (same.length === 0) return null;
  exceptions.push({
    ...exceptionOf('duplicate_card', { cardBarcode: String(patron.cardBarcode) }),
    patronIds: [...same.map((s) => s.id), patron.id],
    itemId: null,
    entryIds: [entry.id],
    branchIds: [
      ...new Set(
        [...same.map((s) => s.homeBranchId), patron.homeBranchId, entry.branchId].filter(
          (b): b is string => typeof b === 'string' && b !== '',
        ),
      ),
    ],
  });
  return 'duplicate card barcode';
}
