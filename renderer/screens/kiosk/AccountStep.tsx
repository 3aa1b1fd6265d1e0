// The patron's account, read-only but for renewing: what they have on loan (overdue ones marked
// and first), each renewal's outcome in words, the fees they owe (paid at the desk, not here),
// the holds waiting for them. One way back: to borrowing.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
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
  // Fines still growing on late copies count in the total (src/services/accrual.ts), so they are
  // listed too: the lines add up to what the patron is told they owe.
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
                  {l.overdue ? (
                    <Badge tone="overdue">{t('kiosk.overdueSince', { date: format.date(l.dueAt) })}</Badge>
                  ) : (
                    <Badge tone="info">{t('kiosk.due', { date: format.date(l.dueAt) })}</Badge>
                  )}
                  <button
                    type="button"
                    className="kiosk-button"
                    aria-label={t('kiosk.renewOneLabel', { title: l.title })}
                    onClick={() => onRenew(l.itemBarcode)}
                  >
                    {t('kiosk.renewOne')}
                  </button>
                </div>
                {outcome ? (
                  <p data-testid="kiosk-outcome" className={outcome.renewed ? 'kiosk-renewed' : 'kiosk-not-renewed'}>
                    {outcome.renewed
                      ? t('kiosk.renewedUntil', { date: format.date(outcome.dueAt) })
                      : t('kiosk.notRenewed', {
                          reason: kioskProblemLines(outcome.problem, 'session', t, format).join(' '),
                        })}
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

      <KioskIllRequests patronId={summary.patron.id} />

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
                  <span className="kiosk-title">{f.description}</span>{' '}
                  <span className="kiosk-amount">{format.money(f.outstanding, f.currency)}</span>
                </li>
              ))}
              {accruing.map((a) => (
                <li key={a.loanId} data-testid="kiosk-fee">
                  <span className="kiosk-title">{t('kiosk.fineSoFar', { title: a.title })}</span>{' '}
                  <span className="kiosk-amount">{format.money(a.amount, summary.currency)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </section>
  );
}

/** The patron's interlibrary loan requests (docs/ill.md): what they asked another library for, and where it is. */
function KioskIllRequests({ patronId }: { patronId: string }) {
  const { t } = useTranslation();
  const format = useKioskFormat();
  const [requests, setRequests] = useState<ApiOutput<'ill.forPatron'> | null>(null);
  useEffect(() => {
    let live = true;
    // A station without interlibrary loan (or offline from it) simply shows none.
    client.call('ill.forPatron', { patronId }).then(
      (r) => live && setRequests(r),
      () => live && setRequests([]),
    );
    return () => {
      live = false;
    };
  }, [patronId]);
  if (requests === null) return null;
  return (
    <section aria-labelledby="kiosk-ill" className="kiosk-panel">
      <h2 id="kiosk-ill">{t('ill.kioskTitle')}</h2>
      {requests.length === 0 ? <p>{t('ill.kioskNone')}</p> : null}
      <ul className="kiosk-list">
        {requests.map((r) => (
          <li key={r.id} data-testid="kiosk-ill">
            <span className="kiosk-title">{r.title}</span>{' '}
            <Badge tone={r.status === 'received' ? 'hold' : 'info'}>{t(`ill.status.${r.status}`)}</Badge>
            {r.needBy ? <span> {t('ill.needBy', { date: format.day(r.needBy) })}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
