// The loan history purge reaches the hub: a station unlinks a returned loan from its patron once
// the retention period has passed, the hub drops the link too (although it already holds that
// loan's return), and no pull brings the link back to the station. A station joining afterwards
// never sees it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND } from '../../src/domain/commands';
import type { HubDb } from '../../src/hub/db';
import type { Hub } from '../../src/hub/hub';
import { startTwoBranchHub, stopTwoBranchHub, type TwoBranchHub } from './two-branch-hub';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode, patronCard } from '../support/station';

const DAY = 86_400_000;
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

async function station(branch: string, name: string, clock: { now: number }) {
  const core = await startStationCore({
    dataDir: mkdtempSync(join(tmpdir(), 'circa-privacy-')),
    join: { hubUrl: url, code: await hub.createEnrolmentCode(branch), stationName: name },
    syncIntervalMs: 100,
    privacyPurgeIntervalMs: 100,
    now: () => clock.now,
  });
  cores.push(core);
  // Signed in at each call: the test moves the clock by weeks, past any session.
  const ok = async (method: string, input: unknown) => {
    const signIn = await core.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {});
    if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
    const r = await core.invoke(method, input, { sessionToken: (signIn.value as { token: string }).token });
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as Record<string, unknown>;
  };
  return { core, ok };
}

const hubLoan = async (id: string) =>
  (
    await db.query<{ data: { patronId: string | null; returnedAt: number | null } }>(
      `SELECT data FROM rows WHERE table_name = 'loans' AND id = $1`,
      [id],
    )
  )[0]?.data;
const stationLoanPatron = (core: StationCore, id: string) =>
  (
    core.services.store.db.prepare('SELECT patron_id AS p FROM loans WHERE id = ?').get(id) as
      { p: string | null } | undefined
  )?.p;

describe('the loan history purge and the hub', () => {
  it('drops the link at the hub too, and the station keeps it dropped', async () => {
    const clock = { now: Date.now() };
    const north = await station('N', 'north desk', clock);
    await north.ok('settings.update', { loanHistoryRetentionDays: 30 });
    const record = await north.ok('catalogue.addRecord', { title: 'The Dispossessed' });
    await north.ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
    const patron = (
      await north.ok('patrons.register', {
        cardBarcode: patronCard(1),
        firstName: 'Shevek',
        lastName: 'Anarres',
        categoryCode: 'ADULT',
      })
    ).patron as { id: string };
    const loan = await north.ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    const loanId = loan.loanId as string;
    await north.ok('circulation.checkin', { itemBarcode: itemBarcode(1) });
    await expect.poll(() => north.core.services.ctx.journal.waitingCount(), { timeout: 10_000 }).toBe(0);
    // Within the retention period the hub holds the returned loan with its patron.
    expect(await hubLoan(loanId)).toMatchObject({ patronId: patron.id, returnedAt: expect.any(Number) });

    // 31 days on, the station's daily purge unlinks it; the hub applies that without a warning.
    clock.now += 31 * DAY;
    await expect.poll(() => stationLoanPatron(north.core, loanId), { timeout: 10_000 }).toBeNull();
    await expect.poll(async () => (await hubLoan(loanId))?.patronId, { timeout: 10_000 }).toBeNull();
    const outcomes = await db.query<{ outcome: string }>('SELECT outcome FROM received WHERE command = $1', [
      COMMAND.privacy.purgeLoanHistory,
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['applied']);
    expect(await hubLoan(loanId)).toMatchObject({ returnedAt: expect.any(Number) });

    // Further rounds pull the hub's version: it stays unlinked at the station.
    await north.ok('sync.now', {});
    await north.ok('sync.now', {});
    expect(stationLoanPatron(north.core, loanId)).toBeNull();

    // A station joining now loads the loan without its patron.
    const south = await station('S', 'south desk', clock);
    await expect.poll(() => stationLoanPatron(south.core, loanId), { timeout: 10_000 }).toBeNull();
    expect(south.core.services.store.db.prepare('SELECT count(*) AS n FROM loans WHERE id = ?').get(loanId)).toEqual({
      n: 1,
    });
  }, 60_000);
});
