// The journal and audit trail on disk. Appends happen inside the command's transaction (see
// src/services/command.ts); the sync worker reads what is waiting and records the hub's answer.
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../domain/journal';

export type NewJournalEntry = Omit<JournalEntry, 'seq'>;

export interface JournalOutcome {
  seq: number;
  outcome: string;
}

/** station_state key: every entry up to this seq has been acknowledged by the hub. */
const ACKED_THROUGH = 'journal_acked_through';

export class JournalStore {
  private readonly insertEntry: Database.Statement;
  private readonly insertAudit: Database.Statement;
  private readonly selectPending: Database.Statement;
  private readonly countWaiting: Database.Statement;
  private readonly ack: Database.Statement;
  private readonly lastHlc: Database.Statement;
  private readonly readAckedThrough: Database.Statement;
  private readonly writeAckedThrough: Database.Statement;
  private readonly firstUnacked: Database.Statement;
  private readonly insertSecret: Database.Statement;
  private readonly selectSecret: Database.Statement;
  private readonly deleteSecret: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertEntry = db.prepare(
      `INSERT INTO journal (id, station_id, hlc, wall_time, staff_id, branch_id, command, payload, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAudit = db.prepare(
      'INSERT INTO audit (at, staff_id, command, journal_id, summary) VALUES (?, ?, ?, ?, ?)',
    );
    // The hub acknowledges a prefix of what is waiting, so what is waiting is always the tail of
    // the journal after `ackedThrough`: a range of the primary key, no index needed.
    this.selectPending = db.prepare('SELECT * FROM journal WHERE seq > ? AND acked_at IS NULL ORDER BY seq LIMIT ?');
    this.countWaiting = db.prepare('SELECT count(*) AS n FROM journal WHERE seq > ? AND acked_at IS NULL');
    this.ack = db.prepare('UPDATE journal SET acked_at = ?, outcome = ? WHERE seq = ? AND acked_at IS NULL');
    this.readAckedThrough = db.prepare('SELECT value FROM station_state WHERE key = ?');
    this.writeAckedThrough = db.prepare(
      'INSERT INTO station_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.firstUnacked = db.prepare('SELECT min(seq) AS seq FROM journal WHERE seq > ? AND acked_at IS NULL');
    this.lastHlc = db.prepare('SELECT hlc FROM journal ORDER BY seq DESC LIMIT 1');
    this.insertSecret = db.prepare(
      'INSERT INTO journal_secrets (digest, value) VALUES (?, ?) ON CONFLICT(digest) DO NOTHING',
    );
    this.selectSecret = db.prepare('SELECT value FROM journal_secrets WHERE digest = ?');
    this.deleteSecret = db.prepare('DELETE FROM journal_secrets WHERE digest = ?');
  }

  /** Appends one entry and returns its seq. Call inside the command's transaction. `payloadJson`: the payload already serialised. */
  append(entry: NewJournalEntry, payloadJson?: string): number {
    const info = this.insertEntry.run(
      entry.id,
      entry.stationId,
      entry.hlc,
      entry.wallTime,
      entry.staffId,
      entry.branchId,
      entry.command,
      payloadJson ?? JSON.stringify(entry.payload),
      entry.signature ?? null,
    );
    return Number(info.lastInsertRowid);
  }

  /** Keeps a secret an entry refers to until the hub has it (src/shared/secret-refs.ts). Inside the command's transaction. */
  keepSecret(digest: string, value: string): void {
    this.insertSecret.run(digest, value);
  }

  /** The secrets these digests stand for, as a push sends them; a digest whose secret is gone (acknowledged already) is left out. */
  secrets(digests: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of digests) {
      const row = this.selectSecret.get(d) as { value: string } | undefined;
      if (row) out[d] = row.value;
    }
    return out;
  }

  /** Once the hub has acknowledged the entries that named them, the secrets leave the journal's side. */
  forgetSecrets(digests: string[]): void {
    for (const d of digests) this.deleteSecret.run(d);
  }

  /** Every secret kept but those of `keep` leaves the journal's side (a station joining the hub that holds its journal already). */
  forgetSecretsExcept(keep: ReadonlySet<string>): void {
    for (const { digest } of this.db.prepare('SELECT digest FROM journal_secrets').all() as { digest: string }[]) {
      if (!keep.has(digest)) this.deleteSecret.run(digest);
    }
  }

  audit(at: number, staffId: string | null, command: string, journalId: string | null, summary: string): void {
    this.insertAudit.run(at, staffId, command, journalId, summary);
  }

  ackedThrough(): number {
    return Number((this.readAckedThrough.get(ACKED_THROUGH) as { value: string } | undefined)?.value ?? 0);
  }

  /** What is waiting for the hub, oldest first. */
  pending(limit = 500): JournalEntry[] {
    return (this.selectPending.all(this.ackedThrough(), limit) as Record<string, unknown>[]).map(decodeEntry);
  }

  waitingCount(): number {
    return (this.countWaiting.get(this.ackedThrough()) as { n: number }).n;
  }

  /** Records the hub's outcomes, by seq, and moves the acknowledged mark past them. */
  acknowledge(outcomes: JournalOutcome[], at: number): void {
    this.db.transaction(() => {
      const from = this.ackedThrough();
      for (const o of outcomes) this.ack.run(at, o.outcome, o.seq);
      const next = (this.firstUnacked.get(from) as { seq: number | null }).seq;
      const through = next === null ? (this.lastSeq() ?? from) : next - 1;
      this.writeAckedThrough.run(ACKED_THROUGH, String(through));
    })();
  }

  lastSeq(): number | null {
    return (this.db.prepare('SELECT max(seq) AS s FROM journal').get() as { s: number | null }).s;
  }

  latestHlc(): string | null {
    return (this.lastHlc.get() as { hlc: string } | undefined)?.hlc ?? null;
  }
}

export function decodeEntry(raw: Record<string, unknown>): JournalEntry {
  return {
    id: raw.id as string,
    stationId: raw.station_id as string,
    seq: raw.seq as number,
    hlc: raw.hlc as string,
    wallTime: raw.wall_time as number,
    staffId: (raw.staff_id as string | null) ?? null,
    branchId: raw.branch_id as string,
    command: raw.command as string,
    payload: JSON.parse(raw.payload as string) as JournalEntry['payload'],
    ...(typeof raw.signature === 'string' ? { signature: raw.signature } : {}),
  };
}
