// The hub's work: the library and its branches, enrolling stations, receiving their journals
// exactly once and in order, and the change feed they pull. No state lives in memory: several
// hub processes can serve one PostgreSQL database.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { JournalEntry, RowChange, SyncedTable } from '../domain/journal';
import type {
  ChangesResponse,
  EnrolResponse,
  ExceptionNotice,
  ExceptionsResponse,
  Outcome,
  PushResponse,
  StationClock,
} from '../api/sync-protocol';
import { MIN_CLOCK_UNCERTAINTY_MS } from '../domain/clock-offset';
import { DEFAULT_RULE } from '../domain/rules';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { hashSecret } from '../shared/secrets';
import { newKeyPair, sealPrivateKey } from '../shared/signing';
import { applyEntry, type PushClock } from './apply';
import { lockWhatEntriesTouch, prefetchBatch, putRow, writeRows } from './row-store';
import type { ApplyResult, HubException } from './verdicts';
import type { HubDb, Queryable } from './db';
import { exceptionsFeed, listExceptions, newExceptionNotice, resolveIn, type HubExceptionView } from './exceptions';
import { refuseEntry, screenEntry } from './policy';
import { entryTooLarge, MAX_ENTRY_BYTES, stationClockProblem } from './request-limits';
import type { StationIdentity } from './station-identity';

export type { StationIdentity };

