// The station API, method by method: each handler turns a validated input and the caller's
// session into a service call. Authorisation by permission happens before (core.ts); the
// services check what depends on the data (a kiosk patron acting only for themselves).
//
// The handlers are written by area, beside the contract's areas (src/api/contract/<area>.ts);
// each area's table is typed against its methods (./types.ts), and this one is the whole API.
import { ServiceError } from '../../services/errors';
import type { StationServices } from '../services';
import type { StationDevices } from '../devices';
import { handlerDeps } from './support';
import type { CoreHooks, Handlers } from './types';
import { sessionHandlers } from './session';
import { kioskHandlers } from './kiosk';
import { circulationHandlers } from './circulation';
import { holdsHandlers } from './holds';
import { patronsHandlers } from './patrons';
import { feesHandlers } from './fees';
import { catalogueHandlers } from './catalogue';
import { adminHandlers } from './admin';
import { noticesHandlers } from './notices';
import { reportsHandlers } from './reports';
import { illHandlers } from './ill';
import { devicesHandlers } from './devices';
import { syncHandlers } from './sync';

export type { CoreHooks, Handler, HandlerContext, Handlers, HandlersOf } from './types';

const NO_HUB_HOOKS: CoreHooks = {
  join: () =>
    Promise.reject(
      new ServiceError('NOT_CONFIGURED', 'This station cannot join a hub from here; start it with --join.'),
    ),
  loadingLibrary: () => false,
  syncNow: () => Promise.resolve({ state: 'not_configured' }),
};

export function createHandlers(s: StationServices, devices: StationDevices, hooks: CoreHooks = NO_HUB_HOOKS): Handlers {
  const deps = handlerDeps(s, devices, hooks);
  return {
    ...sessionHandlers(deps),
    ...kioskHandlers(deps),
    ...circulationHandlers(deps),
    ...holdsHandlers(deps),
    ...patronsHandlers(deps),
    ...feesHandlers(deps),
    ...catalogueHandlers(deps),
    ...adminHandlers(deps),
    ...noticesHandlers(deps),
    ...reportsHandlers(deps),
    ...illHandlers(deps),
    ...devicesHandlers(deps),
    ...syncHandlers(deps),
  };
}
