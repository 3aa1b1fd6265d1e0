// The library's retention period for loan history: returned loans stay linked to their patron
// that many days (loanHistoryRetentionDays, for disputes and lost-item charges), then lose the
// link, unless the patron chose to keep a reading history. With no retention period (0) a loan
// is unlinked at check-in already; the purge then unlinks what is left over, such as the history
// of a patron who has since stopped keeping one. The station core runs it at start and daily.
//
// Unlinking changes rows that sync pushes, so it is a command like any other: one journal entry
// per batch of loans, which is how the hub (and through it every other station) learns of it.
import { COMMAND } from '../domain/commands';
import { runCommand, SYSTEM } from './command';
import type { ServiceContext } from './context';
import { returnedLoansToUnlink } from '../store/queries/privacy';
import type { LibrarySettings, Patron } from '../domain/types';

/** Does a loan returned now keep its link to the patron? Only with their consent, or a library retention period. */
export function keepsLoanLink(
  settings: Pick<LibrarySettings, 'loanHistoryRetentionDays'>,
  patron: Pick<Patron, 'keepReadingHistory'> | undefined,
): boolean {
  return (patron?.keepReadingHistory ?? false) || settings.loanHistoryRetentionDays > 0;
}

/** Loans per journal entry: an entry carries each loan's whole row, so it stays small (~150 KB). */
const BATCH = 500;
/**
 * Batches per run: a backlog (a retention period just shortened, a station off for months) is
 * worked off a day at a time rather than queueing megabytes of journal for one push.
 */
const MAX_BATCHES = 40;

export function purgeExpiredLoanHistory(ctx: ServiceContext): number {
  const days = ctx.config.get().settings.loanHistoryRetentionDays;
  const cutoff = ctx.now() - days * 86_400_000;
  let unlinked = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const due = returnedLoansToUnlink(ctx, cutoff, BATCH);
    if (due.length === 0) break;
    runCommand(
      ctx,
      {
        command: COMMAND.privacy.purgeLoanHistory,
        input: { cutoff },
        actor: SYSTEM,
        summary: `unlinked ${due.length} returned loans`,
      },
      (tx) => {
        for (const loan of due) tx.upsert('loans', { ...loan, patronId: null });
      },
    );
    unlinked += due.length;
    if (due.length < BATCH) break;
  }
  return unlinked;
}
