// What a station may write. A station's credential proves which station (and so which branch) is
// pushing, not that what it sends is true: a station's store is a file on a desk computer. So
// before an entry is applied the hub checks every row in it (src/hub/row-schemas.ts) and this
// policy, against the hub's own rows as the batch has left them. An entry that fails either is
// `rejected` with the reason, and nothing of it is applied.
//
// - Circulation (patrons and their blocks, titles and copies, loans, holds, fees, payments,
//   waivers, in-house uses) is every desk's work, for any patron and any copy of the library: a
//   patron borrows at one branch and returns at another. Kiosk entries name no staff account, so
//   none is required. But a new loan (and an in-house use) is made at the station's own branch,
//   a return is recorded at the station's own branch, a loan never changes copy or branch, and
//   a payment or waiver names the entry's own staff account (or none).
// - Every entry is signed by the staff account that made it, or by the station for the kiosk and
//   its housekeeping; src/hub/authority.ts checks the signature with the hub's own key for that
//   account, and that the account may run the command and write each of its rows.
// - Library-wide configuration (staff accounts, settings, branches, the calendar, patron
//   categories, item types, circulation rules, limits and return policies) changes only by an
//   administrator: the entry's staff account, whose signature was just checked, must be, at the
//   hub, an active account whose role holds the configuration permissions (mayConfigureLibrary in
//   src/domain/permissions.ts, the table the desk's sessions use).
// - Rows are never deleted by a station, except a patron's block (lifted), a closed day and a
//   rule (by an administrator), and a copy or a record catalogued by mistake (by its delete
//   command, and only when nothing at the hub still needs it: catalogueDeleteRefusal).
import type { AdministratorTable, JournalEntry, RowChange, SyncedTable } from '../domain/journal';
import { mayConfigureLibrary } from '../domain/permissions';
import type { Loan, StaffAccount } from '../domain/types';
import { getRow, touchRow } from './row-store';
import type { ApplyResult } from './verdicts';
import type { Queryable } from './db';
import type { StationIdentity } from './station-identity';
import { parseRowChange } from './row-schemas';
import { authorityRefusal, foundingSignerOf, signerOf } from './authority';
import { digestOf, resolveSecretRefs, SECRET_FIELDS } from '../shared/secret-refs';
import { COMMAND } from '../domain/commands';

/** Library-wide configuration (src/domain/journal.ts, ADMINISTRATOR_TABLES), and what it is called in a reason. */
const CONFIGURATION: Partial<Record<SyncedTable, string>> = {
  staff: 'staff accounts',
  settings: 'the library settings',
  branches: 'branches',
  closed_days: 'the calendar',
  patron_categories: 'patron categories',
  item_types: 'item types',
  circulation_rules: 'the circulation rules',
  patron_limits: 'the circulation rules',
  branch_item_policies: 'the circulation rules',
  sip_accounts: 'SIP2 accounts',
} satisfies Record<AdministratorTable, string>;

/** Tables whose rows a station may delete: a lifted block by any desk; a closed day or a rule by an administrator. */
const DELETABLE = new Set<SyncedTable>(['patron_blocks', 'closed_days', 'circulation_rules']);

/** Catalogue rows a station may delete, each by its own command only. */
const CATALOGUE_DELETES: Partial<Record<SyncedTable, string>> = {
  items: COMMAND.catalogue.deleteItem,
  records: COMMAND.catalogue.deleteRecord,
};

/**
 * A copy or a record deleted at a desk, checked against what the hub knows and that desk may not
 * have heard of yet: a copy lent or trapped for a hold at another branch, a record given a copy
 * or a hold elsewhere. The desk refuses the same (src/services/catalogue.ts); here it is checked
 * again, across the library.
 */
