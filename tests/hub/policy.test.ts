// What a station may write (src/hub/policy.ts, src/hub/row-schemas.ts), on PGlite and PostgreSQL:
// an enrolled station proves which station it is, not that its rows are true. A forged admin
// account, configuration changed by a technician, a loan for another branch and a malformed row
// are each rejected with a reason and change nothing; the rest of the batch goes in; every kind
// of entry a real desk journals still applies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry, RowChange } from '../../src/domain/journal';
import { DEFAULT_RULE } from '../../src/domain/rules';
import { migrateHub, type HubDb } from '../../src/hub/db';
import { Hub, type StationIdentity } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import type { Actor } from '../../src/services/command';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { purgeExpiredLoanHistory } from '../../src/services/privacy';
import { openStation, type StationServices } from '../../src/station/services';
import { joinHub } from '../../src/station/sync';
import { HttpHubClient } from '../../src/sync/http-client';
import { SyncWorker } from '../../src/sync/worker';
import { newKeyPair, unsealPrivateKey } from '../../src/shared/signing';
import { itemBarcode, MONDAY_10AM, patronCard } from '../support/station';
import { generatedBooks, iso2709 } from '../support/marc-files';
import { MarcImporter } from '../../src/services/import/marc-import';
import { importPatrons } from '../../src/services/import/patrons-csv';
import { databases, dropSchemas, item, Journals, loan, patron, up } from './fixtures';

afterAll(dropSchemas);

const t0 = Date.UTC(2026, 10, 20, 15);
const del = (table: RowChange['table'], id: string): RowChange => ({ table, op: 'delete', row: { id } });
/** The test's journals: entries are signed as the account they name (src/hub/authority.ts checks). */
let journals: Journals;
const by = (staffId: string | null, entry: JournalEntry): JournalEntry => journals.sign({ ...entry, staffId });
/** Each account's key pair, made once: the row publishes the public half, the test signs with the private. */
const keys = new Map<string, ReturnType<typeof newKeyPair>>();
const keyOf = (id: string) => {
  if (!keys.has(id)) keys.set(id, newKeyPair());
  journals.signer(id, keys.get(id)!.privateKey);
  return keys.get(id)!;
};
const staffRow = (id: string, username: string, role: string, branchId: string) =>
  up('staff', {
    id,
    username,
    displayName: username,
    role,
    branchId,
    passwordHash: 'scrypt$forged$hash',
    active: true,
    publicKey: keyOf(id).publicKey,
    sealedKey: null,
  });
const record = (id: string) =>
  up('records', {
    id,
    title: `Title ${id}`,
    author: null,
    isbn: null,
    issn: null,
    publisher: null,
    year: null,
    callNumber: null,
    edition: null,
    subjects: null,
    controlNumber: null,
    marc: null,
  });

/** A library of two branches with an administrator (alice), a station at each branch. */
async function library(db: HubDb) {
  await migrateHub(db);
  const hub = new Hub(db);
  const north = await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  const south = await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  await hub.init({
    libraryName: 'County Library',
    admin: { branchCode: 'N', username: 'alice', displayName: 'Alice', password: 'alice password' },
  });
  const alice = (
    await db.query<{ id: string }>(`SELECT id FROM rows WHERE table_name = 'staff' AND data->>'username' = 'alice'`)
  )[0]!.id;
  const a = await hub.enrol(await hub.createEnrolmentCode('N'), 'north desk');
  const b = await hub.enrol(await hub.createEnrolmentCode('S'), 'south desk');
  const A: StationIdentity = { stationId: a.stationId, branchId: north };
  const B: StationIdentity = { stationId: b.stationId, branchId: south };
  const j = new Journals();
  journals = j;
  // Alice's key, made by `hub init`, opened with her password as her desk would at sign-in.
  const sealed = (
    await db.query<{ sealed: string }>(
      `SELECT data->>'sealedKey' AS sealed FROM rows WHERE table_name = 'staff' AND id = $1`,
      [alice],
    )
  )[0]!.sealed;
  j.signer(alice, (await unsealPrivateKey(sealed, 'alice password'))!);
  // Entries that name no one in particular are a supervisor's (circulation and the catalogue).
  await j.desk(db, north, 'desk', 'supervisor');
  const push = async (station: StationIdentity, ...entries: JournalEntry[]) =>
    (await hub.push(station, entries, Date.now())).outcomes;
  /** Every library row's data: what "nothing changed" compares (a touched row keeps its data). */
  const state = async () =>
    db.query<{ table_name: string; id: string; data: unknown; deleted: number }>(
      'SELECT table_name, id, data, deleted FROM rows ORDER BY table_name, id',
    );
  const row = async (table: string, id: string) =>
    (
      await db.query<{ data: Record<string, unknown> }>(
        'SELECT data FROM rows WHERE table_name = $1 AND id = $2 AND deleted = 0',
        [table, id],
      )
    )[0]?.data;
  return { hub, north, south, alice, a, b, A, B, j, push, state, row };
}

