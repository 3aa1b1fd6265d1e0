import { memo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { formatDay, formatMoney } from '../format';
import { printHtml } from '../print';
import { useDesk, type Returned } from '../state/desk';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';

/** Notices the row already says in its own words (the action, the fine). */
const SAID_BY_THE_ROW = new Set(['HOLD_TRAPPED_WAITING', 'HOLD_TRAPPED_TRANSIT', 'ROUTE_TO_BRANCH', 'FINE_CHARGED']);

/**
 * Returns: each item says what to do with it next. The list lives in the desk store, so it is
 * still here after a visit to another screen.
 */
export function Checkin() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const results = useDesk((s) => s.checkin.results);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const item = useRef<HTMLInputElement>(null);
  const backdate = useRef<HTMLInputElement>(null);

  async function checkin(itemBarcode: string) {
    setError(null);
    try {
      const r = await client.call('circulation.checkin', { itemBarcode, backdate: backdate.current?.value || null });
      useDesk.getState().returned(r);
      if (item.current) item.current.value = '';
    } catch (err) {
      setError(asError(err));
    }
  }

  useNewScans((scan) => {
    if (scan.kind !== 'patron') void checkin(scan.barcode);
  });

  return (
    <main id="main">
      <h1>{t('checkin.title')}</h1>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void checkin(item.current?.value ?? '');
        }}
      >
        <Field label={t('checkin.itemBarcode')} ref={item} name="itemBarcode" autoComplete="off" autoFocus inputMode="numeric" />
        <Field label={t('checkin.backdate')} ref={backdate} name="backdate" type="date" />
        <button type="submit">{t('checkin.submit')}</button>
      </form>
      <Problem error={error} />
      <section aria-label={t('checkin.results')} aria-live="polite">
        <h2>{t('checkin.results')}</h2>
        <ul className="returns">
          {results.map((r, i) => (
            <ReturnRow key={`${r.itemId}-${results.length - i}`} r={r} locale={setup?.locale ?? 'en-US'} />
          ))}
        </ul>
      </section>
    </main>
  );
}

const ReturnRow = memo(function ReturnRow({ r, locale }: { r: Returned; locale: string }) {
  const { t } = useTranslation();
  const holder = r.hold?.patron ? `${r.hold.patron.firstName} ${r.hold.patron.cardTail}`.trim() : '';
  const notices = r.notices.filter((n) => !SAID_BY_THE_ROW.has(n.code));
  return (
    <li className={`action-${r.action}`} data-testid="return-row">
      <strong>{r.title}</strong> ({r.itemBarcode}): {t(`checkin.${r.action}`, { branch: r.destinationBranch?.name ?? '' })}
      {holder ? ` ${t('checkin.holdFor', { name: holder })}` : ''}
      {r.hold?.shelfExpiresOn ? ` ${t('checkin.keepUntil', { date: formatDay(r.hold.shelfExpiresOn, locale) })}` : ''}
      {r.fine ? ` ${t('checkin.fine', { amount: formatMoney(r.fine.amount, r.fine.currency, locale) })}` : ''}
      {!r.wasOnLoan ? ` ${t('checkin.notOnLoan')}` : ''}
      {notices.length > 0 ? <strong className="notice"> {notices.map((n) => t(`notices.${n.code}`, { ...(n.params ?? {}) })).join(' ')}</strong> : null}
      {/* Checked in all the same: only the slip did not follow. */}
      {r.followUpFailed ? (
        <strong className="notice" role="status" data-testid="follow-up-failed">
          {' '}
          {t(`followUp.${r.followUpFailed.code}`)}
        </strong>
      ) : null}
      {r.slipHtml && r.printJob == null ? (
        <>
          {' '}
          <button type="button" onClick={() => printHtml(r.slipHtml!)}>
            {t('checkin.printSlip')}
          </button>
        </>
      ) : null}
    </li>
  );
});
