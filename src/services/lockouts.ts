// Guessing is slow and bounded. Every sign-in that checks a secret (a kiosk PIN, a staff
// password at the desk, a supervisor's override, leaving kiosk mode, a SIP2 login or a patron's
// PIN sent by a self-check) goes through one guard:
//
// - Per card or account: after `lockout.maxFailures` wrong tries in a row (library settings) it
//   is locked for `lockout.minutes`; while locked, even the right secret is refused (LOCKED,
//   with the time it ends). A lock is a row of the synced `lockouts` table, written by a journal
//   entry (auth.lockout, by the system), so the hub and every other station refuse it too, and a
//   restart does not lift it. Staff may clear a card's lock at the desk (auth.clearLockout).
// - Per caller address: ADDRESS_MAX_FAILURES wrong tries within RATE_WINDOW_MS from one address
//   (across all accounts, or all cards), and that kind of sign-in is refused to that address
//   (RATE_LIMITED, with the time it may try again) for RATE_COOL_DOWN_MS. The address is the one
//   the transport saw (CallContext.address: the socket's remote address, never a header a client
//   can write; 'ipc' for the station's own window); calls whose address is not known share one
//   count of their own. So one machine guessing does not keep the desk, the kiosk or the
//   self-checks, which call from other addresses, signed out.
// - Per station: STATION_MAX_FAILURES wrong tries within RATE_WINDOW_MS from all addresses
//   together, and that kind of sign-in is refused to everyone for RATE_COOL_DOWN_MS: a guess
//   spread over many addresses is still bounded.
// - Staff, patron (kiosk and SIP2 PINs) and SIP2 login sign-ins are counted apart at both levels,
//   so a kiosk under attack does not keep the staff out of their own desk.
// - Attempts on one card or account run one after the other, so twenty at once are still five
//   guesses, and those in flight count against both limits.
//
// The wrong tries themselves are counted here in memory, per station: only the lock is shared.
// A name or card the library does not know is counted and locked the same way (in memory only,
// never journaled), so that neither the time nor the answer tells which names exist. Memory is
// bounded: at most MAX_REMEMBERED unknown names and MAX_ADDRESSES addresses are remembered, the
// stale ones forgotten first.
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

/** Wrong tries of one kind from one caller address within RATE_WINDOW_MS before that address is refused. */
export const ADDRESS_MAX_FAILURES = 20;
/** Wrong tries of one kind from all addresses together within RATE_WINDOW_MS before everyone is refused. */
export const STATION_MAX_FAILURES = 100;
export const RATE_WINDOW_MS = 60_000;
/** How long an address (or, past the ceiling, the station) is refused once it reaches its limit. */
export const RATE_COOL_DOWN_MS = 60_000;
/** Unknown names remembered at most; beyond it the stale ones are forgotten first. */
const MAX_REMEMBERED = 5_000;
/** Caller addresses remembered at most (an address is counted once per kind of sign-in it tried); beyond it the stale ones are forgotten first. */
export const MAX_ADDRESSES = 4_000;
/** The pool of calls whose address the transport did not know (not an IP address, so no caller has it). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The key a caller address is counted under: an IPv4 address as such whether it came as
 * 1.2.3.4 or ::ffff:1.2.3.4 (a dual-stack socket), IPv6 in lower case; none: UNKNOWN_ADDRESS.
 */
export function addressKey(address: string | null | undefined): string {
  const a = address?.trim().toLowerCase();
  if (!a) return UNKNOWN_ADDRESS;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  return (mapped ? (mapped[1] as string) : a).slice(0, 64);
}

interface Failures {
  count: number;
  lastAt: number;
}

/** The recent wrong tries of one kind: from one address, or from all of them (the station's). */
interface RatePool {
  /** When each recent failure happened, oldest first (at most the pool's limit). */
  recent: number[];
  inFlight: number;
  coolDownUntil: number;
}

const newPool = (): RatePool => ({ recent: [], inFlight: 0, coolDownUntil: 0 });

