// Builds the station's services over one open store. Used by the core (for the API), by the
// benchmark and by tests that drive the services directly.
import { openStore, type OpenStoreOptions, type Store } from '../store/open';
import { AdminService } from '../services/admin';
import { AuthService } from '../services/auth';
import { CatalogueService } from '../services/catalogue';
import { CopyCataloguingService } from '../services/copy-cataloguing/service';
import { LabelService } from '../services/labels/service';
import { CirculationService } from '../services/circulation';
import { createServiceContext, type ContextOptions, type ServiceContext } from '../services/context';
import { FeeService } from '../services/fees';
import { HoldService } from '../services/holds';
import { PatronService } from '../services/patrons';
import { ReportService } from '../services/reports';
import { ShelfService } from '../services/shelf';
import { ExceptionService } from '../services/exceptions';
import { countOpenSyncExceptions } from '../store/queries/sync-exceptions';
import { Sip2AccountService } from '../services/sip2-accounts';
import { IllService } from '../services/ill';
import { NoticeService } from '../services/notices';
import { IdleCheckpointer } from '../store/checkpoint';

export const STATION_VERSION = '0.1.0';

export interface StationStatus {
  journalWaiting: number;
  sync: Record<string, unknown>;
  devices: Record<string, unknown>[];
  exceptionsOpen: number;
}

export interface StationServices {
  version: string;
  store: Store;
  ctx: ServiceContext;
  admin: AdminService;
  auth: AuthService;
  catalogue: CatalogueService;
  /** Records copied from other libraries' catalogues (SRU). */
  copyCataloguing: CopyCataloguingService;
  /** Barcode and spine labels as PDF. */
  labels: LabelService;
  circulation: CirculationService;
  fees: FeeService;
  holds: HoldService;
  patrons: PatronService;
  reports: ReportService;
  /** Shelf reading and the not-seen report. */
  shelf: ShelfService;
  exceptions: ExceptionService;
  sip2: Sip2AccountService;
  /** Interlibrary loan, both ways (docs/ill.md). */
  ill: IllService;
  /** Notices to patrons: the outbox and its pass (src/services/notices.ts). */
  notices: NoticeService;
  /** Filled in by whoever runs the sync worker and the devices. */
  statusProviders: { sync: () => Record<string, unknown>; devices: () => Record<string, unknown>[] };
  status(): StationStatus;
  close(): void;
}

export function createStationServices(store: Store, options: ContextOptions = {}): StationServices {
  const ctx = createServiceContext(store, options);
  const patrons = new PatronService(ctx);
  const auth = new AuthService(ctx, patrons);
  const catalogue = new CatalogueService(ctx);
  // The WAL goes back into the database file between patrons, not during a check-out.
  const checkpointer = new IdleCheckpointer(store.db);
  const stopCheckpoints = ctx.onCommit(() => checkpointer.touch());
  const services: StationServices = {
    version: STATION_VERSION,
    store,
    ctx,
    admin: new AdminService(ctx),
    auth,
    catalogue,
    copyCataloguing: new CopyCataloguingService(ctx, catalogue),
    labels: new LabelService(ctx, catalogue),
    circulation: new CirculationService(ctx),
    fees: new FeeService(ctx),
    holds: new HoldService(ctx),
    patrons,
    reports: new ReportService(ctx),
    shelf: new ShelfService(ctx),
    exceptions: new ExceptionService(ctx),
    sip2: new Sip2AccountService(ctx, auth.guard),
    ill: new IllService(ctx),
    notices: new NoticeService(ctx),
    statusProviders: { sync: () => ({ state: 'not_configured' }), devices: () => [] },
    status() {
      return {
        journalWaiting: ctx.journal.waitingCount(),
        sync: services.statusProviders.sync(),
        devices: services.statusProviders.devices(),
        exceptionsOpen: countOpenSyncExceptions(ctx),
      };
    },
    close() {
      stopCheckpoints();
      checkpointer.stop();
      store.close();
    },
  };
  return services;
}

export function openStation(path: string, options: ContextOptions & OpenStoreOptions = {}): StationServices {
  return createStationServices(openStore(path, options), options);
}
