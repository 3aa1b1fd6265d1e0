// Journal entries written before secrets were kept out of the journal (secret-refs.ts) still hold
// PIN hashes, password hashes and sealed keys in their rows. At start, once, each such entry has
// them replaced by references, as a new entry would carry them; one the hub has not acknowledged
// yet keeps the values beside it in journal_secrets, so its push still brings them. Like the
// reading-history redaction (journal-privacy.ts) this is bookkeeping of the local copy: an audit
// line, no journal entry, and the payload changes once, with redacted_at.
import type { SyncedTable } from '../domain/journal';
import type { ServiceContext } from './context';
import { entriesHoldingSecrets, journalRedactor } from '../store/queries/journal';
import { immediateTransaction } from '../store/transaction';
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
  const waitingFrom = ctx.readState('hub_url') !== null ? ctx.journal.ackedThrough() : Number.MAX_SAFE_INTEGER;
  const now = ctx.now();
  let changed = 0;
  immediateTransaction(ctx, () => {
    const rows = entriesHoldingSecrets(ctx);
    const update = journalRedactor(ctx);
    for (const { seq, payload } of rows) {
      const parsed = JSON.parse(payload) as Payload;
      const effects = (parsed.effects ?? []).map((e) => {
        if (e.op !== 'upsert') return e;
        const { row, secrets } = withSecretRefs(e.table, e.row);
        // Still to be pushed: the values go with it, as with a new entry's.
        if (seq > waitingFrom) for (const [digest, value] of secrets) ctx.journal.keepSecret(digest, value);
        return { ...e, row };
      });
      update(seq, JSON.stringify({ ...parsed, effects }), now);
      changed++;
    }
    if (changed > 0)
      ctx.journal.audit(
        now,
        null,
        'privacy.redactJournalSecrets',
        null,
        `took the PIN and password hashes out of ${changed} older journal entries`,
      );
    ctx.writeState(DONE, String(now));
  });
  return changed;
}
