// Fees, payments and waivers. Money is integer minor units in the library's currency.
// Every fee line the desk shows names what it is for (the copy's title and barcode, when the fee
// is for a copy); an overdue fine still accruing on a copy not yet back is not a fee row at all
// (src/services/accrual.ts) until the check-in charges it.
import { allocatePayment } from '../domain/money';
import type { Fee, FeeKind, PaymentMethod } from '../domain/types';
import { runCommand, type Actor } from './command';
import type { ServiceContext } from './context';
import { invalid, notFound } from './errors';
import type { Lookups } from './lookups';
import { FeeLineQueries, paymentAllocationsOfPatron, waiversOfPatron, type FeeLine } from '../store/queries/fees';
import { COMMAND } from '../domain/commands';

/** A fee as the desk shows it: with the title and barcode of the copy it is for (null for a fee about no copy). */
export type { FeeLine };

/** One line of a patron's fee history: a charge, a payment of (part of) a fee, a waiver, a credit. */
export interface FeeHistoryLine {
  /** `${event}:${row id}`: unique in the history. */
  id: string;
  event: 'charged' | 'paid' | 'waived' | 'credited';
  at: number;
  /** Minor units, positive (a credit's too: its direction is its event). */
  amount: number;
  currency: string;
  feeId: string;
  feeKind: FeeKind;
  description: string;
  title: string | null;
  itemBarcode: string | null;
  /** Payments: how, and the card slip's or cheque's number. */
  method: PaymentMethod | null;
  reference: string | null;
  /** Waivers: why. */
  reason: string | null;
}

/** The methods whose payment must say which slip or cheque it was: a cheque always. */
const REFERENCE_REQUIRED = new Set<PaymentMethod>(['cheque']);
const REFERENCE_KEPT = new Set<PaymentMethod>(['card', 'cheque', 'other']);

export interface PaymentResult {
  paymentId: string;
  /** Applied to fees. */
  applied: number;
  tendered: number;
  /** Cash to hand back. */
  change: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  allocations: { feeId: string; amount: number }[];
  /** What the payment paid, fee by fee, for the receipt: each line's fee, title and barcode. */
  lines: {
    feeId: string;
    amount: number;
    kind: FeeKind;
    description: string;
    title: string | null;
    itemBarcode: string | null;
  }[];
  remainingOwed: number;
}

export class FeeService {
  private readonly find: Lookups;
  /** Prepared once: the desk reads a patron's fee lines on every look-up. */
  private readonly s: FeeLineQueries;

  constructor(private readonly ctx: ServiceContext) {
    this.find = ctx.circulation;
    this.s = new FeeLineQueries(ctx);
  }

  /**
   * Takes a payment: allocated to the chosen fees (or all), oldest first. `amount` is what the
   * patron wants to pay (default: all they owe on those fees); `tendered` is the cash handed
   * over, and the difference is the change.
   */
  pay(
    input: {
      patronId: string;
      amount?: number | null;
      tendered: number;
      method?: PaymentMethod;
      reference?: string | null;
      feeIds?: string[] | null;
    },
    actor: Actor,
  ): PaymentResult {
    if (!Number.isInteger(input.tendered) || input.tendered <= 0)
      throw invalid('The amount tendered must be a positive amount.');
    const method = input.method ?? 'cash';
    const reference = REFERENCE_KEPT.has(method) ? input.reference?.trim() || null : null;
    if (REFERENCE_REQUIRED.has(method) && !reference)
      throw invalid('A cheque payment needs the cheque number as its reference.');
    const currency = this.ctx.config.get().settings.currency;
    return runCommand(
      this.ctx,
      { command: COMMAND.fees.pay, input: { ...input, method, reference }, actor, summary: `payment ${method}` },
      (tx) => {
        if (!this.find.patronById(input.patronId)) throw notFound('patron');
        let fees = this.open(input.patronId).filter((f) => f.outstanding > 0);
        if (input.feeIds && input.feeIds.length > 0) {
          const chosen = new Set(input.feeIds);
          fees = fees.filter((f) => chosen.has(f.id));
        }
        const owed = fees.reduce((s, f) => s + f.outstanding, 0);
        if (owed === 0) throw invalid('Nothing is owed on those fees.');
        const amount = Math.min(input.amount ?? owed, owed, input.tendered);
        if (!Number.isInteger(amount) || amount <= 0) throw invalid('The payment must be a positive amount.');
        // Only cash is handed back as change: a card or a cheque is for the amount paid.
        if (method !== 'cash' && input.tendered !== amount)
          throw invalid('A card or cheque payment is for the amount paid: nothing is handed back.');
        const { allocations } = allocatePayment(fees, amount);
        const paymentId = this.ctx.newId();
        const now = this.ctx.now();
        tx.upsert('payments', {
          id: paymentId,
          patronId: input.patronId,
          amount,
          tendered: input.tendered,
          currency,
          method,
          reference,
          staffId: actor.staffId,
          createdAt: now,
        });
        const byId = new Map(fees.map((f) => [f.id, f]));
        const lines: PaymentResult['lines'] = [];
        for (const a of allocations) {
          const fee = byId.get(a.feeId) as FeeLine;
          tx.upsert('fees', { ...fee, outstanding: fee.outstanding - a.amount });
          tx.upsert('payment_allocations', { id: this.ctx.newId(), paymentId, feeId: a.feeId, amount: a.amount });
          lines.push({
            feeId: fee.id,
            amount: a.amount,
            kind: fee.kind,
            description: fee.description,
            title: fee.title,
            itemBarcode: fee.itemBarcode,
          });
        }
        return {
          paymentId,
          applied: amount,
          tendered: input.tendered,
          change: method === 'cash' ? input.tendered - amount : 0,
          currency,
          method,
          reference,
          allocations,
          lines,
          remainingOwed: this.find.feesOwed(input.patronId),
        };
      },
    );
  }

