// Journal entries written before secrets were kept out of the journal (secret-refs.ts) still hold
// PIN hashes, password hashes and sealed keys in their rows. At start, once, each such entry has
// them replaced by references, as a new entry would carry them; one the hub has not acknowledged
// yet keeps the values beside it in journal_secrets, so its push still brings them. Like the
// reading-history redaction (journal-privacy.ts) this is bookkeeping of the local copy: an audit
// line, no journal entry, and the payload changes once, with redacted_at.
import type { SyncedTable } from '../domain/journal';
import type { ServiceContext } from './context';
import { withSecretRefs } from '../shared/secret-refs';

/** station_state key: set once every older entry has been looked at. */
const DONE = 'journal_secrets_redacted';

interface Payload {
  effects?: { table: SyncedTable; op: string; row: Record<string, unknown> }[];
  [k: string]: unknown;
}

/** Takes the secrets out of older journal entries; answers how many entries changed. */
export function redactJournalSecrets(ctx: ServiceContext): number {
  if (ctx.readState(DONE) !== null) return 0;
  const db = ctx.store.db;
  const waitingFrom = ctx.readState('hub_url') !== null ? ctx.journal.ackedThrough() : Number.MAX_SAFE_INTEGER;
  const now = ctx.now();
  let changed = 0;
  db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT seq, payload FROM journal WHERE redacted_at IS NULL
           AND (payload LIKE '%"pinHash":"scrypt$%' OR payload LIKE '%"passwordHash":"scrypt$%' OR payload LIKE '%"sealedKey":"seal1$%')`,
      )
      .all() as { seq: number; payload: string }[];
    const update = db.prepare('UPDATE journal SET payload = ?, redacted_at = ? WHERE seq = ? AND redacted_at IS NULL');
    for (const { seq, payload } of rows) {
      const parsed = JSON.parse(payload) as Payload;
      const effects = (parsed.effects ?? []).map((e) => {
        if (e.op !== 'upsert') return e;
        const { row, secrets } = withSecretRefs(e.table, e.row);
        // Still to be pushed: the values go with it, as with a new entry's.
        if (seq > waitingFrom) for (const [digest, value] of secrets) ctx.journal.keepSecret(digest, value);
        return { ...e, row };
      });
      update.run(JSON.stringify({ ...parsed, effects }), now, seq);
      changed++;
    }
    if (changed > 0) ctx.journal.audit(now, null, 'privacy.redactJournalSecrets', null, `took the PIN and password hashes out of ${changed} older journal entries`);
    ctx.writeState(DONE, String(now));
  }).immediate();
  return changed;
}
