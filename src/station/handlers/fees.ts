// The station API's fees methods (src/api/contract/fees.ts), each turned into a service call.
import type { feesApi } from '../../api/contract/fees';
import type { HandlerDeps, HandlersOf } from './types';
import { followUp } from './support';

export function feesHandlers({ s, devices }: HandlerDeps): HandlersOf<typeof feesApi> {
  return {
    'fees.list': (input) => s.fees.list(input.patronId),
    'fees.history': (input) => s.fees.history(input.patronId),
    'fees.pay': (input, hc) => {
      const paid = s.fees.pay(input, hc.actor);
      // Committed: the money is taken. The receipt (and the drawer) follow, or the answer says they did not.
      // The receipt's HTML goes back too: the desk prints it on the system printer when there is no
      // receipt printer, and can print it again.
      const made = followUp('RECEIPT_NOT_PRINTED', () => {
        const slip = devices.paymentSlip(input.patronId, paid);
        return { slip, html: devices.manager.renderSlipHtml(slip) };
      });
      if (!made.ok) return { ...paid, receiptHtml: null, followUpFailed: made.failed };
      if (!devices.hasPrinter) return { ...paid, receiptHtml: made.value.html };
      const cash = paid.method === 'cash';
      const printed = followUp('RECEIPT_NOT_PRINTED', () => devices.print(made.value.slip, cash));
      return printed.ok
        ? { ...paid, receiptHtml: made.value.html }
        : { ...paid, receiptHtml: made.value.html, followUpFailed: printed.failed };
    },
    'fees.waive': (input, hc) =>
      s.fees.waive(
        { feeId: input.feeId, reason: input.reason, amount: input.amount },
        hc.actor,
        hc.grantedBy ?? undefined,
      ),
    'fees.charge': (input, hc) => s.fees.charge(input, hc.actor),
  };
}
