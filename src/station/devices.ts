// The station's printers and scanners, joined to circulation: scans become events on the
// station API, a trapped hold or a transfer prints its slip the moment the item is checked in,
// a cash payment opens the drawer and prints its receipt. Device settings are this station's own
// (station_state), not library data: they never sync.
import { classifyBarcode } from '../domain/barcode';
import { formatMoney } from '../domain/money';
import { localDateOf } from '../domain/time';
import { DevicesConfig } from '../devices/config';
import { refusedPrinterPath } from '../devices/device-file';
import { DeviceManager } from '../devices/manager';
import { InvalidFields, type FieldIssue } from '../services/errors';
import { patronOnSlip, type Slip, type SlipPatron } from '../devices/slips/types';
import type { StationEvent } from '../api/contract';
import type { StationServices } from './services';

const KEY = 'devices';

export class StationDevices {
  manager: DeviceManager;
  private config: DevicesConfig;

  constructor(
    private readonly s: StationServices,
    private readonly emit: (event: StationEvent) => void,
  ) {
    this.config = this.load();
    this.manager = this.build();
    s.statusProviders.devices = () => this.manager.list().map((d) => ({ ...d }));
  }

  private load(): DevicesConfig {
    const stored = this.s.ctx.readState(KEY);
    try {
      return DevicesConfig.parse(stored ? JSON.parse(stored) : {});
    } catch {
      // A damaged setting must not stop the desk: run without devices and say so in the log.
      console.warn('device settings could not be read; starting without devices');
      return DevicesConfig.parse({});
    }
  }

  private build(): DeviceManager {
    const manager = new DeviceManager(this.config, {
      classify: (barcode) => classifyBarcode(this.s.ctx.config.get().settings.barcodes, barcode),
      libraryName: () => this.s.ctx.config.get().settings.name,
    });
    manager.onScan((scan) =>
      this.emit({
        type: 'scan',
        barcode: scan.barcode,
        kind: scan.kind,
        deviceId: scan.deviceId,
        ...(scan.symbology ? { symbology: scan.symbology } : {}),
      }),
    );
    manager.onState((state) => this.emit({ type: 'device', deviceId: state.id, state: { ...state } }));
    return manager;
  }

  async start(): Promise<void> {
    await this.manager.start();
  }

  async stop(): Promise<void> {
    await this.manager.stop();
  }

  settings(): DevicesConfig {
    return this.config;
  }

  async configure(input: unknown): Promise<DevicesConfig> {
    const next = DevicesConfig.parse(input);
    // Refused before anything is saved or restarted: the settings stay as they were.
    const refused = await refusedPrinterPaths(next);
    if (refused.length > 0) throw new InvalidFields(refused);
    this.s.ctx.writeState(KEY, JSON.stringify(next));
    await this.manager.stop();
    this.config = next;
    this.manager = this.build();
    await this.manager.start();
    // Devices taken away say nothing of themselves: tell the desk the set changed (deviceId '*'),
    // so the status bar and the devices screen read the new list at once.
    this.emit({ type: 'device', deviceId: '*', state: { reconfigured: true } });
    return next;
  }

  get hasPrinter(): boolean {
    return this.config.printers.length > 0;
  }

  /**
   * Whether a receipt can be printed: there is a receipt printer and it is not refused (a USB
   * path that is not a device file never prints). One that is only unplugged still counts: its
   * job waits for it. The kiosk offers a paper receipt only then.
   */
  get printsReceipts(): boolean {
    const first = this.config.printers[0];
    return !!first && this.manager.list().find((d) => d.id === first.id)?.status !== 'error';
  }

  /**
   * The locale a slip's dates and money are written in: the slip's language with the library's
   * regional conventions (es-US for Spanish slips at an en-US library), as the desk's one
   * formatter does (renderer/format.ts deskLocale). "22 dic 2026", never "12/22/2026" or ISO.
   */
  private slipLocale(): string {
    const libraryLocale = this.s.ctx.config.get().settings.locale;
    try {
      const library = new Intl.Locale(libraryLocale);
      const language = this.config.slips.language;
      return library.language === language
        ? library.toString()
        : new Intl.Locale(language, library.region ? { region: library.region } : {}).toString();
    } catch {
      return libraryLocale;
    }
  }

