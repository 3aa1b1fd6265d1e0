// Shared by the hub tests: the hub on PGlite and on a fresh PostgreSQL schema, and journal
// entries built the way a station writes them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { JournalEntry, RowChange } from '../../src/domain/journal';
import { openHubDb, type HubDb } from '../../src/hub/db';
import type { StationIdentity } from '../../src/hub/hub';

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

/** Writes entries for stations with gapless seqs, as their journals would. */
export class Journals {
  private seqs = new Map<string, number>();
  entry(station: StationIdentity, command: string, effects: RowChange[], at: number, overrides?: JournalEntry['payload']['overrides']): JournalEntry {
    const seq = (this.seqs.get(station.stationId) ?? 0) + 1;
    this.seqs.set(station.stationId, seq);
    return {
      id: `${station.stationId}-${seq}`,
      stationId: station.stationId,
      seq,
      hlc: `${new Date(at).toISOString()}-0000-${station.stationId}`,
      wallTime: at,
      staffId: null,
      branchId: station.branchId,
      command,
      payload: { input: {}, effects, ...(overrides ? { overrides } : {}) },
    };
  }
}

export const up = (table: RowChange['table'], row: Record<string, unknown> & { id: string }): RowChange => ({ table, op: 'upsert', row });
export const loan = (id: string, itemId: string, patronId: string, branchId: string, checkedOutAt: number, extra: Record<string, unknown> = {}) =>
  up('loans', { id, itemId, patronId, branchId, checkedOutAt, dueAt: checkedOutAt + 21 * 864e5, renewals: 0, lastRenewedAt: null, returnedAt: null, returnBranchId: null, ...extra });
export const item = (id: string, status: string, branchId: string) =>
  up('items', { id, barcode: `b-${id}`, recordId: 'r1', homeBranchId: branchId, currentBranchId: branchId, itemTypeCode: 'BOOK', status, damaged: false, notForLoan: false, replacementPrice: 2000, transitToBranchId: null });
export const patron = (id: string, card: string, branchId: string) =>
  up('patrons', { id, cardBarcode: card, firstName: id, lastName: 'R', email: null, phone: null, address: null, homeBranchId: branchId, categoryCode: 'ADULT', cardExpiresOn: '2030-01-01', pinHash: null, notes: '', keepReadingHistory: false, createdAt: 1 });
