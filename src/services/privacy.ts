// The library's retention period for loan history: when it is set (loanHistoryRetentionDays > 0),
// returned loans stay linked to their patron that many days (for disputes, lost-item charges),
// then lose the link, unless the patron chose to keep a reading history. Run daily and at start.
import { runCommand, SYSTEM } from './command';
import type { ServiceContext } from './context';
import type { Loan } from '../domain/types';

export function purgeExpiredLoanHistory(ctx: ServiceContext): number {
  const days = ctx.config.get().settings.loanHistoryRetentionDays;
  const cutoff = ctx.now() - days * 86_400_000;
  const due = ctx.store.db
    .prepare(
      `SELECT l.* FROM loans l JOIN patrons p ON p.id = l.patron_id
       WHERE l.returned_at IS NOT NULL AND l.returned_at < ? AND p.keep_reading_history = 0
       LIMIT 5000`,
    )
    .all(cutoff) as Record<string, unknown>[];
  if (due.length === 0) return 0;
  runCommand(ctx, { command: 'privacy.purgeLoanHistory', input: { cutoff }, actor: SYSTEM, summary: `unlinked ${due.length} returned loans` }, (tx) => {
    for (const raw of due) tx.upsert('loans', { ...ctx.rows.decode<Loan>('loans', raw), patronId: null });
  });
  return due.length;
}
