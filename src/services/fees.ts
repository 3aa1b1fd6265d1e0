// Fees, payments and waivers. Money is integer minor units in the library's currency.
import { allocatePayment } from '../domain/money';
import type { Fee, FeeKind } from '../domain/types';
import { runCommand, type Actor } from './command';
import type { ServiceContext } from './context';
import { invalid, notFound } from './errors';
import { Lookups } from './lookups';

export interface PaymentResult {
  paymentId: string;
  /** Applied to fees. */
  applied: number;
  tendered: number;
  /** Cash to hand back. */
  change: number;
  currency: string;
  allocations: { feeId: string; amount: number }[];
  remainingOwed: number;
}

export class FeeService {
  private readonly find: Lookups;

  constructor(private readonly ctx: ServiceContext) {
    this.find = new Lookups(ctx);
  }

  /**
   * Takes a payment: allocated to the chosen fees (or all), oldest first. `amount` is what the
   * patron wants to pay (default: all they owe on those fees); `tendered` is the cash handed
   * over, and the difference is the change.
   */
  pay(
    input: { patronId: string; amount?: number | null; tendered: number; method?: 'cash' | 'card' | 'other'; feeIds?: string[] | null },
    actor: Actor,
  ): PaymentResult {
    if (!Number.isInteger(input.tendered) || input.tendered <= 0) throw invalid('The amount tendered must be a positive amount.');
    const currency = this.ctx.config.get().settings.currency;
    return runCommand(this.ctx, { command: 'fees.pay', input, actor, summary: 'payment' }, (tx) => {
      if (!this.find.patronById(input.patronId)) throw notFound('patron');
      let fees = this.find.openFees(input.patronId).filter((f) => f.outstanding > 0);
      if (input.feeIds && input.feeIds.length > 0) {
        const chosen = new Set(input.feeIds);
        fees = fees.filter((f) => chosen.has(f.id));
      }
      const owed = fees.reduce((s, f) => s + f.outstanding, 0);
      if (owed === 0) throw invalid('Nothing is owed on those fees.');
      const amount = Math.min(input.amount ?? owed, owed, input.tendered);
      if (!Number.isInteger(amount) || amount <= 0) throw invalid('The payment must be a positive amount.');
      const { allocations } = allocatePayment(fees, amount);
      const paymentId = this.ctx.newId();
      const now = this.ctx.now();
      tx.upsert('payments', {
        id: paymentId,
        patronId: input.patronId,
        amount,
        tendered: input.tendered,
        currency,
        method: input.method ?? 'cash',
        staffId: actor.staffId,
        createdAt: now,
      });
      const byId = new Map(fees.map((f) => [f.id, f]));
      for (const a of allocations) {
        const fee = byId.get(a.feeId) as Fee;
        tx.upsert('fees', { ...fee, outstanding: fee.outstanding - a.amount });
        tx.upsert('payment_allocations', { id: this.ctx.newId(), paymentId, feeId: a.feeId, amount: a.amount });
      }
      return {
        paymentId,
        applied: amount,
        tendered: input.tendered,
        change: input.method === 'cash' || !input.method ? input.tendered - amount : 0,
        currency,
        allocations,
        remainingOwed: this.find.feesOwed(input.patronId),
      };
    });
  }

  /**
   * Forgives what is still owed on a fee (or part of it). Needs the waive permission: the
   * actor's own, or `grantedBy`, a supervisor's grant the station has checked (recorded in the
   * journal entry's overrides; the waiver names the actor, who did it).
   */
  waive(input: { feeId: string; reason: string; amount?: number | null }, actor: Actor, grantedBy?: string): Fee {
    if (!input.reason.trim()) throw invalid('A waiver needs a reason.');
    return runCommand(this.ctx, { command: 'fees.waive', input, actor, summary: 'waive fee' }, (tx) => {
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

  /** A charge staff add by hand (damage, a replacement card, ...). */
  charge(input: { patronId: string; kind: FeeKind; amount: number; description: string; itemId?: string | null }, actor: Actor): Fee {
    if (!Number.isInteger(input.amount) || input.amount <= 0) throw invalid('A charge must be a positive amount.');
    return runCommand(this.ctx, { command: 'fees.charge', input, actor, summary: `charge ${input.kind}` }, (tx) => {
      if (!this.find.patronById(input.patronId)) throw notFound('patron');
      const fee: Fee = {
        id: this.ctx.newId(),
        patronId: input.patronId,
        kind: input.kind,
        amount: input.amount,
        outstanding: input.amount,
        currency: this.ctx.config.get().settings.currency,
        loanId: null,
        itemId: input.itemId ?? null,
        description: input.description,
        createdAt: this.ctx.now(),
      };
      return tx.upsert('fees', fee);
    });
  }

  list(patronId: string): Fee[] {
    return (
      this.ctx.store.db.prepare('SELECT * FROM fees WHERE patron_id = ? ORDER BY created_at, id').all(patronId) as Record<string, unknown>[]
    ).map((r) => this.ctx.rows.decode<Fee>('fees', r));
  }
}
