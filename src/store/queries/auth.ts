// Staff accounts and sessions (services/auth.ts, services/patrons.ts). Sessions are the station's
// own table: not synced, not journalled.
import type { Reader } from './reader';

/** A staff account by its username (already trimmed and lower-cased), raw. */
export function staffByUsername(r: Reader, username: string): Record<string, unknown> | undefined {
  return r.store.db.prepare('SELECT * FROM staff WHERE username = ?').get(username) as
    Record<string, unknown> | undefined;
}

export interface NewSession {
  tokenHash: string;
  kind: 'staff' | 'kiosk';
  staffId: string | null;
  patronId: string | null;
  createdAt: number;
  expiresAt: number;
  sealedKey: string | null;
}

export function insertSession(r: Reader, s: NewSession): void {
  r.store.db
    .prepare(
      'INSERT INTO sessions (token_hash, kind, staff_id, patron_id, created_at, expires_at, sealed_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(s.tokenHash, s.kind, s.staffId, s.patronId, s.createdAt, s.expiresAt, s.sealedKey);
}

export type SessionRow = {
  kind: 'staff' | 'kiosk';
  staff_id: string | null;
  patron_id: string | null;
  expires_at: number;
  sealed_key: string | null;
};

export function sessionByTokenHash(r: Reader, tokenHash: string): SessionRow | undefined {
  return r.store.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
}

export function deleteSession(r: Reader, tokenHash: string): void {
  r.store.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
}

export function staffHasSession(r: Reader, staffId: string): boolean {
  return r.store.db.prepare('SELECT 1 FROM sessions WHERE staff_id = ?').get(staffId) !== undefined;
}

export function deleteSessionsExpiredBefore(r: Reader, now: number): void {
  r.store.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now);
}

/** Ends every kiosk session of a patron (after a PIN change). */
export function deleteKioskSessionsOf(r: Reader, patronId: string): void {
  r.store.db.prepare("DELETE FROM sessions WHERE kind = 'kiosk' AND patron_id = ?").run(patronId);
}

/** After a password change: the account's other sessions end, the current one keeps its key sealed anew. */
export function keepOnlySession(r: Reader, staffId: string, tokenHash: string, sealedKey: string): void {
  r.store.db.prepare('DELETE FROM sessions WHERE staff_id = ? AND token_hash <> ?').run(staffId, tokenHash);
  r.store.db.prepare('UPDATE sessions SET sealed_key = ? WHERE token_hash = ?').run(sealedKey, tokenHash);
}

export function deleteSessionsOfStaff(r: Reader, staffId: string): void {
  r.store.db.prepare('DELETE FROM sessions WHERE staff_id = ?').run(staffId);
}
