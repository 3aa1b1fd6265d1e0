// A copy lost by its borrower travels like any other change: the hub takes the lost status while
// the loan stays open (a lost copy is still out with its borrower), the lost charge, and later
// the copy found: the loan closed and the unpaid charge forgiven. Another desk sees it all.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubDb } from '../../src/hub/db';
import type { Hub } from '../../src/hub/hub';
import { startTwoBranchHub, stopTwoBranchHub, type TwoBranchHub } from './two-branch-hub';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode, patronCard } from '../support/station';

let db: HubDb;
let hub: Hub;
let url: string;
const cores: StationCore[] = [];

let fixture: TwoBranchHub | undefined;
beforeAll(async () => {
  fixture = await startTwoBranchHub();
  ({ db, hub, url } = fixture);
});
afterAll(() => stopTwoBranchHub(fixture, cores));

async function station(branch: string, name: string) {
  const core = await startStationCore({
    dataDir: mkdtempSync(join(tmpdir(), 'circa-lost-')),
    join: { hubUrl: url, code: await hub.createEnrolmentCode(branch), stationName: name },
    syncIntervalMs: 100,
  });
  cores.push(core);
  const signIn = await core.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {});
  if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
  const token = (signIn.value as { token: string }).token;
  const ok = async (method: string, input: unknown) => {
    const r = await core.invoke(method, input, { sessionToken: token });
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as Record<string, unknown>;
  };
  const synced = () => expect.poll(() => core.services.ctx.journal.waitingCount(), { timeout: 10_000 }).toBe(0);
  return { core, ok, synced };
}

const hubRow = async <T>(table: string, id: string) =>
  (await db.query<{ data: T }>('SELECT data FROM rows WHERE table_name = $1 AND id = $2', [table, id]))[0]?.data;

describe('a lost copy and the hub', () => {
  it('keeps the loan open with the lost status and the charge, then closes it when the copy is found', async () => {
    const north = await station('N', 'north desk');
    const record = await north.ok('catalogue.addRecord', { title: 'The Word for World Is Forest' });
    const item = await north.ok('catalogue.addItem', {
      barcode: itemBarcode(1),
      recordId: record.id,
      itemTypeCode: 'BOOK',
      replacementPrice: 1800,
    });
    const patron = (
      await north.ok('patrons.register', {
        cardBarcode: patronCard(1),
        firstName: 'Davidson',
        lastName: 'R',
        categoryCode: 'ADULT',
      })
    ).patron as { id: string };
    const loan = await north.ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    await north.ok('catalogue.setItemStatus', { itemBarcode: itemBarcode(1), change: 'lost' });
    await north.synced();

    const outcomes = await db.query<{ command: string; outcome: string }>(
      'SELECT command, outcome FROM received ORDER BY seq',
    );
    expect(outcomes.filter((o) => o.command === 'catalogue.setItemStatus')).toEqual([
      { command: 'catalogue.setItemStatus', outcome: 'applied' },
    ]);
    expect(await hubRow('items', item.id as string)).toMatchObject({ status: 'lost' });
    expect(await hubRow('loans', loan.loanId as string)).toMatchObject({ returnedAt: null, patronId: patron.id });
    const fees = await db.query<{ id: string; data: { kind: string; outstanding: number; loanId: string } }>(
      `SELECT id, data FROM rows WHERE table_name = 'fees'`,
    );
    expect(fees.map((f) => f.data)).toEqual([
      expect.objectContaining({ kind: 'lost', outstanding: 1800, loanId: loan.loanId }),
    ]);
    const feeId = fees[0]!.id;

    // The south desk sees the patron owing the charge, with the copy still on their account.
    const south = await station('S', 'south desk');
    await expect
      .poll(async () => (await south.ok('patrons.lookup', { barcode: patronCard(1) })).feesOwed, { timeout: 10_000 })
      .toBe(1800);
    expect(((await south.ok('patrons.lookup', { barcode: patronCard(1) })).loans as unknown[]).length).toBe(1);

    // Found in the south: the loan closes, the charge is forgiven, everywhere.
    await south.ok('catalogue.setItemStatus', { itemBarcode: itemBarcode(1), change: 'found' });
    await south.synced();
    expect(await hubRow('items', item.id as string)).toMatchObject({ status: 'available' });
    expect(await hubRow('loans', loan.loanId as string)).toMatchObject({ returnedAt: expect.any(Number) });
    expect(await hubRow('fees', feeId)).toMatchObject({ kind: 'lost', amount: 1800, outstanding: 0 });
    await expect
      .poll(async () => (await north.ok('patrons.lookup', { barcode: patronCard(1) })).feesOwed, { timeout: 10_000 })
      .toBe(0);
    expect(((await north.ok('patrons.lookup', { barcode: patronCard(1) })).loans as unknown[]).length).toBe(0);
  }, 60_000);
});
