// Setting up and configuring the library: the first-run wizard, settings, branches, the
// calendar, patron categories, item types, the rules matrix and staff accounts.
import type { KeyObject } from 'node:crypto';
import { DEFAULT_RULE } from '../domain/rules';
import { LANGUAGES, resources, type Language } from '../i18n';
import type {
  Branch,
  BranchItemPolicy,
  CirculationRule,
  ClosedDay,
  ItemType,
  LibrarySettings,
  PatronCategory,
  PatronLimits,
  StaffAccount,
  StaffRole,
} from '../domain/types';
import { runCommand, SYSTEM, type Actor } from './command';
import { DEFAULT_SETTINGS } from '../domain/settings';
import type { ServiceContext } from './context';
import {
  allStaff,
  branchIdByCode,
  branchItemPolicyId,
  circulationRuleId,
  closedDaysOf,
  patronLimitsId,
  staffIdByUsername,
} from '../store/queries/admin';
import { deleteSessionsOfStaff, keepOnlySession } from '../store/queries/auth';
import { deleteStationState } from '../store/queries/station-state';
import { invalid, notFound, ServiceError } from './errors';
import { hashSecret, hashToken } from '../shared/secrets';
import { newKeyPair, sealForSession, sealPrivateKey } from '../shared/signing';
import { isSingleLineText, isSupportedCurrency, isSupportedLocale, isSupportedTimeZone } from '../domain/text';
import { isValidLocalDate } from '../domain/time';
import { COMMAND } from '../domain/commands';

/** The set-up's starting names in the library's language (en-US, es-MX...), English otherwise. */
function defaultNamesFor(locale: string): Record<'ADULT' | 'CHILD' | 'BOOK' | 'DVD' | 'REF', string> {
  const language = locale.slice(0, 2);
  return (language in LANGUAGES ? resources[language as Language] : resources.en).translation.setup.defaultNames;
}

export interface SetupInput {
  libraryName: string;
  branchCode: string;
  branchName: string;
  timeZone: string;
  currency: string;
  locale: string;
  admin: { username: string; displayName: string; password: string };
}

const MIN_PASSWORD = 8;

function checkTimeZone(tz: string): void {
  if (!isSupportedTimeZone(tz)) throw invalid('Unknown time zone.');
}

/**
 * The library's locale and currency format every date and amount on screen and on slips: a tag
 * Intl cannot format with would fail every receipt after its payment is recorded.
 */
function checkLocaleAndCurrency(s: { locale?: string; currency?: string }): void {
  if (s.locale !== undefined && !isSupportedLocale(s.locale))
    throw invalid('The language is a BCP 47 tag this station can format in, e.g. en-US or es-MX.');
  if (s.currency !== undefined && !isSupportedCurrency(s.currency))
    throw invalid('The currency is an ISO 4217 code, e.g. USD.');
}

/** A name or code as one line of printable text (the API schemas check it too; services may be called without them). */
function checkLine(value: string, what: string, max: number): void {
  if (value.length > max || !isSingleLineText(value))
    throw invalid(`${what}: at most ${max} characters, on one line, without control characters.`);
}

export class AdminService {
  constructor(private readonly ctx: ServiceContext) {}

  isConfigured(): boolean {
    return this.ctx.readState('branch_id') !== null;
  }

