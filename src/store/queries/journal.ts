// Rewrites of the local journal's copy (services/journal-privacy.ts, services/journal-secrets.ts):
// an entry's payload replaced once, with redacted_at, and the entries still waiting for it.
import type { Reader } from './reader';

type Connection = Pick<Reader, 'store'>;

/** Replaces an entry's payload, once: a redacted entry is never rewritten again. */
export function journalRedactor(c: Connection): (seq: number, payload: string, at: number) => void {
  const statement = c.store.db.prepare(
    'UPDATE journal SET payload = ?, redacted_at = ? WHERE seq = ? AND redacted_at IS NULL',
  );
  return (seq, payload, at) => void statement.run(payload, at, seq);
}

/** Entries not yet redacted whose rows still hold a PIN hash, a password hash or a sealed key. */
export function entriesHoldingSecrets(c: Connection): { seq: number; payload: string }[] {
  return c.store.db
    .prepare(
      `SELECT seq, payload FROM journal WHERE redacted_at IS NULL
         AND (payload LIKE '%"pinHash":"scrypt$%' OR payload LIKE '%"passwordHash":"scrypt$%' OR payload LIKE '%"sealedKey":"seal1$%')`,
    )
    .all() as { seq: number; payload: string }[];
}

/** The reading-history redaction's statements, prepared once per run. */
export class ReadingHistoryRedaction {
  private readonly s;

  constructor(private readonly c: Connection) {
    const db = c.store.db;
    this.s = {
      loanIsUnlinked: db.prepare('SELECT patron_id IS NULL AS unlinked FROM loans WHERE id = ?').pluck(),
      readEntry: db.prepare('SELECT payload FROM journal WHERE seq = ?').pluck(),
      remember: db.prepare('INSERT OR IGNORE INTO journal_redaction_pending (seq) VALUES (?)'),
      forget: db.prepare('DELETE FROM journal_redaction_pending WHERE seq = ?'),
    };
  }

  /** 1 when the loan has no patron, 0 when it has one, undefined when there is no such loan here. */
  loanUnlinked(loanId: string): number | undefined {
    return this.s.loanIsUnlinked.get(loanId) as number | undefined;
  }

  entryPayload(seq: number): string {
    return this.s.readEntry.get(seq) as string;
  }

  rememberPending(seq: number): void {
    this.s.remember.run(seq);
  }

  forgetPending(seq: number): void {
    this.s.forget.run(seq);
  }

  /** Pending entries after `from` up to `through`, in order, at most `limit`. */
  pendingBetween(from: number, through: number, limit: number): number[] {
    return this.c.store.db
      .prepare('SELECT seq FROM journal_redaction_pending WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?')
      .pluck()
      .all(from, through, limit) as number[];
  }

  /** Entries after `from` up to `through`, not yet redacted, of the given commands, in order, at most `limit`. */
  entriesOfCommandsBetween(
    from: number,
    through: number,
    commands: readonly string[],
    limit: number,
  ): { seq: number; payload: string }[] {
    return this.c.store.db
      .prepare(
        `SELECT seq, payload FROM journal WHERE seq > ? AND seq <= ? AND redacted_at IS NULL AND command IN (${commands.map(() => '?').join(', ')}) ORDER BY seq LIMIT ?`,
      )
      .all(from, through, ...commands, limit) as { seq: number; payload: string }[];
  }

  pendingCount(): number {
    return this.c.store.db.prepare('SELECT count(*) FROM journal_redaction_pending').pluck().get() as number;
  }
}

// --- reading the journal (the sync's pending keys, a hub founded from this station) ------------

/** Entries after `after` up to `through` that the hub has acknowledged (out of order, past the prefix). */
export function acknowledgedSeqsBetween(c: Connection, after: number, through: number): number[] {
  return (
    c.store.db
      .prepare('SELECT seq FROM journal WHERE seq > ? AND seq <= ? AND acked_at IS NOT NULL')
      .all(after, through) as { seq: number }[]
  ).map((r) => r.seq);
}

/** Entries after `after` the hub has not acknowledged, in order, with their payloads. */
export function unacknowledgedEntriesAfter(c: Connection, after: number): { seq: number; payload: string }[] {
  return c.store.db
    .prepare('SELECT seq, payload FROM journal WHERE seq > ? AND acked_at IS NULL ORDER BY seq')
    .all(after) as { seq: number; payload: string }[];
}

/** How many entries a hub has acknowledged (none, for a station that never joined one). */
export function acknowledgedEntryCount(c: Connection): number {
  return (c.store.db.prepare('SELECT count(*) AS n FROM journal WHERE acked_at IS NOT NULL').get() as { n: number }).n;
}

/** A reader of the journal a batch at a time: raw rows after `after`, in order (prepared once). */
export function journalRowsAfter(c: Connection): (after: number, limit: number) => Record<string, unknown>[] {
  const statement = c.store.db.prepare('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?');
  return (after, limit) => statement.all(after, limit) as Record<string, unknown>[];
}

/** A reader of the secret values kept beside entries (journal_secrets), by digest (prepared once). */
export function journalSecretByDigest(c: Connection): (digest: string) => string | undefined {
  const statement = c.store.db.prepare('SELECT value FROM journal_secrets WHERE digest = ?');
  return (digest) => (statement.get(digest) as { value: string } | undefined)?.value;
}
