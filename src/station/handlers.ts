// The station API, method by method: each handler turns a validated input and the caller's
// session into a service call. Authorisation by permission happens before (core.ts); the
// services check what depends on the data (a kiosk patron acting only for themselves).
import type { ApiInput, ApiName } from '../api/contract';
import type { Actor } from '../services/command';
import type { GrantedOverride } from '../services/circulation';
import type { Session } from '../services/auth';
import type { RefusalCode } from '../domain/types';
import type { StationServices } from './services';
import type { StationDevices } from './devices';
import type { Slip } from '../devices/slips/types';
import { patronOnSlip } from '../devices/slips/types';
import { ServiceError } from '../services/errors';
import type { FollowUpFailed } from '../api/schemas';
import { buildOfflineExport, markExported } from '../services/import/offline-export';
import { ImportJobs } from './imports';
import { exportPatrons } from '../services/import/patrons-csv';

/**
 * Runs work that follows a committed command (a slip, a receipt): the command is done whatever
 * happens here, so a failure is logged and handed back for the answer to say, never thrown
 * (thrown, the desk would read it as "nothing was changed" and take the money again).
 */
function followUp<T>(code: FollowUpFailed['code'], work: () => T): { ok: true; value: T } | { ok: false; failed: FollowUpFailed } {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    // The error's own words (a printer's, Intl's): no patron data goes into a slip's error.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`station: ${code} after a committed command: ${message}`);
    return { ok: false, failed: { code, message: `The command is done; its slip could not be printed (${message}).` } };
  }
}

/** A print asked for on its own (a test page, a check-out slip): a clear refusal, not a defect. */
function printError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  return new ServiceError('PRINT_FAILED', `The slip could not be printed: ${error instanceof Error ? error.message : String(error)}`);
}

export interface HandlerContext {
  session: Session | null;
  actor: Actor;
  sessionToken: string | null;
  /** Who granted this command to an account lacking its permission (a supervisor's credentials on the spot), checked by the core. */
  grantedBy?: string | null;
  /** The caller is on the station's own machine (CallContext.local). */
  local?: boolean;
}

/**
 * What status.get tells a caller without a staff session: enough for the first-load progress
 * screen (state, reachable, progress, the clock), not where the hub is nor how much work waits to
 * go to it. The last sync error often names the hub's address: only on this machine.
 */
const PUBLIC_SYNC_FACTS = ['state', 'configured', 'running', 'reachable', 'lastSuccessAt', 'clockOffsetMs', 'clockWarning', 'pulled', 'initialLoad'] as const;
function publicStatus(status: ReturnType<StationServices['status']>, local: boolean) {
  const sync: Record<string, unknown> = {};
  for (const key of PUBLIC_SYNC_FACTS) if (key in status.sync) sync[key] = status.sync[key];
  if (local && 'lastError' in status.sync) sync.lastError = status.sync.lastError;
  return { sync, devices: status.devices, exceptionsOpen: status.exceptionsOpen };
}

function sip2Settings(s: StationServices) {
  const state = s.sip2.state();
  return { ...s.sip2.settings(), listening: state.listening, listeningPort: state.port, connections: state.connections, error: state.error };
}

type Handler<N extends ApiName> = (input: ApiInput<N>, hc: HandlerContext) => unknown;
export type Handlers = { [N in ApiName]: Handler<N> };

/** What the handlers need from the process around the core: joining a hub starts its sync worker. */
export interface CoreHooks {
  join(input: { hubUrl: string; code: string; stationName: string }): Promise<void>;
  loadingLibrary(): boolean;
  /** One sync round now; the state after it (or not_configured). */
  syncNow(): Promise<Record<string, unknown>>;
}

const NO_HUB_HOOKS: CoreHooks = {
  join: () => Promise.reject(new ServiceError('NOT_CONFIGURED', 'This station cannot join a hub from here; start it with --join.')),
  loadingLibrary: () => false,
  syncNow: () => Promise.resolve({ state: 'not_configured' }),
};