  /**
   * The first-run wizard: the library, its first branch (this station's), sensible defaults
   * (categories, item types, a default rule) and the first admin. One command, one entry.
   */
  initialize(input: SetupInput): { branchId: string; adminId: string } {
    if (this.isConfigured()) throw new ServiceError('ALREADY_CONFIGURED', 'This station is set up already.');
    checkTimeZone(input.timeZone);
    checkLocaleAndCurrency(input);
    checkLine(input.libraryName, 'The library name', 200);
    checkLine(input.branchName, 'The branch name', 200);
    checkLine(input.branchCode, 'The branch code', 20);
    if (input.admin.password.length < MIN_PASSWORD)
      throw invalid(`A password has at least ${MIN_PASSWORD} characters.`);
    if (!input.libraryName.trim() || !input.branchName.trim() || !input.branchCode.trim())
      throw invalid('Library and branch names are required.');
    const branchId = this.ctx.newId();
    const adminId = this.ctx.newId();
    // The first administrator's key: the set-up entry itself is the station's (no one is signed
    // in yet), and the administrator signs from the first change on.
    const adminKey = newKeyPair();
    // The branch must be known before runCommand stamps the entry with it.
    this.ctx.writeState('branch_id', branchId);
    try {
      const { admin, ...rest } = input;
      runCommand(
        this.ctx,
        {
          command: COMMAND.setup.initialize,
          input: { ...rest, admin: { username: admin.username, displayName: admin.displayName } },
          actor: SYSTEM,
          summary: 'set up library',
        },
        (tx) => {
          const settings: LibrarySettings = {
            ...DEFAULT_SETTINGS,
            name: input.libraryName.trim(),
            currency: input.currency,
            locale: input.locale,
          };
          tx.upsert('settings', { id: 'library', value: JSON.stringify(settings) });
          tx.upsert('branches', {
            id: branchId,
            code: input.branchCode.trim(),
            name: input.branchName.trim(),
            timeZone: input.timeZone,
          });
          // The starting categories and item types are named in the library's language: they are
          // the library's own data from then on (renamed in Settings), shown as they are.
          const names = defaultNamesFor(input.locale);
          for (const c of [
            { code: 'ADULT', name: names.ADULT, cardValidityDays: 1095 },
            { code: 'CHILD', name: names.CHILD, cardValidityDays: 1095 },
          ]) {
            tx.upsert('patron_categories', { id: c.code, ...c });
          }
          for (const t of [
            { code: 'BOOK', name: names.BOOK, notForLoan: false },
            { code: 'DVD', name: names.DVD, notForLoan: false },
            { code: 'REF', name: names.REF, notForLoan: true },
          ]) {
            tx.upsert('item_types', { id: t.code, ...t });
          }
          tx.upsert('circulation_rules', { ...DEFAULT_RULE, id: this.ctx.newId() });
          tx.upsert('patron_limits', {
            id: this.ctx.newId(),
            branchId: '*',
            categoryCode: '*',
            totalMaxLoans: 50,
            maxHolds: 20,
          });
          tx.upsert('staff', {
            id: adminId,
            username: input.admin.username.trim().toLowerCase(),
            displayName: input.admin.displayName.trim(),
            role: 'admin',
            branchId,
            passwordHash: hashSecret(input.admin.password),
            active: true,
            publicKey: adminKey.publicKey,
            sealedKey: sealPrivateKey(adminKey.privateKey, input.admin.password),
          });
        },
      );
      this.ctx.keys.unlock(adminId, adminKey.privateKey);
    } catch (error) {
      deleteStationState(this.ctx, 'branch_id');
      throw error;
    }
    return { branchId, adminId };
  }

  settings(): LibrarySettings {
    return this.ctx.config.get().settings;
  }

  updateSettings(changes: Partial<LibrarySettings>, actor: Actor): LibrarySettings {
    const next = { ...this.settings(), ...changes };
    checkLocaleAndCurrency(changes);
    if (changes.name !== undefined) checkLine(changes.name, 'The library name', 200);
    runCommand(
      this.ctx,
      { command: COMMAND.settings.update, input: changes, actor, summary: 'edit settings' },
      (tx) => {
        tx.upsert('settings', { id: 'library', value: JSON.stringify(next) });
      },
    );
    return next;
  }

  saveBranch(branch: Omit<Branch, 'id'> & { id?: string | null }, actor: Actor): Branch {
    checkTimeZone(branch.timeZone);
    checkLine(branch.code, 'The branch code', 20);
    checkLine(branch.name, 'The branch name', 200);
    const row: Branch = {
      id: branch.id ?? this.ctx.newId(),
      code: branch.code.trim(),
      name: branch.name.trim(),
      timeZone: branch.timeZone,
    };
    if (!row.code || !row.name) throw invalid('A branch needs a code and a name.');
    return runCommand(
      this.ctx,
      { command: COMMAND.branches.save, input: row, actor, summary: `branch ${row.code}` },
      (tx) => {
        // Branch codes are unique (the table says so): say which rule it broke, not a constraint error.
        const clash = branchIdByCode(this.ctx, row.code);
        if (clash && clash !== row.id) throw new ServiceError('CONFLICT', 'Another branch has that code.');
        return tx.upsert('branches', row);
      },
    );
  }

