// The station API's session methods (src/api/contract/session.ts), each turned into a service call.
import type { sessionApi } from '../../api/contract/session';
import type { HandlerDeps, HandlersOf } from './types';

export function sessionHandlers({ s, devices, hooks, ok }: HandlerDeps): HandlersOf<typeof sessionApi> {
  return {
    'system.health': () => ({
      ok: true,
      version: s.version,
      stationId: s.ctx.stationId,
      configured: s.admin.isConfigured(),
    }),
    'setup.status': () => {
      const configured = s.admin.isConfigured();
      const cfg = s.ctx.config.get();
      const branch = configured ? cfg.branches.get(s.ctx.identity().branchId) : undefined;
      return {
        configured,
        loadingLibrary: hooks.loadingLibrary(),
        barcodes: cfg.settings.barcodes,
        libraryName: configured ? cfg.settings.name : null,
        branchName: branch?.name ?? null,
        locale: cfg.settings.locale,
        currency: cfg.settings.currency,
        timeZone: branch?.timeZone ?? null,
        kiosk: cfg.settings.kiosk,
        wedge: devices.settings().wedge,
        receiptPrinter: devices.printsReceipts,
      };
    },
    'setup.initialize': (input) => s.admin.initialize(input),
    'setup.join': async (input) => {
      await hooks.join(input);
      return { joined: true as const };
    },
    'auth.signIn': (input, hc) => s.auth.signIn(input.username, input.password, hc.address),
    'auth.signOut': (_input, hc) => {
      if (hc.sessionToken) s.auth.signOut(hc.sessionToken);
      return ok;
    },
    'auth.session': (_input, hc) => {
      const session = hc.session;
      if (!session) return { kind: 'none', staff: null, permissions: [], patronId: null };
      if (session.kind === 'kiosk') return { kind: 'kiosk', staff: null, permissions: [], patronId: session.patronId };
      return { kind: 'staff', staff: session.staff, permissions: [...session.permissions], patronId: null };
    },
    'auth.verifySupervisor': (input, hc) =>
      s.auth.verifySupervisor(input.username, input.password, hc.sessionToken, hc.address),
  };
}
