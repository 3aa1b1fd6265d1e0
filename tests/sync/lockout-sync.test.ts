// A card locked at one station is locked at every station: the lock is a journaled row of the
// synced lockouts table, which the hub accepts and hands on. Two real stations, a real hub (PGlite)
// over HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStationCore, type StationCore } from '../../src/station/core';
import { patronCard } from '../support/station';
import { startTwoBranchHub, stopTwoBranchHub, type TwoBranchHub } from './two-branch-hub';

let fixture: TwoBranchHub | undefined;
const cores: StationCore[] = [];
beforeAll(async () => {
  fixture = await startTwoBranchHub();
});
afterAll(() => stopTwoBranchHub(fixture, cores));

async function station(branch: string, name: string): Promise<{ core: StationCore; token: string }> {
  const core = await startStationCore({
    dataDir: mkdtempSync(join(tmpdir(), 'circa-lockout-')),
    join: { hubUrl: fixture!.url, code: await fixture!.hub.createEnrolmentCode(branch), stationName: name },
    syncIntervalMs: 200,
  });
  cores.push(core);
  const signIn = await core.invoke('auth.signIn', { username: 'alice', password: 'alice password' }, {});
  if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
  return { core, token: (signIn.value as { token: string }).token };
}

const kiosk = (s: { core: StationCore }, pin: string) =>
  s.core.invoke('auth.kioskSignIn', { cardBarcode: patronCard(1), pin }, {});

describe('a lockout across stations', () => {
  it('locks the card at the other station too, and a clearing at that one frees it at the first', async () => {
    const north = await station('N', 'north desk');
    const registered = await north.core.invoke(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Ulises', lastName: 'Lima', categoryCode: 'ADULT', pin: '2468' },
      { sessionToken: north.token },
    );
    expect(registered.ok).toBe(true);
    const south = await station('S', 'south desk');
    // South knows the patron (and the PIN's hash) from the hub: the right PIN works there.
    await expect.poll(async () => (await kiosk(south, '2468')).ok, { timeout: 15_000 }).toBe(true);

    for (let i = 0; i < 5; i++) await kiosk(north, '0000');
    expect(await kiosk(north, '2468')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    // The lock reaches the south through the hub, which accepted the entry.
    await expect.poll(async () => (await kiosk(south, '2468')).ok === false, { timeout: 15_000 }).toBe(true);
    expect(await kiosk(south, '2468')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    const outcomes = await fixture!.db.query<{ command: string; outcome: string }>(
      "SELECT command, outcome FROM received WHERE command LIKE 'auth.%'",
    );
    expect(outcomes).toEqual([{ command: 'auth.lockout', outcome: 'applied' }]);

    // The patron asks at the south desk: staff clear it there, and the north lets them in again.
    const patronId = (registered as { value: { patron: { id: string } } }).value.patron.id;
    expect(await south.core.invoke('auth.clearLockout', { patronId }, { sessionToken: south.token })).toMatchObject({
      ok: true,
      value: { wasLocked: true },
    });
    await expect.poll(async () => (await kiosk(north, '2468')).ok, { timeout: 15_000 }).toBe(true);
  }, 90_000);
});
