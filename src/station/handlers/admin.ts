// The station API's admin methods (src/api/contract/admin.ts), each turned into a service call.
import type { adminApi } from '../../api/contract/admin';
import type { HandlerDeps, HandlersOf } from './types';
import { buildOfflineExport, markExported } from '../../services/import/offline-export';
import { exportPatrons } from '../../services/import/patrons-csv';
import type { StationServices } from '../services';

function sip2Settings(s: StationServices) {
  const state = s.sip2.state();
  return {
    ...s.sip2.settings(),
    listening: state.listening,
    listeningPort: state.port,
    connections: state.connections,
    error: state.error,
  };
}

export function adminHandlers({ s, ok, imports }: HandlerDeps): HandlersOf<typeof adminApi> {
  return {
    'settings.get': () => s.admin.settings(),
    'settings.update': (input, hc) => s.admin.updateSettings(input, hc.actor),
    'branches.list': () => [...s.ctx.config.get().branches.values()],
    'branches.save': (input, hc) => s.admin.saveBranch(input, hc.actor),
    'calendar.list': (input) => s.admin.listClosedDays(input.branchId),
    'calendar.addClosedDay': (input, hc) => s.admin.addClosedDay(input.branchId, input.day, hc.actor),
    'calendar.removeClosedDay': (input, hc) => {
      s.admin.removeClosedDay(input.id, hc.actor);
      return ok;
    },
    'categories.list': () => [...s.ctx.config.get().categories.values()],
    'categories.save': (input, hc) => s.admin.saveCategory(input, hc.actor),
    'import.upload': (input) => imports.upload(input),
    'import.start': (input, hc) => imports.start(input, hc.actor),
    'import.status': (input) => imports.status(input.jobId),
    'export.patrons': async () => {
      const parts: string[] = [];
      const r = await exportPatrons(s.ctx, async (chunk) => void parts.push(chunk));
      return { csv: parts.join(''), patrons: r.patrons };
    },
    'export.offline': (input) => {
      const out = buildOfflineExport(s.ctx, input.format, {
        from: input.from,
        to: input.to,
        again: input.again ?? false,
        generatorVersion: s.version,
      });
      // The desk saves the file the moment it has the answer; the entries count as exported from then.
      markExported(s.ctx, input.format, out.entries);
      return { text: out.text, transactions: out.transactions, skipped: out.skipped.length };
    },
    'itemTypes.list': () => [...s.ctx.config.get().itemTypes.values()],
    'itemTypes.save': (input, hc) => s.admin.saveItemType(input, hc.actor),
    'rules.list': () => s.admin.rulesMatrix(),
    'rules.save': (input, hc) => s.admin.saveRule(input, hc.actor),
    'rules.saveLimits': (input, hc) => s.admin.savePatronLimits(input, hc.actor),
    'rules.saveReturnPolicy': (input, hc) => s.admin.saveBranchItemPolicy(input, hc.actor),
    'rules.delete': (input, hc) => {
      s.admin.deleteRule(input.id, hc.actor);
      return ok;
    },
    'sip2.accounts': () => s.sip2.list(),
    'sip2.saveAccount': (input, hc) => s.sip2.save(input, hc.actor),
    'sip2.removeAccount': (input, hc) => {
      s.sip2.remove(input.id, hc.actor);
      return ok;
    },
    'sip2.settings': () => sip2Settings(s),
    'sip2.saveSettings': (input) => {
      s.sip2.saveSettings(input);
      return sip2Settings(s);
    },
    'staff.list': () => s.admin.listStaff(),
    'staff.save': (input, hc) => s.admin.saveStaff(input, hc.actor),
  };
}
