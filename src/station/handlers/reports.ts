// The station API's reports methods (src/api/contract/reports.ts), each turned into a service call.
import type { reportsApi } from '../../api/contract/reports';
import type { HandlerDeps, HandlersOf } from './types';

export function reportsHandlers({ s }: HandlerDeps): HandlersOf<typeof reportsApi> {
  return {
    'reports.today': () => s.reports.today(),
    'reports.overdue': () => s.reports.overdue(),
    'reports.statistics': (input) => s.reports.statistics(input),
    'reports.inTransit': () => s.reports.inTransit(),
  };
}
