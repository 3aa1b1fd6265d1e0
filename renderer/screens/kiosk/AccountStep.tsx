// The patron's account, read-only but for renewing: what they have on loan (overdue ones marked
// and first), each renewal's outcome in words, the fees they owe (paid at the desk, not here),
// the holds waiting for them. One way back: to borrowing.
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { Badge } from '../../components/ui/Badge';
import { AccountBadges, type Summary } from './BorrowStep';
import { KioskProblem, kioskProblemLines } from './KioskProblem';
import { useKioskFormat } from './useKioskFormat';

/** What the last renewal of one loan came to: its new due date, or why not. */
export type Outcome = { renewed: true; dueAt: number } | { renewed: false; problem: ApiErrorBody };

export function AccountStep({
  summary,
  outcomes,
  renewSummary,
  error,
  onRenew,
  onRenewAll,
  onBack,
}: {
  summary: Summary;
  outcomes: Record<string, Outcome>;
  renewSummary: { renewed: number; total: number } | null;
  error: ApiErrorBody | null;
  onRenew(itemBarcode: string): void;
  onRenewAll(): void;
  onBack(): void;
}) {
  const { t } = useTranslation();
  const format = useKioskFormat();
  // Overdue first: what the patron most needs to bring back.
  const loans = [...summary.loans].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt);
  const fees = summary.fees.filter((f) => f.outstanding > 0);
  // Fines still growing on loans not yet back count in what the patron owes: listed too, or the
  // panel would say "You owe nothing" under a badge saying they owe.
  const accruing = summary.accruing ?? [];
  return (
    <section className="kiosk-step">
      <div className="kiosk-row kiosk-top-row">
        <button type="button" className="kiosk-button" onClick={onBack}>
          <span aria-hidden="true">← </span>
          {t('kiosk.backToBorrowing')}
        </button>
      </div>
      <h1 id="kiosk-account">{t('kiosk.accountTitle')}</h1>
      <AccountBadges summary={summary} />
      <KioskProblem error={error} at="session" />
      <p role="status" data-testid="kiosk-message" className="kiosk-live">
        {renewSummary ? t('kiosk.renewSummary', { renewed: renewSummary.renewed, total: renewSummary.total }) : ''}
      </p>

      <section aria-labelledby="kiosk-loans" className="kiosk-panel">
        <h2 id="kiosk-loans">{t('kiosk.yourLoans')}</h2>
        {loans.length === 0 ? <p>{t('kiosk.noLoans')}</p> : null}
        {loans.some((l) => l.overdue) ? <p className="kiosk-note">{t('kiosk.overdueNote')}</p> : null}
        <ul className="kiosk-list kiosk-loans">
          {loans.map((l) => {
            const outcome = outcomes[l.itemBarcode];
            return (
              <li key={l.loanId} data-testid="kiosk-loan" className={l.overdue ? 'kiosk-overdue' : undefined}>
                <div className="kiosk-loan-line">
                  <span className="kiosk-title">{l.title}</span>{' '}
                  {l.overdue ? <Badge tone="overdue">{t('kiosk.overdueSince', { date: format.date(l.dueAt) })}</Badge> : <Badge tone="info">{t('kiosk.due', { date: format.date(l.dueAt) })}</Badge>}
                  <button type="button" className="kiosk-button" aria-label={t('kiosk.renewOneLabel', { title: l.title })} onClick={() => onRenew(l.itemBarcode)}>
                    {t('kiosk.renewOne')}
                  </button>
                </div>
                {outcome ? (
                  <p data-testid="kiosk-outcome" className={outcome.renewed ? 'kiosk-renewed' : 'kiosk-not-renewed'}>
                    {outcome.renewed ? t('kiosk.renewedUntil', { date: format.date(outcome.dueAt) }) : t('kiosk.notRenewed', { reason: kioskProblemLines(outcome.problem, 'session', t, format).join(' ') })}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
        {loans.length > 0 ? (
          <button type="button" className="kiosk-button kiosk-wide" onClick={onRenewAll}>
            {t('kiosk.renewAll')}
          </button>
        ) : null}
      </section>

      <section aria-labelledby="kiosk-fees" className="kiosk-panel">
        <h2 id="kiosk-fees">{t('kiosk.feesTitle')}</h2>
        {fees.length === 0 && accruing.length === 0 ? (
          <p data-testid="kiosk-fees-total">{t('kiosk.noFees')}</p>
        ) : (
          <>
            <p data-testid="kiosk-fees-total" className="kiosk-owes">
              {t('kiosk.owes', { amount: format.money(summary.feesOwed, summary.currency) })} {t('kiosk.payAtDesk')}
            </p>
            <ul className="kiosk-list">
              {fees.map((f) => (
                <li key={f.id} data-testid="kiosk-fee">
                  <span className="kiosk-title">{f.description}</span> <span className="kiosk-amount">{format.money(f.outstanding, f.currency)}</span>
                </li>
              ))}
              {accruing.map((f) => (
                <li key={f.loanId} data-testid="kiosk-fee">
                  <span className="kiosk-title">{t('kiosk.accruingFine', { title: f.title })}</span> <span className="kiosk-amount">{format.money(f.amount, summary.currency)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </section>
  );
}
