// A real station core (createStationCore over a real SQLite file in a temporary folder), set up
// through its own API: a library, an admin's staff session, a kiosk patron's session, and a few
// patrons, titles, copies, a loan, a fee and a hold to act on. For tests that drive the station
// API the way the desk and the kiosk do, and look at the tables afterwards.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiErrorBody } from '../../src/api/contract';
import { createStationCore, stationDatabasePath, type StationCore } from '../../src/station/core';
import { openStation } from '../../src/station/services';
import { itemBarcode, MONDAY_10AM, patronCard } from './station';

export type Answer = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export interface ApiStation {
  core: StationCore;
  dir: string;
  clock: { now: number };
  /** Bearer tokens: the admin at the desk, and patron 1 signed in at the kiosk with card and PIN. */
  admin: string;
  kiosk: string;
  /** Ids and barcodes made at set-up, for inputs that name real things. */
  ids: {
    branchId: string;
    adminId: string;
    patronIds: string[];
    cards: string[];
    recordIds: string[];
    items: string[];
    loanIds: string[];
    feeIds: string[];
    holdIds: string[];
  };
  call(name: string, input: unknown, token?: string | null): Promise<Answer>;
  ok<T = Record<string, unknown>>(name: string, input: unknown, token?: string | null): Promise<T>;
  /** Rows in every table of the station's database (the journal's included), by table. */
  counts(): Record<string, number>;
  /** A hash of every row of every table, by table: equal before and after means nothing changed at all. */
  fingerprint(): Record<string, string>;
  /** Signs the admin and the kiosk patron in again if a call ended their sessions. */
  refreshSessions(): Promise<void>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'correct horse battery';
export const KIOSK_PIN = '2468';

export async function createApiStation(opts: { locale?: string; currency?: string } = {}): Promise<ApiStation> {
  const dir = mkdtempSync(join(tmpdir(), 'circa-api-station-'));
  const clock = { now: MONDAY_10AM };
  const services = openStation(stationDatabasePath(dir), { now: () => clock.now });
  const core = createStationCore(services);
  const call = (name: string, input: unknown, token?: string | null) =>
    core.invoke(name, input, { sessionToken: token ?? null, local: true }) as Promise<Answer>;
  const ok = async <T = Record<string, unknown>>(name: string, input: unknown, token?: string | null): Promise<T> => {
    const r = await call(name, input, token);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  const setup = await ok<{ branchId: string; adminId: string }>('setup.initialize', {
    libraryName: 'Biblioteca Test',
    branchCode: 'MAIN',
    branchName: 'Main Library',
    timeZone: 'America/New_York',
    currency: opts.currency ?? 'USD',
    locale: opts.locale ?? 'en-US',
    admin: { username: 'admin', displayName: 'Ada Admin', password: ADMIN_PASSWORD },
  });
  const signIn = async () =>
    (await ok<{ token: string }>('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD })).token;
  const kioskSignIn = async () =>
    (await ok<{ token: string }>('auth.kioskSignIn', { cardBarcode: patronCard(1), pin: KIOSK_PIN })).token;
  const admin = await signIn();

  const patronIds: string[] = [];
  const cards = [patronCard(1), patronCard(2), patronCard(3)];
  for (const [i, card] of cards.entries()) {
    const p = await ok<{ patron: { id: string } }>(
      'patrons.register',
      {
        cardBarcode: card,
        firstName: `Pat${i + 1}`,
        lastName: 'Reader',
        categoryCode: 'ADULT',
        ...(i === 0 ? { pin: KIOSK_PIN } : {}),
      },
      admin,
    );
    patronIds.push(p.patron.id);
  }
  const recordIds: string[] = [];
  const items: string[] = [];
  for (const [i, title] of ['Cien años de soledad', 'Rayuela'].entries()) {
    const r = await ok<{ id: string }>('catalogue.addRecord', { title, author: 'Autor', year: 1967 }, admin);
    recordIds.push(r.id);
    for (let c = 0; c < 2; c++) {
      const barcode = itemBarcode(i * 10 + c + 1);
      await ok('catalogue.addItem', { barcode, recordId: r.id, itemTypeCode: 'BOOK', replacementPrice: 2500 }, admin);
      items.push(barcode);
    }
  }
  const loan = await ok<{ loanId: string }>(
    'circulation.checkout',
    { patronBarcode: cards[0], itemBarcode: items[0] },
    admin,
  );
  const fee = await ok<{ id: string }>(
    'fees.charge',
    { patronId: patronIds[1], kind: 'damage', amount: 300, description: 'torn page' },
    admin,
  );
  const hold = await ok<{ id: string }>('holds.place', { patronId: patronIds[2], recordId: recordIds[0] }, admin);
  const kiosk = await kioskSignIn();

  const tables = (
    services.store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((t) => t.name);
  const counters = tables.map((t) => [t, services.store.db.prepare(`SELECT count(*) AS n FROM "${t}"`)] as const);
  const readers = tables.map((t) => [t, services.store.db.prepare(`SELECT * FROM "${t}"`)] as const);

  const station: ApiStation = {
    core,
    dir,
    clock,
    admin,
    kiosk,
    ids: {
      branchId: setup.branchId,
      adminId: setup.adminId,
      patronIds,
      cards,
      recordIds,
      items,
      loanIds: [loan.loanId],
      feeIds: [fee.id],
      holdIds: [hold.id],
    },
    call,
    ok,
    counts: () => Object.fromEntries(counters.map(([t, stmt]) => [t, (stmt.get() as { n: number }).n])),
    fingerprint: () =>
      Object.fromEntries(
        readers.map(([t, stmt]) => {
          const hash = createHash('sha1');
          for (const row of stmt.iterate())
            hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
          return [t, hash.digest('hex')];
        }),
      ),
    async refreshSessions() {
      if (!services.auth.session(station.admin)) station.admin = await signIn();
      if (!services.auth.session(station.kiosk)) station.kiosk = await kioskSignIn();
    },
    async close() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return station;
}
