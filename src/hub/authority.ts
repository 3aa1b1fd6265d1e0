// Who made an entry, and whether they may. A station's credential says which station pushes; it
// says nothing of who at that station did what, since a station's store is a file anyone at the
// desk computer could edit. So every entry is signed (src/shared/signing.ts) and the hub checks,
// before applying anything of it:
//
// 1. The signature: by the key the hub holds for the entry's staff account (an active account),
//    or, for an entry naming no account, by the key the hub holds for the pushing station.
// 2. The command: the account's role must grant the permission the station API asks for it
//    (src/api/contract/, the same table the desk itself enforces). The station's own key may
//    sign only what the kiosk does and the station's housekeeping.
// 3. Every row it writes: each table has the permissions that may write it (a technician's
//    check-out may write loans, not staff accounts), and secrets have rules of their own: a
//    patron's PIN changes only through the PIN command (or a new patron's registration), a staff
//    account's password and keys only through saving the account, both by an account allowed to.
// 4. Override grants name an active account at the hub that may grant them.
// 5. An entry a SIP2 account's request wrote (a self-check's check-out, a sorter's check-in) is
//    signed by the station's key and names the account (payload.actor). The hub takes it only
//    when that account is, in the hub's own rows, active, of the pushing station's branch, and
//    allowed the command (src/domain/sip2-capabilities.ts); the account itself is a row only an
//    administrator's signed entry writes. So a station's key alone cannot invent a SIP2 account,
//    nor make a check-in account pay fees.
//
// The answer is null, or the reason the entry is rejected. Nothing here trusts a station's rows
// for who someone is: every account is read from the hub's own rows.
import { stationApi, type ApiMethod } from '../api/contract';
import { COMMAND, type CommandName } from '../domain/commands';
import type { JournalEntry, RowChange, SyncedTable } from '../domain/journal';
import { ROLE_PERMISSIONS } from '../domain/permissions';
import type { Permission, StaffAccount } from '../domain/types';
import { canonicalJson, verifyEntry } from '../shared/signing';
import { digestOf } from '../shared/secret-refs';
import { parseCapabilities, SIP2_COMMANDS, type Sip2Capability } from '../domain/sip2-capabilities';
import { getRow } from './row-store';
import type { Queryable } from './db';
import type { StationIdentity } from './station-identity';

/** Commands a station writes that are not station API methods, with what they need. */
const INTERNAL_COMMANDS: Record<string, Permission | 'station'> = {
  // A batch of a MARC import (src/services/import/marc-import.ts): records and their copies.
  [COMMAND.catalogue.importRecords]: 'manage_catalogue',
  // A batch of a patron CSV import (src/services/import/patrons-csv.ts): patrons, without PINs.
  [COMMAND.patrons.importBatch]: 'manage_patrons',
  [COMMAND.privacy.purgeLoanHistory]: 'station',
  [COMMAND.auth.lockout]: 'station',
  // The notice pass of the sending station (src/services/notices.ts): a notice made, sent, printed, unlinked.
  [COMMAND.notices.record]: 'station',
};

/** Commands the hub never takes from a station, with why. */
const NEVER: Record<string, string> = {
  [COMMAND.setup.initialize]: 'a station set up on its own cannot bring its library into a hub',
  [COMMAND.staff.adoptKey]:
    'a station cannot vouch for a signing key it made itself: an administrator must set the account a new password',
};

export interface Signer {
  kind: 'staff' | 'station' | 'sip';
  permissions: Set<Permission>;
  account: StaffAccount | null;
  /** For a SIP2 account's entry: its login and what it may do. */
  sip?: { login: string; allowed: Sip2Capability[] };
  /**
   * One of the acts of a stand-alone station's own history that no station may bring to a
   * running hub, taken once from the station a new hub is made from (admin init --from-station,
   * src/hub/founding.ts): the library's set-up, an account adopting its first signing key, and a
   * SIP2 account made by the station's own command line.
   */
  founding?: 'setup' | 'adopt-key' | 'sip-account';
}

/** What a SIP2 account's entries may write: a self-check's circulation rows (and a block it sets). */
const SIP_ROW_PERMISSIONS: Permission[] = ['circulate'];

