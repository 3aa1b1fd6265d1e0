// What the hub makes of entries a SIP2 account's requests wrote (src/hub/authority.ts): signed by
// the station's key and naming the account, they are taken only when the hub's own row of that
// account (written by an administrator) is active, of the pushing station's branch, and allowed
// the command. A forged account, a station inventing one, another branch's account, a command the
// account may not do, and a signature not the station's are each rejected and change nothing.
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/domain/journal';
import { migrateHub } from '../../src/hub/db';
import { Hub, type StationIdentity } from '../../src/hub/hub';
import { hashSecret } from '../../src/shared/secrets';
import { newKeyPair, signEntry, unsealPrivateKey } from '../../src/shared/signing';
import { databases, dropSchemas, item, Journals, loan, patron, up } from './fixtures';

afterAll(dropSchemas);

const t0 = Date.UTC(2026, 10, 20, 15);
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
const PASSWORD_HASH = hashSecret('sc-secret-1');
const sipAccount = (id: string, login: string, branchId: string, allowed: string, active = true) =>
  up('sip_accounts', {
    id,
    login,
    passwordHash: PASSWORD_HASH,
    branchId,
    allowed,
    requirePin: false,
    errorDetection: false,
    active,
    createdAt: t0,
    updatedAt: t0,
  });
const fee = (id: string, patronId: string, outstanding: number) =>
  up('fees', {
    id,
    patronId,
    kind: 'manual',
    amount: 500,
    outstanding,
    currency: 'USD',
    loanId: null,
    itemId: null,
    description: 'damage',
    createdAt: t0,
  });

