// Secrets stay small: no PIN or password hash in any journal entry, the hub gets them beside the
// entries that set them, a station receives the password hashes of only the accounts that may sign
// in at its branch, and a password change signs the account out of its other sessions. Two real
// stations, a real hub (PGlite) over HTTP.
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

async function station(branch: string): Promise<StationCore> {
  const core = await startStationCore({
    dataDir: mkdtempSync(join(tmpdir(), 'circa-secrets-')),
    join: { hubUrl: fixture!.url, code: await fixture!.hub.createEnrolmentCode(branch), stationName: `${branch} desk` },
    syncIntervalMs: 200,
  });
  cores.push(core);
  return core;
}

async function signIn(core: StationCore, username: string, password: string): Promise<string> {
  const r = await core.invoke('auth.signIn', { username, password }, {});
  if (!r.ok) throw new Error(`${username}: ${r.error.code} ${r.error.message}`);
  return (r.value as { token: string }).token;
}

const hubRow = async (table: string, id: string) =>
  (
    await fixture!.db.query<{ data: Record<string, unknown> }>(
      'SELECT data FROM rows WHERE table_name = $1 AND id = $2',
      [table, id],
    )
  )[0]?.data;

describe('secrets between stations and the hub', () => {
  it('journals no hash, brings each to the hub beside its entry, and gives a branch only its own staff', async () => {
    const north = await station('N');
    const alice = await signIn(north, 'alice', 'alice password');
    const northBranch = north.services.ctx.identity().branchId;
    const southBranch = (
      north.services.store.db.prepare("SELECT id FROM branches WHERE code = 'S'").get() as { id: string }
    ).id;
    const tom = await north.invoke(
      'staff.save',
      { username: 'tom', displayName: 'Tom', role: 'technician', branchId: northBranch, password: 'tom password 1' },
      { sessionToken: alice },
    );
    const sue = await north.invoke(
      'staff.save',
      { username: 'sue', displayName: 'Sue', role: 'technician', branchId: southBranch, password: 'sue password 1' },
      { sessionToken: alice },
    );
    const ana = await north.invoke(
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Ana', lastName: 'Lima', categoryCode: 'ADULT', pin: '2468' },
      { sessionToken: alice },
    );
    expect([tom.ok, sue.ok, ana.ok]).toEqual([true, true, true]);
    const tomId = (tom as { value: { id: string } }).value.id;
    const anaId = (ana as { value: { patron: { id: string } } }).value.patron.id;

    // The journal holds references, never a hash or a sealed key.
    const payloads = (north.services.store.db.prepare('SELECT payload FROM journal').all() as { payload: string }[])
      .map((r) => r.payload)
      .join('\n');
    expect(payloads).toContain('secret:');
    expect(payloads).not.toMatch(/scrypt\$|seal1\$/);

    // They reach the hub beside their entries, and leave the station's side once acknowledged.
    await expect.poll(async () => (await hubRow('patrons', anaId))?.pinHash, { timeout: 15_000 }).toMatch(/^scrypt\$/);
    expect(await hubRow('staff', tomId)).toMatchObject({
      passwordHash: expect.stringMatching(/^scrypt\$/),
      sealedKey: expect.stringMatching(/^seal1\$/),
    });
    expect(await fixture!.db.query("SELECT outcome FROM received WHERE outcome <> 'applied'")).toEqual([]);
    await expect
      .poll(
        () => (north.services.store.db.prepare('SELECT count(*) AS n FROM journal_secrets').get() as { n: number }).n,
        { timeout: 15_000 },
      )
      .toBe(0);

    // A South station: Sue's and Alice's (an administrator's) secrets, not Tom's of the North.
    const south = await station('S');
    await expect
      .poll(
        () => south.services.store.db.prepare("SELECT count(*) AS n FROM staff WHERE username IN ('tom', 'sue')").get(),
        { timeout: 15_000 },
      )
      .toEqual({ n: 2 });
    const secretsAtSouth = south.services.store.db
      .prepare(
        "SELECT username, password_hash <> '' AS hash, sealed_key IS NOT NULL AS key FROM staff ORDER BY username",
      )
      .all();
    expect(secretsAtSouth).toEqual([
      { username: 'alice', hash: 1, key: 1 },
      { username: 'sue', hash: 1, key: 1 },
      { username: 'tom', hash: 0, key: 0 },
    ]);
    await signIn(south, 'sue', 'sue password 1');
    expect(await south.invoke('auth.signIn', { username: 'tom', password: 'tom password 1' }, {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    // The patron's PIN works at any branch's kiosk.
    await expect
      .poll(async () => (await south.invoke('auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '2468' }, {})).ok, {
        timeout: 15_000,
      })
      .toBe(true);

    // Tom changes nothing himself, but an administrator's reset signs him out of every session here.
    const tomSession = await signIn(north, 'tom', 'tom password 1');
    expect(
      (await north.invoke('auth.session', {}, { sessionToken: tomSession })).ok &&
        (await north.invoke('auth.session', {}, { sessionToken: tomSession })),
    ).toMatchObject({ value: { kind: 'staff' } });
    expect(
      (
        await north.invoke(
          'staff.save',
          { id: tomId, username: 'tom', displayName: 'Tom', role: 'technician', password: 'tom password 2' },
          { sessionToken: alice },
        )
      ).ok,
    ).toBe(true);
    expect(await north.invoke('auth.session', {}, { sessionToken: tomSession })).toMatchObject({
      ok: true,
      value: { kind: 'none' },
    });
    expect(await north.invoke('auth.signIn', { username: 'tom', password: 'tom password 1' }, {})).toMatchObject({
      ok: false,
    });
    const tomAgain = await signIn(north, 'tom', 'tom password 2');
    // His new key signs, and the hub, holding the new public key from the administrator's signed entry, applies his work.
    const bea = await north.invoke(
      'patrons.register',
      { cardBarcode: patronCard(2), firstName: 'Bea', lastName: 'Lima', categoryCode: 'ADULT' },
      { sessionToken: tomAgain },
    );
    expect(bea.ok).toBe(true);
    await expect
      .poll(
        async () =>
          (
            await fixture!.db.query<{ outcome: string }>(
              "SELECT outcome FROM received WHERE command = 'patrons.register' ORDER BY seq DESC LIMIT 1",
            )
          )[0]?.outcome,
        { timeout: 15_000 },
      )
      .toBe('applied');
  }, 120_000);
});
