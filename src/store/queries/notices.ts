// Notices' reads and the outbox (services/notices.ts). `notices` is a synced table (what went
// out, journalled); `notice_outbox` is this station's own delivery state (attempts, the next
// try, the last error), written beside the notice's journal entry and never synced. The notice
// row's shape is the service's (NoticeRow), passed in as T.
import { decodeAll, type Reader } from './reader';

// --- settings and counts -----------------------------------------------------------------------

/** A settings row's stored value (JSON), or undefined. */
export function storedSettingsValue(r: Reader, id: string): string | undefined {
  return r.store.db.prepare('SELECT value FROM settings WHERE id = ?').pluck().get(id) as string | undefined;
}

/** The last error of the outbox entry tried most often. */
export function lastOutboxError(r: Reader): string | undefined {
  return r.store.db
    .prepare('SELECT last_error FROM notice_outbox WHERE last_error IS NOT NULL ORDER BY attempts DESC LIMIT 1')
    .pluck()
    .get() as string | undefined;
}

export function noticeCounts(r: Reader): {
  queuedEmail: number;
  queuedPrint: number;
  failed: number;
  uncertain: number;
} {
  const n = (sql: string) => r.store.db.prepare(sql).pluck().get() as number;
  return {
    queuedEmail: n("SELECT count(*) FROM notices WHERE status = 'queued' AND channel = 'email'"),
    queuedPrint: n("SELECT count(*) FROM notices WHERE status = 'queued' AND channel = 'print'"),
    failed: n("SELECT count(*) FROM notices WHERE status = 'failed'"),
    uncertain: n("SELECT count(*) FROM notices WHERE status = 'uncertain'"),
  };
}

// --- what is due ---------------------------------------------------------------------------------

/** What the notice rules read: open loans with a patron, waiting holds, owed lost-copy fees. */
export function noticeSubjects(r: Reader): {
  loans: { id: string; patronId: string; branchId: string; dueAt: number }[];
  holds: {
    id: string;
    patronId: string;
    pickupBranchId: string;
    status: string;
    waitingSince: number | null;
    shelfExpiresOn: string | null;
  }[];
  fees: { id: string; patronId: string; kind: string; outstanding: number }[];
} {
  const db = r.store.db;
  return {
    loans: db
      .prepare(
        'SELECT id, patron_id AS patronId, branch_id AS branchId, due_at AS dueAt FROM loans WHERE returned_at IS NULL AND patron_id IS NOT NULL',
      )
      .all() as never,
    holds: db
      .prepare(
        "SELECT id, patron_id AS patronId, pickup_branch_id AS pickupBranchId, status, waiting_since AS waitingSince, shelf_expires_on AS shelfExpiresOn FROM holds WHERE status = 'waiting'",
      )
      .all() as never,
    fees: db
      .prepare("SELECT id, patron_id AS patronId, kind, outstanding FROM fees WHERE kind = 'lost' AND outstanding > 0")
      .all() as never,
  };
}

/** A reader of whether a notice with this key was ever made (prepared once, for a pass). */
export function noticeKeyExists(r: Reader): (key: string) => boolean {
  const statement = r.store.db.prepare('SELECT 1 FROM notices WHERE notice_key = ? LIMIT 1').pluck();
  return (key) => Boolean(statement.get(key));
}

export function queuedNotices<T>(r: Reader): T[] {
  return decodeAll<T>(r, 'notices', r.store.db.prepare("SELECT * FROM notices WHERE status = 'queued'").all());
}

/** Loan notices, no longer queued, whose loan is gone or no longer names its patron. */
export function loanNoticesToUnlink<T>(r: Reader): T[] {
  return decodeAll<T>(
    r,
    'notices',
    r.store.db
      .prepare(
        `SELECT n.* FROM notices n LEFT JOIN loans l ON l.id = n.subject_id
         WHERE n.kind IN ('courtesy', 'overdue') AND n.subject_id IS NOT NULL AND n.status <> 'queued' AND (l.id IS NULL OR l.patron_id IS NULL)`,
      )
      .all(),
  );
}

/** Queued email notices whose next try is due, oldest first, at most `limit`. */
export function emailNoticesDue<T>(r: Reader, now: number, limit: number): T[] {
  return decodeAll<T>(
    r,
    'notices',
    r.store.db
      .prepare(
        `SELECT n.* FROM notice_outbox o JOIN notices n ON n.id = o.notice_id
         WHERE o.state = 'waiting' AND o.next_attempt_at <= ? AND n.status = 'queued' AND n.channel = 'email'
         ORDER BY n.created_at LIMIT ?`,
      )
      .all(now, limit),
  );
}

// --- the outbox ----------------------------------------------------------------------------------

/** A new notice waits to be sent from `now`. */
export function enqueueNotice(r: Reader, noticeId: string, now: number): void {
  r.store.db
    .prepare(
      "INSERT INTO notice_outbox (notice_id, state, attempts, next_attempt_at, last_error) VALUES (?, 'waiting', 0, ?, NULL)",
    )
    .run(noticeId, now);
}

