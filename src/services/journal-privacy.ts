// Reading history in the journal. A check-out's journal entry names the patron (the card in its
// input, the patron in the loan row it wrote), and the journal is kept for good: without this
// module it would be a complete reading history of every patron, whatever they chose. Once a
// loan has lost its link to the patron (at return, or when the library's retention period ends;
// see privacy.ts), the journal entries that wrote that loan lose it too: the patron's id in the
// loan rows and the card in the input become null. Everything else in the entry stays: which
// item, when, by which staff account, so the journal still tells what the desk did.
//
// An entry is redacted only after the hub has acknowledged it (the hub keeps current rows, not
// entries, and its copy of the loan is unlinked by the same journal entries), or at once on a
// station that has no hub. An entry is redacted whole or not at all: a renew-all naming several
// loans waits until every one of them is unlinked. Entries whose loans are still linked (on
// loan, within the retention period, or a patron who keeps a reading history) are remembered in
// journal_redaction_pending and looked at again on later runs, so each run reads only new entries.
//
// Redaction is bookkeeping of the local copy, not a change of circulation state: it writes an
// audit line, not a journal entry. A trigger lets the payload change only together with
// redacted_at, once.
import type { ServiceContext } from './context';
import { journalRedactor, ReadingHistoryRedaction } from '../store/queries/journal';
import { immediateTransaction } from '../store/transaction';
import { catchUpStatistics } from './statistics';
import { COMMAND } from '../domain/commands';

/** Commands whose effects may hold loan rows linked to a patron. */
const LOAN_COMMANDS = [
  COMMAND.circulation.checkout,
  COMMAND.circulation.renew,
  COMMAND.circulation.renewAll,
  COMMAND.circulation.checkin,
  COMMAND.catalogue.setItemStatus,
];
const SCANNED_THROUGH = 'journal_privacy_scanned_through';
/** Where the next look at pending entries starts (0: from the first). */
const PENDING_FROM = 'journal_privacy_pending_from';
/** Entries looked at per run, of each kind. */
const BATCH = 5_000;

interface Effect {
  table: string;
  op: string;
  row: Record<string, unknown>;
}
interface Payload {
  input?: Record<string, unknown> | null;
  effects?: Effect[];
  [k: string]: unknown;
}

export interface RedactionRun {
  redacted: number;
  pending: number;
}

/** Linked loans an entry still names; empty when the entry may be redacted now. */
function linkedLoanIds(payload: Payload): string[] {
  const ids = new Set<string>();
  for (const e of payload.effects ?? []) {
    if (e.table === 'loans' && e.op === 'upsert' && typeof e.row.patronId === 'string') ids.add(String(e.row.id));
  }
  return [...ids];
}

function redactedPayload(payload: Payload): Payload {
  const input = payload.input && typeof payload.input === 'object' ? { ...payload.input } : payload.input;
  if (input && 'patronBarcode' in input) input.patronBarcode = null;
  if (input && 'patronId' in input) input.patronId = null;
  return {
    ...payload,
    input,
    effects: (payload.effects ?? []).map((e) =>
      e.table === 'loans' && e.op === 'upsert' && e.row.patronId ? { ...e, row: { ...e.row, patronId: null } } : e,
    ),
  };
}

export function redactJournalReadingHistory(ctx: ServiceContext, options: { batch?: number } = {}): RedactionRun {
  const batch = options.batch ?? BATCH;
  // Statistics count a loan by its patron's category and its borrower among active patrons:
  // they read every entry before it loses the patron (the counts keep no patron).
  catchUpStatistics(ctx);
  const hasHub = ctx.readState('hub_url') !== null;
  // Entries the hub has not acknowledged must still go out as they were written.
  const pushedThrough = hasHub ? ctx.journal.ackedThrough() : Number.MAX_SAFE_INTEGER;
  const q = new ReadingHistoryRedaction(ctx);
  const redact = journalRedactor(ctx);
  const now = ctx.now();
  let redacted = 0;

  /** Redacts the entry if all its loans are unlinked; true when nothing of it is left to do. */
  const settle = (seq: number, raw: string): boolean => {
    const payload = JSON.parse(raw) as Payload;
    const linked = linkedLoanIds(payload);
    if (linked.length === 0) return true;
    // A loan row that no longer exists here (deleted by the hub) has nothing left to protect.
    if (!linked.every((id) => q.loanUnlinked(id) !== 0)) return false;
    redact(seq, JSON.stringify(redactedPayload(payload)), now);
    redacted++;
    return true;
  };

  immediateTransaction(ctx, () => {
    // Entries left from earlier runs whose loans may have been unlinked since. A batch at a time,
    // going round: entries that stay linked for good (a patron who keeps a reading history) must
    // not keep the ones behind them from ever being looked at again.
    const pendingFrom = Number(ctx.readState(PENDING_FROM) ?? 0);
    const waiting = q.pendingBetween(pendingFrom, pushedThrough, batch);
    for (const seq of waiting) if (settle(seq, q.entryPayload(seq))) q.forgetPending(seq);
    ctx.writeState(PENDING_FROM, String(waiting.length === batch ? waiting.at(-1)! : 0));
    // New entries since the last run.
    const from = Number(ctx.readState(SCANNED_THROUGH) ?? 0);
    const fresh = q.entriesOfCommandsBetween(from, pushedThrough, LOAN_COMMANDS, batch);
    for (const { seq, payload } of fresh) if (!settle(seq, payload)) q.rememberPending(seq);
    const scannedThrough =
      fresh.length === batch ? fresh.at(-1)!.seq : Math.min(pushedThrough, ctx.journal.lastSeq() ?? from);
    if (scannedThrough > from) ctx.writeState(SCANNED_THROUGH, String(scannedThrough));
    if (redacted > 0)
      ctx.journal.audit(
        now,
        null,
        'privacy.redactJournal',
        null,
        `removed the patron from ${redacted} journal entries of returned loans`,
      );
  });
  const pending = q.pendingCount();
  return { redacted, pending };
}