  /**
   * Forgives what is still owed on a fee (or part of it). Needs the waive permission: the
   * actor's own, or `grantedBy`, a supervisor's grant the station has checked (recorded in the
   * journal entry's overrides; the waiver names the actor, who did it).
   */
  waive(input: { feeId: string; reason: string; amount?: number | null }, actor: Actor, grantedBy?: string): Fee {
    if (!input.reason.trim()) throw invalid('A waiver needs a reason.');
    return runCommand(this.ctx, { command: COMMAND.fees.waive, input, actor, summary: 'waive fee' }, (tx) => {
      const fee = this.ctx.rows.get<Fee>('fees', input.feeId);
      if (!fee) throw notFound('fee');
      const amount = Math.min(input.amount ?? fee.outstanding, fee.outstanding);
      if (amount <= 0) throw invalid('Nothing is owed on that fee.');
      tx.upsert('fee_waivers', {
        id: this.ctx.newId(),
        feeId: fee.id,
        amount,
        reason: input.reason.trim(),
        staffId: actor.staffId,
        createdAt: this.ctx.now(),
      });
      if (grantedBy) tx.overrides.push({ code: 'waive_fees', grantedBy });
      return tx.upsert('fees', { ...fee, outstanding: fee.outstanding - amount });
    });
  }

  /**
   * A charge staff add by hand (a lost card, damage, printing, ...), with its reason as the
   * description. A charge for a copy (damage) names it by id or by the barcode staff scanned.
   */
  charge(
    input: {
      patronId: string;
      kind: FeeKind;
      amount: number;
      description: string;
      itemId?: string | null;
      itemBarcode?: string | null;
    },
    actor: Actor,
  ): FeeLine {
    if (!Number.isInteger(input.amount) || input.amount <= 0) throw invalid('A charge must be a positive amount.');
    const description = input.description.trim();
    if (!description) throw invalid('A charge needs a reason.');
    return runCommand(
      this.ctx,
      { command: COMMAND.fees.charge, input: { ...input, description }, actor, summary: `charge ${input.kind}` },
      (tx) => {
        if (!this.find.patronById(input.patronId)) throw notFound('patron');
        let itemId = input.itemId ?? null;
        if (input.itemBarcode) {
          const item = this.find.itemByBarcode(input.itemBarcode.trim());
          if (!item) throw invalid(`No copy has the barcode ${input.itemBarcode.trim()}.`);
          itemId = item.id;
        } else if (itemId && !this.find.item(itemId)) throw notFound('item');
        const fee: Fee = {
          id: this.ctx.newId(),
          patronId: input.patronId,
          kind: input.kind,
          amount: input.amount,
          outstanding: input.amount,
          currency: this.ctx.config.get().settings.currency,
          loanId: null,
          itemId,
          description,
          createdAt: this.ctx.now(),
        };
        tx.upsert('fees', fee);
        return this.line(fee.id);
      },
    );
  }

  /** Every fee of the patron, oldest first, each with what it is for. */
  list(patronId: string): FeeLine[] {
    return this.s.ofPatron(patronId);
  }

  /** Fees with something still owed (or a credit), oldest first. */
  open(patronId: string): FeeLine[] {
    return this.s.openOfPatron(patronId);
  }

  line(feeId: string): FeeLine {
    const found = this.s.one(feeId);
    if (!found) throw notFound('fee');
    return found;
  }

  /**
   * The patron's fee history, newest first: each charge, each payment of a fee (how it was paid,
   * its reference), each waiver (why) and each credit, with the title and barcode of the copy.
   */
  history(patronId: string): FeeHistoryLine[] {
    if (!this.find.patronById(patronId)) throw notFound('patron');
    const fees = new Map(this.list(patronId).map((f) => [f.id, f]));
    const out: FeeHistoryLine[] = [];
    const about = (fee: FeeLine) => ({
      feeId: fee.id,
      feeKind: fee.kind,
      description: fee.description,
      title: fee.title,
      itemBarcode: fee.itemBarcode,
      currency: fee.currency,
    });
    for (const fee of fees.values()) {
      const credit = fee.amount < 0;
      out.push({
        id: `${credit ? 'credited' : 'charged'}:${fee.id}`,
        event: credit ? 'credited' : 'charged',
        at: fee.createdAt,
        amount: Math.abs(fee.amount),
        ...about(fee),
        method: null,
        reference: null,
        reason: null,
      });
    }
    const paid = paymentAllocationsOfPatron(this.ctx, patronId);
    for (const p of paid) {
      const fee = fees.get(p.feeId);
      if (fee)
        out.push({
          id: `paid:${p.id}`,
          event: 'paid',
          at: p.at,
          amount: p.amount,
          ...about(fee),
          method: p.method,
          reference: p.reference,
          reason: null,
        });
    }
    const waived = waiversOfPatron(this.ctx, patronId);
    for (const w of waived) {
      const fee = fees.get(w.feeId);
      if (fee)
        out.push({
          id: `waived:${w.id}`,
          event: 'waived',
          at: w.at,
          amount: w.amount,
          ...about(fee),
          method: null,
          reference: null,
          reason: w.reason,
        });
    }
    return out.sort((a, b) => b.at - a.at || a.id.localeCompare(b.id));
  }
}
