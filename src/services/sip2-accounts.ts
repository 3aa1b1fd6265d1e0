// SIP2 accounts (the logins of self-checks, sorters and gates) and this station's SIP2 listener
// setting. An account is a synced row saved by an administrator (the desk's Settings › SIP2 or
// `npm run station -- sip2`), its password a scrypt hash like a staff password that the journal
// carries only as a reference (secret-refs.ts). Logging in is checked by the same sign-in guard as
// the desk and the kiosk (lockouts.ts), off the event loop.
import {
  formatCapabilities,
  parseCapabilities,
  SIP2_CAPABILITIES,
  type Sip2Capability,
} from '../domain/sip2-capabilities';
import { isSingleLineText } from '../domain/text';
import { runCommand, type Actor } from './command';
import type { ServiceContext } from './context';
import { invalid, notFound, ServiceError } from './errors';
import type { SignInGuard } from './lockouts';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hashSecret, verifySecretAsync } from '../shared/secrets';
import type Database from 'better-sqlite3';
import { COMMAND } from '../domain/commands';

export interface Sip2Account {
  id: string;
  login: string;
  branchId: string;
  allowed: Sip2Capability[];
  requirePin: boolean;
  errorDetection: boolean;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

interface Sip2AccountRow extends Omit<Sip2Account, 'allowed'> {
  allowed: string;
  passwordHash: string;
}

export interface Sip2AccountInput {
  id?: string | null;
  login: string;
  /** Required for a new account; omitted, an existing account keeps its password. */
  password?: string | null;
  branchId: string;
  allowed: Sip2Capability[];
  requirePin?: boolean;
  errorDetection?: boolean;
  active?: boolean;
}

/** This station's SIP2 listener, as Settings › SIP2 sets it (station_state, not synced: a port is a machine's). */
export interface Sip2Settings {
  enabled: boolean;
  port: number;
  /** Loopback unless IT names an address. */
  host: string;
}

/** What the listener reports back, for the desk to show. */
export interface Sip2ListenerState {
  listening: boolean;
  port: number | null;
  host: string | null;
  connections: number;
  error: string | null;
}

export const DEFAULT_SIP2_SETTINGS: Sip2Settings = { enabled: false, port: 6001, host: '127.0.0.1' };
const SETTINGS_KEY = 'sip2_settings';
const LOGIN = /^[A-Za-z0-9._@-]{1,64}$/;
export const MIN_SIP2_PASSWORD = 6;

const publicPart = ({ passwordHash: _h, allowed, ...row }: Sip2AccountRow): Sip2Account => ({
  ...row,
  allowed: parseCapabilities(allowed),
});

export class Sip2AccountService {
  private readonly listeners = new Set<() => void>();
  /**
   * Logins already proven right, per account: an HMAC of the password under a key that lives
   * only in this process, and the hash it was checked against. Twenty self-checks sharing a login
   * reconnect after a network blip without twenty scrypt runs in a row; a wrong password still
   * costs a full scrypt, and a new password (a new hash) forgets the old.
   */
  private readonly proven = new Map<string, { passwordHash: string; mac: Buffer }>();
  private readonly macKey = randomBytes(32);
  private listenerState: Sip2ListenerState = { listening: false, port: null, host: null, connections: 0, error: null };

  constructor(
    private readonly ctx: ServiceContext,
    private readonly guard: SignInGuard,
  ) {}

  list(): Sip2Account[] {
    return (
      this.ctx.store.db.prepare('SELECT * FROM sip_accounts ORDER BY login').all() as Record<string, unknown>[]
    ).map((r) => publicPart(this.ctx.rows.decode<Sip2AccountRow>('sip_accounts', r)));
  }

  /** Active accounts this station answers: those of its own branch. */
  activeHere(): Sip2Account[] {
    const branchId = this.ctx.readState('branch_id');
    return this.list().filter((a) => a.active && a.branchId === branchId);
  }

  /**
   * What a logged-in SIP2 session compares at each message to know the account is as it read
   * it: every column but the password, as one string (prepared once: it runs per message). A
   * change saved here or arriving by sync changes it; null when the account is gone.
   */
  fingerprint(id: string): string | null {
    this.fingerprintOf ??= this.ctx.store.db
      .prepare(
        "SELECT updated_at || '|' || active || '|' || branch_id || '|' || allowed || '|' || require_pin || '|' || error_detection || '|' || login FROM sip_accounts WHERE id = ?",
      )
      .pluck();
    return (this.fingerprintOf.get(id) as string | undefined) ?? null;
  }

  private fingerprintOf: Database.Statement | null = null;

  get(id: string): Sip2Account | null {
    const row = this.ctx.rows.get<Sip2AccountRow>('sip_accounts', id);
    return row ? publicPart(row) : null;
  }

