// The journal and audit trail on disk. Appends happen inside the command's transaction (see
// src/services/command.ts); the sync worker reads what is waiting and records the hub's answer.
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../domain/journal';

export type NewJournalEntry = Omit<JournalEntry, 'seq'>;

export interface JournalOutcome {
  id: string;
  outcome: string;
}

export class JournalStore {
  private readonly insertEntry: Database.Statement;
  private readonly insertAudit: Database.Statement;
  private readonly selectPending: Database.Statement;
  private readonly countWaiting: Database.Statement;
  private readonly ack: Database.Statement;
  private readonly lastHlc: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertEntry = db.prepare(
      `INSERT INTO journal (id, station_id, hlc, wall_time, staff_id, branch_id, command, payload)
       VALUES (@id, @stationId, @hlc, @wallTime, @staffId, @branchId, @command, @payload)`,
    );
    this.insertAudit = db.prepare(
      'INSERT INTO audit (at, staff_id, command, journal_id, summary) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectPending = db.prepare(
      'SELECT * FROM journal WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.countWaiting = db.prepare('SELECT count(*) AS n FROM journal WHERE acked_at IS NULL');
    this.ack = db.prepare('UPDATE journal SET acked_at = ?, outcome = ? WHERE id = ? AND acked_at IS NULL');
    this.lastHlc = db.prepare('SELECT hlc FROM journal ORDER BY seq DESC LIMIT 1');
  }

  /** Appends one entry and returns its seq. Call inside the command's transaction. */
  append(entry: NewJournalEntry): number {
    const info = this.insertEntry.run({ ...entry, payload: JSON.stringify(entry.payload) });
    return Number(info.lastInsertRowid);
  }

  audit(at: number, staffId: string | null, command: string, journalId: string | null, summary: string): void {
    this.insertAudit.run(at, staffId, command, journalId, summary);
  }

  pending(afterSeq = 0, limit = 500): JournalEntry[] {
    return (this.selectPending.all(afterSeq, limit) as Record<string, unknown>[]).map(decodeEntry);
  }

  waitingCount(): number {
    return (this.countWaiting.get() as { n: number }).n;
  }

  acknowledge(outcomes: JournalOutcome[], at: number): void {
    this.db.transaction(() => {
      for (const o of outcomes) this.ack.run(at, o.outcome, o.id);
    })();
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
  };
}
