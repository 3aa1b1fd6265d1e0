// A new hub made from a stand-alone station (`npm run hub -- admin init --from-station
// <station.db>`): the library that started alone on one desk becomes the first station of a hub
// instead of starting over.
//
// The station's whole journal is received as if the station had pushed it from its first day,
// through the same checks and circulation sense as any push (src/hub/hub.ts receive), all in one
// transaction: the hub then holds the library, its configuration, staff (with their signing keys),
// SIP2 accounts and history, with every entry recorded in `received` under the station's own id
// and seqs. Two of the station's acts no running hub takes from a station are taken here once,
// because running this command is the administrator's act (src/hub/authority.ts,
// foundingSignerOf): the library's set-up, signed by the station's key, and an account adopting
// its first signing key. Everything else must pass as it would in a push; one entry the hub
// would reject, and nothing is written.
//
// The station itself is enrolled, not yet joined: the hub holds its id and public key, and prints
// a one-time code for it. `npm run station -- hub join` exchanges the code for the station's
// credential and the seq through which the hub holds its journal (src/station/sync.ts,
// joinHubWithOwnLibrary), so what the hub has is never pushed again.
import { createHash, randomBytes } from 'node:crypto';
import type { Outcome } from '../api/sync-protocol';
import type { JournalEntry } from '../domain/journal';
import { writeRows } from './row-store';
import type { Queryable } from './db';
import { HubError, type Hub, type StationIdentity } from './hub';

export interface FoundingBranch {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}

/** What the hub needs of the station it is made from (read by src/cli/hub-from-station.ts). */
export interface FoundingStation {
  stationId: string;
  /** The station's name at the hub (admin stations). */
  stationName: string;
  branchId: string;
  /** The station's own signing key (SPKI DER, base64): its set-up and kiosk entries are checked with it. */
  publicKey: string;
  libraryName: string;
  branches: FoundingBranch[];
  /** The journal in seq order, a batch at a time, with the secrets its entries refer to. */
  journal(): AsyncIterable<{ entries: JournalEntry[]; secrets: Record<string, string> }>;
}

export interface FoundingReport {
  entries: number;
  outcomes: Record<Outcome, number>;
  branchCode: string;
  /** The one-time code the station joins with (24 hours, once). */
  code: string;
  rows: number;
  staff: number;
}

/** Why a hub is not empty, or null: a library, a branch, a row, a station or an entry received. */
async function whyNotEmpty(tx: Queryable): Promise<string | null> {
  const [c] = await tx.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM library) AS library, (SELECT count(*) FROM branches) AS branches, (SELECT count(*) FROM rows) AS library_rows,
            (SELECT count(*) FROM stations) AS stations, (SELECT count(*) FROM received) AS received, (SELECT count(*) FROM exceptions) AS exceptions`,
  );
  const held = Object.entries(c!).filter(([, n]) => Number(n) > 0);
  if (held.length === 0) return null;
  const name = (await tx.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name;
  return `${name ? `the library "${name}"` : 'a library'} (${held.map(([what, n]) => `${n} ${what.replace('_', ' ')}`).join(', ')})`;
}

/**
 * Seeds an empty hub with the station's library and history and enrols the station. Refused,
 * with nothing written, when the hub is not empty or when an entry of the journal would be
 * rejected (the message names it).
 */
export async function foundHubFromStation(hub: Hub, station: FoundingStation): Promise<FoundingReport> {
  const home = station.branches.find((b) => b.id === station.branchId);
  if (!home)
    throw new HubError(422, 'INVALID', `The station's own branch ${station.branchId} is not among its branches.`);
  return writeRows(hub.db, async (tx) => {
    // admin init's lock: two inits at once take turns, and the second finds the hub full.
    await tx.query('SELECT pg_advisory_xact_lock(7401)');
    const full = await whyNotEmpty(tx);
    if (full)
      throw new HubError(
        409,
        'HUB_NOT_EMPTY',
        `This hub already holds ${full}: a hub is made from a station only while it is empty. Give init --from-station a new --data folder (or an empty PostgreSQL database or schema).`,
      );
    await tx.query('INSERT INTO library (id, name) VALUES (1, $1)', [station.libraryName]);
    for (const b of station.branches) {
      // The hub's own list of branches, which enrolment codes name (the rows come with the journal).
      await tx.query('INSERT INTO branches (id, code, name, time_zone) VALUES ($1, $2, $3, $4)', [
        b.id,
        b.code,
        b.name,
        b.timeZone,
      ]);
    }
    // Enrolled but not joined: no credential works until the station exchanges its code.
    const unusable = createHash('sha256').update(randomBytes(32)).digest('hex');
    await tx.query(
      'INSERT INTO stations (id, name, branch_id, credential_hash, created_at, public_key) VALUES ($1, $2, $3, $4, $5, $6)',
      [station.stationId, station.stationName, station.branchId, unusable, Date.now(), station.publicKey],
    );
    const identity: StationIdentity = {
      stationId: station.stationId,
      branchId: station.branchId,
      publicKey: station.publicKey,
    };
    const outcomes: Record<Outcome, number> = { applied: 0, applied_with_warning: 0, conflict: 0, rejected: 0 };
    let entries = 0;
    for await (const batch of station.journal()) {
      const answered = await hub.receiveFounding(tx, identity, batch.entries, batch.secrets);
      const byId = new Map(answered.map((o) => [o.id, o]));
      for (const entry of batch.entries) {
        const o = byId.get(entry.id);
        if (!o)
          throw new HubError(
            422,
            'STATION_JOURNAL_REFUSED',
            `The station's journal has a gap before seq ${entry.seq}: the hub takes a journal whole. Nothing was written to the hub.`,
          );
        if (o.outcome === 'rejected') {
          throw new HubError(
            422,
            'STATION_JOURNAL_REFUSED',
            `The station's journal does not go into a hub as it is: entry ${entry.seq} (${entry.command}, ${new Date(entry.wallTime).toISOString()}) would be rejected: ${o.reason ?? 'no reason given'}. Nothing was written to the hub.`,
          );
        }
        outcomes[o.outcome] += 1;
        entries += 1;
      }
    }
    if (entries === 0) throw new HubError(422, 'INVALID', 'The station has no journal: it was never set up.');
    const code = await hub.createEnrolmentCode(home.code, station.stationId, tx);
    const counts = await tx.query<{ rows: string; staff: string }>(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE table_name = 'staff') AS staff FROM rows WHERE deleted = 0`,
    );
    return {
      entries,
      outcomes,
      branchCode: home.code,
      code,
      rows: Number(counts[0]!.rows),
      staff: Number(counts[0]!.staff),
    };
  });
}
