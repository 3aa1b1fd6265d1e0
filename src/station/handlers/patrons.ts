// The station API's patrons methods (src/api/contract/patrons.ts), each turned into a service call.
import type { patronsApi } from '../../api/contract/patrons';
import type { HandlerDeps, HandlersOf } from './types';

export function patronsHandlers({ s, ok }: HandlerDeps): HandlersOf<typeof patronsApi> {
  return {
    'auth.clearLockout': (input, hc) => s.auth.clearPatronLockout(input.patronId, hc.actor),
    'patrons.lookup': (input, hc) => s.patrons.lookup(input.barcode, hc.actor),
    'patrons.get': (input) => s.patrons.summary(input.patronId),
    'patrons.search': (input) => s.patrons.search(input.query),
    'patrons.register': (input, hc) => s.patrons.register(input, hc.actor),
    'patrons.update': (input, hc) => s.patrons.update(input.patronId, input.changes, hc.actor),
    'patrons.renewCard': (input, hc) => s.patrons.renewCard(input.patronId, hc.actor),
    'patrons.replaceCard': (input, hc) => s.patrons.replaceCard(input.patronId, input.cardBarcode, hc.actor),
    'patrons.setPin': (input, hc) => {
      s.patrons.setPin(input.patronId, input.pin, hc.actor);
      return ok;
    },
    'patrons.addBlock': (input, hc) => s.patrons.addBlock(input.patronId, input, hc.actor),
    'patrons.removeBlock': (input, hc) => {
      s.patrons.removeBlock(input.blockId, hc.actor);
      return ok;
    },
    'patrons.readingHistory': (input) => s.patrons.readingHistory(input.patronId),
  };
}