/** Which signers may write each table: a permission any of which suffices, or the station's key. */
type RowRule = { permissions: Permission[]; station: boolean; commands?: string[] };
const ROW_RULES: Record<SyncedTable | 'lockouts', RowRule> = {
  staff: { permissions: ['manage_staff'], station: false },
  settings: { permissions: ['settings'], station: false },
  branches: { permissions: ['settings'], station: false },
  closed_days: { permissions: ['settings', 'edit_rules'], station: false },
  // The ILL category of other libraries' cards, made by the first lending request when missing (policy.ts allows only its creation).
  patron_categories: { permissions: ['settings'], station: false, commands: [COMMAND.ill.recordLending] },
  item_types: { permissions: ['settings'], station: false },
  circulation_rules: { permissions: ['edit_rules'], station: false },
  patron_limits: { permissions: ['edit_rules'], station: false },
  branch_item_policies: { permissions: ['edit_rules'], station: false },
  // A borrowed item's temporary record is made by its receipt, circulation's work (src/services/ill.ts).
  records: { permissions: ['manage_catalogue'], station: false, commands: [COMMAND.ill.receive] },
  items: { permissions: ['manage_catalogue', 'circulate'], station: true },
  patrons: { permissions: ['manage_patrons'], station: false },
  patron_blocks: { permissions: ['manage_patrons', 'circulate'], station: false },
  loans: { permissions: ['circulate'], station: true },
  holds: { permissions: ['circulate'], station: true },
  fees: { permissions: ['circulate'], station: true },
  payments: { permissions: ['circulate'], station: true },
  payment_allocations: { permissions: ['circulate'], station: true },
  // A waiver is a supervisor's; a copy found after being paid for as lost is waived by the check-in that finds it.
  fee_waivers: { permissions: ['waive_fees'], station: false, commands: [COMMAND.circulation.checkin] },
  in_house_uses: { permissions: ['circulate'], station: false },
  lockouts: { permissions: ['manage_patrons'], station: true },
  sip_accounts: { permissions: ['settings'], station: false },
  // Interlibrary loan requests: circulation; the kiosk's check-out of a borrowed copy moves its request too.
  ill_requests: { permissions: ['circulate'], station: true },
  // Made and sent by the station's notice pass; staff mark letters printed or send one again.
  notices: { permissions: ['circulate'], station: true },
};

/** Secret fields of rows, and the commands that may change them. */
const SECRET_FIELDS: Partial<
  Record<SyncedTable, { fields: string[]; commands: string[]; permission: Permission; what: string }>
> = {
  patrons: {
    fields: ['pinHash'],
    commands: [COMMAND.patrons.setPin, COMMAND.patrons.register],
    permission: 'manage_patrons',
    what: "a patron's PIN",
  },
  staff: {
    fields: ['passwordHash', 'sealedKey', 'publicKey'],
    commands: [COMMAND.staff.save],
    permission: 'manage_staff',
    what: "a staff account's password or key",
  },
  sip_accounts: {
    fields: ['passwordHash'],
    commands: [COMMAND.sip2.saveAccount],
    permission: 'settings',
    what: "a SIP2 account's password",
  },
};

/** Whether `signer` (the entry's, checked by signerOf) may run the entry's command and write `effects` (its rows with secrets resolved). */
export async function authorityRefusal(
  tx: Queryable,
  signer: Signer,
  entry: JournalEntry,
  effects: RowChange[],
): Promise<string | null> {
  // Checked in full by foundingSignerOf: who signed it, and that it writes only what that act writes.
  if (signer.founding) return null;
  if (NEVER[entry.command]) return `${entry.command}: ${NEVER[entry.command]}`;
  const commandRefusal = mayRun(signer, entry.command);
  if (commandRefusal) return commandRefusal;
  for (const change of effects) {
    const refusal = (await mayWrite(tx, signer, entry, change)) ?? null;
    if (refusal) return refusal;
  }
  for (const o of entry.payload.overrides ?? []) {
    const grantor = await getRow<StaffAccount>(tx, 'staff', o.grantedBy);
    const needed: Permission = entry.command === COMMAND.fees.waive ? 'waive_fees' : 'override';
    if (!grantor || grantor.active !== true || !ROLE_PERMISSIONS[grantor.role]?.includes(needed)) {
      return `the override ${o.code} names ${o.grantedBy}, which is not an active account at the hub allowed to grant it`;
    }
  }
  return null;
}

