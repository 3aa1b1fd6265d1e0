// Step 3: borrowing. The picture says where the book goes; each scan (or typed barcode) lends
// it, and the list under it is what this visit has borrowed. What the patron should know at once
// is in badges at the top: holds waiting, overdue loans, fees owed. From here: the account (loans,
// renewals, fees) or "I am done".
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { Field } from '../../components/Field';
import { Badge } from '../../components/ui/Badge';
import { TileIcon } from './TileIcon';
import { KioskProblem } from './KioskProblem';
import { PlaceBookPicture } from './Pictures';
import { useKioskFormat } from './useKioskFormat';

export type Summary = ApiOutput<'patrons.lookup'>;
export interface Borrowed {
  loanId: string;
  title: string;
  dueAt: number;
}

/** The facts a patron should see on every step of their visit. */
export function AccountBadges({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const format = useKioskFormat();
  const overdue = summary.loans.filter((l) => l.overdue).length;
  const holdsReady = summary.holds.filter((h) => h.status === 'waiting').length;
  if (overdue === 0 && holdsReady === 0 && summary.feesOwed <= 0) return null;
  return (
    <ul className="kiosk-badges" aria-label={t('kiosk.atAGlance')}>
      {holdsReady > 0 ? (
        <li>
          <Badge tone="hold">{t('kiosk.holdsReady', { count: holdsReady })}</Badge>
        </li>
      ) : null}
      {overdue > 0 ? (
        <li>
          <Badge tone="overdue">{t('kiosk.overdueCount', { count: overdue })}</Badge>
        </li>
      ) : null}
      {summary.feesOwed > 0 ? (
        <li>
          <Badge tone="warning">{t('kiosk.owes', { amount: format.money(summary.feesOwed, summary.currency) })}</Badge>
        </li>
      ) : null}
    </ul>
  );
}

export function BorrowStep({
  summary,
  borrowed,
  error,
  onBorrow,
  onAccount,
  onDone,
}: {
  summary: Summary;
  borrowed: Borrowed[];
  error: ApiErrorBody | null;
  onBorrow(itemBarcode: string): Promise<void>;
  onAccount(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const format = useKioskFormat();
  const field = useRef<HTMLInputElement | null>(null);
  const last = borrowed.at(-1);
  const holdsReady = summary.holds.filter((h) => h.status === 'waiting');
  return (
    <section className="kiosk-step">
      <h1>{t('kiosk.hello', { name: summary.patron.firstName })}</h1>
      <AccountBadges summary={summary} />
      {/* Side by side on a landscape screen: where to scan on the left, what is waiting and what was borrowed on the right. */}
      <div className="kiosk-columns">
        <div className="kiosk-column">
          <p className="kiosk-lead">{t('kiosk.scanItems')}</p>
          <PlaceBookPicture />
          <form
            className="kiosk-entry"
            onSubmit={(e) => {
              e.preventDefault();
              const input = field.current;
              if (!input?.value.trim()) return;
              const barcode = input.value.trim();
              input.value = '';
              void onBorrow(barcode).then(() => input.focus());
            }}
          >
            <Field
              ref={field}
              label={t('kiosk.itemBarcode')}
              name="itemBarcode"
              autoFocus
              autoComplete="off"
              inputMode="numeric"
            />
            <button type="submit" className="kiosk-button kiosk-primary">
              {t('kiosk.borrow')}
            </button>
          </form>
          <KioskProblem error={error} at="session" />
          <p
            role="status"
            data-testid="kiosk-message"
            className={last && !error ? 'kiosk-live kiosk-success' : 'kiosk-live'}
          >
            {last && !error ? t('kiosk.borrowed', { title: last.title, date: format.date(last.dueAt) }) : ''}
          </p>
        </div>
        {holdsReady.length > 0 || borrowed.length > 0 ? (
          <div className="kiosk-column">
            {holdsReady.length > 0 ? (
              <section aria-labelledby="kiosk-holds" className="kiosk-panel">
                <h2 id="kiosk-holds">{t('kiosk.holdsReady', { count: holdsReady.length })}</h2>
                <ul className="kiosk-list">
                  {holdsReady.map((h) => (
                    <li key={h.id} data-testid="kiosk-hold">
                      {h.shelfExpiresOn
                        ? t('kiosk.holdReadyUntil', { title: h.title, date: format.day(h.shelfExpiresOn) })
                        : h.title}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {borrowed.length > 0 ? (
              <section aria-labelledby="kiosk-borrowed" className="kiosk-panel">
                <h2 id="kiosk-borrowed">{t('kiosk.borrowedNow', { count: borrowed.length })}</h2>
                <ul className="kiosk-list">
                  {[...borrowed].reverse().map((b) => (
                    <li key={b.loanId} data-testid="kiosk-borrowed">
                      <span className="kiosk-title">{b.title}</span>{' '}
                      <Badge tone="ok">{t('kiosk.due', { date: format.date(b.dueAt) })}</Badge>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        ) : null}
      </div>
      {/* Always on screen, however long the lists: the way on. */}
      <div className="kiosk-tiles kiosk-actions">
        <button type="button" className="kiosk-tile" onClick={onAccount}>
          <TileIcon name="list" />
          {t('kiosk.myAccount')}
        </button>
        <button type="button" className="kiosk-tile kiosk-primary" onClick={onDone}>
          <TileIcon name="check" />
          {t('kiosk.done')}
        </button>
      </div>
    </section>
  );
}