export function createHandlers(s: StationServices, devices: StationDevices, hooks: CoreHooks = NO_HUB_HOOKS): Handlers {
  const grant = (o: { token: string; codes: string[] } | undefined, sessionToken: string | null): GrantedOverride | undefined =>
    o ? { codes: o.codes as RefusalCode[], grantedBy: s.auth.redeemOverride(o.token, sessionToken) } : undefined;
  const ok = { ok: true as const };
  const imports = new ImportJobs(s);
  const staffOverride = (hc: HandlerContext, o: { token: string; codes: string[] } | undefined) => (hc.actor.kind === 'kiosk' ? undefined : grant(o, hc.sessionToken));

  /** A committed step's answer with its slip: printed on the receipt printer if there is one, and as HTML for the system printer. */
  const withSlip = <T extends object>(result: T, made: ReturnType<typeof followUp<{ slip: Slip; html: string } | null>>) => {
    if (!made.ok) return { ...result, printJob: null, slipHtml: null, followUpFailed: made.failed };
    if (!made.value) return { ...result, printJob: null, slipHtml: null };
    const { slip, html } = made.value;
    const printed = followUp('SLIP_NOT_PRINTED', () => devices.print(slip));
    return printed.ok ? { ...result, printJob: printed.value, slipHtml: html } : { ...result, printJob: null, slipHtml: html, followUpFailed: printed.failed };
  };
  /** A package leaves (a lent copy, or a borrowed one going back): its ILL slip prints by itself. */
  const illShipped = <T extends Parameters<StationDevices['illSlip']>[0]>(request: T) =>
    withSlip(
      request,
      followUp('SLIP_NOT_PRINTED', () => {
        const slip = devices.illSlip(request);
        return { slip, html: devices.manager.renderSlipHtml(slip) };
      }),
    );

  return {
    'system.health': () => ({ ok: true, version: s.version, stationId: s.ctx.stationId, configured: s.admin.isConfigured() }),
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
    'auth.signIn': (input) => s.auth.signIn(input.username, input.password),
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
    'auth.kioskSignIn': (input) => s.auth.kioskSignIn(input.cardBarcode, input.pin),
    'auth.verifySupervisor': (input, hc) => s.auth.verifySupervisor(input.username, input.password, hc.sessionToken),
    'auth.clearLockout': (input, hc) => s.auth.clearPatronLockout(input.patronId, hc.actor),

    'circulation.checkout': (input, hc) =>
      s.circulation.checkout({ patronBarcode: input.patronBarcode, itemBarcode: input.itemBarcode }, hc.actor, staffOverride(hc, input.override)),
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
      return printed.ok ? { ...result, hold, printJob: printed.value, slipHtml: html } : { ...result, hold, printJob: null, slipHtml: html, followUpFailed: printed.failed };
    },
    'circulation.renew': (input, hc) => s.circulation.renew({ itemBarcode: input.itemBarcode }, hc.actor, staffOverride(hc, input.override)),
    'circulation.renewAll': (input, hc) => s.circulation.renewAll(input, hc.actor),

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

    'fees.list': (input) => s.fees.list(input.patronId),
    'fees.history': (input) => s.fees.history(input.patronId),
    'fees.pay': (input, hc) => {
      const paid = s.fees.pay(input, hc.actor);
      // Committed: the money is taken. The receipt (and the drawer) follow, or the answer says they did not.
      // The receipt's HTML goes back too: the desk prints it on the system printer when there is no
      // receipt printer, and can print it again.
      const made = followUp('RECEIPT_NOT_PRINTED', () => {
        const slip = devices.paymentSlip(input.patronId, paid);
        return { slip, html: devices.manager.renderSlipHtml(slip) };
      });
      if (!made.ok) return { ...paid, receiptHtml: null, followUpFailed: made.failed };
      if (!devices.hasPrinter) return { ...paid, receiptHtml: made.value.html };
      const cash = paid.method === 'cash';
      const printed = followUp('RECEIPT_NOT_PRINTED', () => devices.print(made.value.slip, cash));
      return printed.ok ? { ...paid, receiptHtml: made.value.html } : { ...paid, receiptHtml: made.value.html, followUpFailed: printed.failed };
    },
    'fees.waive': (input, hc) => s.fees.waive({ feeId: input.feeId, reason: input.reason, amount: input.amount }, hc.actor, hc.grantedBy ?? undefined),
    'fees.charge': (input, hc) => s.fees.charge(input, hc.actor),

    'holds.place': (input, hc) => s.holds.place(input, hc.actor, staffOverride(hc, input.override)),
    'holds.cancel': (input, hc) => s.holds.cancel(input.holdId, hc.actor),
    'holds.suspend': (input, hc) => s.holds.suspend(input.holdId, input.until, hc.actor),
    'holds.clearExpired': (_input, hc) => s.holds.clearExpired(hc.actor),
    'holds.queue': (input) => s.holds.queue(input.recordId),
    'holds.toPull': () => s.holds.toPull(),
    'holds.shelf': () => s.holds.shelf(),

    'catalogue.search': (input) => s.catalogue.search(input.query, input.limit),
    'catalogue.record': (input) => s.catalogue.record(input.recordId),
    'catalogue.item': (input) => s.catalogue.itemByBarcode(input.barcode),
    'catalogue.addRecord': (input, hc) =>
      s.catalogue.addRecord(
        {
          title: input.title,
          author: input.author ?? null,
          isbn: input.isbn ?? null,
          issn: input.issn ?? null,
          publisher: input.publisher ?? null,
          year: input.year ?? null,
          callNumber: input.callNumber ?? null,
        },
        hc.actor,
      ),
    'catalogue.updateRecord': (input, hc) => s.catalogue.updateRecord(input.recordId, input.changes, hc.actor),
    'catalogue.addItem': (input, hc) => s.catalogue.addItem(input, hc.actor),
    'catalogue.findIsbn': (input) => s.catalogue.findIsbn(input.isbn),
    'catalogue.updateItem': (input, hc) => s.catalogue.updateItem(input.itemId, input.changes, hc.actor),
    'catalogue.deleteItem': (input, hc) => {
      s.catalogue.deleteItem(input.itemId, hc.actor);
      return { ok: true as const };
    },
    'catalogue.deleteRecord': (input, hc) => {
      s.catalogue.deleteRecord(input.recordId, hc.actor);
      return { ok: true as const };
    },
    'catalogue.setItemStatus': (input, hc) => s.catalogue.setItemStatus(input.itemBarcode, input.change, hc.actor),
    'catalogue.inHouseUse': (input, hc) => s.catalogue.inHouseUse(input.itemBarcode, hc.actor),

    'copyCatalogue.targets': () => s.copyCataloguing.targets().map((t) => ({ id: t.id, name: t.name, kind: t.kind })),
    'copyCatalogue.search': (input) => s.copyCataloguing.search(input.targetId, input.by, input.term, input.start),
    'copyCatalogue.import': (input, hc) => s.copyCataloguing.import(input.marcxml, hc.actor),
    'labels.pdf': async (input) => {
      const made = await s.labels.pdf(input);
      return { pdfBase64: made.pdf.toString('base64'), pages: made.pages, labels: made.labels, barcodes: made.barcodes };
    },

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
      const out = buildOfflineExport(s.ctx, input.format, { from: input.from, to: input.to, again: input.again ?? false, generatorVersion: s.version });
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
    'notices.settings': () => s.notices.view(),
    'notices.saveSettings': (input, hc) => s.notices.saveSettings(input.settings, hc.actor, input.smtpPassword),
    'notices.preview': (input) => s.notices.preview(input.template, input.language),
    'notices.run': () => s.notices.run(),
    'notices.status': () => {
      const settings = s.notices.settings();
      return { counts: s.notices.counts(), attention: s.notices.needingAttention(), isSender: s.notices.isSender(settings), enabled: settings.enabled };
    },
    'notices.forPatron': (input) => s.notices.forPatron(input.patronId),
    'notices.letters': () => s.notices.lettersPage(),
    'notices.markPrinted': (input, hc) => ({ printed: s.notices.markPrinted(input.ids, hc.actor) }),
    'notices.retry': (input, hc) => s.notices.retry(input.id, hc.actor),
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

    'devices.get': () => ({ config: devices.settings(), states: devices.manager.list().map((d) => ({ ...d })), jobs: devices.manager.printJobs().map((j) => ({ ...j })) }),
    'devices.configure': (input) => devices.configure(input),
    'devices.testPrint': (input) => {
      const named = input.printerId === undefined || devices.settings().printers.some((p) => p.id === input.printerId);
      if (!devices.hasPrinter || !named) {
        throw new ServiceError('NO_PRINTER', input.printerId ? 'This station has no printer by that name.' : 'This station has no receipt printer set up.');
      }
      try {
        return { jobId: devices.manager.testPrint(input.printerId).id };
      } catch (error) {
        throw printError(error);
      }
    },
    'devices.preview': (input) => {
      const printer = devices.settings().printers.find((p) => p.id === input.printerId) ?? devices.settings().printers[0];
      const columns = printer?.columns ?? 48;
      const patron = patronOnSlip('Ana', '20234000000019', devices.settings().slips.cardDigits);
      const at = '2026-11-22 10:00';
      const samples: Record<typeof input.kind, Slip> = {
        checkout: { kind: 'checkout', patron, at, lines: [{ title: 'Cien años de soledad', barcode: '30234000000012', detail: '2026-12-13' }] },
        checkin: { kind: 'checkin', at, lines: [{ title: 'Cien años de soledad', barcode: '30234000000012', detail: 'OK' }] },
        hold: { kind: 'hold', patron, pickupBranch: 'Main', shelfExpires: '2026-11-29', title: 'Cien años de soledad', itemBarcode: '30234000000012' },
        transit: { kind: 'transit', destinationBranch: 'North', title: 'Cien años de soledad', itemBarcode: '30234000000012', at },
        payment: { kind: 'payment', patron, at, paid: '$4.00', tendered: '$5.00', change: '$1.00', remaining: '$0.00' },
        ill: { kind: 'ill', purpose: 'lend', toLibrary: 'Hill County Library', agencyId: 'ISIL:US-HCL', requestId: 'HCL-2026-77', fromLibrary: devices.settings().slips.libraryName || 'Library', title: 'Cien años de soledad', itemBarcode: '30234000000012', dueBack: '20 Dec 2026', at },
      };
      return { columns, lines: devices.manager.renderSlipText(samples[input.kind], columns) };
    },
    'slips.checkout': (input, hc) => {
      const summary = s.patrons.lookup(input.patronBarcode, hc.actor);
      const wanted = new Set(input.loanIds);
      const loans = summary.loans.filter((l) => wanted.has(l.loanId));
      let slip: Slip;
      let html: string;
      try {
        slip = devices.checkoutSlip(input.patronBarcode, loans);
        html = devices.manager.renderSlipHtml(slip);
      } catch (error) {
        throw printError(error);
      }
      const printed = followUp('SLIP_NOT_PRINTED', () => devices.print(slip));
      return printed.ok ? { jobId: printed.value, html } : { jobId: null, html, followUpFailed: printed.failed };
    },

    'ill.list': (input) => s.ill.list(input),
    'ill.get': (input) => s.ill.get(input.id),
    'ill.pullList': () => s.ill.pullList(),
    'ill.forPatron': (input, hc) => {
      // The kiosk shows a patron their own requests, no one else's.
      if (hc.actor.kind === 'kiosk' && hc.actor.patronId !== input.patronId) throw new ServiceError('FORBIDDEN', 'A kiosk session acts only for the patron who signed in.');
      return s.ill.forPatron(input.patronId);
    },
    'ill.requestBorrowing': (input, hc) => s.ill.requestBorrowing(input, hc.actor),
    'ill.send': (input, hc) => s.ill.send(input.id, hc.actor),
    'ill.markShipped': (input, hc) => s.ill.markShipped(input.id, input.lenderDueOn ?? null, hc.actor),
    'ill.receive': (input, hc) => {
      const received = s.ill.receive(input.id, { lenderDueOn: input.lenderDueOn, itemTypeCode: input.itemTypeCode ?? null }, hc.actor);
      // Committed. The patron's hold on the copy is trapped: its hold slip prints, as at check-in.
      if (!received.hold || !received.itemBarcode) return received;
      const made = followUp('SLIP_NOT_PRINTED', () => {
        const slip = devices.slipForCheckin({ action: 'hold_waiting', title: received.title, itemBarcode: received.itemBarcode!, destinationBranch: null, hold: received.hold });
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

    'reports.today': () => s.reports.today(),
    'reports.overdue': () => s.reports.overdue(),
    'reports.statistics': (input) => s.reports.statistics(input),
    'reports.inTransit': () => s.reports.inTransit(),

    'shelf.scan': (input, hc) => s.shelf.scan(input, hc.actor),
    'shelf.missing': (input) => s.shelf.missingInRange(input),
    'shelf.notSeen': (input) => s.shelf.notSeenSince(input),

    'sync.exceptions': (input) => s.exceptions.list(input.includeResolved ?? false),
    'sync.resolveException': (input, hc) => ({ resolved: s.exceptions.resolve(input.id, hc.actor.staffId, input.note ?? null) }),

    'status.get': (_input, hc) => (hc.session?.kind === 'staff' ? s.status() : publicStatus(s.status(), hc.local === true)),
    'sync.now': () => hooks.syncNow(),
  };
}
