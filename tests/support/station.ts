import type { KeyObject } from 'node:crypto';
// A real station on a real SQLite file in a temporary folder, set up the way the first-run
// wizard sets up a library, with a clock the test controls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../src/domain/barcode';
import type { CirculationRule, Refusal } from '../../src/domain/types';
import type { Actor } from '../../src/services/command';
import { ServiceError } from '../../src/services/errors';
import { openStation, type StationServices } from '../../src/station/services';

export interface TestStation {
  s: StationServices;
  dir: string;
  path: string;
  clock: { now: number };
  staff: Actor;
  branchId: string;
  /** Advance the clock by days. */
  advanceDays(days: number): void;
  reopen(): TestStation;
  close(): void;
}

/** A 14-digit library barcode with a valid check digit: kind 2 = patron, 3 = item. */
export function libraryBarcode(kind: 2 | 3, sequence: number, institution = '0234'): string {
  const first13 = `${kind}${institution}${String(sequence).padStart(8, '0')}`;
  return `${first13}${luhnCheckDigit(first13)}`;
}

export const patronCard = (n: number) => libraryBarcode(2, n);
export const itemBarcode = (n: number) => libraryBarcode(3, n);

/** 10:00 New York time on Monday 2026-11-16 (15:00 UTC). */
export const MONDAY_10AM = Date.UTC(2026, 10, 16, 15, 0, 0);

/** The desk tests' rule for everyone: 14-day loans, one renewal, 25 cents a day up to 5.00, one hold per title. */
export const DESK_RULE: CirculationRule = {
  branchId: '*',
  categoryCode: '*',
  itemTypeCode: '*',
  loanLength: 14,
  loanUnit: 'days',
  hardDueDate: null,
  hardDueDateMode: 'before',
  maxLoans: null,
  renewalsAllowed: 1,
  renewalPeriod: null,
  noRenewalBeforeDays: null,
  fineAmount: 25,
  finePeriod: 1,
  graceDays: 0,
  fineCap: 500,
  capFineAtReplacementPrice: true,
  holdsAllowed: true,
  holdsPerTitle: 1,
  onShelfHoldsAllowed: true,
  pickupPeriodDays: 7,
};

/** The refusals `fn` is refused with; fails if it succeeds or throws anything else. */
export function refusalsOf(fn: () => unknown): Refusal[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError && e.refusals) return e.refusals;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** Just the codes of the refusals `fn` is refused with. */
export const refusalCodes = (fn: () => unknown): string[] => refusalsOf(fn).map((r) => r.code);

export function createTestStation(
  opts: { start?: number; timeZone?: string; dir?: string; adminKey?: KeyObject } = {},
): TestStation {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'circa-station-'));
  const path = join(dir, 'station.db');
  const clock = { now: opts.start ?? MONDAY_10AM };
  const s = openStation(path, { now: () => clock.now });
  let branchId: string;
  let staffId: string;
  if (!s.admin.isConfigured()) {
    const setup = s.admin.initialize({
      libraryName: 'Biblioteca Test',
      branchCode: 'MAIN',
      branchName: 'Main Library',
      timeZone: opts.timeZone ?? 'America/New_York',
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' },
    });
    branchId = setup.branchId;
    staffId = setup.adminId;
  } else {
    branchId = s.ctx.identity().branchId;
    staffId = (s.store.db.prepare("SELECT id FROM staff WHERE username = 'admin'").get() as { id: string }).id;
    // A reopened station holds no staff key until someone signs in; the test's admin still has it.
    if (opts.adminKey) s.ctx.keys.unlock(staffId, opts.adminKey);
  }
  const adminKey = s.ctx.keys.staffKey(staffId) ?? undefined;
  const station: TestStation = {
    s,
    dir,
    path,
    clock,
    staff: { kind: 'staff', staffId },
    branchId,
    advanceDays(days) {
      clock.now += days * 86_400_000;
    },
    reopen() {
      s.close();
      const again = createTestStation({ dir, start: clock.now, ...(adminKey ? { adminKey } : {}) });
      return again;
    },
    close() {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return station;
}

/** Adds a record with `copies` items and returns their barcodes. */
export function addTitle(
  t: TestStation,
  title: string,
  copies: number,
  firstItem: number,
  extra: { author?: string; itemTypeCode?: string; replacementPrice?: number } = {},
) {
  const record = t.s.catalogue.addRecord(
    { title, author: extra.author ?? null, isbn: null, issn: null, publisher: null, year: 2020, callNumber: null },
    t.staff,
  );
  const barcodes: string[] = [];
  for (let i = 0; i < copies; i++) {
    const item = t.s.catalogue.addItem(
      {
        barcode: itemBarcode(firstItem + i),
        recordId: record.id,
        itemTypeCode: extra.itemTypeCode ?? 'BOOK',
        replacementPrice: extra.replacementPrice ?? 2500,
      },
      t.staff,
    );
    barcodes.push(item.barcode);
  }
  return { recordId: record.id, barcodes };
}

export function addPatron(
  t: TestStation,
  n: number,
  names: { firstName?: string; lastName?: string; keepReadingHistory?: boolean; pin?: string } = {},
) {
  return t.s.patrons.register(
    {
      cardBarcode: patronCard(n),
      firstName: names.firstName ?? `Pat${n}`,
      lastName: names.lastName ?? 'Reader',
      categoryCode: 'ADULT',
      keepReadingHistory: names.keepReadingHistory ?? false,
      pin: names.pin ?? null,
    },
    t.staff,
  ).patron;
}

export function journalCount(t: TestStation): number {
  return (t.s.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
}
