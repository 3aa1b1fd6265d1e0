// Guessing is slow and bounded. Every sign-in that checks a secret (a kiosk PIN, a staff
// password at the desk, a supervisor's override, leaving kiosk mode) goes through one guard:
//
// - Per card or account: after `lockout.maxFailures` wrong tries in a row (library settings) it
//   is locked for `lockout.minutes`; while locked, even the right secret is refused (LOCKED,
//   with the time it ends). A lock is a row of the synced `lockouts` table, written by a journal
//   entry (auth.lockout, by the system), so the hub and every other station refuse it too, and a
//   restart does not lift it. Staff may clear a card's lock at the desk (auth.clearLockout).
// - Per station: more than STATION_MAX_FAILURES wrong tries within STATION_WINDOW_MS, across
//   all accounts (or all cards), and that kind of sign-in is refused (RATE_LIMITED) for
//   STATION_COOL_DOWN_MS. Staff and kiosk sign-ins are counted apart, so a kiosk under attack
//   does not keep the staff out of their own desk.
// - Attempts on one card or account run one after the other, so twenty at once are still five
//   guesses, and those in flight count against the station's limit.
//
// The wrong tries themselves are counted here in memory, per station: only the lock is shared.
// A name or card the library does not know is counted and locked the same way (in memory only,
// never journaled), so that neither the time nor the answer tells which names exist.
import type { Actor } from './command';
import { runCommand, SYSTEM } from './command';
import type { ServiceContext } from './context';
import { lockedOut, ServiceError } from './errors';
import { COMMAND } from '../domain/commands';

/** A SIP2 login (sip) is locked in memory only: no lockouts row is ever written for one. */
export type LockoutKind = 'staff' | 'patron' | 'sip';

/** What a sign-in names: a card or account the library has (id), or none (id null, keyed by the name typed). */
export interface SignInSubject {
  kind: LockoutKind;
  id: string | null;
  key: string;
}

export const knownSubject = (kind: LockoutKind, id: string): SignInSubject => ({ kind, id, key: lockoutId(kind, id) });
export const unknownSubject = (kind: LockoutKind, typed: string): SignInSubject => ({
  kind,
  id: null,
  key: `${kind}-unknown:${typed}`,
});

/** The id of a card's or account's row in the lockouts table. */
export const lockoutId = (kind: LockoutKind, subjectId: string): string => `${kind}:${subjectId}`;

export interface LockoutRow {
  id: string;
  kind: LockoutKind;
  subjectId: string;
  failures: number;
  lockedUntil: number | null;
  updatedAt: number;
}

export const STATION_MAX_FAILURES = 20;
export const STATION_WINDOW_MS = 60_000;
export const STATION_COOL_DOWN_MS = 60_000;
/** Unknown names remembered at most; beyond it the stale ones are forgotten first. */
const MAX_REMEMBERED = 5_000;

interface Failures {
  count: number;
  lastAt: number;
}

interface StationPool {
  /** When each recent failure happened, oldest first. */
  recent: number[];
  inFlight: number;
  coolDownUntil: number;
}

export class SignInGuard {
  private readonly failures = new Map<string, Failures>();
  /** Locks of names and cards the library does not know: key -> until. */
  private readonly unknownLocks = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly pools: Record<LockoutKind, StationPool> = {
    staff: { recent: [], inFlight: 0, coolDownUntil: 0 },
    patron: { recent: [], inFlight: 0, coolDownUntil: 0 },
    sip: { recent: [], inFlight: 0, coolDownUntil: 0 },
  };

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Runs one sign-in: refused at once while the subject is locked or the station is rate
   * limited; otherwise `verify` checks the secret (null: wrong). A wrong secret answers `wrong()`,
   * or LOCKED when it is the one that starts the lock.
   */
  attempt<T>(subject: SignInSubject, verify: () => Promise<T | null>, wrong: () => ServiceError): Promise<T> {
    return this.oneAtATime(subject.key, async () => {
      const now = this.ctx.now();
      const until = this.lockedUntil(subject);
      if (until !== null && until > now) throw lockedOut(until, lockedMessage(subject.kind));
      const pool = this.pool(subject.kind, now);
      if (pool.coolDownUntil > now || pool.recent.length + pool.inFlight >= STATION_MAX_FAILURES) {
        const retryAt = Math.max(pool.coolDownUntil, (pool.recent[0] ?? now) + STATION_WINDOW_MS);
        throw new ServiceError(
          'RATE_LIMITED',
          'Too many wrong sign-ins at this station: wait a minute, then try again.',
          undefined,
          retryAt,
        );
      }
      pool.inFlight++;
      let result: T | null;
      try {
        result = await verify();
      } finally {
        pool.inFlight--;
      }
      if (result !== null) {
        this.failures.delete(subject.key);
        return result;
      }
      throw this.failed(subject, pool) ?? wrong();
    });
  }