describe.each(databases())('SIP2 entries at the hub, on %s', (_name, open) => {
  it('takes a SIP2 check-out for an active account of the branch, and rejects forged ones', async () => {
    const db = await open();
    try {
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
      const sealed = (
        await db.query<{ sealed: string }>(
          `SELECT data->>'sealedKey' AS sealed FROM rows WHERE table_name = 'staff' AND id = $1`,
          [alice],
        )
      )[0]!.sealed;
      j.signer(alice, (await unsealPrivateKey(sealed, 'alice password'))!);
      await j.desk(db, north, 'desk', 'supervisor');
      const push = async (station: StationIdentity, ...entries: JournalEntry[]) =>
        (await hub.push(station, entries, Date.now())).outcomes.map((o) => [o.outcome, o.reason]);
      const rows = async (table: string) =>
        (
          await db.query<{ id: string }>('SELECT id FROM rows WHERE table_name = $1 AND deleted = 0 ORDER BY id', [
            table,
          ])
        ).map((r) => r.id);
      /** An entry as a SIP2 request writes it: no staff account, the account named, signed by the station. */
      const bySip = (
        station: StationIdentity,
        accountId: string,
        command: string,
        effects: JournalEntry['payload']['effects'],
        at: number,
      ) => {
        const e = j.entry(station, command, effects, at, undefined, null);
        return j.sign({ ...e, payload: { ...e.payload, actor: { kind: 'sip', sipAccountId: accountId } } }, station);
      };

      // The library, and Alice's SIP2 accounts: a self-check at North, a check-in-only sorter at North, one at South.
      expect(
        await push(
          A,
          j.entry(A, 'catalogue.addRecord', [record('r1')], t0),
          j.entry(A, 'catalogue.addItem', [item('i1', 'available', north), item('i2', 'available', north)], t0),
          j.entry(A, 'patrons.register', [patron('ana', '21', north)], t0),
          j.entry(A, 'fees.charge', [fee('f1', 'ana', 500)], t0),
          j.entry(
            A,
            'sip2.saveAccount',
            [sipAccount('sc-north', 'selfcheck1', north, 'checkout,checkin,renew,patron_info')],
            t0,
            undefined,
            alice,
          ),
          j.entry(
            A,
            'sip2.saveAccount',
            [sipAccount('sorter-north', 'sorter1', north, 'checkin')],
            t0,
            undefined,
            alice,
          ),
          j.entry(
            A,
            'sip2.saveAccount',
            [sipAccount('sc-south', 'selfcheck-s', south, 'checkout')],
            t0,
            undefined,
            alice,
          ),
        ),
      ).toEqual(Array(7).fill(['applied', undefined]));

      // The legitimate one: North's self-check lends i1 to Ana.
      expect(
        await push(
          A,
          bySip(
            A,
            'sc-north',
            'circulation.checkout',
            [loan('L1', 'i1', 'ana', north, t0 + 1000), item('i1', 'on_loan', north)],
            t0 + 1000,
          ),
        ),
      ).toEqual([['applied', undefined]]);
      expect(await rows('loans')).toEqual(['L1']);

      const forged = await push(
        A,
        // An account the hub has never heard of.
        bySip(
          A,
          'made-up',
          'circulation.checkout',
          [loan('L2', 'i2', 'ana', north, t0 + 2000), item('i2', 'on_loan', north)],
          t0 + 2000,
        ),
        // The sorter may check in, not lend.
        bySip(
          A,
          'sorter-north',
          'circulation.checkout',
          [loan('L3', 'i2', 'ana', north, t0 + 3000), item('i2', 'on_loan', north)],
          t0 + 3000,
        ),
        // The self-check may not take money.
        bySip(A, 'sc-north', 'fees.pay', [fee('f1', 'ana', 0)], t0 + 4000),
        // North's station using South's account.
        bySip(
          A,
          'sc-south',
          'circulation.checkout',
          [loan('L4', 'i2', 'ana', north, t0 + 5000), item('i2', 'on_loan', north)],
          t0 + 5000,
        ),
        // The station's key alone inventing an account that may do everything (`sip2 add-account` without --admin on a hub's station).
        j.entry(
          A,
          'sip2.saveAccount',
          [sipAccount('rogue', 'rogue', north, 'checkout,checkin,renew,fees,hold,patron_info,block')],
          t0 + 6000,
          undefined,
          null,
        ),
      );
      expect(forged).toEqual([
        ['rejected', 'SIP2 account made-up is unknown at the hub'],
        ['rejected', 'SIP2 account sorter1 is not allowed checkout (circulation.checkout)'],
        ['rejected', 'SIP2 account selfcheck1 is not allowed fees (fees.pay)'],
        ['rejected', "SIP2 account selfcheck-s acts for another branch than this station's"],
        ['rejected', 'sip2.saveAccount must be signed by a staff account, not by the station'],
      ]);
      // The same entry signed by a key that is not the station's.
      const e = bySip(
        A,
        'sc-north',
        'circulation.checkin',
        [
          loan('L1', 'i1', 'ana', north, t0 + 1000, { returnedAt: t0 + 7000, returnBranchId: north }),
          item('i1', 'available', north),
        ],
        t0 + 7000,
      );
      const { seq: _s, signature: _g, ...unsigned } = e;
      expect(await push(A, { ...e, signature: signEntry(unsigned, newKeyPair().privateKey) })).toEqual([
        ['rejected', "the entry's signature is not this station's"],
      ]);
      // South's station with its own account: a check-in is not something that account may do.
      expect(
        await push(B, bySip(B, 'sc-south', 'circulation.checkin', [item('i2', 'available', north)], t0 + 8000)),
      ).toEqual([['rejected', 'SIP2 account selfcheck-s is not allowed checkin (circulation.checkin)']]);
      // Nothing the forged entries wrote is there.
      expect(await rows('loans')).toEqual(['L1']);
      expect(await rows('sip_accounts')).toEqual(['sc-north', 'sc-south', 'sorter-north']);
      const f1 = (
        await db.query<{ data: { outstanding: number } }>(
          `SELECT data FROM rows WHERE table_name = 'fees' AND id = 'f1'`,
        )
      )[0]!.data;
      expect(f1.outstanding).toBe(500);

      // A removed account acts no more.
      expect(
        await push(
          A,
          j.entry(
            A,
            'sip2.removeAccount',
            [sipAccount('sc-north', 'selfcheck1', north, 'checkout,checkin,renew,patron_info', false)],
            t0 + 9000,
            undefined,
            alice,
          ),
        ),
      ).toEqual([['applied', undefined]]);
      expect(
        await push(
          A,
          bySip(
            A,
            'sc-north',
            'circulation.checkout',
            [loan('L5', 'i2', 'ana', north, t0 + 10_000), item('i2', 'on_loan', north)],
            t0 + 10_000,
          ),
        ),
      ).toEqual([['rejected', 'SIP2 account selfcheck1 is not active at the hub']]);

      // A station of another branch receives a SIP2 account without its password hash.
      const pulled = await hub.changes(0, 5000, B);
      const southView = pulled.changes.find((r) => r.table === 'sip_accounts' && r.row.id === 'sc-north');
      expect(southView?.row.passwordHash).toBe('');
    } finally {
      await db.close();
    }
  }, 60_000);
});
