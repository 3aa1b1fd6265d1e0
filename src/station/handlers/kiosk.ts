// The station API's kiosk methods (src/api/contract/kiosk.ts), each turned into a service call.
import type { kioskApi } from '../../api/contract/kiosk';
import type { HandlerDeps, HandlersOf } from './types';

export function kioskHandlers({ s }: HandlerDeps): HandlersOf<typeof kioskApi> {
  return {
    'auth.kioskSignIn': (input, hc) => s.auth.kioskSignIn(input.cardBarcode, input.pin, hc.address),
  };
}
