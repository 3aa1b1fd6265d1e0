// The station API's circulation methods (src/api/contract/circulation.ts), each turned into a service call.
import type { circulationApi } from '../../api/contract/circulation';
import type { HandlerDeps, HandlersOf } from './types';
import { followUp } from './support';

export function circulationHandlers({ s, devices, staffOverride }: HandlerDeps): HandlersOf<typeof circulationApi> {
  return {
    'circulation.checkout': (input, hc) =>
      s.circulation.checkout(
        { patronBarcode: input.patronBarcode, itemBarcode: input.itemBarcode },
        hc.actor,
        staffOverride(hc, input.override),
      ),
    'circulation.checkin': (input, hc) => {
      const result = s.circulation.checkin(input, hc.actor);
      // Committed. A trapped hold or a transfer prints its slip at once, with no dialog. The desk
      // gets the same slip as HTML too, for the system printer when there is no receipt printer.
      const holder = result.hold ? followUp('SLIP_NOT_PRINTED', () => devices.slipPatron(result.hold!.patronId)) : null;
      const hold = result.hold ? { ...result.hold, ...(holder?.ok ? { patron: holder.value } : {}) } : null;
      const made = followUp('SLIP_NOT_PRINTED', () => {
        const slip = devices.slipForCheckin(result);
        return slip ? { slip, html: devices.manager.renderSlipHtml(slip) } : null;
      });
      if (!made.ok) return { ...result, hold, printJob: null, slipHtml: null, followUpFailed: made.failed };
      if (!made.value) return { ...result, hold, printJob: null, slipHtml: null };
      const { slip, html } = made.value;
      // The receipt printer failing leaves the HTML: the desk offers it to the system printer.
      const printed = followUp('SLIP_NOT_PRINTED', () => devices.print(slip));
      return printed.ok
        ? { ...result, hold, printJob: printed.value, slipHtml: html }
        : { ...result, hold, printJob: null, slipHtml: html, followUpFailed: printed.failed };
    },
    'circulation.renew': (input, hc) =>
      s.circulation.renew({ itemBarcode: input.itemBarcode }, hc.actor, staffOverride(hc, input.override)),
    'circulation.renewAll': (input, hc) => s.circulation.renewAll(input, hc.actor),
    'shelf.scan': (input, hc) => s.shelf.scan(input, hc.actor),
    'shelf.missing': (input) => s.shelf.missingInRange(input),
    'shelf.notSeen': (input) => s.shelf.notSeenSince(input),
  };
}
