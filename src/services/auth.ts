// Who may do what. Staff sign in with a username and password; a patron at the kiosk with card
// and PIN (offline too: the PIN hash is in the local store). Sessions are random bearer
// tokens stored only as hashes. Overrides need a supervisor's credentials on the spot, which
// yield a one-time override grant. Every check of a password or PIN is bounded by the sign-in
// guard (lockouts.ts: a card or account locks after a few wrong tries, a station after many) and
// runs scrypt off the event loop (verifySecretAsync).
import type { Permission, StaffAccount, StaffRole } from '../domain/types';
import type { Actor } from './command';
import type { ServiceContext } from './context';
import { notFound, ServiceError } from './errors';
import { knownSubject, SignInGuard, unknownSubject } from './lockouts';
import type { PatronService } from './patrons';
import { hashToken, newToken, verifySecretAsync } from './secrets';

export const ROLE_PERMISSIONS: Record<StaffRole, Permission[]> = {
  technician: ['circulate', 'manage_patrons'],
  supervisor: ['circulate', 'manage_patrons', 'override', 'waive_fees', 'manage_catalogue'],
  admin: ['circulate', 'manage_patrons', 'override', 'waive_fees', 'manage_catalogue', 'edit_rules', 'manage_staff', 'settings'],
};

const STAFF_SESSION_MS = 12 * 60 * 60 * 1000;
const KIOSK_SESSION_MS = 15 * 60 * 1000;
const OVERRIDE_GRANT_MS = 2 * 60 * 1000;

export type Session =
  | { kind: 'staff'; staff: StaffAccount; permissions: Set<Permission> }
  | { kind: 'kiosk'; patronId: string };

interface OverrideGrant {
  grantedBy: string;
  expiresAt: number;
}

export class AuthService {
  /** One-time override grants live only in memory: they are good for two minutes at one desk. */
  private readonly grants = new Map<string, OverrideGrant>();
  private readonly guard: SignInGuard;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly patrons: PatronService,
  ) {
    this.guard = new SignInGuard(ctx);
  }

  private staffByUsername(username: string): (StaffAccount & { passwordHash: string }) | undefined {
    const raw = this.ctx.store.db.prepare('SELECT * FROM staff WHERE username = ?').get(username.trim().toLowerCase()) as
      | Record<string, unknown>
      | undefined;
    return raw ? this.ctx.rows.decode('staff', raw) : undefined;
  }

  /**
   * The account, when the password is its own. An unknown or inactive account is checked against
   * a dummy hash and locked in memory as a real one would be: the same time, the same answers.
   */
  private checkStaff(username: string, password: string): Promise<StaffAccount> {
    const row = this.staffByUsername(username);
    const account = row?.active ? row : null;
    const subject = account ? knownSubject('staff', account.id) : unknownSubject('staff', username.trim().toLowerCase());
    return this.guard.attempt(
      subject,
      async () => {
        if (!(await verifySecretAsync(password, account?.passwordHash)) || !account) return null;
        const { passwordHash: _h, ...staff } = account;
        return staff;
      },
      () => new ServiceError('UNAUTHENTICATED', 'Wrong username or password.'),
    );
  }

  private createSession(kind: 'staff' | 'kiosk', staffId: string | null, patronId: string | null, ttl: number): string {
    const { token, hash } = newToken();
    const now = this.ctx.now();
    this.ctx.store.db
      .prepare('INSERT INTO sessions (token_hash, kind, staff_id, patron_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(hash, kind, staffId, patronId, now, now + ttl);
    return token;
  }

  async signIn(username: string, password: string): Promise<{ token: string; staff: StaffAccount; permissions: Permission[] }> {
    const staff = await this.checkStaff(username, password);
    return { token: this.createSession('staff', staff.id, null, STAFF_SESSION_MS), staff, permissions: ROLE_PERMISSIONS[staff.role] };
  }

  async kioskSignIn(cardBarcode: string, pin: string): Promise<{ token: string; patronId: string; firstName: string }> {
    const card = cardBarcode.trim();
    const holder = this.patrons.cardHolder(card);
    const patron = await this.guard.attempt(
      holder ? knownSubject('patron', holder.id) : unknownSubject('patron', card),
      () => this.patrons.verifyPin(card, pin),
      () => new ServiceError('UNAUTHENTICATED', 'That card and PIN do not match.'),
    );
    return { token: this.createSession('kiosk', null, patron.id, KIOSK_SESSION_MS), patronId: patron.id, firstName: patron.firstName };
  }

  signOut(token: string): void {
    this.ctx.store.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }

  session(token: string | null | undefined): Session | null {
    if (!token) return null;
    const row = this.ctx.store.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(hashToken(token)) as
      | { kind: 'staff' | 'kiosk'; staff_id: string | null; patron_id: string | null; expires_at: number }
      | undefined;
    if (!row || row.expires_at < this.ctx.now()) return null;
    if (row.kind === 'kiosk') return { kind: 'kiosk', patronId: row.patron_id as string };
    const raw = this.ctx.rows.get<StaffAccount & { passwordHash: string }>('staff', row.staff_id as string);
    if (!raw || !raw.active) return null;
    const { passwordHash: _h, ...staff } = raw;
    return { kind: 'staff', staff, permissions: new Set(ROLE_PERMISSIONS[staff.role]) };
  }

  /** A supervisor types their credentials at the desk: a grant the next command may use once. */
  async verifySupervisor(username: string, password: string): Promise<{ overrideToken: string; grantedBy: string; displayName: string }> {
    const staff = await this.checkStaff(username, password);
    if (!ROLE_PERMISSIONS[staff.role].includes('override')) {
      throw new ServiceError('FORBIDDEN', 'That account may not override.');
    }
    const { token } = newToken();
    this.grants.set(token, { grantedBy: staff.id, expiresAt: this.ctx.now() + OVERRIDE_GRANT_MS });
    return { overrideToken: token, grantedBy: staff.id, displayName: staff.displayName };
  }

  /** Staff at the desk lift a card's PIN lockout (the patron proved who they are some other way). */
  clearPatronLockout(patronId: string, actor: Actor): { wasLocked: boolean } {
    if (!this.ctx.rows.get('patrons', patronId)) throw notFound('patron');
    return this.guard.clear({ ...knownSubject('patron', patronId), id: patronId }, actor);
  }

  /** Consumes an override grant; returns who granted it. */
  redeemOverride(token: string): string {
    const grant = this.grants.get(token);
    this.grants.delete(token);
    if (!grant || grant.expiresAt < this.ctx.now()) throw new ServiceError('FORBIDDEN', 'The override has expired: ask the supervisor again.');
    return grant.grantedBy;
  }

  /**
   * Consumes a grant for a command the signed-in account lacks `permission` for (a technician
   * waiving a fee): the granting account, active, must hold it itself. Returns who granted it.
   */
  redeemGrantFor(token: string, permission: Permission): string {
    const grantedBy = this.redeemOverride(token);
    const staff = this.ctx.rows.get<StaffAccount>('staff', grantedBy);
    if (!staff || !staff.active || !ROLE_PERMISSIONS[staff.role].includes(permission)) {
      throw new ServiceError('FORBIDDEN', `The account that granted this lacks the ${permission} permission.`);
    }
    return grantedBy;
  }

  purgeExpiredSessions(): void {
    this.ctx.store.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(this.ctx.now());
  }
}
