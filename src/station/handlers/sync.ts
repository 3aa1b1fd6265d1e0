// The station API's sync methods (src/api/contract/sync.ts), each turned into a service call.
import type { syncApi } from '../../api/contract/sync';
import type { HandlerDeps, HandlersOf } from './types';
import type { StationServices } from '../services';

/**
 * What status.get tells a caller without a staff session: enough for the first-load progress
 * screen (state, reachable, progress, the clock), not where the hub is nor how much work waits to
 * go to it. The last sync error often names the hub's address: only on this machine.
 */
const PUBLIC_SYNC_FACTS = [
  'state',
  'configured',
  'running',
  'reachable',
  'lastSuccessAt',
  'clockOffsetMs',
  'clockWarning',
  'pulled',
  'initialLoad',
] as const;
function publicStatus(status: ReturnType<StationServices['status']>, local: boolean) {
  const sync: Record<string, unknown> = {};
  for (const key of PUBLIC_SYNC_FACTS) if (key in status.sync) sync[key] = status.sync[key];
  if (local && 'lastError' in status.sync) sync.lastError = status.sync.lastError;
  return { sync, devices: status.devices, exceptionsOpen: status.exceptionsOpen };
}

export function syncHandlers({ s, hooks }: HandlerDeps): HandlersOf<typeof syncApi> {
  return {
    'sync.exceptions': (input) => s.exceptions.list(input.includeResolved ?? false),
    'sync.resolveException': (input, hc) => ({
      resolved: s.exceptions.resolve(input.id, hc.actor.staffId, input.note ?? null),
    }),
    'status.get': (_input, hc) =>
      hc.session?.kind === 'staff' ? s.status() : publicStatus(s.status(), hc.local === true),
    'sync.now': () => hooks.syncNow(),
  };
}
