// Who may do what. Staff sign in with a username and password; a patron at the kiosk with card
// and PIN (offline too: the PIN hash is in the local store). Sessions are random bearer
// tokens stored only as hashes. Overrides need a supervisor's credentials on the spot, which
// yield a one-time override grant. Every check of a password or PIN is bounded by the sign-in
// guard (lockouts.ts: a card or account locks after a few wrong tries; a caller address, and past a
// higher ceiling the whole station, is refused for a while after many), and runs scrypt off the
// event loop (verifySecretAsync). Each method that checks one takes the caller's address as the
// transport saw it (`from`: CallContext.address; absent, not known), which the guard counts by.
import type { Permission, StaffAccount } from '../domain/types';
import { ROLE_PERMISSIONS } from '../domain/permissions';
import type { Actor } from './command';
import type { ServiceContext } from './context';
import {
  deleteSession,
  deleteSessionsExpiredBefore,
  insertSession,
  sessionByTokenHash,
  staffByUsername as staffRowByUsername,
  staffHasSession,
} from '../store/queries/auth';
import { notFound, ServiceError } from './errors';
import { knownSubject, SignInGuard, unknownSubject } from './lockouts';
import type { PatronService } from './patrons';
import { hashToken, newToken, verifySecretAsync } from '../shared/secrets';
import { runCommand } from './command';
import { newKeyPair, sealForSession, sealPrivateKey, unsealForSession, unsealPrivateKey } from '../shared/signing';
import type { KeyObject } from 'node:crypto';
import { COMMAND } from '../domain/commands';

type StaffRow = StaffAccount & { passwordHash: string; publicKey: string | null; sealedKey: string | null };
const publicPart = ({ passwordHash: _h, publicKey: _p, sealedKey: _s, ...staff }: StaffRow): StaffAccount => staff;

export { ROLE_PERMISSIONS };

const STAFF_SESSION_MS = 12 * 60 * 60 * 1000;
const KIOSK_SESSION_MS = 15 * 60 * 1000;
const OVERRIDE_GRANT_MS = 2 * 60 * 1000;

export type Session =
  { kind: 'staff'; staff: StaffAccount; permissions: Set<Permission> } | { kind: 'kiosk'; patronId: string };

interface OverrideGrant {
  grantedBy: string;
  expiresAt: number;
  /** The session that asked for it: only that session may use it. */
  askedBy: string | null;
}