async function catalogueDeleteRefusal(tx: Queryable, entry: JournalEntry, change: RowChange): Promise<string | null> {
  const command = CATALOGUE_DELETES[change.table]!;
  if (entry.command !== command) return `${change.table} rows are deleted only by ${command}, not ${entry.command}`;
  const id = change.row.id;
  const any = async (sql: string) => (await tx.query(sql, [id])).length > 0;
  if (change.table === 'items') {
    if (await any(`SELECT 1 FROM rows WHERE table_name = 'loans' AND deleted = 0 AND data->>'itemId' = $1 LIMIT 1`))
      return `copy ${id} has loans at the hub: it is withdrawn, not deleted`;
    if (
      await any(
        `SELECT 1 FROM rows WHERE table_name = 'holds' AND deleted = 0 AND data->>'itemId' = $1 AND data->>'status' IN ('pending', 'in_transit', 'waiting') LIMIT 1`,
      )
    ) {
      return `copy ${id} is held for a hold at the hub`;
    }
    return null;
  }
  if (await any(`SELECT 1 FROM rows WHERE table_name = 'items' AND deleted = 0 AND data->>'recordId' = $1 LIMIT 1`))
    return `record ${id} still has copies at the hub`;
  if (await any(`SELECT 1 FROM rows WHERE table_name = 'holds' AND deleted = 0 AND data->>'recordId' = $1 LIMIT 1`))
    return `record ${id} has holds at the hub`;
  return null;
}

export type Screened = { ok: true; entry: JournalEntry } | { ok: false; reason: string };

/**
 * Checks an entry before it is applied: its rows are well formed and the station may write them.
 * Answers the entry with its rows as the tables define them (unknown fields dropped), or why not.
 */
export async function screenEntry(
  tx: Queryable,
  station: StationIdentity,
  entry: JournalEntry,
  secrets: Record<string, string> = {},
): Promise<Screened> {
  // Who signed it, over the entry as it came (its secrets as references). A new hub made from a
  // stand-alone station takes that station's set-up once (authority.ts, foundingSignerOf).
  const signer = (await foundingSignerOf(tx, station, entry)) ?? (await signerOf(tx, station, entry));
  if (typeof signer === 'string') return { ok: false, reason: signer };
  // The secrets its rows refer to, sent beside it, or unchanged from the hub's own row.
  const resolved = await resolveSecrets(tx, entry.payload.effects, secrets);
  if (!resolved.ok) return resolved;
  const effects: RowChange[] = [];
  for (const change of resolved.effects) {
    const parsed = parseRowChange(change);
    if (!parsed.ok) return parsed;
    effects.push(parsed.change);
  }
  if (entry.command === COMMAND.sync.resolveException && effects.length > 0)
    return { ok: false, reason: 'a resolution of an exception carries no rows' };
  // Whether that account (or the station's own key) may do this to these rows.
  const unauthorised = await authorityRefusal(tx, signer, entry, effects);
  if (unauthorised) return { ok: false, reason: unauthorised };
  let notAdmin: string | null | undefined;
  for (const change of effects) {
    const what = CONFIGURATION[change.table];
    if (change.op === 'delete' && CATALOGUE_DELETES[change.table] !== undefined) {
      const refusal = await catalogueDeleteRefusal(tx, entry, change);
      if (refusal) return { ok: false, reason: refusal };
      continue;
    }
    if (change.op === 'delete' && !DELETABLE.has(change.table))
      return { ok: false, reason: `a station never deletes ${change.table} rows (${change.row.id})` };
    // The one piece of configuration a desk makes: the ILL patron category, when a first lending
    // request needs it and the hub has none by that code. Changing an existing category stays an administrator's.
    if (
      change.table === 'patron_categories' &&
      entry.command === COMMAND.ill.recordLending &&
      !(await getRow(tx, 'patron_categories', change.row.id))
    )
      continue;
    if (what) {
      // The founding acts are the administrator's own (admin init --from-station).
      if (signer.founding) continue;
      if (notAdmin === undefined) notAdmin = await whyNotAdmin(tx, entry.staffId);
      if (notAdmin) return { ok: false, reason: `only an administrator changes ${what}: ${notAdmin}` };
      continue;
    }
    if (change.op === 'delete') continue;
    const refusal = await circulationRefusal(tx, station, entry, change);
    if (refusal) return { ok: false, reason: refusal };
  }
  return { ok: true, entry: { ...entry, payload: { ...entry.payload, effects } } };
}

