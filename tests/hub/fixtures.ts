// Shared by the hub tests: the hub on PGlite and on a fresh PostgreSQL schema, and journal
// entries built the way a station writes them.
import { randomBytes, type KeyObject } from 'node:crypto';
import pg from 'pg';
import type { JournalEntry, RowChange } from '../../src/domain/journal';
import { openHubDb, type HubDb } from '../../src/hub/db';
import type { StationIdentity } from '../../src/hub/hub';
import { putRow, writeRows } from '../../src/hub/row-store';
import { hashSecret } from '../../src/shared/secrets';
import { newKeyPair, publicKeyOf, signEntry } from '../../src/shared/signing';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

export function freshSchema(): string {
  const schema = `hub_test_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

/** Both databases the hub runs on; each call opens an empty one. */
export function databases(): [string, () => Promise<HubDb>][] {
  return [
    ['PGlite', () => openHubDb({})],
    ['PostgreSQL', () => openHubDb({ databaseUrl: PG_URL, schema: freshSchema() })],
  ];
}

/** Drops the schemas this test file created (call from afterAll). */
export async function dropSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  for (const s of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await client.end();
}

/**
 * Writes entries for stations with gapless seqs, signed, as their journals would. An entry is
 * signed by its staff account's key (one the test made, see `signer` and `desk`) or, naming no
 * account, by its station's key: the station identity passed in learns that key (`publicKey`),
 * as the hub's record of the station would, and `stationPublicKey` gives it for a push over HTTP.
 */
export class Journals {
  private seqs = new Map<string, number>();
  private readonly stationKeys = new Map<string, KeyObject>();
  /** The identity objects entries were written for, so a re-signed entry tells the same one its station's key. */
  private readonly identities = new Map<string, StationIdentity>();
  private readonly staffKeys = new Map<string, KeyObject>();
  /** The account entries name when the test names none (set by `desk`). */
  defaultStaff: string | null = null;

  signer(staffId: string, key: KeyObject): void {
    this.staffKeys.set(staffId, key);
  }

  /** An active account ('test-desk', an administrator, unless told otherwise) at the hub, with a key this fixture signs with: the default author of entries from now on. */
  async desk(
    db: HubDb,
    branchId: string,
    id = 'test-desk',
    role: 'admin' | 'supervisor' | 'technician' = 'admin',
  ): Promise<string> {
    const key = newKeyPair();
    await writeRows(db, (tx) =>
      putRow(tx, 'staff', {
        id,
        username: id,
        displayName: 'Test desk',
        role,
        branchId,
        passwordHash: hashSecret('test desk password'),
        active: true,
        publicKey: key.publicKey,
        sealedKey: null,
      }),
    );
    this.signer(id, key.privateKey);
    this.defaultStaff = id;
    return id;
  }

  stationPublicKey(station: StationIdentity): string {
    return publicKeyOf(this.stationKey(station));
  }

  private stationKey(station: StationIdentity): KeyObject {
    let key = this.stationKeys.get(station.stationId);
    if (!key) {
      key = newKeyPair().privateKey;
      this.stationKeys.set(station.stationId, key);
    }
    station.publicKey = publicKeyOf(key);
    return key;
  }

  /** Signs an entry again, as its (possibly changed) staff account or its station. */
  sign(entry: JournalEntry, station?: StationIdentity): JournalEntry {
    const { seq: _seq, signature: _sig, ...unsigned } = entry;
    if (station) this.identities.set(station.stationId, station);
    const identity = station ??
      this.identities.get(entry.stationId) ?? { stationId: entry.stationId, branchId: entry.branchId };
    const key = entry.staffId ? this.staffKeys.get(entry.staffId) : this.stationKey(identity);
    // An account the test made no key for signs with a key of its own that the hub does not hold.
    return { ...entry, signature: signEntry(unsigned, key ?? newKeyPair().privateKey) };
  }

  entry(
    station: StationIdentity,
    command: string,
    effects: RowChange[],
    at: number,
    overrides?: JournalEntry['payload']['overrides'],
    staffId: string | null = this.defaultStaff,
  ): JournalEntry {
    const seq = (this.seqs.get(station.stationId) ?? 0) + 1;
    this.seqs.set(station.stationId, seq);
    return this.sign(
      {
        id: `${station.stationId}-${seq}`,
        stationId: station.stationId,
        seq,
        hlc: `${new Date(at).toISOString()}-0000-${station.stationId}`,
        wallTime: at,
        staffId,
        branchId: station.branchId,
        command,
        payload: { input: {}, effects, ...(overrides ? { overrides } : {}) },
      },
      station,
    );
  }
}

export const up = (table: RowChange['table'], row: Record<string, unknown> & { id: string }): RowChange => ({
  table,
  op: 'upsert',
  row,
});
export const loan = (
  id: string,
  itemId: string,
  patronId: string,
  branchId: string,
  checkedOutAt: number,
  extra: Record<string, unknown> = {},
) =>
  up('loans', {
    id,
    itemId,
    patronId,
    branchId,
    checkedOutAt,
    dueAt: checkedOutAt + 21 * 864e5,
    renewals: 0,
    lastRenewedAt: null,
    returnedAt: null,
    returnBranchId: null,
    ...extra,
  });
export const item = (id: string, status: string, branchId: string) =>
  up('items', {
    id,
    barcode: `b-${id}`,
    recordId: 'r1',
    homeBranchId: branchId,
    currentBranchId: branchId,
    itemTypeCode: 'BOOK',
    status,
    damaged: false,
    notForLoan: false,
    replacementPrice: 2000,
    transitToBranchId: null,
  });
export const patron = (id: string, card: string, branchId: string) =>
  up('patrons', {
    id,
    cardBarcode: card,
    firstName: id,
    lastName: 'R',
    email: null,
    phone: null,
    address: null,
    homeBranchId: branchId,
    categoryCode: 'ADULT',
    cardExpiresOn: '2030-01-01',
    pinHash: null,
    notes: '',
    keepReadingHistory: false,
    createdAt: 1,
  });