interface Received {
  outcomes: PushResponse['outcomes'];
  exceptions: ExceptionNotice[];
  /** The next seq the hub wants from the station, as of the end of this transaction. */
  expectedSeq?: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ENROLMENT_TTL_MS = 24 * 60 * 60 * 1000;
/** A station's own clock measurement further than this from the hub's one-way one is stale (see Hub.pushClock). */
const STALE_CLOCK_MS = 5_000;

export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** More facts for the answer's body (a refused clock's measured offset). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class Hub {
  constructor(
    readonly db: HubDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hub's clock (the server stamps a request's arrival with it). */
  clock(): number {
    return this.now();
  }

  /**
   * Creates the library at the hub: its settings, default categories, item types and rules, as
   * rows every station receives with its first sync. Run again, it only renames the library: the
   * rules staff have edited since are kept.
   */
  async init(input: {
    libraryName: string;
    currency?: string;
    locale?: string;
    admin?: { username: string; displayName: string; password: string; branchCode: string };
  }): Promise<void> {
    await writeRows(this.db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7401)');
      const exists = (await tx.query('SELECT 1 FROM library WHERE id = 1')).length > 0;
      await tx.query(
        'INSERT INTO library (id, name) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
        [input.libraryName],
      );
      if (exists) return;
      const settings = {
        ...DEFAULT_SETTINGS,
        name: input.libraryName,
        currency: input.currency ?? 'USD',
        locale: input.locale ?? 'en-US',
      };
      await putRow(tx, 'settings', { id: 'library', value: JSON.stringify(settings) });
      for (const c of [
        { code: 'ADULT', name: 'Adult', cardValidityDays: 1095 },
        { code: 'CHILD', name: 'Child', cardValidityDays: 1095 },
      ]) {
        await putRow(tx, 'patron_categories', { id: c.code, ...c });
      }
      for (const t of [
        { code: 'BOOK', name: 'Book', notForLoan: false },
        { code: 'DVD', name: 'DVD', notForLoan: false },
        { code: 'REF', name: 'Reference', notForLoan: true },
      ]) {
        await putRow(tx, 'item_types', { id: t.code, ...t });
      }
      await putRow(tx, 'circulation_rules', { ...DEFAULT_RULE, id: 'default-rule' });
      await putRow(tx, 'patron_limits', {
        id: 'default-limits',
        branchId: '*',
        categoryCode: '*',
        totalMaxLoans: 50,
        maxHolds: 20,
      });
    });
    if (input.admin) await this.addAdmin(input.admin);
  }

  /**
   * A staff account with the admin role; its password is stored only as an scrypt hash, and
   * stations receive that hash so staff can sign in offline. Its signing key is made here: the
   * public half is what the hub checks the administrator's entries with, the private half travels
   * sealed with the password, opened only where the administrator signs in.
   */
  async addAdmin(admin: {
    username: string;
    displayName: string;
    password: string;
    branchCode: string;
  }): Promise<string> {
    const branchId = (
      await this.db.query<{ id: string }>('SELECT id FROM branches WHERE code = $1', [admin.branchCode])
    )[0]?.id;
    if (!branchId) throw new HubError(404, 'NOT_FOUND', `No branch ${admin.branchCode}: add it first.`);
    const username = admin.username.toLowerCase();
    const taken = await this.db.query(
      `SELECT 1 FROM rows WHERE table_name = 'staff' AND deleted = 0 AND data->>'username' = $1`,
      [username],
    );
    if (taken.length > 0) throw new HubError(409, 'CONFLICT', `There is already a staff account ${username}.`);
    const id = uuidv7();
    const key = newKeyPair();
    await writeRows(this.db, (tx) =>
      putRow(tx, 'staff', {
        id,
        username,
        displayName: admin.displayName,
        role: 'admin',
        branchId,
        passwordHash: hashSecret(admin.password),
        active: true,
        publicKey: key.publicKey,
        sealedKey: sealPrivateKey(key.privateKey, admin.password),
      }),
    );
    return id;
  }

  /** An active administrator's password hash, by username (the admin API signs in with it); null for anyone else. */
  async adminAccount(username: string): Promise<{ id: string; passwordHash: string } | null> {
    const r = (
      await this.db.query<{ id: string; data: { role?: string; active?: boolean; passwordHash?: string } }>(
        `SELECT id, data FROM rows WHERE table_name = 'staff' AND deleted = 0 AND data->>'username' = $1`,
        [username.toLowerCase()],
      )
    )[0];
    if (!r || r.data.role !== 'admin' || r.data.active === false || !r.data.passwordHash) return null;
    return { id: r.id, passwordHash: r.data.passwordHash };
  }

  /** Branch id -> code, for listings. */
  async branchCodes(): Promise<Record<string, string>> {
    return Object.fromEntries(
      (await this.db.query<{ id: string; code: string }>('SELECT id, code FROM branches')).map((b) => [b.id, b.code]),
    );
  }

  async libraryName(): Promise<string> {
    return (await this.db.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name ?? 'Library';
  }

  /** A branch is library data too: it travels to every station through the change feed. */
  async addBranch(branch: { code: string; name: string; timeZone: string }): Promise<string> {
    const existing = await this.db.query<{ id: string }>('SELECT id FROM branches WHERE code = $1', [branch.code]);
    const id = existing[0]?.id ?? uuidv7();
    await writeRows(this.db, async (tx) => {
      await tx.query(
        'INSERT INTO branches (id, code, name, time_zone) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone',
        [id, branch.code, branch.name, branch.timeZone],
      );
      await putRow(tx, 'branches', { id, code: branch.code, name: branch.name, timeZone: branch.timeZone });
    });
    return id;
  }

  /** The enrolled stations, with when each last pushed and how far its clock was off then. */
  async listStations(): Promise<
    { id: string; name: string; branchCode: string; lastSeenAt: number | null; clockOffsetMs: number | null }[]
  > {
    const rows = await this.db.query<{
      id: string;
      name: string;
      code: string;
      last_seen_at: string | null;
      clock_offset_ms: string | null;
    }>(
      'SELECT s.id, s.name, b.code, s.last_seen_at, s.clock_offset_ms FROM stations s JOIN branches b ON b.id = s.branch_id ORDER BY s.created_at',
    );
    const num = (v: string | null) => (v === null ? null : Number(v));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      branchCode: r.code,
      lastSeenAt: num(r.last_seen_at),
      clockOffsetMs: num(r.clock_offset_ms),
    }));
  }

  /**
   * Removes a station (a lost or stolen desk PC): its credential and signing key stop working at
   * once. What it pushed stays; its unpushed work is lost with it. Answers whether it was there.
   */
  async removeStation(stationId: string): Promise<boolean> {
    return (
      (await this.db.query<{ id: string }>('DELETE FROM stations WHERE id = $1 RETURNING id', [stationId])).length > 0
    );
  }

  /**
   * A one-time code, shown once to whoever installs the station; stored only as a hash. With
   * `stationId`, the code enrols that station, which the hub already holds (the station a new hub
   * was made from, src/hub/founding.ts) and which joins with its own id and journal.
   */
  async createEnrolmentCode(
    branchCode: string,
    stationId: string | null = null,
    q: Queryable = this.db,
  ): Promise<string> {
    const branch = (await q.query<{ id: string }>('SELECT id FROM branches WHERE code = $1', [branchCode]))[0];
    if (!branch) throw new HubError(404, 'NOT_FOUND', `No branch ${branchCode}.`);
    if (
      stationId !== null &&
      (await q.query('SELECT 1 FROM stations WHERE id = $1 AND branch_id = $2', [stationId, branch.id])).length === 0
    ) {
      throw new HubError(404, 'NOT_FOUND', `No station ${stationId} at branch ${branchCode}.`);
    }
    const code = randomBytes(9).toString('base64url');
    await q.query(
      'INSERT INTO enrolment_codes (code_hash, branch_id, expires_at, station_id) VALUES ($1, $2, $3, $4)',
      [sha256(code), branch.id, this.now() + ENROLMENT_TTL_MS, stationId],
    );
    return code;
  }

  /**
   * Enrols a station with a one-time code. A new station gets a new id. The station a hub was made
   * from (`existingStationId`, with the key the hub took from its file) keeps its id, and hears how
   * far the hub holds its journal: it never sends those entries again.
   */
  async enrol(
    code: string,
    stationName: string,
    publicKey: string | null = null,
    existingStationId: string | null = null,
  ): Promise<EnrolResponse> {
    return this.db.transaction(async (tx) => {
      const row = (
        await tx.query<{ branch_id: string; expires_at: string; used_at: string | null; station_id: string | null }>(
          'SELECT branch_id, expires_at, used_at, station_id FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE',
          [sha256(code)],
        )
      )[0];
      if (!row || row.used_at !== null || Number(row.expires_at) < this.now())
        throw new HubError(401, 'UNAUTHENTICATED', 'That enrolment code is not valid (used, expired or mistyped).');
      if (row.station_id !== null || existingStationId !== null)
        return this.enrolFoundingStation(tx, code, row, publicKey, existingStationId);
      await tx.query('UPDATE enrolment_codes SET used_at = $1 WHERE code_hash = $2', [this.now(), sha256(code)]);
      const stationId = uuidv7();
      const secret = randomBytes(32).toString('base64url');
      await tx.query(
        'INSERT INTO stations (id, name, branch_id, credential_hash, created_at, public_key) VALUES ($1, $2, $3, $4, $5, $6)',
        [stationId, stationName, row.branch_id, sha256(secret), this.now(), publicKey],
      );
      const name = (await tx.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name ?? 'Library';
      return { stationId, credential: `${stationId}.${secret}`, branchId: row.branch_id, libraryName: name };
    });
  }

  /**
   * The founding station's enrolment (src/hub/founding.ts): only with the code made for it, only
   * from the station whose key the hub took from its file. Refused, the code stays unused.
   */
  private async enrolFoundingStation(
    tx: Queryable,
    code: string,
    row: { branch_id: string; station_id: string | null },
    publicKey: string | null,
    existingStationId: string | null,
  ): Promise<EnrolResponse> {
    if (row.station_id === null) {
      throw new HubError(
        409,
        'NOT_FOUNDING_CODE',
        "That code enrols a new station, and this station's own library is not at this hub: a stand-alone station joins the hub made from it (admin init --from-station), with the code that printed.",
      );
    }
    const station = (
      await tx.query<{ name: string; public_key: string | null }>(
        'SELECT name, public_key FROM stations WHERE id = $1',
        [row.station_id],
      )
    )[0];
    if (!station || existingStationId !== row.station_id || !publicKey || station.public_key !== publicKey) {
      throw new HubError(
        403,
        'WRONG_STATION',
        `That code is for the station this hub was made from (${station?.name ?? row.station_id}): run the join there, on its own data folder.`,
      );
    }
    await tx.query('UPDATE enrolment_codes SET used_at = $1 WHERE code_hash = $2', [this.now(), sha256(code)]);
    const secret = randomBytes(32).toString('base64url');
    await tx.query('UPDATE stations SET credential_hash = $1 WHERE id = $2', [sha256(secret), row.station_id]);
    const held = await tx.query<{ seq: string; outcome: Outcome; reason: string | null }>(
      `SELECT seq, outcome, reason FROM received WHERE station_id = $1 AND outcome <> 'applied' ORDER BY seq`,
      [row.station_id],
    );
    const libraryName =
      (await tx.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name ?? 'Library';
    return {
      stationId: row.station_id,
      credential: `${row.station_id}.${secret}`,
      branchId: row.branch_id,
      libraryName,
      journal: {
        receivedThrough: (await this.expectedSeq(tx, row.station_id)) - 1,
        outcomes: held.map((h) => ({
          seq: Number(h.seq),
          outcome: h.outcome,
          ...(h.reason ? { reason: h.reason } : {}),
        })),
      },
    };
  }

  /**
   * Receives the founding station's journal while a new hub is made from it (src/hub/founding.ts),
   * inside that one transaction: as a push from its first day would, with its set-up taken once.
   */
  async receiveFounding(
    tx: Queryable,
    station: StationIdentity,
    entries: JournalEntry[],
    secrets: Record<string, string>,
  ): Promise<PushResponse['outcomes']> {
    return (await this.receive(tx, { ...station, founding: true }, entries, undefined, undefined, secrets)).outcomes;
  }

  async authenticate(authorization: string | undefined): Promise<StationIdentity> {
    const m = /^Bearer\s+([^.\s]+)\.(\S+)$/.exec(authorization ?? '');
    if (!m) throw new HubError(401, 'UNAUTHENTICATED', 'A station credential is required.');
    const [, stationId, secret] = m as unknown as [string, string, string];
    const row = (
      await this.db.query<{ branch_id: string; credential_hash: string; public_key: string | null }>(
        'SELECT branch_id, credential_hash, public_key FROM stations WHERE id = $1',
        [stationId],
      )
    )[0];
    const given = Buffer.from(sha256(secret));
    if (!row || !timingSafeEqual(given, Buffer.from(row.credential_hash)))
      throw new HubError(401, 'UNAUTHENTICATED', 'Unknown station or wrong credential.');
    return { stationId, branchId: row.branch_id, publicKey: row.public_key };
  }

  /**
   * The station's signing key, as a push names it. A station enrolled before keys existed has its
   * first one recorded (it can sign only kiosk and housekeeping entries with it, see
   * src/hub/policy.ts); after that a push naming another key is refused whole.
   */
  async stationKey(station: StationIdentity, publicKey: string | undefined): Promise<StationIdentity> {
    if (!publicKey || station.publicKey === publicKey) return station;
    if (station.publicKey)
      throw new HubError(403, 'FORBIDDEN', 'This station signs with another key than the one the hub holds for it.');
    const updated = await this.db.query<{ public_key: string }>(
      'UPDATE stations SET public_key = $1 WHERE id = $2 AND public_key IS NULL RETURNING public_key',
      [publicKey, station.stationId],
    );
    if (updated.length === 0)
      throw new HubError(403, 'FORBIDDEN', 'This station signs with another key than the one the hub holds for it.');
    return { ...station, publicKey };
  }

  /**
   * Receives a batch of journal entries. Each is applied at most once, in the same transaction as
   * the record of its outcome; an entry seen before answers with its first outcome. Entries apply
   * in seq order: at a gap the batch stops and says which seq it expects.
   */
  /**
   * opts.clock: the station's offset as it measured it from its last round trip (it orders loans
   * lent twice); without it the hub measures one way, uncertainty unknown (an older station).
   * opts.receivedAt: when the request arrived (the server notes it before parsing the body); it
   * and the answer's time go back to the station, which measures its offset from them.
   */
  async push(
    station: StationIdentity,
    entries: JournalEntry[],
    stationWallTime: number,
    secrets: Record<string, string> = {},
    opts: { clock?: StationClock; receivedAt?: number } = {},
  ): Promise<PushResponse> {
    const hubReceivedAt = opts.receivedAt ?? this.now();
    for (const e of entries) {
      if (e.stationId !== station.stationId || e.branchId !== station.branchId) {
        throw new HubError(403, 'FORBIDDEN', 'A station may push only its own entries, for its own branch.');
      }
    }
    // A clock that is no clock (-9e15) or is years out is refused before it is recorded as the
    // station's offset or used to order its loans (src/hub/request-limits.ts).
    const refused = stationClockProblem(stationWallTime, this.now());
    if (refused)
      throw new HubError(
        400,
        'CLOCK_IMPLAUSIBLE',
        refused.message,
        refused.clockOffsetMs === undefined ? {} : { clockOffsetMs: refused.clockOffsetMs },
      );
    // Measured one way: the station's send time against this arrival (off by the request's time
    // on the network, and by however long the station took to build the request).
    const clockOffsetMs = Math.round(stationWallTime - hubReceivedAt);
    const clock = this.pushClock(opts.clock, clockOffsetMs);
    const seen = { lastSeenAt: this.now(), clock };
    const sorted = entries.map(withoutOversizedContents).sort((a, b) => a.seq - b.seq);
    let received: Received;
    try {
      // The whole batch in one transaction: one commit for a thousand entries.
      received = await retryTransient(() =>
        writeRows(this.db, (tx) => this.receive(tx, station, sorted, undefined, seen, secrets)),
      );
    } catch (error) {
      if (error instanceof HubError || isTransient(error)) throw error;
      // Some entry could not be applied. Take them one at a time, so that one is recorded as
      // rejected (the station's queue moves on rather than sticking) and the others still go in.
      received = { outcomes: [], exceptions: [] };
      for (const entry of sorted) {
        let one: Received;
        try {
          one = await retryTransient(() =>
            writeRows(this.db, (tx) => this.receive(tx, station, [entry], undefined, seen, secrets)),
          );
        } catch (failure) {
          // A busy or unreachable database is not the entry's fault: the station will send it again.
          if (isTransient(failure)) throw failure;
          console.error('hub: an entry could not be applied:', (failure as Error).message);
          one = await writeRows(this.db, (tx) =>
            this.receive(tx, station, [entry], `the hub could not apply it: ${(failure as Error).message}`, seen),
          );
        }
        received.outcomes.push(...one.outcomes);
        received.exceptions.push(...one.exceptions);
        if (one.outcomes.length === 0) break;
      }
    }
    const { expectedSeq, ...answer } = received;
    const expected = expectedSeq ?? (await this.expectedSeq(this.db, station.stationId));
    return { ...answer, expectedSeq: expected, clockOffsetMs, hubReceivedAt, hubAnsweredAt: this.now() };
  }

  /**
   * The clock the push's loans are ordered by: the station's round-trip measurement, unless it
   * disagrees with this push's one-way one by more than STALE_CLOCK_MS (the station's clock was
   * stepped since it measured: its own measurement is stale); then the one-way measurement, with
   * its uncertainty unknown, so that no check-out of this push is called "too close to tell" on
   * the strength of a measurement that no longer holds.
   */
  private pushClock(claimed: StationClock | undefined, oneWayMs: number): PushClock {
    if (claimed && Math.abs(claimed.offsetMs - oneWayMs) <= STALE_CLOCK_MS + claimed.uncertaintyMs) {
      return { offsetMs: claimed.offsetMs, uncertaintyMs: Math.max(MIN_CLOCK_UNCERTAINTY_MS, claimed.uncertaintyMs) };
    }
    return { offsetMs: oneWayMs, uncertaintyMs: null };
  }

  private async receive(
    tx: Queryable,
    station: StationIdentity,
    entries: JournalEntry[],
    rejectWith?: string,
    seenAt?: { lastSeenAt: number; clock: PushClock },
    secrets: Record<string, string> = {},
  ): Promise<Received> {
    // Two hub processes receiving the same station's entries take turns here.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [station.stationId]);
    // And take turns with other stations' batches on the copies, cards, fees and titles they share.
    await lockWhatEntriesTouch(tx, entries);
    // In the batch's transaction rather than a commit (and an fsync) of its own.
    if (seenAt) {
      await tx.query(
        'UPDATE stations SET last_seen_at = $1, clock_offset_ms = $2, clock_uncertainty_ms = $3 WHERE id = $4',
        [seenAt.lastSeenAt, seenAt.clock.offsetMs, seenAt.clock.uncertaintyMs, station.stationId],
      );
    }
    const seen = new Map(
      (
        await tx.query<{ entry_id: string; outcome: Outcome; reason: string | null }>(
          'SELECT entry_id, outcome, reason FROM received WHERE entry_id = ANY($1)',
          [entries.map((e) => e.id)],
        )
      ).map((r) => [r.entry_id, r]),
    );
    let expectedSeq = await this.expectedSeq(tx, station.stationId);
    const out: Received = { outcomes: [], exceptions: [] };
    // What the batch will look up, read in a few queries rather than several per entry.
    if (!rejectWith)
      await prefetchBatch(
        tx,
        entries.filter((e) => e.seq >= expectedSeq && !seen.has(e.id)),
      );
    const records: { entry: JournalEntry; outcome: Outcome; reason: string | null }[] = [];
    for (const entry of entries) {
      const first = seen.get(entry.id) ?? out.outcomes.find((o) => o.id === entry.id);
      if (first) {
        out.outcomes.push({ id: entry.id, outcome: first.outcome, ...(first.reason ? { reason: first.reason } : {}) });
        continue;
      }
      if (entry.seq < expectedSeq) {
        // Another entry already holds this seq: the station lost its journal or forged one.
        out.outcomes.push({
          id: entry.id,
          outcome: 'rejected',
          reason: `seq ${entry.seq} was already received with another entry`,
        });
        continue;
      }
      if (entry.seq !== expectedSeq) break;
      const applied = rejectWith
        ? { outcome: 'rejected' as const, reason: rejectWith, exceptions: [] }
        : await this.screenAndApply(tx, station, entry, seenAt?.clock ?? null, secrets);
      records.push({ entry, outcome: applied.outcome, reason: applied.reason ?? null });
      // An exception concerns the branch whose entry made it, whatever else it names: its desk is
      // told of it in this answer (and warned in the entry's outcome), so it lists it, must hear
      // of it resolved elsewhere, and may resolve it. A hold_to_pull for a copy another branch's
      // desk found on its shelf named only the copy's branch and the hold's (found by the sync
      // property test: the desk's resolution was rejected, and its list never agreed with the hub's).
      for (const x of applied.exceptions) {
        out.exceptions.push(
          await this.recordException(tx, { ...x, branchIds: [...new Set([...x.branchIds, station.branchId])] }),
        );
      }
      out.outcomes.push({
        id: entry.id,
        outcome: applied.outcome,
        ...(applied.reason ? { reason: applied.reason } : {}),
      });
      expectedSeq += 1;
    }
    // Recorded in the same transaction as the effects, in one statement for the whole batch.
    if (records.length > 0) {
      await tx.query(
        `INSERT INTO received (entry_id, station_id, seq, hlc, command, outcome, reason, received_at)
         SELECT e, $1, s, h, c, o, r, $2 FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(e, s, h, c, o, r)`,
        [
          station.stationId,
          this.now(),
          records.map((x) => x.entry.id),
          records.map((x) => x.entry.seq),
          records.map((x) => x.entry.hlc),
          records.map((x) => x.entry.command),
          records.map((x) => x.outcome),
          records.map((x) => x.reason),
        ],
      );
    }
    out.expectedSeq = expectedSeq;
    return out;
  }

  /**
   * An entry whose rows are malformed, or that the station may not write (src/hub/policy.ts), is
   * rejected and changes nothing. clock: the station's, as known at this push.
   */
  private async screenAndApply(
    tx: Queryable,
    station: StationIdentity,
    entry: JournalEntry,
    clock: PushClock | null,
    secrets: Record<string, string>,
  ): Promise<ApplyResult> {
    const bytes = OVERSIZED.get(entry);
    if (bytes !== undefined)
      return {
        outcome: 'rejected',
        reason: `the entry is ${Math.ceil(bytes / 1024)} KB, over the hub's limit of ${MAX_ENTRY_BYTES / 1024} KB per entry`,
        exceptions: [],
      };
    const screened = await screenEntry(tx, station, entry, secrets);
    return screened.ok ? applyEntry(tx, screened.entry, clock) : refuseEntry(tx, entry, screened.reason);
  }

  private async recordException(tx: Queryable, x: HubException): Promise<ExceptionNotice> {
    const createdAt = this.now();
    const id = (
      await tx.query<{ id: string }>(
        'INSERT INTO exceptions (kind, message, params, patron_ids, item_id, entry_ids, branch_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
        [
          x.kind,
          x.message,
          x.params ? JSON.stringify(x.params) : null,
          JSON.stringify(x.patronIds),
          x.itemId,
          JSON.stringify(x.entryIds),
          JSON.stringify(x.branchIds),
          createdAt,
        ],
      )
    )[0]!.id;
    return newExceptionNotice({
      id,
      kind: x.kind,
      message: x.message,
      params: x.params ?? null,
      patron_ids: x.patronIds,
      item_id: x.itemId,
      entry_ids: x.entryIds,
      created_at: createdAt,
    });
  }

  private async expectedSeq(q: Queryable, stationId: string): Promise<number> {
    const r = await q.query<{ max: string | null }>('SELECT max(seq) AS max FROM received WHERE station_id = $1', [
      stationId,
    ]);
    return Number(r[0]?.max ?? 0) + 1;
  }

  /**
   * The change feed: every row changed after the cursor, oldest change first. For a station, a
   * staff account's password hash and sealed key only if the account may sign in at its branch
   * (see staffSecretsFor).
   */
  async changes(after: number, limit = 1000, station?: StationIdentity): Promise<ChangesResponse> {
    const rows = await this.db.query<{
      table_name: string;
      id: string;
      data: Record<string, unknown>;
      deleted: number;
      change_seq: string;
    }>(
      'SELECT table_name, id, data, deleted, change_seq FROM rows WHERE change_seq > $1 ORDER BY change_seq LIMIT $2',
      [after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const changes: RowChange[] = page.map((r) => ({
      table: r.table_name as SyncedTable,
      op: r.deleted ? 'delete' : 'upsert',
      row: r.deleted ? { id: r.id } : staffSecretsFor(r.table_name, { ...r.data, id: r.id }, station),
    }));
    const last = page.at(-1);
    return { changes, nextCursor: String(last ? Number(last.change_seq) : after), more: rows.length > limit };
  }

  /**
   * The whole library as NDJSON lines, from a cursor up to the last change made before the
   * stream began. Read in pages by cursor, so a million rows never sit in memory at once.
   */
  async *snapshot(after: number, pageSize = 5000, station?: StationIdentity): AsyncGenerator<string> {
    const head = (
      await this.db.query<{ rows: string; up_to: string | null }>(
        'SELECT count(*) AS rows, max(change_seq) AS up_to FROM rows WHERE change_seq > $1',
        [after],
      )
    )[0]!;
    const upTo = Number(head.up_to ?? after);
    yield `${JSON.stringify({ start: true, rows: Number(head.rows), upTo: String(upTo) })}\n`;
    let cursor = after;
    while (cursor < upTo) {
      const page = await this.db.query<{
        table_name: string;
        id: string;
        data: Record<string, unknown>;
        deleted: number;
        change_seq: string;
      }>(
        'SELECT table_name, id, data, deleted, change_seq FROM rows WHERE change_seq > $1 AND change_seq <= $2 ORDER BY change_seq LIMIT $3',
        [cursor, upTo, pageSize],
      );
      if (page.length === 0) break;
      let chunk = '';
      for (const r of page) {
        const row = r.deleted ? { id: r.id } : staffSecretsFor(r.table_name, { ...r.data, id: r.id }, station);
        chunk += `${JSON.stringify({ cursor: String(r.change_seq), table: r.table_name, op: r.deleted ? 'delete' : 'upsert', row })}\n`;
      }
      cursor = Number(page.at(-1)!.change_seq);
      yield chunk;
    }
    yield `${JSON.stringify({ end: true, cursor: String(upTo) })}\n`;
  }

  /**
   * Exceptions that concern a branch, made or resolved after a cursor (src/hub/exceptions.ts), so
   * every branch involved sees them, and sees them resolved.
   */
  async exceptionsFor(branchId: string, after = 0): Promise<ExceptionsResponse> {
    return exceptionsFeed(this.db, branchId, after);
  }

  /** The exception list for administrators: unresolved ones, or all. */
  async listExceptions(includeResolved = false): Promise<HubExceptionView[]> {
    return listExceptions(this.db, includeResolved);
  }

  /**
   * Resolves an exception ("hub-7" or "7"): once; resolving again answers with the first
   * resolution. With `branchId` (a station asking), only an exception that concerns that branch.
   */
  async resolveException(
    id: string,
    by: string,
    note: string | null,
    branchId?: string,
  ): Promise<{ exception: HubExceptionView; alreadyResolved: boolean }> {
    const { status, exception } = await this.db.transaction((tx) =>
      resolveIn(tx, id, { by, note, at: this.now(), ...(branchId !== undefined ? { branchId } : {}) }),
    );
    if (status === 'not_found') throw new HubError(404, 'NOT_FOUND', `No exception ${id}.`);
    if (status === 'forbidden')
      throw new HubError(403, 'FORBIDDEN', "That exception does not concern this station's branch.");
    return { exception: exception!, alreadyResolved: status === 'already_resolved' };
  }
}

/**
 * A station receives a staff account's password hash and sealed key only when the account may
 * sign in there: an account of its own branch, or an administrator (who works library-wide).
 * Others reach it without them (an empty hash no password matches), so a stolen station file
 * holds the secrets of the few who work at that branch, not of the whole library's staff.
 */
export function staffSecretsFor(
  table: string,
  row: Record<string, unknown> & { id: string },
  station?: StationIdentity,
): Record<string, unknown> & { id: string } {
  // A SIP2 account logs in only at a station of its own branch: only there does its hash go.
  if (table === 'sip_accounts')
    return !station || row.branchId === station.branchId ? row : { ...row, passwordHash: '' };
  if (table !== 'staff' || !station || row.branchId === station.branchId || row.role === 'admin') return row;
  return { ...row, passwordHash: '', sealedKey: null };
}

/** Entries over MAX_ENTRY_BYTES (their size), emptied by withoutOversizedContents: rejected when their turn comes. */
const OVERSIZED = new WeakMap<JournalEntry, number>();

/**
 * An entry over the size limit keeps its place in the station's sequence (it is rejected in turn,
 * and the station's queue moves on past it) but not its contents: nothing in it is locked,
 * looked up or sent back, so a huge entry costs the hub no more than a small one.
 */
function withoutOversizedContents(entry: JournalEntry): JournalEntry {
  const bytes = entryTooLarge(entry);
  if (bytes === null) return entry;
  const emptied: JournalEntry = { ...entry, payload: { input: null, effects: [] } };
  OVERSIZED.set(emptied, bytes);
  return emptied;
}

/** Deadlocks, serialization failures, lost connections, a database shutting down: worth another try, never a rejection. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return (
    [
      '40P01',
      '40001',
      '55P03',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08003',
      '08006',
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
    ].includes(code) || /Connection terminated/i.test(String((error as Error)?.message))
  );
}

async function retryTransient<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    }
  }
}