  addClosedDay(branchId: string, day: ClosedDay, actor: Actor): { id: string } {
    if (!this.ctx.config.get().branches.has(branchId)) throw notFound('branch');
    if (day.kind === 'date' && !isValidLocalDate(day.date))
      throw invalid('The closed day must be a calendar date like 2026-12-25.');
    if (
      day.kind === 'yearly' &&
      !isValidLocalDate(`2024-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`)
    ) {
      throw invalid('That day does not exist in that month.');
    }
    const id = this.ctx.newId();
    const row = {
      id,
      branchId,
      kind: day.kind,
      date: day.kind === 'date' ? day.date : null,
      weekday: day.kind === 'weekly' ? day.weekday : null,
      month: day.kind === 'yearly' ? day.month : null,
      day: day.kind === 'yearly' ? day.day : null,
      description: day.description ?? null,
    };
    runCommand(
      this.ctx,
      { command: COMMAND.calendar.addClosedDay, input: { branchId, day }, actor, summary: 'closed day' },
      (tx) => tx.upsert('closed_days', row),
    );
    return { id };
  }

  removeClosedDay(id: string, actor: Actor): void {
    runCommand(
      this.ctx,
      { command: COMMAND.calendar.removeClosedDay, input: { id }, actor, summary: 'remove closed day' },
      (tx) => {
        if (!this.ctx.rows.get('closed_days', id)) throw notFound('closed day');
        tx.delete('closed_days', id);
      },
    );
  }

  listClosedDays(branchId: string): (ClosedDay & { id: string })[] {
    return closedDaysOf(this.ctx, branchId).map((r) => ({
      ...(r.kind === 'weekly'
        ? { kind: 'weekly' as const, weekday: r.weekday as number }
        : r.kind === 'yearly'
          ? { kind: 'yearly' as const, month: r.month as number, day: r.day as number }
          : { kind: 'date' as const, date: r.date as string }),
      description: (r.description as string | null) ?? undefined,
      id: r.id as string,
    }));
  }

  saveCategory(category: PatronCategory, actor: Actor): PatronCategory {
    if (!/^[A-Z0-9_]{1,20}$/.test(category.code))
      throw invalid('A category code is 1 to 20 capital letters or digits.');
    return runCommand(
      this.ctx,
      { command: COMMAND.categories.save, input: category, actor, summary: `category ${category.code}` },
      (tx) => tx.upsert('patron_categories', { id: category.code, ...category }),
    );
  }

  saveItemType(itemType: ItemType, actor: Actor): ItemType {
    if (!/^[A-Z0-9_]{1,20}$/.test(itemType.code))
      throw invalid('An item type code is 1 to 20 capital letters or digits.');
    return runCommand(
      this.ctx,
      { command: COMMAND.itemTypes.save, input: itemType, actor, summary: `item type ${itemType.code}` },
      (tx) => tx.upsert('item_types', { id: itemType.code, ...itemType }),
    );
  }

  /** Adds or replaces the rule for one branch x category x item type cell of the matrix. */
  saveRule(rule: CirculationRule, actor: Actor): CirculationRule & { id: string } {
    if (rule.loanLength < 0 || rule.renewalsAllowed < 0 || rule.finePeriod <= 0)
      throw invalid('Loan length, renewals and charge period must be positive.');
    if (rule.hardDueDate !== null && !isValidLocalDate(rule.hardDueDate))
      throw invalid('The hard due date must be a calendar date like 2026-12-31.');
    return runCommand(this.ctx, { command: COMMAND.rules.save, input: rule, actor, summary: 'edit rule' }, (tx) => {
      const existing = circulationRuleId(this.ctx, rule.branchId, rule.categoryCode, rule.itemTypeCode);
      return tx.upsert('circulation_rules', { ...rule, id: existing ?? this.ctx.newId() });
    });
  }

  deleteRule(id: string, actor: Actor): void {
    runCommand(this.ctx, { command: COMMAND.rules.delete, input: { id }, actor, summary: 'delete rule' }, (tx) => {
      if (!this.ctx.rows.get('circulation_rules', id)) throw notFound('rule');
      tx.delete('circulation_rules', id);
    });
  }

  savePatronLimits(limits: PatronLimits, actor: Actor): PatronLimits & { id: string } {
    return runCommand(
      this.ctx,
      { command: COMMAND.rules.saveLimits, input: limits, actor, summary: 'edit limits' },
      (tx) => {
        const existing = patronLimitsId(this.ctx, limits.branchId, limits.categoryCode);
        return tx.upsert('patron_limits', { ...limits, id: existing ?? this.ctx.newId() });
      },
    );
  }