  private now(): { date: string; locale: string; tz: string } {
    const cfg = this.s.ctx.config.get();
    const tz = cfg.branches.get(this.s.ctx.identity().branchId)?.timeZone ?? 'UTC';
    const locale = this.slipLocale();
    return {
      date: new Intl.DateTimeFormat(locale, { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(
        this.s.ctx.now(),
      ),
      locale,
      tz,
    };
  }

  /** A calendar day (2026-11-29) as the slip's reader says it, "29 nov 2026" in Spanish, never the raw ISO form. */
  private slipDay(day: string): string {
    const at = Date.parse(`${day}T12:00:00Z`);
    return Number.isNaN(at)
      ? day
      : new Intl.DateTimeFormat(this.slipLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
  }

  /** The holder as a slip names them (and the desk's check-in row too): no more than the slip settings allow. */
  slipPatron(patronId: string): SlipPatron {
    const p = this.s.patrons.require(patronId);
    return patronOnSlip(p.firstName, p.cardBarcode, this.config.slips.cardDigits);
  }

  /** After a check-in: the hold slip or the transit slip, printed at once. */
  slipForCheckin(result: {
    action: string;
    title: string;
    itemBarcode: string;
    destinationBranch: { name: string } | null;
    hold: { patronId: string; pickupBranchId: string; shelfExpiresOn: string | null } | null;
  }): Slip | null {
    const cfg = this.s.ctx.config.get();
    if (result.hold && result.action === 'hold_waiting') {
      return {
        kind: 'hold',
        patron: this.slipPatron(result.hold.patronId),
        pickupBranch: cfg.branches.get(result.hold.pickupBranchId)?.name ?? '',
        shelfExpires: result.hold.shelfExpiresOn ? this.slipDay(result.hold.shelfExpiresOn) : '',
        title: result.title,
        itemBarcode: result.itemBarcode,
      };
    }
    if (result.destinationBranch && (result.action === 'transit' || result.action === 'hold_transit')) {
      return {
        kind: 'transit',
        destinationBranch: result.destinationBranch.name,
        title: result.title,
        itemBarcode: result.itemBarcode,
        at: this.now().date,
        ...(result.action === 'hold_transit' && result.hold ? { holdFor: this.slipPatron(result.hold.patronId) } : {}),
      };
    }
    return null;
  }

  /** The slip that goes in an interlibrary loan package: where it goes, which request, when it is due back. */
  illSlip(request: {
    direction: 'borrowing' | 'lending';
    partnerName: string;
    partnerAgencyId: string;
    requestingRequestId: string;
    title: string;
    itemBarcode: string | null;
    lenderDueOn: string | null;
  }): Slip {
    const cfg = this.s.ctx.config.get();
    return {
      kind: 'ill',
      purpose: request.direction === 'lending' ? 'lend' : 'return',
      toLibrary: request.partnerName,
      agencyId: request.partnerAgencyId,
      requestId: request.requestingRequestId,
      fromLibrary: cfg.settings.name,
      title: request.title,
      itemBarcode: request.itemBarcode,
      dueBack: request.lenderDueOn ? this.slipDay(request.lenderDueOn) : null,
      at: this.now().date,
    };
  }

  checkoutSlip(patronBarcode: string, loans: { title: string; itemBarcode: string; dueAt: number }[]): Slip {
    const p = this.s.patrons.lookup(patronBarcode).patron;
    const { date, locale, tz } = this.now();
    return {
      kind: 'checkout',
      patron: patronOnSlip(p.firstName, p.cardBarcode, this.config.slips.cardDigits),
      at: date,
      lines: loans.map((l) => ({
        title: l.title,
        barcode: l.itemBarcode,
        detail: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: tz }).format(l.dueAt),
      })),
    };
  }

  paymentSlip(
    patronId: string,
    r: {
      applied: number;
      tendered: number;
      change: number;
      currency: string;
      remainingOwed: number;
      method?: 'cash' | 'card' | 'cheque' | 'other';
      reference?: string | null;
      lines?: { amount: number; description: string; title: string | null; itemBarcode: string | null }[];
    },
  ): Slip {
    const p = this.s.patrons.require(patronId);
    const { date, locale } = this.now();
    const m = (x: number) => formatMoney(x, r.currency, locale);
    return {
      kind: 'payment',
      patron: patronOnSlip(p.firstName, p.cardBarcode, this.config.slips.cardDigits),
      at: date,
      paid: m(r.applied),
      tendered: m(r.tendered),
      change: m(r.change),
      remaining: m(r.remainingOwed),
      ...(r.method ? { method: r.method } : {}),
      ...(r.reference ? { reference: r.reference } : {}),
      // Each fee paid, named as the desk names it: the copy's title and barcode, or the charge's reason.
      ...(r.lines
        ? {
            lines: r.lines.map((l) => ({
              title: l.title ?? l.description,
              barcode: l.itemBarcode ?? '',
              detail: m(l.amount),
            })),
          }
        : {}),
    };
  }

  /** Prints if a printer is set; returns the job id, or null when there is no receipt printer (the desktop prints HTML). */
  print(slip: Slip, kickDrawer = false): number | null {
    if (!this.hasPrinter) return null;
    return this.manager.print(slip, { kickDrawer }).id;
  }

  today(): string {
    const { tz } = this.now();
    return localDateOf(this.s.ctx.now(), tz);
  }
}

/**
 * USB printers whose path is there but is not a character device (station.db, a directory, a
 * link to a file): each an issue at its path field. The device file is checked again each time
 * it is opened (src/devices/device-file.ts); this is for a clear answer on the settings form.
 */
async function refusedPrinterPaths(config: DevicesConfig): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  for (const [i, p] of config.printers.entries()) {
    if (p.connection.kind !== 'usb-file') continue;
    const refused = await refusedPrinterPath(p.connection.path);
    if (refused) {
      issues.push({
        path: `printers.${i}.connection.path`,
        message: refused.message,
        reason: 'notCharacterDevice',
        params: { path: refused.path, found: refused.kind, link: refused.viaLink ? 1 : 0 },
      });
    }
  }
  return issues;
}
