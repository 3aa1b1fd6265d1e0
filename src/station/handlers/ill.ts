// The station API's ill methods (src/api/contract/ill.ts), each turned into a service call.
import type { illApi } from '../../api/contract/ill';
import type { HandlerDeps, HandlersOf } from './types';
import { followUp, printError } from './support';
import { ServiceError } from '../../services/errors';
import { type Slip } from '../../devices/slips/types';

export function illHandlers({ s, devices, withSlip, illShipped }: HandlerDeps): HandlersOf<typeof illApi> {
  return {
    'ill.list': (input) => s.ill.list(input),
    'ill.get': (input) => s.ill.get(input.id),
    'ill.pullList': () => s.ill.pullList(),
    'ill.forPatron': (input, hc) => {
      // The kiosk shows a patron their own requests, no one else's.
      if (hc.actor.kind === 'kiosk' && hc.actor.patronId !== input.patronId)
        throw new ServiceError('FORBIDDEN', 'A kiosk session acts only for the patron who signed in.');
      return s.ill.forPatron(input.patronId);
    },
    'ill.requestBorrowing': (input, hc) => s.ill.requestBorrowing(input, hc.actor),
    'ill.send': (input, hc) => s.ill.send(input.id, hc.actor),
    'ill.markShipped': (input, hc) => s.ill.markShipped(input.id, input.lenderDueOn ?? null, hc.actor),
    'ill.receive': (input, hc) => {
      const received = s.ill.receive(
        input.id,
        { lenderDueOn: input.lenderDueOn, itemTypeCode: input.itemTypeCode ?? null },
        hc.actor,
      );
      // Committed. The patron's hold on the copy is trapped: its hold slip prints, as at check-in.
      if (!received.hold || !received.itemBarcode) return received;
      const made = followUp('SLIP_NOT_PRINTED', () => {
        const slip = devices.slipForCheckin({
          action: 'hold_waiting',
          title: received.title,
          itemBarcode: received.itemBarcode!,
          destinationBranch: null,
          hold: received.hold,
        });
        return slip ? { slip, html: devices.manager.renderSlipHtml(slip) } : null;
      });
      return withSlip(received, made);
    },
    'ill.shipBack': (input, hc) => illShipped(s.ill.shipBack(input.id, hc.actor)),
    'ill.recordLending': (input, hc) => s.ill.recordLending(input, hc.actor),
    'ill.pull': (input, hc) => s.ill.pull(input.id, input.itemBarcode, hc.actor),
    'ill.shipLending': (input, hc) => illShipped(s.ill.shipLending(input.id, hc.actor)),
    'ill.cancel': (input, hc) => s.ill.close(input.id, 'cancelled', input.note ?? null, hc.actor),
    'ill.markUnfilled': (input, hc) => s.ill.close(input.id, 'unfilled', input.note ?? null, hc.actor),
    'ill.slip': (input) => {
      let slip: Slip;
      let html: string;
      try {
        slip = devices.illSlip(s.ill.get(input.id));
        html = devices.manager.renderSlipHtml(slip);
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        throw printError(error);
      }
      const printed = followUp('SLIP_NOT_PRINTED', () => devices.print(slip));
      return printed.ok ? { jobId: printed.value, html } : { jobId: null, html, followUpFailed: printed.failed };
    },
    'ill.exportIso': (input) => ({ xml: s.ill.exportIso(input.id, input.message) }),
    'ill.readIso': (input) => s.ill.readIso(input.xml),
  };
}
