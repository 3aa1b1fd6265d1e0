// The station API's holds methods (src/api/contract/holds.ts), each turned into a service call.
import type { holdsApi } from '../../api/contract/holds';
import type { HandlerDeps, HandlersOf } from './types';

export function holdsHandlers({ s, staffOverride }: HandlerDeps): HandlersOf<typeof holdsApi> {
  return {
    'holds.place': (input, hc) => s.holds.place(input, hc.actor, staffOverride(hc, input.override)),
    'holds.cancel': (input, hc) => s.holds.cancel(input.holdId, hc.actor),
    'holds.suspend': (input, hc) => s.holds.suspend(input.holdId, input.until, hc.actor),
    'holds.clearExpired': (_input, hc) => s.holds.clearExpired(hc.actor),
    'holds.queue': (input) => s.holds.queue(input.recordId),
    'holds.toPull': () => s.holds.toPull(),
    'holds.shelf': () => s.holds.shelf(),
  };
}