/** Who signed the entry, checked with the hub's own key for that account or station; or why no one valid did. */
export async function signerOf(tx: Queryable, station: StationIdentity, entry: JournalEntry): Promise<Signer | string> {
  const { seq: _seq, signature, ...signed } = entry;
  if (!signature) return 'the entry is not signed';
  if (entry.staffId === null) {
    if (!station.publicKey) return 'the hub holds no signing key for this station';
    if (!verifyEntry(signed, signature, station.publicKey)) return "the entry's signature is not this station's";
    const sip = entry.payload.actor;
    if (sip) return sipSigner(tx, station, entry, sip.sipAccountId);
    return { kind: 'station', permissions: new Set(), account: null };
  }
  const account = await getRow<StaffAccount & { publicKey?: string | null }>(tx, 'staff', entry.staffId);
  if (!account) return `staff account ${entry.staffId} is unknown at the hub`;
  if (account.active !== true) return `staff account ${account.username} is not active at the hub`;
  if (!account.publicKey)
    return `staff account ${account.username} has no signing key at the hub: an administrator must set it a new password`;
  if (!verifyEntry(signed, signature, account.publicKey))
    return `the entry's signature is not staff account ${account.username}'s`;
  return { kind: 'staff', permissions: new Set(ROLE_PERMISSIONS[account.role] ?? []), account };
}

/** The SIP2 account a station-signed entry names, as the hub's own rows know it; or why it may not act. */
async function sipSigner(
  tx: Queryable,
  station: StationIdentity,
  entry: JournalEntry,
  accountId: string,
): Promise<Signer | string> {
  const account = await getRow<{ login: string; branchId: string; allowed: string; active: boolean }>(
    tx,
    'sip_accounts',
    accountId,
  );
  if (!account) return `SIP2 account ${accountId} is unknown at the hub`;
  if (account.active !== true) return `SIP2 account ${account.login} is not active at the hub`;
  if (account.branchId !== station.branchId || entry.branchId !== station.branchId)
    return `SIP2 account ${account.login} acts for another branch than this station's`;
  return {
    kind: 'sip',
    permissions: new Set(SIP_ROW_PERMISSIONS),
    account: null,
    sip: { login: account.login, allowed: parseCapabilities(account.allowed) },
  };
}

function mayRun(signer: Signer, command: string): string | null {
  const method = Object.hasOwn(stationApi, command)
    ? (stationApi[command as keyof typeof stationApi] as ApiMethod)
    : null;
  const internal = Object.hasOwn(INTERNAL_COMMANDS, command) ? INTERNAL_COMMANDS[command] : undefined;
  if (!method && !internal) return `${command} is not a command the hub knows`;
  if (signer.kind === 'sip') {
    const needed = Object.hasOwn(SIP2_COMMANDS, command) ? SIP2_COMMANDS[command as CommandName] : undefined;
    if (!needed) return `${command} is not something a SIP2 account does`;
    if (!signer.sip!.allowed.includes(needed))
      return `SIP2 account ${signer.sip!.login} is not allowed ${needed} (${command})`;
    return null;
  }
  if (signer.kind === 'station') {
    // The kiosk's own commands (a patron for themselves) and the station's housekeeping.
    if (method?.access === 'kiosk' || internal === 'station') return null;
    return `${command} must be signed by a staff account, not by the station`;
  }
  if (internal === 'station') return `${command} is the station's own housekeeping, not a staff account's`;
  // The permission the desk asks of a session for it: a kiosk command is circulation for staff.
  const access = method?.access;
  const needed: Permission | null =
    internal ??
    (access === 'kiosk' ? 'circulate' : access === 'public' || access === 'staff' ? null : (access ?? null));
  if (needed && !signer.permissions.has(needed))
    return `staff account ${signer.account!.username} lacks the ${needed} permission for ${command}`;
  return null;
}

async function mayWrite(tx: Queryable, signer: Signer, entry: JournalEntry, change: RowChange): Promise<string | null> {
  const rule = ROW_RULES[change.table];
  const who =
    signer.kind === 'station'
      ? 'the station'
      : signer.kind === 'sip'
        ? `SIP2 account ${signer.sip!.login}`
        : `staff account ${signer.account!.username}`;
  const allowed =
    signer.kind === 'station'
      ? rule.station
      : rule.permissions.some((p) => signer.permissions.has(p)) || (rule.commands?.includes(entry.command) ?? false);
  if (!allowed) return `${who} may not write ${change.table} rows (${entry.command})`;
  const secret = SECRET_FIELDS[change.table];
  if (!secret || change.op === 'delete') return null;
  const current = await getRow<Record<string, unknown>>(tx, change.table, change.row.id);
  const changed = secret.fields.some((f) => (change.row[f] ?? null) !== (current?.[f] ?? null));
  if (!changed) return null;
  if (!secret.commands.includes(entry.command))
    return `${secret.what} changes only through ${secret.commands.join(' or ')}, not ${entry.command}`;
  if (!signer.permissions.has(secret.permission)) return `${who} may not change ${secret.what}`;
  return null;
}