/**
 * A secret reference is resolved from the push's secrets, or, when the entry only repeats a
 * secret the hub already holds for that row (an edit of a patron leaves the PIN as it was), from
 * the hub's own row.
 */
async function resolveSecrets(tx: Queryable, effects: RowChange[], secrets: Record<string, string>) {
  const known = { ...secrets };
  for (const change of effects) {
    const fields = SECRET_FIELDS[change.table];
    if (!fields || change.op === 'delete') continue;
    const current = await getRow<Record<string, unknown>>(tx, change.table, change.row.id);
    for (const f of fields) {
      const held = current?.[f];
      if (typeof held === 'string' && held !== '') known[digestOf(held)] ??= held;
    }
  }
  return resolveSecretRefs(effects, known);
}

/** Null when the staff account is an active administrator at the hub; otherwise why not. */
async function whyNotAdmin(tx: Queryable, staffId: string | null): Promise<string | null> {
  if (!staffId) return 'the entry names no staff account';
  const account = await getRow<StaffAccount>(tx, 'staff', staffId);
  if (!account) return `staff account ${staffId} is unknown at the hub`;
  if (account.active !== true) return `staff account ${account.username} is not active at the hub`;
  if (!mayConfigureLibrary(account.role)) return `staff account ${account.username} is a ${account.role} at the hub`;
  return null;
}

async function circulationRefusal(
  tx: Queryable,
  station: StationIdentity,
  entry: JournalEntry,
  change: RowChange,
): Promise<string | null> {
  const row = change.row;
  switch (change.table) {
    case 'loans': {
      const loan = row as unknown as Loan;
      const current = await getRow<Loan>(tx, 'loans', loan.id);
      if (!current && loan.branchId !== station.branchId)
        return `loan ${loan.id} is for branch ${loan.branchId}: a station lends only at its own branch`;
      if (current && current.branchId !== loan.branchId)
        return `loan ${loan.id} was made at branch ${current.branchId}: a station cannot move it to branch ${loan.branchId}`;
      if (current && current.itemId !== loan.itemId)
        return `loan ${loan.id} is of copy ${current.itemId}: a station cannot change it to ${loan.itemId}`;
      // A return is recorded where the copy came back; a station may send back the hub's own record of a return elsewhere.
      if (
        loan.returnBranchId !== null &&
        loan.returnBranchId !== station.branchId &&
        loan.returnBranchId !== current?.returnBranchId
      ) {
        return `loan ${loan.id} is returned at branch ${loan.returnBranchId}: a station records returns only at its own branch`;
      }
      return null;
    }
    case 'in_house_uses': {
      const current = await getRow<{ branchId: string }>(tx, 'in_house_uses', row.id);
      if ((current?.branchId ?? station.branchId) !== row.branchId)
        return `in-house use ${row.id} is for branch ${String(row.branchId)}: a station records uses only at its own branch`;
      return null;
    }
    case 'payments':
    case 'fee_waivers': {
      const current = await getRow<{ staffId: string | null }>(tx, change.table, row.id);
      if (!current && row.staffId !== null && row.staffId !== entry.staffId) {
        return `${change.table === 'payments' ? 'payment' : 'waiver'} ${row.id} names staff account ${String(row.staffId)}, not the entry's`;
      }
      return null;
    }
    default:
      return null;
  }
}

/**
 * A rejected entry changes nothing, but the rows it named that the hub has are sent again, so
 * the station that sent it (which kept its own version while the entry waited) gets the hub's.
 */
export async function refuseEntry(tx: Queryable, entry: JournalEntry, reason: string): Promise<ApplyResult> {
  for (const change of entry.payload.effects) await touchRow(tx, change.table, change.row.id);
  return { outcome: 'rejected', reason, exceptions: [] };
}