  save(input: Sip2AccountInput, actor: Actor): Sip2Account {
    const login = input.login.trim();
    if (!LOGIN.test(login)) throw invalid('A SIP2 login is 1 to 64 letters, digits, dots, dashes, underscores or @.');
    if (
      input.password != null &&
      (input.password.length < MIN_SIP2_PASSWORD ||
        input.password.length > 200 ||
        !isSingleLineText(input.password) ||
        input.password.includes('|'))
    ) {
      throw invalid(
        `A SIP2 password is ${MIN_SIP2_PASSWORD} to 200 characters on one line, without "|" (SIP2's field separator).`,
      );
    }
    const unknown = input.allowed.filter((c) => !(SIP2_CAPABILITIES as readonly string[]).includes(c));
    if (unknown.length > 0)
      throw invalid(`Unknown SIP2 permissions: ${unknown.join(', ')} (known: ${SIP2_CAPABILITIES.join(', ')}).`);
    if (!this.ctx.config.get().branches.has(input.branchId)) throw invalid('Unknown branch.');
    const { password: _password, ...journaled } = input;
    const saved = runCommand(
      this.ctx,
      { command: COMMAND.sip2.saveAccount, input: { ...journaled, login }, actor, summary: `SIP2 account ${login}` },
      (tx) => {
        const existing = input.id ? this.ctx.rows.get<Sip2AccountRow>('sip_accounts', input.id) : this.byLogin(login);
        if (input.id && !existing) throw notFound('SIP2 account');
        const clash = this.byLogin(login);
        if (clash && clash.id !== existing?.id) throw new ServiceError('CONFLICT', 'That SIP2 login is taken.');
        if (!existing && !input.password) throw invalid('A new SIP2 account needs a password.');
        const now = this.ctx.now();
        const row: Sip2AccountRow = {
          id: existing?.id ?? this.ctx.newId(),
          login,
          passwordHash: input.password ? hashSecret(input.password) : existing!.passwordHash,
          branchId: input.branchId,
          allowed: formatCapabilities(input.allowed),
          requirePin: input.requirePin ?? existing?.requirePin ?? false,
          errorDetection: input.errorDetection ?? existing?.errorDetection ?? false,
          // Saving a removed account's login again with a password brings it back.
          active: input.active ?? (input.password ? true : (existing?.active ?? true)),
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        };
        tx.upsert('sip_accounts', row);
        return publicPart(row);
      },
    );
    this.changed();
    return saved;
  }

  /** Removes an account: it can no longer log in (the row stays, inactive, so the hub can still check what it did). */
  remove(id: string, actor: Actor): void {
    const row = this.ctx.rows.get<Sip2AccountRow>('sip_accounts', id);
    if (!row) throw notFound('SIP2 account');
    runCommand(
      this.ctx,
      { command: COMMAND.sip2.removeAccount, input: { id }, actor, summary: `remove SIP2 account ${row.login}` },
      (tx) => tx.upsert('sip_accounts', { ...row, active: false, updatedAt: this.ctx.now() }),
    );
    this.changed();
  }

  byLogin(login: string): Sip2AccountRow | undefined {
    const raw = this.ctx.store.db.prepare('SELECT * FROM sip_accounts WHERE login = ?').get(login.trim()) as
      Record<string, unknown> | undefined;
    return raw ? this.ctx.rows.decode<Sip2AccountRow>('sip_accounts', raw) : undefined;
  }

  /**
   * A 93 login: the account when the password is its own, it is active and of this station's
   * branch. Wrong tries lock the login as a staff account's would (in memory: SIP logins are the
   * station's own), and an unknown login costs the same time as a known one. `from` is the
   * self-check's address (its socket's), which the guard's rate limit counts by.
   */
  login(login: string, password: string, from?: string | null): Promise<Sip2Account> {
    const row = this.byLogin(login);
    const usable = row && row.active && row.branchId === this.ctx.readState('branch_id') ? row : null;
    return this.guard.attempt(
      { kind: 'sip', id: null, key: `sip:${login.trim()}` },
      from,
      async () => {
        if (usable && this.provenBefore(usable, password)) return publicPart(usable);
        if (!(await verifySecretAsync(password, usable?.passwordHash)) || !usable) return null;
        this.proven.set(usable.id, { passwordHash: usable.passwordHash, mac: this.mac(password) });
        return publicPart(usable);
      },
      () => new ServiceError('UNAUTHENTICATED', 'Wrong SIP2 login or password.'),
    );
  }

  private mac(password: string): Buffer {
    return createHmac('sha256', this.macKey).update(password, 'utf8').digest();
  }

  private provenBefore(row: Sip2AccountRow, password: string): boolean {
    const p = this.proven.get(row.id);
    return !!p && p.passwordHash === row.passwordHash && timingSafeEqual(p.mac, this.mac(password));
  }

  // --- this station's listener ------------------------------------------------------------------

  settings(): Sip2Settings {
    const raw = this.ctx.readState(SETTINGS_KEY);
    if (!raw) return { ...DEFAULT_SIP2_SETTINGS };
    try {
      return { ...DEFAULT_SIP2_SETTINGS, ...(JSON.parse(raw) as Partial<Sip2Settings>) };
    } catch {
      return { ...DEFAULT_SIP2_SETTINGS };
    }
  }

  saveSettings(settings: Sip2Settings): Sip2Settings {
    if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535)
      throw invalid('The SIP2 port is a number from 1 to 65535.');
    if (!/^[0-9A-Za-z.:_-]{1,253}$/.test(settings.host))
      throw invalid('The SIP2 address is an IP address or a host name of this machine.');
    const saved = { enabled: settings.enabled, port: settings.port, host: settings.host };
    this.ctx.writeState(SETTINGS_KEY, JSON.stringify(saved));
    this.changed();
    return saved;
  }

  state(): Sip2ListenerState {
    return { ...this.listenerState };
  }

  reportState(state: Sip2ListenerState): void {
    this.listenerState = state;
  }

  /** The listener follows accounts and settings: it opens once there is an account to answer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Accounts arrive by sync too: the station calls this after applying pulled rows. */
  changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (error) {
        console.error(
          'station: a SIP2 settings listener failed',
          error instanceof Error ? error.message : String(error),
        );
      }
    }
  }
}