  /** The end of the subject's lock, or null when it has none (it may have ended). */
  lockedUntil(subject: SignInSubject): number | null {
    if (subject.id === null) return this.unknownLocks.get(subject.key) ?? null;
    return this.ctx.rows.get<LockoutRow>('lockouts', subject.key)?.lockedUntil ?? null;
  }

  /**
   * Staff clear a card's or account's lock (and this station's count of its wrong tries).
   * Journaled only when there was a lock in force. Answers whether there was.
   */
  clear(subject: SignInSubject & { id: string }, actor: Actor): { wasLocked: boolean } {
    this.failures.delete(subject.key);
    const row = this.ctx.rows.get<LockoutRow>('lockouts', subject.key);
    const now = this.ctx.now();
    if (!row || row.lockedUntil === null || row.lockedUntil <= now) return { wasLocked: false };
    const cleared: LockoutRow = { ...row, failures: 0, lockedUntil: null, updatedAt: now };
    runCommand(
      this.ctx,
      {
        command: COMMAND.auth.clearLockout,
        input: { kind: subject.kind, subjectId: subject.id },
        actor,
        summary: `clear ${subject.kind} lockout`,
      },
      (tx) => tx.upsert('lockouts', cleared),
    );
    return { wasLocked: true };
  }

  /** Counts a wrong try; starts the lock when it is one too many (the LOCKED error), else null. */
  private failed(subject: SignInSubject, pool: StationPool): ServiceError | null {
    const now = this.ctx.now();
    const { maxFailures, minutes } = this.ctx.config.get().settings.lockout;
    const windowMs = minutes * 60_000;
    pool.recent.push(now);
    if (pool.recent.length >= STATION_MAX_FAILURES) pool.coolDownUntil = now + STATION_COOL_DOWN_MS;
    const before = this.failures.get(subject.key);
    // Wrong tries long apart do not add up: the count starts again once a lock's length has passed.
    const count = before && now - before.lastAt < windowMs ? before.count + 1 : 1;
    if (count < maxFailures) {
      this.remember(subject.key, { count, lastAt: now });
      return null;
    }
    this.failures.delete(subject.key);
    const until = now + windowMs;
    if (subject.id === null) {
      this.unknownLocks.set(subject.key, until);
      this.forgetStale(now);
    } else {
      const row: LockoutRow = {
        id: subject.key,
        kind: subject.kind,
        subjectId: subject.id,
        failures: count,
        lockedUntil: until,
        updatedAt: now,
      };
      runCommand(
        this.ctx,
        {
          command: COMMAND.auth.lockout,
          input: { kind: subject.kind, subjectId: subject.id, lockedUntil: until },
          actor: SYSTEM,
          summary: `lock ${subject.kind} after ${count} wrong tries`,
        },
        (tx) => tx.upsert('lockouts', row),
      );
    }
    return lockedOut(until, lockedMessage(subject.kind));
  }

  private remember(key: string, f: Failures): void {
    this.failures.set(key, f);
    if (this.failures.size > MAX_REMEMBERED) this.forgetStale(f.lastAt);
  }

  /** Drops ended locks and old counts, so a spray of made-up names cannot fill the memory. */
  private forgetStale(now: number): void {
    const windowMs = this.ctx.config.get().settings.lockout.minutes * 60_000;
    for (const [key, until] of this.unknownLocks) if (until <= now) this.unknownLocks.delete(key);
    for (const [key, f] of this.failures) if (now - f.lastAt >= windowMs) this.failures.delete(key);
    // Still too many (all recent): the oldest go first.
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_REMEMBERED) break;
      this.failures.delete(key);
    }
  }

  private pool(kind: LockoutKind, now: number): StationPool {
    const pool = this.pools[kind];
    while (pool.recent.length > 0 && (pool.recent[0] as number) <= now - STATION_WINDOW_MS) pool.recent.shift();
    return pool;
  }

  /** Runs attempts on one key in order; each starts when the one before it has answered. */
  private oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
    const before = this.queues.get(key) ?? Promise.resolve();
    const mine = before.then(run);
    const tail = mine.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return mine;
  }
}

function lockedMessage(kind: LockoutKind): string {
  if (kind === 'sip') return 'This SIP2 login is locked after too many wrong passwords. Try again later.';
  return kind === 'patron'
    ? 'This card is locked after too many wrong PINs. Try again later or ask at the desk.'
    : 'This account is locked after too many wrong passwords. Try again later.';
}
