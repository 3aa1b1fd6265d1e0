// The station API's devices methods (src/api/contract/devices.ts), each turned into a service call.
import type { devicesApi } from '../../api/contract/devices';
import type { HandlerDeps, HandlersOf } from './types';
import { followUp, printError } from './support';
import { ServiceError } from '../../services/errors';
import { type Slip, patronOnSlip } from '../../devices/slips/types';

export function devicesHandlers({ s, devices }: HandlerDeps): HandlersOf<typeof devicesApi> {
  return {
    'devices.get': () => ({
      config: devices.settings(),
      states: devices.manager.list().map((d) => ({ ...d })),
      jobs: devices.manager.printJobs().map((j) => ({ ...j })),
    }),
    'devices.configure': (input) => devices.configure(input),
    'devices.testPrint': (input) => {
      const named = input.printerId === undefined || devices.settings().printers.some((p) => p.id === input.printerId);
      if (!devices.hasPrinter || !named) {
        throw new ServiceError(
          'NO_PRINTER',
          input.printerId ? 'This station has no printer by that name.' : 'This station has no receipt printer set up.',
        );
      }
      try {
        return { jobId: devices.manager.testPrint(input.printerId).id };
      } catch (error) {
        throw printError(error);
      }
    },
    'devices.preview': (input) => {
      const printer =
        devices.settings().printers.find((p) => p.id === input.printerId) ?? devices.settings().printers[0];
      const columns = printer?.columns ?? 48;
      const patron = patronOnSlip('Ana', '20234000000019', devices.settings().slips.cardDigits);
      const at = '2026-11-22 10:00';
      const samples: Record<typeof input.kind, Slip> = {
        checkout: {
          kind: 'checkout',
          patron,
          at,
          lines: [{ title: 'Cien años de soledad', barcode: '30234000000012', detail: '2026-12-13' }],
        },
        checkin: {
          kind: 'checkin',
          at,
          lines: [{ title: 'Cien años de soledad', barcode: '30234000000012', detail: 'OK' }],
        },
        hold: {
          kind: 'hold',
          patron,
          pickupBranch: 'Main',
          shelfExpires: '2026-11-29',
          title: 'Cien años de soledad',
          itemBarcode: '30234000000012',
        },
        transit: {
          kind: 'transit',
          destinationBranch: 'North',
          title: 'Cien años de soledad',
          itemBarcode: '30234000000012',
          at,
        },
        payment: { kind: 'payment', patron, at, paid: '$4.00', tendered: '$5.00', change: '$1.00', remaining: '$0.00' },
        ill: {
          kind: 'ill',
          purpose: 'lend',
          toLibrary: 'Hill County Library',
          agencyId: 'ISIL:US-HCL',
          requestId: 'HCL-2026-77',
          fromLibrary: devices.settings().slips.libraryName || 'Library',
          title: 'Cien años de soledad',
          itemBarcode: '30234000000012',
          dueBack: '20 Dec 2026',
          at,
        },
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
  };
}
