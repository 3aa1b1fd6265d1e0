// The hub's work: the library and its branches, enrolling stations, receiving their journals
// exactly once and in order, and the change feed they pull. No state lives in memory: several
// hub processes can serve one PostgreSQL database.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { JournalEntry, RowChange, SyncedTable } from '../domain/journal';
import type { ChangesResponse, PushResponse } from '../api/sync-protocol';
import { DEFAULT_RULE } from '../domain/rules';
import { DEFAULT_SETTINGS } from '../services/config';
import { hashSecret } from '../services/secrets';
import { applyEntry, putRow } from './apply';
import type { HubDb } from './db';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ENROLMENT_TTL_MS = 24 * 60 * 60 * 1000;

export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StationIdentity {
  stationId: string;
  branchId: string;
}

export class Hub {
  constructor(
    readonly db: HubDb,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Creates the library at the hub: its settings, default categories, item types and rules, and
   * the first administrator, as rows every station receives with its first sync.
   */
  async init(input: { libraryName: string; currency?: string; locale?: string; admin?: { username: string; displayName: string; password: string; branchCode: string } }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO library (id, name) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [input.libraryName]);
      const settings = { ...DEFAULT_SETTINGS, name: input.libraryName, currency: input.currency ?? 'USD', locale: input.locale ?? 'en-US' };
      await putRow(tx, 'settings', { id: 'library', value: JSON.stringify(settings) });
      for (const c of [{ code: 'ADULT', name: 'Adult', cardValidityDays: 1095 }, { code: 'CHILD', name: 'Child', cardValidityDays: 1095 }]) {
        await putRow(tx, 'patron_categories', { id: c.code, ...c });
      }
      for (const t of [{ code: 'BOOK', name: 'Book', notForLoan: false }, { code: 'DVD', name: 'DVD', notForLoan: false }, { code: 'REF', name: 'Reference', notForLoan: true }]) {
        await putRow(tx, 'item_types', { id: t.code, ...t });
      }
      await putRow(tx, 'circulation_rules', { ...DEFAULT_RULE, id: 'default-rule' });
      await putRow(tx, 'patron_limits', { id: 'default-limits', branchId: '*', categoryCode: '*', totalMaxLoans: 50, maxHolds: 20 });
    });
    if (input.admin) {
      const branchId = (await this.db.query<{ id: string }>('SELECT id FROM branches WHERE code = $1', [input.admin.branchCode]))[0]?.id;
      if (!branchId) throw new HubError(404, 'NOT_FOUND', `No branch ${input.admin.branchCode}: add it first.`);
      await this.db.transaction((tx) =>
        putRow(tx, 'staff', {
          id: uuidv7(),
          username: input.admin!.username.toLowerCase(),
          displayName: input.admin!.displayName,
          role: 'admin',
          branchId,
          passwordHash: hashSecret(input.admin!.password),
          active: true,
        }),
      );
    }
  }

  async libraryName(): Promise<string> {
    return (await this.db.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name ?? 'Library';
  }

  /** A branch is library data too: it travels to every station through the change feed. */
  async addBranch(branch: { code: string; name: string; timeZone: string }): Promise<string> {
    const existing = await this.db.query<{ id: string }>('SELECT id FROM branches WHERE code = $1', [branch.code]);
    const id = existing[0]?.id ?? uuidv7();
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO branches (id, code, name, time_zone) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone', [
        id, branch.code, branch.name, branch.timeZone,
      ]);
      await putRow(tx, 'branches', { id, code: branch.code, name: branch.name, timeZone: branch.timeZone });
    });
    return id;
  }

  /** A one-time code, shown once to whoever installs the station; stored only as a hash. */
  async createEnrolmentCode(branchCode: string): Promise<string> {
    const branch = (await this.db.query<{ id: string }>('SELECT id FROM branches WHERE code = $1', [branchCode]))[0];
    if (!branch) throw new HubError(404, 'NOT_FOUND', `No branch ${branchCode}.`);
    const code = randomBytes(9).toString('base64url');
    await this.db.query('INSERT INTO enrolment_codes (code_hash, branch_id, expires_at) VALUES ($1, $2, $3)', [sha256(code), branch.id, this.now() + ENROLMENT_TTL_MS]);
    return code;
  }

  async enrol(code: string, stationName: string): Promise<{ stationId: string; credential: string; branchId: string; libraryName: string }> {
    return this.db.transaction(async (tx) => {
      const row = (await tx.query<{ branch_id: string; expires_at: string; used_at: string | null }>(
        'SELECT branch_id, expires_at, used_at FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE',
        [sha256(code)],
      ))[0];
      if (!row || row.used_at !== null || Number(row.expires_at) < this.now()) throw new HubError(401, 'UNAUTHENTICATED', 'That enrolment code is not valid (used, expired or mistyped).');
      await tx.query('UPDATE enrolment_codes SET used_at = $1 WHERE code_hash = $2', [this.now(), sha256(code)]);
      const stationId = uuidv7();
      const secret = randomBytes(32).toString('base64url');
      await tx.query('INSERT INTO stations (id, name, branch_id, credential_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
        stationId, stationName, row.branch_id, sha256(secret), this.now(),
      ]);
      const name = (await tx.query<{ name: string }>('SELECT name FROM library WHERE id = 1'))[0]?.name ?? 'Library';
      return { stationId, credential: `${stationId}.${secret}`, branchId: row.branch_id, libraryName: name };
    });
  }

  async authenticate(authorization: string | undefined): Promise<StationIdentity> {
    const m = /^Bearer\s+([^.\s]+)\.(\S+)$/.exec(authorization ?? '');
    if (!m) throw new HubError(401, 'UNAUTHENTICATED', 'A station credential is required.');
    const [, stationId, secret] = m as unknown as [string, string, string];
    const row = (await this.db.query<{ branch_id: string; credential_hash: string }>('SELECT branch_id, credential_hash FROM stations WHERE id = $1', [stationId]))[0];
    const given = Buffer.from(sha256(secret));
    if (!row || !timingSafeEqual(given, Buffer.from(row.credential_hash))) throw new HubError(401, 'UNAUTHENTICATED', 'Unknown station or wrong credential.');
    return { stationId, branchId: row.branch_id };
  }

  /**
   * Receives a batch of journal entries. Each is applied at most once, in its own transaction
   * together with the record of its outcome; an entry seen before answers with its first
   * outcome. Entries apply in seq order: at a gap the batch stops and says which seq it expects.
   */
  async push(station: StationIdentity, entries: JournalEntry[], stationWallTime: number): Promise<PushResponse> {
    for (const e of entries) {
      if (e.stationId !== station.stationId || e.branchId !== station.branchId) {
        throw new HubError(403, 'FORBIDDEN', 'A station may push only its own entries, for its own branch.');
      }
    }
    const clockOffsetMs = Math.round(stationWallTime - this.now());
    await this.db.query('UPDATE stations SET last_seen_at = $1, clock_offset_ms = $2 WHERE id = $3', [this.now(), clockOffsetMs, station.stationId]);
    const outcomes: PushResponse['outcomes'] = [];
    const exceptions: NonNullable<PushResponse['exceptions']> = [];
    let expectedSeq = await this.expectedSeq(station.stationId);
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      const seen = (await this.db.query<{ outcome: PushResponse['outcomes'][number]['outcome']; reason: string | null }>(
        'SELECT outcome, reason FROM received WHERE entry_id = $1',
        [entry.id],
      ))[0];
      if (seen) {
        outcomes.push({ id: entry.id, outcome: seen.outcome, ...(seen.reason ? { reason: seen.reason } : {}) });
        continue;
      }
      if (entry.seq !== expectedSeq) break;
      const result = await this.db.transaction(async (tx) => {
        // The lock makes two hub processes receiving the same station's entries take turns.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [station.stationId]);
        const again = (await tx.query<{ outcome: string }>('SELECT outcome FROM received WHERE entry_id = $1', [entry.id]))[0];
        if (again) return null;
        const applied = await applyEntry(tx, entry);
        await tx.query(
          'INSERT INTO received (entry_id, station_id, seq, hlc, command, outcome, reason, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [entry.id, station.stationId, entry.seq, entry.hlc, entry.command, applied.outcome, applied.reason ?? null, this.now()],
        );
        for (const x of applied.exceptions) {
          const id = (await tx.query<{ id: string }>(
            'INSERT INTO exceptions (kind, message, patron_ids, item_id, entry_ids, branch_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
            [x.kind, x.message, JSON.stringify(x.patronIds), x.itemId, JSON.stringify(x.entryIds), JSON.stringify(x.branchIds), this.now()],
          ))[0]!.id;
          exceptions.push({ id: `hub-${id}`, kind: x.kind, message: x.message, patronId: x.patronIds[0] ?? null, itemId: x.itemId, entryIds: x.entryIds, createdAt: this.now() });
        }
        return applied;
      });
      if (result) outcomes.push({ id: entry.id, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) });
      expectedSeq = entry.seq + 1;
    }
    return { outcomes, expectedSeq: await this.expectedSeq(station.stationId), clockOffsetMs, exceptions };
  }

  private async expectedSeq(stationId: string): Promise<number> {
    const r = await this.db.query<{ max: string | null }>('SELECT max(seq) AS max FROM received WHERE station_id = $1', [stationId]);
    return Number(r[0]?.max ?? 0) + 1;
  }

  /** The change feed: every row changed after the cursor, oldest change first. */
  async changes(after: number, limit = 1000): Promise<ChangesResponse> {
    const rows = await this.db.query<{ table_name: string; id: string; data: Record<string, unknown>; deleted: number; change_seq: string }>(
      'SELECT table_name, id, data, deleted, change_seq FROM rows WHERE change_seq > $1 ORDER BY change_seq LIMIT $2',
      [after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const changes: RowChange[] = page.map((r) => ({
      table: r.table_name as SyncedTable,
      op: r.deleted ? 'delete' : 'upsert',
      row: r.deleted ? { id: r.id } : { ...r.data, id: r.id },
    }));
    const last = page.at(-1);
    return { changes, nextCursor: String(last ? Number(last.change_seq) : after), more: rows.length > limit };
  }

  async exceptionsFor(branchId: string): Promise<{ kind: string; message: string; patron_ids: string[]; item_id: string | null }[]> {
    return this.db.query(`SELECT kind, message, patron_ids, item_id FROM exceptions WHERE branch_ids ? $1 AND resolved_at IS NULL ORDER BY id`, [branchId]);
  }
}