export class AuthService {
  /** One-time override grants live only in memory: they are good for two minutes at one desk. */
  private readonly grants = new Map<string, OverrideGrant>();
  readonly guard: SignInGuard;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly patrons: PatronService,
  ) {
    this.guard = new SignInGuard(ctx);
  }

  private staffByUsername(username: string): StaffRow | undefined {
    const raw = staffRowByUsername(this.ctx, username.trim().toLowerCase());
    return raw ? this.ctx.rows.decode('staff', raw) : undefined;
  }

  /**
   * The account, when the password is its own. An unknown or inactive account is checked against
   * a dummy hash and locked in memory as a real one would be: the same time, the same answers.
   */
  private checkStaff(username: string, password: string, from: string | null | undefined): Promise<StaffRow> {
    const row = this.staffByUsername(username);
    const account = row?.active ? row : null;
    const subject = account
      ? knownSubject('staff', account.id)
      : unknownSubject('staff', username.trim().toLowerCase());
    return this.guard.attempt(
      subject,
      from,
      async () => ((await verifySecretAsync(password, account?.passwordHash)) && account ? account : null),
      () => new ServiceError('UNAUTHENTICATED', 'Wrong username or password.'),
    );
  }

  /**
   * The account's private key, opened with the password just checked. An account made before
   * signing existed gets its key now on a station of its own (no hub to convince); a station
   * joined to a hub cannot vouch for a key it made itself, so there an administrator must set
   * the account a new password (which makes its key, signed by the administrator).
   */
  private async openKey(row: StaffRow, password: string): Promise<KeyObject> {
    if (row.sealedKey) {
      const key = await unsealPrivateKey(row.sealedKey, password);
      if (!key) throw new ServiceError('UNAUTHENTICATED', 'Wrong username or password.');
      return key;
    }
    if (this.ctx.readState('hub_url') !== null) {
      throw new ServiceError(
        'FORBIDDEN',
        'This account has no signing key yet: an administrator must set a new password for it.',
      );
    }
    const { publicKey, privateKey } = newKeyPair();
    this.ctx.keys.unlock(row.id, privateKey);
    runCommand(
      this.ctx,
      {
        command: COMMAND.staff.adoptKey,
        input: { staffId: row.id },
        actor: { kind: 'staff', staffId: row.id },
        summary: `signing key ${row.username}`,
      },
      (tx) => {
        tx.upsert('staff', { ...row, publicKey, sealedKey: sealPrivateKey(privateKey, password) });
      },
    );
    return privateKey;
  }

  private createSession(
    kind: 'staff' | 'kiosk',
    staffId: string | null,
    patronId: string | null,
    ttl: number,
    key?: KeyObject,
  ): string {
    const { token, hash } = newToken();
    const now = this.ctx.now();
    insertSession(this.ctx, {
      tokenHash: hash,
      kind,
      staffId,
      patronId,
      createdAt: now,
      expiresAt: now + ttl,
      sealedKey: key ? sealForSession(key, token) : null,
    });
    return token;
  }

  async signIn(
    username: string,
    password: string,
    from?: string | null,
  ): Promise<{ token: string; staff: StaffAccount; permissions: Permission[] }> {
    const row = await this.checkStaff(username, password, from);
    const key = await this.openKey(row, password);
    this.ctx.keys.unlock(row.id, key);
    const staff = publicPart(row);
    return {
      token: this.createSession('staff', staff.id, null, STAFF_SESSION_MS, key),
      staff,
      permissions: ROLE_PERMISSIONS[staff.role],
    };
  }

  async kioskSignIn(
    cardBarcode: string,
    pin: string,
    from?: string | null,
  ): Promise<{ token: string; patronId: string; firstName: string }> {
    const card = cardBarcode.trim();
    const holder = this.patrons.cardHolder(card);
    const patron = await this.guard.attempt(
      holder ? knownSubject('patron', holder.id) : unknownSubject('patron', card),
      from,
      () => this.patrons.verifyPin(card, pin),
      () => new ServiceError('UNAUTHENTICATED', 'That card and PIN do not match.'),
    );
    return {
      token: this.createSession('kiosk', null, patron.id, KIOSK_SESSION_MS),
      patronId: patron.id,
      firstName: patron.firstName,
    };
  }

  /**
   * A patron's PIN sent by a self-check over SIP2 (AD): the kiosk's check, with the kiosk's
   * lockout, and no session (`from`: the self-check's address). The patron, or UNAUTHENTICATED /
   * LOCKED / RATE_LIMITED.
   */
  async checkPatronPin(cardBarcode: string, pin: string, from?: string | null): Promise<{ patronId: string }> {
    const card = cardBarcode.trim();
    const holder = this.patrons.cardHolder(card);
    const patron = await this.guard.attempt(
      holder ? knownSubject('patron', holder.id) : unknownSubject('patron', card),
      from,
      () => this.patrons.verifyPin(card, pin),
      () => new ServiceError('UNAUTHENTICATED', 'That card and PIN do not match.'),
    );
    return { patronId: patron.id };
  }

  signOut(token: string): void {
    const hash = hashToken(token);
    const row = sessionByTokenHash(this.ctx, hash);
    deleteSession(this.ctx, hash);
    // The account's key leaves memory with its last session here.
    if (row?.staff_id && !staffHasSession(this.ctx, row.staff_id)) this.ctx.keys.forget(row.staff_id);
  }

  session(token: string | null | undefined): Session | null {
    if (!token) return null;
    const row = sessionByTokenHash(this.ctx, hashToken(token));
    if (!row || row.expires_at < this.ctx.now()) return null;
    if (row.kind === 'kiosk') return { kind: 'kiosk', patronId: row.patron_id as string };
    const raw = this.ctx.rows.get<StaffRow>('staff', row.staff_id as string);
    if (!raw || !raw.active) return null;
    // After a restart the account's key is opened again from the session's sealed copy, with the
    // token this request brought; a session that cannot open it must sign in again.
    if (!this.ctx.keys.staffKey(raw.id)) {
      const key = row.sealed_key ? unsealForSession(row.sealed_key, token) : null;
      if (!key) return null;
      this.ctx.keys.unlock(raw.id, key);
    }
    const staff = publicPart(raw);
    return { kind: 'staff', staff, permissions: new Set(ROLE_PERMISSIONS[staff.role]) };
  }

  /** A supervisor types their credentials at the desk: a grant the next command may use once. */
  async verifySupervisor(
    username: string,
    password: string,
    askingSession: string | null = null,
    from?: string | null,
  ): Promise<{ overrideToken: string; grantedBy: string; displayName: string }> {
    const staff = publicPart(await this.checkStaff(username, password, from));
    if (!ROLE_PERMISSIONS[staff.role].includes('override')) {
      throw new ServiceError('FORBIDDEN', 'That account may not override.');
    }
    const { token } = newToken();
    this.grants.set(token, {
      grantedBy: staff.id,
      expiresAt: this.ctx.now() + OVERRIDE_GRANT_MS,
      askedBy: askingSession ? hashToken(askingSession) : null,
    });
    return { overrideToken: token, grantedBy: staff.id, displayName: staff.displayName };
  }

  /** Staff at the desk lift a card's PIN lockout (the patron proved who they are some other way). */
  clearPatronLockout(patronId: string, actor: Actor): { wasLocked: boolean } {
    if (!this.ctx.rows.get('patrons', patronId)) throw notFound('patron');
    return this.guard.clear({ ...knownSubject('patron', patronId), id: patronId }, actor);
  }

  /** Consumes an override grant; returns who granted it. A grant asked for by one session is good only in that session. */
  redeemOverride(token: string, redeemingSession: string | null = null): string {
    const grant = this.grants.get(token);
    this.grants.delete(token);
    if (!grant || grant.expiresAt < this.ctx.now())
      throw new ServiceError('FORBIDDEN', 'The override has expired: ask the supervisor again.');
    if (grant.askedBy !== null && grant.askedBy !== (redeemingSession ? hashToken(redeemingSession) : null)) {
      throw new ServiceError('FORBIDDEN', 'That override was granted at another session: ask the supervisor again.');
    }
    return grant.grantedBy;
  }

  /**
   * Consumes a grant for a command the signed-in account lacks `permission` for (a technician
   * waiving a fee): the granting account, active, must hold it itself. Returns who granted it.
   */
  redeemGrantFor(token: string, permission: Permission, redeemingSession: string | null = null): string {
    const grantedBy = this.redeemOverride(token, redeemingSession);
    const staff = this.ctx.rows.get<StaffAccount>('staff', grantedBy);
    if (!staff || !staff.active || !ROLE_PERMISSIONS[staff.role].includes(permission)) {
      throw new ServiceError('FORBIDDEN', `The account that granted this lacks the ${permission} permission.`);
    }
    return grantedBy;
  }

  purgeExpiredSessions(): void {
    deleteSessionsExpiredBefore(this.ctx, this.ctx.now());
  }
}
