// The hub administration CLI against a running hub on PGlite, started as IT starts it
// (`npm run hub -- --data <dir>`): with the hub serving, `npm run hub -- admin ...` adds a
// branch and an administrator, enrols a station, lists and resolves an exception, all through
// the hub's authenticated admin API (the CLI finds it from the data folder). The stations then
// work with what the CLI did: the new branch's station joins with the CLI's code, the new
// administrator signs in at it, and both desks see the CLI's resolution.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/command';
import { openStation, type StationServices } from '../../src/station/services';
import { joinHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';
import { itemBarcode, patronCard } from '../support/station';
import { hubAdmin, killHubChildren, startHubProcess } from './hub-process';

afterAll(killHubChildren);

const codeFrom = (out: string) => /enrolment code[^:]*: (\S+)/.exec(out)![1]!;

/** `npm run hub -- admin ...` that should fail: its exit code and stderr. */
function hubAdminFails(args: string[], env: NodeJS.ProcessEnv): { status: number; stderr: string } {
  try {
    hubAdmin(args, env);
  } catch (error) {
    const e = error as { status: number; stderr: string };
    return { status: e.status, stderr: String(e.stderr) };
  }
  throw new Error(`admin ${args.join(' ')} succeeded`);
}

describe('npm run hub -- admin, the PGlite hub running', () => {
  it('adds a branch and an administrator, enrols a station, lists and resolves an exception; the stations work with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-admin-cli-'));
    const data = join(dir, 'hub-data');
    const pglite = { DATABASE_URL: '' };
    const asAlice = { ...pglite, CIRCA_HUB_ADMIN: 'alice', CIRCA_HUB_ADMIN_PASSWORD: 'alice password' };
    const desks: { s: StationServices; worker: SyncWorker }[] = [];
    try {
      hubAdmin(
        [
          'init',
          '--data',
          data,
          '--library',
          'County Library',
          '--branch',
          'N:North:America/New_York',
          '--admin',
          'alice',
          '--password',
          'alice password',
        ],
        pglite,
      );
      const hub = await startHubProcess(['--data', data], pglite);

      // Without an administrator's name, and with a wrong password: refused, nothing done.
      expect(
        hubAdminFails(['add-branch', '--data', data, '--branch', 'S:South:America/New_York'], pglite).stderr,
      ).toMatch(/is running: admin commands go through its admin API/);
      expect(
        hubAdminFails(['add-branch', '--data', data, '--branch', 'S:South:America/New_York'], {
          ...asAlice,
          CIRCA_HUB_ADMIN_PASSWORD: 'wrong',
        }).status,
      ).toBe(1);

      expect(hubAdmin(['add-branch', '--data', data, '--branch', 'S:South:America/New_York'], asAlice)).toContain(
        'branch S ready',
      );
      expect(
        hubAdmin(
          [
            'add-admin',
            '--data',
            data,
            '--branch',
            'S',
            '--username',
            'bob',
            '--name',
            'Bob B',
            '--password',
            'bob password',
          ],
          asAlice,
        ),
      ).toContain('administrator bob created');
      const northCode = codeFrom(hubAdmin(['enrol-station', '--data', data, '--branch', 'N'], asAlice));
      const southCode = codeFrom(hubAdmin(['enrol-station', '--data', data, '--branch', 'S'], asAlice));

      const desk = async (code: string, user: string, password: string) => {
        const d = mkdtempSync(join(dir, 'station-'));
        const s = openStation(join(d, 'station.db'));
        await joinHub(s, { hubUrl: hub.url, code, stationName: 'desk' });
        const session = await s.auth.signIn(user, password);
        const worker = new SyncWorker(s.ctx, new HttpHubClient(hub.url, s.ctx.readState('hub_credential')!));
        desks.push({ s, worker });
        const actor: Actor = { kind: 'staff', staffId: session.staff.id };
        return { s, worker, actor };
      };
      const sync = async (d: { worker: SyncWorker }) => {
        const state = await d.worker.syncNow();
        if (state.lastError) throw new Error(state.lastError);
      };
      const north = await desk(northCode, 'alice', 'alice password');
      // The administrator the CLI made, at the station of the branch the CLI made.
      const south = await desk(southCode, 'bob', 'bob password');
      expect(south.s.ctx.identity().branchId).not.toBe(north.s.ctx.identity().branchId);
      const stations = hubAdmin(['stations', '--data', data], asAlice).trim().split('\n');
      expect(stations).toHaveLength(2);
      expect(stations.some((l) => /\sS\s/.test(l))).toBe(true);

      // One copy lent at both desks while neither had pushed: a lent_twice exception at the hub.
      const record = north.s.catalogue.addRecord(
        { title: 'Rayuela', author: null, isbn: null, issn: null, publisher: null, year: 1963, callNumber: null },
        north.actor,
      );
      north.s.catalogue.addItem(
        { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK', replacementPrice: 2000 },
        north.actor,
      );
      for (const n of [1, 2])
        north.s.patrons.register(
          { cardBarcode: patronCard(n), firstName: `Pat${n}`, lastName: 'Reader', categoryCode: 'ADULT' },
          north.actor,
        );
      await sync(north);
      await sync(south);
      north.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) }, north.actor);
      south.s.circulation.checkout({ patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) }, south.actor);
      await sync(north);
      await sync(south);
      await sync(north);

      const listed = hubAdmin(['exceptions', '--data', data], asAlice);
      const line = listed.split('\n').find((l) => /\slent_twice\s/.test(l));
      expect(line, listed).toBeDefined();
      const id = line!.trim().split(/\s+/)[0]!;
      expect(listed).toMatch(/\sN,S\s+open|\sS,N\s+open/);
      const atDesk = (d: { s: StationServices }) => d.s.exceptions.list(true).find((e) => e.id === id);
      for (const d of [north, south])
        expect(atDesk(d), 'the desk lists it, open').toMatchObject({ kind: 'lent_twice', resolvedAt: null });

      expect(
        hubAdmin(
          ['resolve-exception', id, '--data', data, '--note', 'copy found on the shelf', '--by', 'alice'],
          asAlice,
        ),
      ).toContain(`${id} resolved`);
      expect(hubAdmin(['exceptions', '--data', data], asAlice)).toContain('no unresolved exceptions');
      expect(hubAdmin(['exceptions', '--data', data, '--all'], asAlice)).toMatch(
        new RegExp(`${id}.*resolved .* by alice: copy found on the shelf`),
      );
      // A second resolution changes nothing, and says so.
      expect(hubAdmin(['resolve-exception', id, '--data', data, '--note', 'again'], asAlice)).toContain(
        'was already resolved',
      );

      // Both desks see the CLI's resolution on their next sync.
      await sync(north);
      await sync(south);
      for (const d of [north, south]) {
        expect(atDesk(d)?.resolvedAt).toEqual(expect.any(Number));
        expect(d.s.exceptions.list().some((e) => e.id === id)).toBe(false);
      }

      hub.child.kill('SIGTERM');
      await hub.exited;
    } finally {
      for (const d of desks) {
        await d.worker.stop();
        d.s.close();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