  saveBranchItemPolicy(policy: BranchItemPolicy, actor: Actor): BranchItemPolicy & { id: string } {
    return runCommand(
      this.ctx,
      { command: COMMAND.rules.saveReturnPolicy, input: policy, actor, summary: 'edit return policy' },
      (tx) => {
        const existing = branchItemPolicyId(this.ctx, policy.branchId, policy.itemTypeCode);
        return tx.upsert('branch_item_policies', { ...policy, id: existing ?? this.ctx.newId() });
      },
    );
  }

  listStaff(): StaffAccount[] {
    return allStaff(this.ctx).map((r) => {
      const {
        passwordHash: _hash,
        publicKey: _p,
        sealedKey: _s,
        ...account
      } = this.ctx.rows.decode<
        StaffAccount & { passwordHash: string; publicKey: string | null; sealedKey: string | null }
      >('staff', r);
      return account;
    });
  }

  saveStaff(
    input: {
      id?: string | null;
      username: string;
      displayName: string;
      role: StaffRole;
      branchId?: string | null;
      password?: string | null;
      active?: boolean;
    },
    actor: Actor,
  ): StaffAccount {
    if (input.password != null && input.password.length < MIN_PASSWORD)
      throw invalid(`A password has at least ${MIN_PASSWORD} characters.`);
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9._-]{2,40}$/.test(username))
      throw invalid('A username is 2 to 40 letters, digits, dots, dashes or underscores.');
    const { password: _password, ...journaled } = input;
    let changedKey: { staffId: string; privateKey: KeyObject; isNew: boolean } | null = null;
    const saved = runCommand(
      this.ctx,
      { command: COMMAND.staff.save, input: journaled, actor, summary: `staff ${username}` },
      (tx) => {
        const existing = input.id
          ? this.ctx.rows.get<StaffAccount & { passwordHash: string }>('staff', input.id)
          : undefined;
        if (input.id && !existing) throw notFound('staff account');
        if (!existing && !input.password) throw invalid('A new account needs a password.');
        const clash = staffIdByUsername(this.ctx, username);
        if (clash && clash !== existing?.id) throw new ServiceError('CONFLICT', 'That username is taken.');
        // A new password is a new key pair, its public half published in the row: the hub checks
        // this entry with the key it holds now (the administrator's, or the account's own old key
        // for a change of one's own password) and the account's later entries with the new one.
        const key = input.password ? newKeyPair() : null;
        const kept = existing as
          (StaffAccount & { passwordHash: string; publicKey: string | null; sealedKey: string | null }) | undefined;
        const row = {
          id: existing?.id ?? this.ctx.newId(),
          username,
          displayName: input.displayName.trim(),
          role: input.role,
          branchId: input.branchId ?? existing?.branchId ?? this.ctx.identity().branchId,
          passwordHash: input.password ? hashSecret(input.password) : kept!.passwordHash,
          active: input.active ?? existing?.active ?? true,
          publicKey: key ? key.publicKey : (kept?.publicKey ?? null),
          sealedKey: key && input.password ? sealPrivateKey(key.privateKey, input.password) : (kept?.sealedKey ?? null),
        };
        tx.upsert('staff', row);
        if (key) changedKey = { staffId: row.id, privateKey: key.privateKey, isNew: !existing };
        const { passwordHash: _h, publicKey: _p, sealedKey: _s, ...account } = row;
        return account;
      },
    );
    // Assigned inside the command's body, which TypeScript does not follow.
    const changed = changedKey as { staffId: string; privateKey: KeyObject; isNew: boolean } | null;
    if (changed) this.afterPasswordChange(changed.staffId, changed.privateKey, actor, changed.isNew);
    return saved;
  }

  /**
   * A new password ends the account's other sessions here: whoever knew the old one is out. One
   * who changed their own keeps their session, which now signs with the new key. An account just
   * made here may sign at once (its creator typed its password); one reset by someone else is
   * signed out everywhere here until it signs in with the new password.
   */
  private afterPasswordChange(staffId: string, privateKey: KeyObject, actor: Actor, isNew: boolean): void {
    const own = actor.kind === 'staff' && actor.staffId === staffId && actor.sessionToken;
    if (own) {
      const tokenHash = hashToken(actor.sessionToken!);
      keepOnlySession(this.ctx, staffId, tokenHash, sealForSession(privateKey, actor.sessionToken!));
    } else {
      deleteSessionsOfStaff(this.ctx, staffId);
    }
    if (own || isNew) this.ctx.keys.unlock(staffId, privateKey);
    else this.ctx.keys.forget(staffId);
  }

  rulesMatrix() {
    return this.ctx.config.get().matrix;
  }
}