export class SignInGuard {
  private readonly failures = new Map<string, Failures>();
  /** Locks of names and cards the library does not know: key -> until. */
  private readonly unknownLocks = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly stationPools: Record<LockoutKind, RatePool> = {
    staff: newPool(),
    patron: newPool(),
    sip: newPool(),
  };
  /** Per kind and caller address ("kind address"), least recently failed first. */
  private readonly addressPools = new Map<string, RatePool>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Runs one sign-in from `from` (the caller's address as the transport saw it; null or
   * undefined: not known): refused at once while the subject is locked, or while that address or
   * the station is rate limited for this kind; otherwise `verify` checks the secret (null: wrong).
   * A wrong secret answers `wrong()`, or LOCKED when it is the one that starts the lock.
   */
  attempt<T>(
    subject: SignInSubject,
    from: string | null | undefined,
    verify: () => Promise<T | null>,
    wrong: () => ServiceError,
  ): Promise<T> {
    return this.oneAtATime(subject.key, async () => {
      const now = this.ctx.now();
      const until = this.lockedUntil(subject);
      if (until !== null && until > now) throw lockedOut(until, lockedMessage(subject.kind));
      const station = this.stationPool(subject.kind, now);
      const addressAt = `${subject.kind} ${addressKey(from)}`;
      const address = this.addressPool(addressAt, now);
      try {
        const addressRetry = limitedUntil(address, ADDRESS_MAX_FAILURES, now);
        const stationRetry = limitedUntil(station, STATION_MAX_FAILURES, now);
        if (addressRetry !== null || stationRetry !== null) {
          throw new ServiceError(
            'RATE_LIMITED',
            addressRetry !== null
              ? 'Too many wrong sign-ins from this device: wait a minute, then try again.'
              : 'Too many wrong sign-ins at this station: wait a minute, then try again.',
            undefined,
            Math.max(addressRetry ?? 0, stationRetry ?? 0),
          );
        }
        address.inFlight++;
        station.inFlight++;
        let result: T | null;
        try {
          result = await verify();
        } finally {
          address.inFlight--;
          station.inFlight--;
        }
        if (result !== null) {
          this.failures.delete(subject.key);
          return result;
        }
        throw this.failed(subject, addressAt, address, station) ?? wrong();
      } finally {
        this.settle(addressAt, address);
      }
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
  private failed(subject: SignInSubject, addressAt: string, address: RatePool, station: RatePool): ServiceError | null {
    const now = this.ctx.now();
    const { maxFailures, minutes } = this.ctx.config.get().settings.lockout;
    const windowMs = minutes * 60_000;
    countFailure(address, ADDRESS_MAX_FAILURES, now);
    countFailure(station, STATION_MAX_FAILURES, now);
    // Last to fail goes last: when there are too many addresses, those quiet longest are forgotten first.
    this.addressPools.delete(addressAt);
    this.addressPools.set(addressAt, address);
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

  private stationPool(kind: LockoutKind, now: number): RatePool {
    return forgetOld(this.stationPools[kind], now);
  }

  /** The address's pool (a new one when it has none), its old failures forgotten. */
  private addressPool(key: string, now: number): RatePool {
    const known = this.addressPools.get(key);
    if (known) return forgetOld(known, now);
    const pool = newPool();
    this.addressPools.set(key, pool);
    if (this.addressPools.size > MAX_ADDRESSES) this.forgetStaleAddresses(now);
    return pool;
  }

  /** An address with nothing left to remember (no recent failure, none in flight, no cool-down) is forgotten. */
  private settle(key: string, pool: RatePool): void {
    if (isStale(forgetOld(pool, this.ctx.now()), this.ctx.now()) && this.addressPools.get(key) === pool)
      this.addressPools.delete(key);
  }

  /** Drops the addresses with nothing to remember; still too many (all recent), those quiet longest go first. */
  private forgetStaleAddresses(now: number): void {
    for (const [key, pool] of this.addressPools) if (isStale(forgetOld(pool, now), now)) this.addressPools.delete(key);
    for (const [key, pool] of this.addressPools) {
      if (this.addressPools.size <= MAX_ADDRESSES) break;
      // One being checked right now keeps its count: it is answered within a moment.
      if (pool.inFlight === 0) this.addressPools.delete(key);
    }
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

/** Forgets a pool's failures older than the window. */
function forgetOld(pool: RatePool, now: number): RatePool {
  while (pool.recent.length > 0 && (pool.recent[0] as number) <= now - RATE_WINDOW_MS) pool.recent.shift();
  return pool;
}

const isStale = (pool: RatePool, now: number): boolean =>
  pool.recent.length === 0 && pool.inFlight === 0 && pool.coolDownUntil <= now;

/** When a pool at its limit may be tried again, or null when it is not at its limit. */
function limitedUntil(pool: RatePool, max: number, now: number): number | null {
  if (pool.coolDownUntil <= now && pool.recent.length + pool.inFlight < max) return null;
  return Math.max(pool.coolDownUntil, (pool.recent[0] ?? now) + RATE_WINDOW_MS);
}

/** Counts one wrong try; the one that reaches the limit starts the cool-down. */
function countFailure(pool: RatePool, max: number, now: number): void {
  pool.recent.push(now);
  if (pool.recent.length >= max) pool.coolDownUntil = now + RATE_COOL_DOWN_MS;
}

function lockedMessage(kind: LockoutKind): string {
  if (kind === 'sip') return 'This SIP2 login is locked after too many wrong passwords. Try again later.';
  return kind === 'patron'
    ? 'This card is locked after too many wrong PINs. Try again later or ask at the desk.'
    : 'This account is locked after too many wrong passwords. Try again later.';
}
