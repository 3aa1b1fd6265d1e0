// What the desk needs to say to the patron in front of it, besides blocks: the alerts (the
// notes staff left, overdue loans, a card about to expire), what they already have on loan and
// what waits for them on the hold shelf.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../src/api/contract';
import { formatDate, formatDay } from '../format';

type Summary = ApiOutput<'patrons.lookup'>;

/** A card expiring within this many days is mentioned at the desk, so it can be renewed on the spot. */
export const CARD_EXPIRY_WARNING_DAYS = 30;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar day (2026-11-22) in the branch's zone, or the computer's when the branch has none. */
export function dayIn(instant: number, timeZone: string | null | undefined): string {
  // One formatter per zone: building one is the expensive part, and the check-out renders on every scan.
  let f = dayFormatters.get(timeZone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) });
    dayFormatters.set(timeZone ?? '', f);
  }
  const parts = f.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whether the card has expired, expires soon, or neither (days are 2026-11-22 strings). */
export function cardExpiry(expiresOn: string, today: string, warningDays = CARD_EXPIRY_WARNING_DAYS): 'expired' | 'soon' | null {
  if (expiresOn < today) return 'expired';
  const days = (Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days <= warningDays ? 'soon' : null;
}

/** The alerts besides blocks, in words; nothing at all when there is nothing to say. */
export const PatronAlerts = memo(function PatronAlerts({ summary, today, locale }: { summary: Summary; today: string; locale: string }) {
  const { t } = useTranslation();
  const lines: { key: string; text: string }[] = [];
  const note = summary.patron.notes.trim();
  if (note) lines.push({ key: 'note', text: t('checkout.note', { note }) });
  const overdue = summary.loans.filter((l) => l.overdue).length;
  if (overdue > 0) lines.push({ key: 'overdue', text: t('checkout.overdueCount', { count: overdue }) });
  const expiry = cardExpiry(summary.patron.cardExpiresOn, today);
  if (expiry) lines.push({ key: 'card', text: t(expiry === 'expired' ? 'checkout.cardExpired' : 'checkout.cardExpiresSoon', { date: formatDay(summary.patron.cardExpiresOn, locale) }) });
  if (lines.length === 0) return null;
  return (
    <div className="alerts" role="note" aria-label={t('checkout.alerts')} data-testid="patron-alerts">
      {lines.map((l) => (
        <p key={l.key}>{l.text}</p>
      ))}
    </div>
  );
});

/** What the patron had on loan when they were found, overdue ones marked (in words, not only colour). */
export const PatronLoans = memo(function PatronLoans({
  loans,
  hidden,
  locale,
  timeZone,
}: {
  loans: Summary['loans'];
  /** Item ids (comma-separated) renewed just now at this desk, shown in the list above instead. */
  hidden: string;
  locale: string;
  timeZone: string | null;
}) {
  const { t } = useTranslation();
  const skip = new Set(hidden ? hidden.split(',') : []);
  const shown = loans.filter((l) => !skip.has(l.itemId));
  if (shown.length === 0) return null;
  return (
    <section aria-label={t('checkout.existingLoans')}>
      <h3>{t('checkout.existingLoans')}</h3>
      <table className="loans">
        <tbody>
          {shown.map((l) => (
            <tr key={l.loanId} className={l.overdue ? 'overdue' : undefined} data-testid="patron-loan">
              <td>{l.title}</td>
              <td>{l.itemBarcode}</td>
              <td>
                {t('checkout.due', { date: formatDate(l.dueAt, locale, timeZone) })}
                {l.overdue ? <strong> {t('checkout.overdue')}</strong> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});

/** Holds waiting on the shelf for this patron: hand them over while they are here. */
export const HoldsReady = memo(function HoldsReady({ holds, locale }: { holds: Summary['holds']; locale: string }) {
  const { t } = useTranslation();
  const ready = holds.filter((h) => h.status === 'waiting');
  if (ready.length === 0) return null;
  return (
    <section aria-label={t('checkout.holdsOnShelf')}>
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
