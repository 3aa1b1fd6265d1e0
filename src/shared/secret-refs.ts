// Secrets never sit in the journal. A PIN hash, a staff password hash or a sealed private key
// that a command writes stays in the row in the station's own table (sign-in needs it), but the
// journal entry's copy of the row carries `secret:<sha256 of the value>` in its place, and the
// value itself waits in journal_secrets until the hub has acknowledged the entry. A push sends
// the values of its entries' references beside the entries; the hub checks each against its
// digest, after checking the entry's signature (which covers the digest), and puts the value in
// its row. So a journal, a copied journal file, or anything that reads entries sees no hash.
import { createHash } from 'node:crypto';
import type { RowChange, SyncedTable } from '../domain/journal';

/** The fields of synced rows that hold secrets. */
export const SECRET_FIELDS: Partial<Record<SyncedTable, readonly string[]>> = {
  patrons: ['pinHash'],
  staff: ['passwordHash', 'sealedKey'],
  sip_accounts: ['passwordHash'],
};

const PREFIX = 'secret:';

export const digestOf = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** The row as the journal keeps it, and the secrets it stands for (digest -> value). */
export function withSecretRefs(
  table: SyncedTable,
  row: Record<string, unknown>,
): { row: Record<string, unknown>; secrets: [string, string][] } {
  const fields = SECRET_FIELDS[table];
  if (!fields) return { row, secrets: [] };
  const secrets: [string, string][] = [];
  const out = { ...row };
  for (const f of fields) {
    const value = row[f];
    if (typeof value !== 'string' || value === '') continue;
    const digest = digestOf(value);
    secrets.push([digest, value]);
    out[f] = `${PREFIX}${digest}`;
  }
  return { row: out, secrets };
}

/** The digests an entry's rows refer to. */
export function secretRefsOf(effects: RowChange[]): string[] {
  const refs: string[] = [];
  for (const change of effects) {
    for (const f of SECRET_FIELDS[change.table] ?? []) {
      const value = change.row[f];
      if (typeof value === 'string' && value.startsWith(PREFIX)) refs.push(value.slice(PREFIX.length));
    }
  }
  return refs;
}

/**
 * The effects with each reference replaced by the secret it stands for, or the reason it cannot
 * be: a reference whose value did not come with the push, or came altered.
 */
export function resolveSecretRefs(
  effects: RowChange[],
  secrets: Record<string, string>,
): { ok: true; effects: RowChange[] } | { ok: false; reason: string } {
  const out: RowChange[] = [];
  for (const change of effects) {
    const fields = SECRET_FIELDS[change.table];
    if (!fields || change.op === 'delete') {
      out.push(change);
      continue;
    }
    const row = { ...change.row };
    for (const f of fields) {
      const value = row[f];
      if (typeof value !== 'string' || !value.startsWith(PREFIX)) continue;
      const digest = value.slice(PREFIX.length);
      const secret = Object.hasOwn(secrets, digest) ? secrets[digest] : undefined;
      if (secret === undefined)
        return { ok: false, reason: `the ${f} of ${change.table} row ${change.row.id} did not come with the push` };
      if (digestOf(secret) !== digest)
        return {
          ok: false,
          reason: `the ${f} sent for ${change.table} row ${change.row.id} is not the one the entry names`,
        };
      row[f] = secret;
    }
    out.push({ ...change, row });
  }
  return { ok: true, effects: out };
}