/**
 * The founding station's acts a hub takes only while it is made from that station (admin init
 * --from-station: the administrator's own act, run once on an empty hub). Null for any other
 * entry, which is checked as every push is. What is trusted is narrow:
 *
 * - `setup.initialize`, signed by the founding station's own key, while the hub has no library
 *   settings yet: the set-up that created the library, its first branch and administrator.
 * - `staff.adoptKey`, signed by the very key it records, for an account the hub holds without a
 *   key, changing nothing of the account but its key (a stand-alone station gives an account made
 *   before signing existed its first key at sign-in, src/services/auth.ts).
 * - `sip2.saveAccount` and `sip2.removeAccount` signed by the founding station's own key (no
 *   staff account), writing SIP2 accounts only: `npm run station -- sip2 add-account` without
 *   --admin on a stand-alone station, whose data folder is its administrator's. Refused, they
 *   left that station unable ever to become a hub's first.
 *
 * Rows are still checked for shape and secrets (src/hub/policy.ts) like any other entry's.
 */
export async function foundingSignerOf(
  tx: Queryable,
  station: StationIdentity,
  entry: JournalEntry,
): Promise<Signer | string | null> {
  if (!station.founding) return null;
  const { seq: _seq, signature, ...signed } = entry;
  if (entry.command === COMMAND.setup.initialize) {
    if (entry.staffId !== null) return "the library's set-up is signed by its station, not by a staff account";
    if (await getRow(tx, 'settings', 'library'))
      return 'the library is set up at the hub already: a library is set up once';
    if (!verifyEntry(signed, signature, station.publicKey)) return "the entry's signature is not this station's";
    return { kind: 'station', permissions: new Set(), account: null, founding: 'setup' };
  }
  if (entry.command === COMMAND.sip2.saveAccount || entry.command === COMMAND.sip2.removeAccount) {
    // Signed by a staff account: checked as any push is.
    if (entry.staffId !== null) return null;
    if (!verifyEntry(signed, signature, station.publicKey)) return "the entry's signature is not this station's";
    if (entry.payload.effects.some((c) => c.table !== 'sip_accounts' || c.op !== 'upsert'))
      return "a SIP2 account made at the station writes that account's row alone";
    return { kind: 'station', permissions: new Set(), account: null, founding: 'sip-account' };
  }
  if (entry.command !== COMMAND.staff.adoptKey) return null;
  const account = entry.staffId
    ? await getRow<StaffAccount & Record<string, unknown>>(tx, 'staff', entry.staffId)
    : null;
  if (!account) return `staff account ${entry.staffId ?? '(none)'} is unknown at the hub`;
  if (account.active !== true) return `staff account ${account.username} is not active at the hub`;
  if (account.publicKey) return `staff account ${account.username} has a signing key at the hub already`;
  const [change, ...more] = entry.payload.effects;
  if (!change || more.length > 0 || change.table !== 'staff' || change.op !== 'upsert' || change.row.id !== account.id)
    return 'a signing key is adopted for the signing account alone';
  const row = change.row as Record<string, unknown>;
  const held = typeof account.passwordHash === 'string' ? account.passwordHash : '';
  if (row.passwordHash !== held && row.passwordHash !== `secret:${digestOf(held)}`)
    return 'adopting a signing key changes no password';
  for (const field of new Set([...Object.keys(row), ...Object.keys(account)])) {
    if (['passwordHash', 'sealedKey', 'publicKey'].includes(field)) continue;
    if (canonicalJson(row[field] ?? null) !== canonicalJson(account[field] ?? null))
      return `adopting a signing key changes nothing but the key (not ${field})`;
  }
  if (typeof row.publicKey !== 'string' || !verifyEntry(signed, signature, row.publicKey))
    return "the entry's signature is not by the key it adopts";
  return { kind: 'staff', permissions: new Set(ROLE_PERMISSIONS[account.role] ?? []), account, founding: 'adopt-key' };
}
