// The library's settings before an administrator changes any: what a new station and a new hub
// start from. Shared by both sides (the station's ConfigCache, the hub's first setup), so it lives
// in the domain rather than in either one.
import { DEFAULT_BARCODE_RULES } from './barcode';
import type { LibrarySettings } from './types';

export const DEFAULT_SETTINGS: LibrarySettings = {
  name: 'Library',
  currency: 'USD',
  locale: 'en-US',
  circControl: 'desk_branch',
  calendarMode: 'push',
  capDueDateAtCardExpiry: true,
  finesSkipClosedDays: true,
  holdShelfSkipsClosedDays: true,
  maxFeesOwed: 1000,
  overdueBlockDays: null,
  loanHistoryRetentionDays: 0,
  barcodes: DEFAULT_BARCODE_RULES,
  kiosk: { idleSeconds: 60, warningSeconds: 10 },
  lockout: { maxFailures: 5, minutes: 15 },
  sync: { pullIntervalSeconds: 5 },
  copyCatalogueTargets: [],
  ill: { agencyId: '', tempBarcodeFirst: null, tempBarcodeLast: null, libraryCategoryCode: 'ILL', returnMarginDays: 3 },
};