/** A notice sent again waits from `now` (its attempts kept, when it had an entry). */
export function requeueNotice(r: Reader, noticeId: string, now: number): void {
  r.store.db
    .prepare(
      "INSERT INTO notice_outbox (notice_id, state, attempts, next_attempt_at, last_error) VALUES (?, 'waiting', 0, ?, NULL) ON CONFLICT(notice_id) DO UPDATE SET state = 'waiting', next_attempt_at = excluded.next_attempt_at",
    )
    .run(noticeId, now);
}

export function dropFromOutbox(r: Reader, noticeId: string): void {
  r.store.db.prepare('DELETE FROM notice_outbox WHERE notice_id = ?').run(noticeId);
}

/** Notices left `sending` (the station stopped mid-conversation). */
export function noticesLeftSending(r: Reader): string[] {
  return r.store.db.prepare("SELECT notice_id FROM notice_outbox WHERE state = 'sending'").pluck().all() as string[];
}

/** Marks a waiting notice as being sent (one attempt more); false when it was not waiting. */
export function markSending(r: Reader, noticeId: string): boolean {
  return (
    r.store.db
      .prepare(
        "UPDATE notice_outbox SET state = 'sending', attempts = attempts + 1 WHERE notice_id = ? AND state = 'waiting'",
      )
      .run(noticeId).changes === 1
  );
}

export function outboxAttempts(r: Reader, noticeId: string): number | undefined {
  return r.store.db.prepare('SELECT attempts FROM notice_outbox WHERE notice_id = ?').pluck().get(noticeId) as
    number | undefined;
}

/** After a failed try: waiting again, from `nextAttemptAt`, with the error kept. */
export function retryLater(r: Reader, noticeId: string, nextAttemptAt: number, error: string): void {
  r.store.db
    .prepare("UPDATE notice_outbox SET state = 'waiting', next_attempt_at = ?, last_error = ? WHERE notice_id = ?")
    .run(nextAttemptAt, error, noticeId);
}

// --- what a notice says --------------------------------------------------------------------------

export function copyForNotice(
  r: Reader,
  itemId: string,
): { barcode: string; title: string; author: string | null } | undefined {
  return r.store.db
    .prepare('SELECT i.barcode, r.title, r.author FROM items i JOIN records r ON r.id = i.record_id WHERE i.id = ?')
    .get(itemId) as { barcode: string; title: string; author: string | null } | undefined;
}

export function loanForNotice(
  r: Reader,
  loanId: string,
): { itemId: string; branchId: string; dueAt: number } | undefined {
  return r.store.db
    .prepare('SELECT item_id AS itemId, branch_id AS branchId, due_at AS dueAt FROM loans WHERE id = ?')
    .get(loanId) as { itemId: string; branchId: string; dueAt: number } | undefined;
}

export function holdForNotice(
  r: Reader,
  holdId: string,
): { recordId: string; itemId: string | null; pickupBranchId: string; shelfExpiresOn: string | null } | undefined {
  return r.store.db
    .prepare(
      'SELECT record_id AS recordId, item_id AS itemId, pickup_branch_id AS pickupBranchId, shelf_expires_on AS shelfExpiresOn FROM holds WHERE id = ?',
    )
    .get(holdId) as
    { recordId: string; itemId: string | null; pickupBranchId: string; shelfExpiresOn: string | null } | undefined;
}

export function recordForNotice(r: Reader, recordId: string): { title: string; author: string | null } | undefined {
  return r.store.db.prepare('SELECT title, author FROM records WHERE id = ?').get(recordId) as
    { title: string; author: string | null } | undefined;
}

export function feeForNotice(
  r: Reader,
  feeId: string,
): { itemId: string | null; outstanding: number; currency: string } | undefined {
  return r.store.db.prepare('SELECT item_id AS itemId, outstanding, currency FROM fees WHERE id = ?').get(feeId) as
    { itemId: string | null; outstanding: number; currency: string } | undefined;
}

// --- letters and lists ---------------------------------------------------------------------------

/** Queued letters (print notices), oldest first. */
export function lettersQueued<T>(r: Reader): T[] {
  return decodeAll<T>(
    r,
    'notices',
    r.store.db
      .prepare("SELECT * FROM notices WHERE status = 'queued' AND channel = 'print' ORDER BY created_at, id")
      .all(),
  );
}

/** A patron's newest 200 notices. */
export function noticesOfPatron<T>(r: Reader, patronId: string): T[] {
  return decodeAll<T>(
    r,
    'notices',
    r.store.db
      .prepare('SELECT * FROM notices WHERE patron_id = ? ORDER BY created_at DESC, id DESC LIMIT 200')
      .all(patronId),
  );
}

/** The newest 200 notices that failed or may not have gone. */
export function noticesNeedingAttention<T>(r: Reader): T[] {
  return decodeAll<T>(
    r,
    'notices',
    r.store.db
      .prepare("SELECT * FROM notices WHERE status IN ('failed', 'uncertain') ORDER BY created_at DESC LIMIT 200")
      .all(),
  );
}