describe.each(databases())('what a station may write, hub on %s', (_name, open) => {
  it('takes configuration from an administrator only: a forged admin account is rejected and reaches no station', async () => {
    const db = await open();
    try {
      const { hub, north, south, alice, A, B, j, push, state, row } = await library(db);
      // Alice, the administrator, adds a technician at the North desk.
      expect(
        await push(A, by(alice, j.entry(A, 'staff.save', [staffRow('tom', 'tom', 'technician', north)], t0))),
      ).toEqual([{ id: expect.any(String), outcome: 'applied' }]);
      const cursor = Number((await hub.changes(0, 5000)).nextCursor);
      const before = await state();

      // Tom's desk (or anyone with its credential) sends an admin account with a password hash of
      // its own; a kiosk entry and an unknown account try the same, and Tom promotes himself.
      const forged = await push(
        A,
        by('tom', j.entry(A, 'staff.save', [staffRow('mallory', 'mallory', 'admin', north)], t0 + 1)),
        by(null, j.entry(A, 'staff.save', [staffRow('mallory', 'mallory', 'admin', north)], t0 + 2)),
        by('ghost', j.entry(A, 'staff.save', [staffRow('mallory', 'mallory', 'admin', north)], t0 + 3)),
        by('tom', j.entry(A, 'staff.save', [staffRow('tom', 'tom', 'admin', north)], t0 + 4)),
        // The attack as it was done: the entry names Alice, the real administrator, but whoever
        // wrote it holds only Tom's key (or the station's): the signature is not hers.
        {
          ...by('tom', j.entry(A, 'staff.save', [staffRow('mallory', 'mallory', 'admin', north)], t0 + 5)),
          staffId: alice,
        },
        {
          ...by(
            null,
            j.entry(
              A,
              'settings.update',
              [
                up('settings', {
                  id: 'library',
                  value: JSON.stringify({ ...DEFAULT_SETTINGS, name: 'County Library', locale: 'xx-!!' }),
                }),
              ],
              t0 + 6,
            ),
          ),
          staffId: alice,
        },
        // And with no signature at all.
        {
          ...by(alice, j.entry(A, 'staff.save', [staffRow('mallory', 'mallory', 'admin', north)], t0 + 7)),
          signature: undefined,
        },
      );
      expect(forged.map((o) => [o.outcome, o.reason])).toEqual([
        ['rejected', 'staff account tom lacks the manage_staff permission for staff.save'],
        ['rejected', 'staff.save must be signed by a staff account, not by the station'],
        ['rejected', 'staff account ghost is unknown at the hub'],
        ['rejected', 'staff account tom lacks the manage_staff permission for staff.save'],
        ['rejected', "the entry's signature is not staff account alice's"],
        ['rejected', "the entry's signature is not staff account alice's"],
        ['rejected', 'the entry is not signed'],
      ]);
      expect(await state()).toEqual(before);
      // No station receives it: not the change feed, not a new station's first load.
      const feed = await hub.changes(0, 5000);
      expect(feed.changes.filter((c) => c.table === 'staff').map((c) => [c.row.id, c.row.role])).toEqual([
        [alice, 'admin'],
        ['desk', 'supervisor'],
        ['tom', 'technician'],
      ]);
      const snapshot: string[] = [];
      for await (const chunk of hub.snapshot(0)) snapshot.push(chunk);
      expect(snapshot.join('')).not.toContain('mallory');
      // Tom's own row is sent again, so his desk gets the hub's version back.
      // (And the library settings the forged settings entry named.)
      expect((await hub.changes(cursor, 5000)).changes).toEqual([
        {
          table: 'settings',
          op: 'upsert',
          row: expect.objectContaining({ id: 'library', value: expect.not.stringContaining('xx-!!') }),
        },
        { table: 'staff', op: 'upsert', row: expect.objectContaining({ id: 'tom', role: 'technician' }) },
      ]);
      // Asked again, the same answers: the first outcome stands.
      expect((await hub.push(A, [], Date.now())).expectedSeq).toBe(9);

      // The other configuration: a technician's attempt is rejected, the administrator's applies.
      const settings = (maxFeesOwed: number | null) =>
        up('settings', {
          id: 'library',
          value: JSON.stringify({ ...DEFAULT_SETTINGS, name: 'County Library', maxFeesOwed }),
        });
      const closedDay = (id: string, branchId: string) =>
        up('closed_days', {
          id,
          branchId,
          kind: 'date',
          date: '2026-12-25',
          weekday: null,
          month: null,
          day: null,
          description: 'Christmas',
        });
      const config: [string, RowChange[]][] = [
        ['settings.update', [settings(null)]],
        [
          'branches.save',
          [up('branches', { id: north, code: 'N', name: 'North Branch', timeZone: 'America/New_York' })],
        ],
        ['calendar.addClosedDay', [closedDay('cd1', south)]],
        [
          'categories.save',
          [up('patron_categories', { id: 'TEEN', code: 'TEEN', name: 'Teen', cardValidityDays: 365 })],
        ],
        ['itemTypes.save', [up('item_types', { id: 'MAG', code: 'MAG', name: 'Magazine', notForLoan: false })]],
        [
          'rules.save',
          [up('circulation_rules', { ...DEFAULT_RULE, id: 'rule-teen', categoryCode: 'TEEN', loanLength: 7 })],
        ],
        [
          'rules.saveLimits',
          [
            up('patron_limits', {
              id: 'lim-child',
              branchId: north,
              categoryCode: 'CHILD',
              totalMaxLoans: 10,
              maxHolds: 5,
            }),
          ],
        ],
        [
          'rules.saveReturnPolicy',
          [
            up('branch_item_policies', {
              id: 'pol-dvd',
              branchId: '*',
              itemTypeCode: 'DVD',
              returnPolicy: 'holding_branch',
            }),
          ],
        ],
      ];
      const byTom = await push(
        A,
        ...config.map(([command, effects]) => by('tom', j.entry(A, command, effects, t0 + 10))),
      );
      expect(byTom.map((o) => o.outcome)).toEqual(config.map(() => 'rejected'));
      expect(byTom[0]!.reason).toBe('staff account tom lacks the settings permission for settings.update');
      expect(await state()).toEqual(before);
      // Alice administers from the South desk: any branch's calendar, the whole library's settings.
      const byAlice = await push(
        B,
        ...config.map(([command, effects]) => by(alice, j.entry(B, command, effects, t0 + 20))),
      );
      expect(byAlice.map((o) => o.outcome)).toEqual(config.map(() => 'applied'));
      expect(JSON.parse(String((await row('settings', 'library'))!.value))).toMatchObject({ maxFeesOwed: null });
      expect(await row('branches', north)).toMatchObject({ name: 'North Branch' });
      expect(await row('circulation_rules', 'rule-teen')).toMatchObject({ loanLength: 7 });
      // She removes a closed day and a rule, and adds a supervisor; nobody deletes a staff account.
      const removals = await push(
        B,
        by(alice, j.entry(B, 'calendar.removeClosedDay', [del('closed_days', 'cd1')], t0 + 30)),
        by(alice, j.entry(B, 'rules.delete', [del('circulation_rules', 'rule-teen')], t0 + 30)),
        by(alice, j.entry(B, 'staff.save', [staffRow('sue', 'sue', 'supervisor', south)], t0 + 30)),
        by(alice, j.entry(B, 'staff.remove', [del('staff', 'tom')], t0 + 30)),
      );
      expect(removals.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied', 'rejected']);
      expect(removals[3]!.reason).toBe('staff.remove is not a command the hub knows');
      expect(
        (await push(A, by('tom', j.entry(A, 'calendar.removeClosedDay', [del('closed_days', 'cd1')], t0 + 30))))[0]!
          .reason,
      ).toBe('staff account tom lacks the edit_rules permission for calendar.removeClosedDay');
      expect(await row('closed_days', 'cd1')).toBeUndefined();
      expect(await row('staff', 'sue')).toMatchObject({ role: 'supervisor' });
      // An account the hub has as inactive administers no more, whatever its desk still believes.
      const inactive = { ...(await row('staff', alice))!, id: alice, active: false };
      expect((await push(B, by(alice, j.entry(B, 'staff.save', [up('staff', inactive)], t0 + 40))))[0]!.outcome).toBe(
        'applied',
      );
      expect((await push(B, by(alice, j.entry(B, 'settings.update', [settings(700)], t0 + 41))))[0]).toMatchObject({
        outcome: 'rejected',
        reason: 'staff account alice is not active at the hub',
      });
    } finally {
      await db.close();
    }
  }, 120_000);

  it('takes circulation from any desk, but a loan for another branch or a malformed row is rejected, changes nothing, and the batch goes on', async () => {
    const db = await open();
    try {
      const { hub, north, south, A, B, a, j, push, state, row } = await library(db);
      const setup = await push(
        A,
        j.entry(A, 'catalogue.addRecord', [record('r1')], t0),
        j.entry(A, 'catalogue.addItem', [item('i1', 'available', north), item('i2', 'available', north)], t0),
        j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
        j.entry(
          A,
          'circulation.checkout',
          [loan('L1', 'i1', 'ana', north, t0 + 1000), item('i1', 'on_loan', north)],
          t0 + 1000,
        ),
      );
      expect(setup.map((o) => [o.outcome, o.reason])).toEqual([
        ['applied', undefined],
        ['applied', undefined],
        ['applied', undefined],
        ['applied', undefined],
      ]);
      expect(setup.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied', 'applied']);
      const before = await state();
      const cursor = Number((await hub.changes(0, 5000)).nextCursor);

      // South lends a North copy but writes the loan as North's; then moves North's loan to South.
      const otherBranch = await push(
        B,
        j.entry(
          B,
          'circulation.checkout',
          [loan('L2', 'i2', 'ana', north, t0 + 2000), item('i2', 'on_loan', south)],
          t0 + 2000,
        ),
        j.entry(B, 'circulation.renew', [loan('L1', 'i1', 'ana', south, t0 + 1000, { renewals: 1 })], t0 + 2000),
        j.entry(
          B,
          'circulation.checkin',
          [loan('L1', 'i1', 'ana', north, t0 + 1000, { returnedAt: t0 + 3000, returnBranchId: north })],
          t0 + 3000,
        ),
        j.entry(B, 'circulation.checkin', [del('loans', 'L1')], t0 + 3000),
        j.entry(
          B,
          'catalogue.inHouseUse',
          [up('in_house_uses', { id: 'u1', itemId: 'i2', branchId: north, usedAt: t0 })],
          t0 + 3000,
        ),
      );
      expect(otherBranch.map((o) => [o.outcome, o.reason])).toEqual([
        ['rejected', `loan L2 is for branch ${north}: a station lends only at its own branch`],
        ['rejected', `loan L1 was made at branch ${north}: a station cannot move it to branch ${south}`],
        ['rejected', `loan L1 is returned at branch ${north}: a station records returns only at its own branch`],
        ['rejected', 'a station never deletes loans rows (L1)'],
        ['rejected', `in-house use u1 is for branch ${north}: a station records uses only at its own branch`],
      ]);
      expect(await state()).toEqual(before);

      // A malformed loan: no returnedAt (it would count as returned at a station) and no
      // returnBranchId; the copy in the same entry is not touched either. Between two good
      // entries, which still go in.
      const { returnedAt: _r, returnBranchId: _b, ...partial } = loan('L3', 'i2', 'ana', north, t0 + 4000).row;
      const batch = [
        j.entry(A, 'patrons.register', [patron('ben', '22', north)], t0 + 4000),
        j.entry(A, 'circulation.checkout', [up('loans', partial), item('i2', 'on_loan', north)], t0 + 4000),
        j.entry(
          A,
          'catalogue.setItemStatus',
          [
            {
              ...item('i1', 'on_loan', north),
              row: { ...item('i1', 'on_loan', north).row, status: 'borrowed', damaged: 'yes' },
            },
          ],
          t0 + 4000,
        ),
        j.entry(A, 'patrons.register', [patron('cy', '23', north)], t0 + 4000),
      ];
      const answers = await push(A, ...batch);
      expect(answers.map((o) => [o.outcome, o.reason])).toEqual([
        ['applied', undefined],
        ['rejected', 'malformed loans row L3: returnedAt is missing; returnBranchId is missing'],
        ['rejected', expect.stringMatching(/^malformed items row i1: status: .*; damaged: .*boolean/)],
        ['applied', undefined],
      ]);
      expect(await push(A, ...batch)).toEqual(answers);
      expect(await row('loans', 'L3')).toBeUndefined();
      expect(await row('items', 'i2')).toMatchObject({ status: 'available' });
      expect(await row('items', 'i1')).toMatchObject({ status: 'on_loan', damaged: false });
      const after = (await state()).filter((r) => !['ben', 'cy'].includes(r.id));
      expect(after).toEqual(before);
      // What the stations pull: the two patrons, and the hub's own copies sent back to the desk
      // that wrote them otherwise; never the malformed loan.
      const pulled = (await hub.changes(cursor, 5000)).changes;
      expect(
        pulled.filter((c) => c.table === 'loans').map((c) => [c.row.id, c.row.branchId, c.row.returnedAt]),
      ).toEqual([['L1', north, null]]);
      expect(
        pulled
          .filter((c) => c.table === 'items')
          .every((c) => (c.row.id === 'i2' ? c.row.status === 'available' : c.row.status === 'on_loan')),
      ).toBe(true);

      // Over HTTP too, a malformed row rejects its entry (200, with the reason), not the batch (400).
      const app = await createHubServer({ hub });
      try {
        const bad = j.entry(
          A,
          'circulation.checkout',
          [up('loans', { ...partial, id: 'L4', dueAt: 'tomorrow' })],
          t0 + 5000,
        );
        const res = await app.inject({
          method: 'POST',
          url: '/sync/push',
          headers: { authorization: `Bearer ${a.credential}` },
          payload: { stationWallTime: Date.now(), entries: [bad] },
        });
        expect(res.statusCode).toBe(200);
        expect(res.json().outcomes).toEqual([
          { id: bad.id, outcome: 'rejected', reason: expect.stringContaining('malformed loans row L4: dueAt: ') },
        ]);
        // A check-out time that is no time (it would win every ordering of two desks' loans of a copy).
        const ancient = j.entry(A, 'circulation.checkout', [loan('L5', 'i2', 'ana', north, -9e15)], t0 + 5000);
        const res2 = await app.inject({
          method: 'POST',
          url: '/sync/push',
          headers: { authorization: `Bearer ${a.credential}` },
          payload: { stationWallTime: Date.now(), entries: [ancient] },
        });
        expect(res2.json().outcomes).toEqual([
          {
            id: ancient.id,
            outcome: 'rejected',
            reason: expect.stringMatching(/^malformed loans row L5: checkedOutAt: .*dueAt: /),
          },
        ]);
        expect(await row('loans', 'L5')).toBeUndefined();
      } finally {
        await app.close();
      }

      // The legitimate work of any desk, for any patron and copy, with or without a staff account
      // (a kiosk's entries have none): South checks North's loan in, lends, takes holds, fees,
      // payments and waivers, blocks and lifts a block, counts an in-house use.
      const fee = {
        id: 'f1',
        patronId: 'ana',
        kind: 'damage',
        amount: 300,
        outstanding: 300,
        currency: 'USD',
        loanId: null,
        itemId: 'i1',
        description: 'torn page',
        createdAt: t0,
      };
      const hold = {
        id: 'h1',
        patronId: 'ana',
        recordId: 'r1',
        itemId: null,
        itemLevel: false,
        pickupBranchId: north,
        placedAt: t0,
        status: 'pending',
        suspendedUntil: null,
        waitingSince: null,
        shelfExpiresOn: null,
      };
      const desk = await push(
        B,
        j.entry(
          B,
          'circulation.checkin',
          [
            loan('L1', 'i1', 'ana', north, t0 + 1000, { returnedAt: t0 + 6000, returnBranchId: south }),
            {
              ...item('i1', 'in_transit', north),
              row: { ...item('i1', 'in_transit', north).row, currentBranchId: south, transitToBranchId: north },
            },
          ],
          t0 + 6000,
        ),
        by(
          null,
          j.entry(
            B,
            'circulation.checkout',
            [loan('L5', 'i2', 'ben', south, t0 + 6000), item('i2', 'on_loan', south)],
            t0 + 6000,
          ),
        ),
        j.entry(B, 'holds.place', [up('holds', hold)], t0 + 6000),
        j.entry(B, 'holds.suspend', [up('holds', { ...hold, suspendedUntil: '2030-01-01' })], t0 + 6000),
        j.entry(B, 'fees.charge', [up('fees', fee)], t0 + 6000),
        j.entry(
          B,
          'fees.pay',
          [
            up('payments', {
              id: 'p1',
              patronId: 'ana',
              amount: 100,
              tendered: 100,
              currency: 'USD',
              method: 'cash',
              staffId: null,
              createdAt: t0,
            }),
            up('fees', { ...fee, outstanding: 200 }),
            up('payment_allocations', { id: 'p1-a', paymentId: 'p1', feeId: 'f1', amount: 100 }),
          ],
          t0 + 6000,
        ),
        by(
          'desk',
          j.entry(
            B,
            'fees.waive',
            [
              up('fee_waivers', {
                id: 'w1',
                feeId: 'f1',
                amount: 200,
                reason: 'goodwill',
                staffId: 'desk',
                createdAt: t0,
              }),
              up('fees', { ...fee, outstanding: 0 }),
            ],
            t0 + 6000,
          ),
        ),
        j.entry(
          B,
          'patrons.addBlock',
          [
            up('patron_blocks', {
              id: 'bl1',
              patronId: 'ana',
              kind: 'manual',
              reason: 'call us',
              until: '2026-12-31',
              createdAt: t0,
            }),
          ],
          t0 + 6000,
        ),
        j.entry(B, 'patrons.removeBlock', [del('patron_blocks', 'bl1')], t0 + 6000),
        j.entry(
          B,
          'catalogue.inHouseUse',
          [up('in_house_uses', { id: 'u2', itemId: 'i2', branchId: south, usedAt: t0 })],
          t0 + 6000,
        ),
        // A waiver naming someone else than the entry's staff account is not taken.
        by(
          'desk',
          j.entry(
            B,
            'fees.waive',
            [
              up('fee_waivers', {
                id: 'w2',
                feeId: 'f1',
                amount: 1,
                reason: 'x',
                staffId: 'alice-forged',
                createdAt: t0,
              }),
              up('fees', { ...fee, outstanding: 0 }),
            ],
            t0 + 7000,
          ),
        ),
      );
      expect(desk.map((o) => o.outcome)).toEqual([
        'applied',
        'applied',
        'applied',
        'applied',
        'applied',
        'applied',
        'applied',
        'applied',
        'applied',
        'applied',
        'rejected',
      ]);
      expect(desk.at(-1)!.reason).toBe("waiver w2 names staff account alice-forged, not the entry's");
      expect(await row('loans', 'L1')).toMatchObject({ returnedAt: t0 + 6000, returnBranchId: south, branchId: north });
      expect(await row('fees', 'f1')).toMatchObject({ outstanding: 0 });
      expect(await row('patron_blocks', 'bl1')).toBeUndefined();
    } finally {
      await db.close();
    }
  }, 120_000);

  it("changes a patron's PIN only through the PIN command, by an account allowed to set PINs", async () => {
    const db = await open();
    try {
      const { alice, north, A, j, push, row } = await library(db);
      const ana = patron('ana', '21', north);
      expect((await push(A, j.entry(A, 'patrons.register', [ana], t0)))[0]!.outcome).toBe('applied');
      const withPin = (pinHash: string) => up('patrons', { ...ana.row, pinHash });
      // The attack: any station's credential overwrote a PIN hash with an edit of the patron, or
      // as the kiosk, then signed in as that patron at any kiosk.
      const tries = await push(
        A,
        j.entry(A, 'patrons.update', [withPin('scrypt$attacker$pin')], t0 + 1),
        by(null, j.entry(A, 'circulation.checkout', [withPin('scrypt$attacker$pin')], t0 + 2)),
        by('tom-no-key', j.entry(A, 'patrons.setPin', [withPin('scrypt$attacker$pin')], t0 + 3)),
      );
      expect(tries.map((o) => [o.outcome, o.reason])).toEqual([
        ['rejected', "a patron's PIN changes only through patrons.setPin or patrons.register, not patrons.update"],
        ['rejected', 'the station may not write patrons rows (circulation.checkout)'],
        ['rejected', 'staff account tom-no-key is unknown at the hub'],
      ]);
      expect(await row('patrons', 'ana')).toMatchObject({ pinHash: null });
      // The desk's own PIN command, by an account that may set PINs, applies.
      expect(
        (await push(A, by(alice, j.entry(A, 'patrons.setPin', [withPin('scrypt$real$pin')], t0 + 4))))[0]!.outcome,
      ).toBe('applied');
      expect(await row('patrons', 'ana')).toMatchObject({ pinHash: 'scrypt$real$pin' });
    } finally {
      await db.close();
    }
  });

  it('tells every branch concerned of a duplicate card, and keeps both patrons', async () => {
    const db = await open();
    try {
      const { hub, north, south, A, B, j, push, row } = await library(db);
      expect((await push(A, j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0)))[0]!.outcome).toBe(
        'applied',
      );
      const dup = await hub.push(
        B,
        [j.entry(B, 'patrons.register', [patron('ana2', '21', south)], t0 + 1)],
        Date.now(),
      );
      expect(dup.outcomes[0]).toMatchObject({ outcome: 'conflict', reason: 'duplicate card barcode' });
      expect(await row('patrons', 'ana')).toMatchObject({ cardBarcode: '21' });
      expect(await row('patrons', 'ana2')).toMatchObject({ cardBarcode: '21' });
      // North registered the card first: it sees the exception as well as South, which pushed second.
      for (const branch of [north, south]) {
        expect((await hub.exceptionsFor(branch)).exceptions).toEqual([
          expect.objectContaining({ id: dup.exceptions![0]!.id, kind: 'duplicate_card', patronIds: ['ana', 'ana2'] }),
        ]);
      }
    } finally {
      await db.close();
    }
  }, 60_000);

  it('applies every kind of entry a joined desk journals, and keeps what a tampered desk forges from every other station', async () => {
    const db = await open();
    const { hub } = await library(db);
    const server = await createHubServer({ hub });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    const clock = { now: MONDAY_10AM };
    const opened: { s: StationServices; dir: string }[] = [];
    const station = async (code: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'circa-policy-'));
      const s = openStation(join(dir, 'station.db'), { now: () => clock.now });
      opened.push({ s, dir });
      await joinHub(s, { hubUrl: url, code: await hub.createEnrolmentCode(code), stationName: `${code} desk` });
      return s;
    };
    const sync = async (s: StationServices) => {
      const worker = new SyncWorker(s.ctx, new HttpHubClient(url, s.ctx.readState('hub_credential')!));
      try {
        await worker.syncNow();
      } finally {
        await worker.stop();
      }
    };
    const received = async (s: StationServices) =>
      db.query<{ command: string; outcome: string; reason: string | null }>(
        'SELECT command, outcome, reason FROM received WHERE station_id = $1 ORDER BY seq',
        [s.ctx.identity().stationId],
      );
    try {
      const n = await station('N');
      // Alice signs in at the desk: her key, sealed in the row the hub sent, opens with her password.
      await n.auth.signIn('alice', 'alice password');
      const id = (sql: string) => (n.store.db.prepare(sql).get() as { id: string }).id;
      const alice: Actor = { kind: 'staff', staffId: id("SELECT id FROM staff WHERE username = 'alice'") };
      const northId = n.ctx.identity().branchId;
      const southId = id("SELECT id FROM branches WHERE code = 'S'");

      // The administrator's configuration, made through the desk's own services.
      const tom = n.admin.saveStaff(
        { username: 'tom', displayName: 'Tom', role: 'technician', password: 'tom password' },
        alice,
      );
      const t: Actor = { kind: 'staff', staffId: tom.id };
      n.admin.updateSettings({ maxFeesOwed: 2500, loanHistoryRetentionDays: 1 }, alice);
      n.admin.saveBranch({ id: northId, code: 'N', name: 'North Branch', timeZone: 'America/New_York' }, alice);
      const christmas = n.admin.addClosedDay(
        southId,
        { kind: 'date', date: '2026-12-25', description: 'Christmas' },
        alice,
      );
      n.admin.addClosedDay(northId, { kind: 'weekly', weekday: 0 }, alice);
      n.admin.addClosedDay(northId, { kind: 'yearly', month: 1, day: 1 }, alice);
      n.admin.removeClosedDay(christmas.id, alice);
      n.admin.saveCategory({ code: 'TEEN', name: 'Teen', cardValidityDays: 365 }, alice);
      n.admin.saveItemType({ code: 'MAG', name: 'Magazine', notForLoan: false }, alice);
      const rule = n.admin.saveRule(
        {
          ...DEFAULT_RULE,
          branchId: northId,
          categoryCode: 'TEEN',
          itemTypeCode: 'MAG',
          loanLength: 7,
          hardDueDate: '2027-06-30',
        },
        alice,
      );
      n.admin.deleteRule(rule.id, alice);
      n.admin.savePatronLimits({ branchId: northId, categoryCode: 'CHILD', totalMaxLoans: 10, maxHolds: 5 }, alice);
      n.admin.saveBranchItemPolicy({ branchId: '*', itemTypeCode: 'DVD', returnPolicy: 'holding_branch' }, alice);

      // The catalogue, and the technician's desk work.
      const title = n.catalogue.addRecord(
        {
          title: 'Pedro Páramo',
          author: 'Juan Rulfo',
          isbn: null,
          issn: null,
          publisher: null,
          year: 1955,
          callNumber: null,
        },
        alice,
      );
      n.catalogue.updateRecord(title.id, { callNumber: 'RUL' }, alice);
      const copy = n.catalogue.addItem(
        { barcode: itemBarcode(1), recordId: title.id, itemTypeCode: 'BOOK', replacementPrice: 2000 },
        alice,
      );
      n.catalogue.addItem({ barcode: itemBarcode(2), recordId: title.id, itemTypeCode: 'BOOK' }, alice);
      n.catalogue.updateItem(copy.id, { replacementPrice: 2500 }, alice);
      // A MARC import (the administrator) and a patron CSV import (the technician): batches of
      // records, copies and patrons, each one signed entry the hub checks and applies.
      expect(
        await new MarcImporter(n.ctx).import([iso2709(generatedBooks(30, 100))], alice, {
          mapping: { branches: { MAIN: 'N' } },
        }),
      ).toMatchObject({ added: 30, copies: 40, skippedCount: 0 });
      await importPatrons(
        n.ctx,
        [Buffer.from(`cardnumber,surname,firstname,categorycode\n${patronCard(50)},Import,Ed,ADULT\n`)],
        t,
      );
      const juan = n.patrons.register(
        { cardBarcode: patronCard(1), firstName: 'Juan', lastName: 'Preciado', categoryCode: 'ADULT' },
        t,
      ).patron;
      const dolores = n.patrons.register(
        {
          cardBarcode: patronCard(3),
          firstName: 'Dolores',
          lastName: 'Preciado',
          categoryCode: 'ADULT',
          homeBranchId: southId,
        },
        t,
      ).patron;
      n.patrons.update(juan.id, { email: 'juan@example.org' }, t);
      n.patrons.renewCard(juan.id, t);
      n.patrons.setPin(juan.id, '1234', t);
      n.patrons.addBlock(juan.id, { kind: 'lost_card', reason: 'lost his card' }, t);
      n.patrons.replaceCard(juan.id, patronCard(2), t);
      const blocked = n.patrons.addBlock(juan.id, { kind: 'manual', reason: 'call us', until: '2026-12-31' }, t);
      n.patrons.removeBlock(blocked.blocks[0]!.id, t);
      n.circulation.checkout({ patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) }, t);
      n.circulation.renew({ itemBarcode: itemBarcode(1) }, t);
      const hold = n.holds.place({ patronId: dolores.id, recordId: title.id, pickupBranchId: southId }, t);
      n.holds.suspend(hold.id, '2026-11-17', t);
      n.holds.suspend(hold.id, null, t);
      n.catalogue.inHouseUse(itemBarcode(2), t);
      n.catalogue.setItemStatus(itemBarcode(2), 'damaged', t);
      const fee = n.fees.charge(
        { patronId: juan.id, kind: 'damage', amount: 300, description: 'torn page', itemId: copy.id },
        t,
      );
      n.fees.pay({ patronId: juan.id, tendered: 500, amount: 100 }, t);
      n.fees.waive({ feeId: fee.id, reason: 'goodwill' }, alice);
      clock.now += 30 * 86_400_000;
      // Back, and trapped for Dolores's hold at the South (in transit); two days on, the loan
      // history is unlinked from Juan (a system entry, no staff account).
      n.circulation.checkin({ itemBarcode: itemBarcode(1) }, t);
      clock.now += 2 * 86_400_000;
      expect(purgeExpiredLoanHistory(n.ctx)).toBe(1);
      // A kiosk session lends with no staff account.
      n.circulation.checkout(
        { patronBarcode: patronCard(2), itemBarcode: itemBarcode(2) },
        { kind: 'kiosk', staffId: null, patronId: juan.id },
      );
      // A self-check over SIP2 checks it in: its account saved by the administrator, its entry signed by the station.
      const selfCheck = n.sip2.save(
        { login: 'selfcheck1', password: 'sc-secret-1', branchId: northId, allowed: ['checkout', 'checkin'] },
        alice,
      );
      n.circulation.checkin(
        { itemBarcode: itemBarcode(2) },
        { kind: 'sip', staffId: null, sip: { accountId: selfCheck.id, login: selfCheck.login } },
      );
      n.holds.clearExpired(t);
      await sync(n);
      const legit = await received(n);
      expect(legit.length).toBe((n.store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n);
      // (The hub's circulation sense may add a warning, as for the purge of a loan returned at a desk; never a rejection.)
      expect(
        legit.filter((r) => r.outcome === 'rejected' || r.outcome === 'conflict'),
        'every legitimate desk command applies',
      ).toEqual([]);
      expect(
        legit
          .filter(
            (r) =>
              r.command.startsWith('circulation.') ||
              r.command.startsWith('staff.') ||
              r.command.startsWith('settings.'),
          )
          .every((r) => r.outcome === 'applied'),
      ).toBe(true);

      // A tampered desk: the technician's session writes what only an administrator may, straight
      // through the services (the desk's own permission check skipped).
      n.admin.saveStaff(
        { username: 'mallory', displayName: 'Mallory', role: 'admin', password: 'mallory password' },
        t,
      );
      n.admin.saveStaff({ id: tom.id, username: 'tom', displayName: 'Tom', role: 'admin' }, t);
      n.admin.updateSettings({ maxFeesOwed: null }, t);
      n.admin.addClosedDay(southId, { kind: 'date', date: '2026-11-18' }, t);
      // The station's key alone makes a SIP2 account (the CLI without --admin), which then lends.
      const rogue = n.sip2.save(
        { login: 'rogue', password: 'rogue-pass', branchId: northId, allowed: ['checkout', 'checkin', 'fees'] },
        { kind: 'system', staffId: null },
      );
      n.circulation.checkout(
        { patronBarcode: patronCard(3), itemBarcode: itemBarcode(2) },
        { kind: 'sip', staffId: null, sip: { accountId: rogue.id, login: rogue.login } },
      );
      await sync(n);
      const tampered = (await received(n)).slice(legit.length);
      expect(tampered.map((r) => [r.command, r.outcome])).toEqual([
        ['staff.save', 'rejected'],
        ['staff.save', 'rejected'],
        ['settings.update', 'rejected'],
        ['calendar.addClosedDay', 'rejected'],
        ['sip2.saveAccount', 'rejected'],
        ['circulation.checkout', 'rejected'],
      ]);
      expect(tampered.slice(-2).map((r) => r.reason)).toEqual([
        'sip2.saveAccount must be signed by a staff account, not by the station',
        `SIP2 account ${rogue.id} is unknown at the hub`,
      ]);
      expect(tampered[0]!.reason).toBe('staff account tom lacks the manage_staff permission for staff.save');
      // The rows the hub had came back to the tampered desk with the hub's version; what it made
      // up stays in its own file only.
      await sync(n);
      expect(n.store.db.prepare("SELECT role FROM staff WHERE username = 'tom'").get()).toEqual({ role: 'technician' });
      expect(n.admin.settings().maxFeesOwed).toBe(2500);

      // Another station joins and syncs: the library as the administrator made it, nothing forged.
      const s = await station('S');
      await sync(s);
      expect(s.store.db.prepare('SELECT username, role FROM staff ORDER BY username').all()).toEqual([
        { username: 'alice', role: 'admin' },
        { username: 'desk', role: 'supervisor' },
        { username: 'tom', role: 'technician' },
      ]);
      expect(s.admin.settings().maxFeesOwed).toBe(2500);
      expect(s.admin.listClosedDays(southId)).toEqual([]);
      expect(
        s.admin
          .listClosedDays(northId)
          .map((d) => d.kind)
          .sort(),
      ).toEqual(['weekly', 'yearly']);
      // The imports reached the other station whole: each record with its MARC, its copies, the patron.
      expect(s.store.db.prepare('SELECT count(*) AS n FROM records WHERE marc IS NOT NULL').get()).toEqual({ n: 30 });
      expect(
        s.store.db
          .prepare(
            "SELECT count(*) AS n FROM items i JOIN records r ON r.id = i.record_id WHERE r.title LIKE 'Generated book%'",
          )
          .get(),
      ).toEqual({ n: 40 });
      expect(s.store.db.prepare('SELECT last_name FROM patrons WHERE card_barcode = ?').get(patronCard(50))).toEqual({
        last_name: 'Import',
      });
      expect(
        legit
          .filter((r) => r.command === 'catalogue.importRecords' || r.command === 'patrons.importBatch')
          .map((r) => r.outcome),
      ).toEqual(['applied', 'applied']);
    } finally {
      for (const o of opened) {
        o.s.close();
        rmSync(o.dir, { recursive: true, force: true });
      }
      await server.close();
      await db.close();
    }
  }, 180_000);
});
