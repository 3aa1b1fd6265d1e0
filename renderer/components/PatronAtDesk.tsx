// The patron in front of the desk, as the circulation screens show them on the left: a card with
// who they are (name, card, category, expiry, fees), what needs saying as coloured badges with
// words (blocks, an expired card, overdue loans, fees, holds ready, the notes staff left), what
// waits for them on the hold shelf, and what they already have on loan.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../src/api/contract';
import { formatDate, formatDay, formatMoney } from '../format';
import { Badge, type Tone } from './ui/Badge';

type Summary = ApiOutput<'patrons.lookup'>;

/** A card expiring within this many days is mentioned at the desk, so it can be renewed on the spot. */
export const CARD_EXPIRY_WARNING_DAYS = 30;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar day (2026-11-22) in the branch's zone, or the computer's when the branch has none. */
export function dayIn(instant: number, timeZone: string | null | undefined): string {
  // One formatter per zone: building one is the expensive part, and the check-out renders on every scan.
  let f = dayFormatters.get(timeZone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(timeZone ? { timeZone } : {}),
    });
    dayFormatters.set(timeZone ?? '', f);
  }
  const parts = f.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whether the card has expired, expires soon, or neither (days are 2026-11-22 strings). */
export function cardExpiry(
  expiresOn: string,
  today: string,
  warningDays = CARD_EXPIRY_WARNING_DAYS,
): 'expired' | 'soon' | null {
  if (expiresOn < today) return 'expired';
  const days = (Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days <= warningDays ? 'soon' : null;
}

interface Alert {
  key: string;
  tone: Tone;
  text: string;
}

/** Everything the desk should say about the patron before lending, most serious first. */
function usePatronAlerts(summary: Summary, today: string, locale: string): Alert[] {
  const { t } = useTranslation();
  const alerts: Alert[] = [];
  for (const b of summary.blocks) {
    const until = b.until ? ` (${t('patron.until', { date: formatDay(b.until, locale) })})` : '';
    alerts.push({
      key: `block-${b.id}`,
      tone: 'refused',
      text: `${t(`patron.blockKinds.${b.kind}`)}: ${b.reason}${until}`,
    });
  }
  const expiry = cardExpiry(summary.patron.cardExpiresOn, today);
  if (expiry) {
    alerts.push({
      key: 'card',
      tone: expiry === 'expired' ? 'refused' : 'warning',
      text: t(expiry === 'expired' ? 'checkout.cardExpired' : 'checkout.cardExpiresSoon', {
        date: formatDay(summary.patron.cardExpiresOn, locale),
      }),
    });
  }
  const overdue = summary.loans.filter((l) => l.overdue).length;
  if (overdue > 0)
    alerts.push({ key: 'overdue', tone: 'overdue', text: t('checkout.overdueCount', { count: overdue }) });
  if (summary.feesOwed > 0)
    alerts.push({
      key: 'fees',
      tone: 'warning',
      text: t('checkout.feesOwedBadge', { amount: formatMoney(summary.feesOwed, summary.currency, locale) }),
    });
  const ready = summary.holds.filter((h) => h.status === 'waiting').length;
  if (ready > 0) alerts.push({ key: 'holds', tone: 'hold', text: t('checkout.holdsReadyBadge', { count: ready }) });
  const note = summary.patron.notes.trim();
  if (note) alerts.push({ key: 'note', tone: 'info', text: t('checkout.note', { note }) });
  return alerts;
}

/**
 * The patron's card. Memoised on the summary: a scan that lends an item does not render the
 * patron again (the bench measures the scan-to-row time).
 */
export const PatronCard = memo(function PatronCard({
  summary,
  today,
  locale,
}: {
  summary: Summary;
  today: string;
  locale: string;
}) {
  const { t } = useTranslation();
  const name = `${summary.patron.firstName} ${summary.patron.lastName}`;
  const alerts = usePatronAlerts(summary, today, locale);
  return (
    <section aria-label={name} className="patron-card" data-testid="checkout-patron">
      <h2>{name}</h2>
      <dl className="facts">
        <dt>{t('checkout.card')}</dt>
        <dd>{summary.patron.cardBarcode}</dd>
        <dt>{t('checkout.category')}</dt>
        <dd>{summary.categoryName}</dd>
        <dt>{t('checkout.expires')}</dt>
        <dd>{formatDay(summary.patron.cardExpiresOn, locale)}</dd>
        <dt>{t('checkout.owed')}</dt>
        <dd data-testid="fees-owed">{formatMoney(summary.feesOwed, summary.currency, locale)}</dd>
      </dl>
      {alerts.length > 0 ? (
        <div role="note" aria-label={t('checkout.alerts')} data-testid="patron-alerts">
          <ul className="patron-alerts">
            {alerts.map((a) => (
              <li key={a.key} data-alert={a.key}>
                <Badge tone={a.tone}>{a.text}</Badge>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <HoldsReady holds={summary.holds} locale={locale} />
    </section>
  );
});

/** Holds waiting on the shelf for this patron: hand them over while they are here. */
const HoldsReady = memo(function HoldsReady({ holds, locale }: { holds: Summary['holds']; locale: string }) {
  const { t } = useTranslation();
  const ready = holds.filter((h) => h.status === 'waiting');
  if (ready.length === 0) return null;
  return (
    <section aria-label={t('checkout.holdsOnShelf')} className="holds-ready">
      <h3>{t('checkout.holdsOnShelf')}</h3>
      <ul>
        {ready.map((h) => (
          <li key={h.id} data-testid="hold-ready">
            {h.title}
            {h.shelfExpiresOn ? ` (${t('checkout.pickUpBy', { date: formatDay(h.shelfExpiresOn, locale) })})` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
});

/** What the patron already had on loan, overdue ones marked with a badge (a word, not only colour). */
export const PatronLoans = memo(function PatronLoans({
  loans,
  hidden,
  locale,
  timeZone,
}: {
  loans: Summary['loans'];
  /** Item ids (comma-separated) lent or renewed at this desk just now, shown in the session's table instead. */
  hidden: string;
  locale: string;
  timeZone: string | null;
}) {
  const { t } = useTranslation();
  const skip = new Set(hidden ? hidden.split(',') : []);
  const shown = loans.filter((l) => !skip.has(l.itemId));
  if (shown.length === 0) return null;
  return (
    <section aria-label={t('checkout.existingLoans')} className="existing-loans">
      <h3>{t('checkout.existingLoans')}</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('circ.colTitle')}</th>
            <th scope="col">{t('circ.colBarcode')}</th>
            <th scope="col">{t('circ.colDue')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((l) => (
            <tr key={l.loanId} className={l.overdue ? 'overdue' : undefined} data-testid="patron-loan">
              <td>{l.title}</td>
              <td className="nowrap">{l.itemBarcode}</td>
              <td>
                {formatDate(l.dueAt, locale, timeZone)}{' '}
                {l.overdue ? <Badge tone="overdue">{t('checkout.overdue')}</Badge> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});
