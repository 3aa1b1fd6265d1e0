import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { OverrideForm } from '../components/OverrideForm';
import { HoldsReady, PatronAlerts, PatronLoans, dayIn } from '../components/PatronAtDesk';
import { Problem } from '../components/Problem';
import { formatDate, formatDay, formatMoney } from '../format';
import { useDesk, type Loan } from '../state/desk';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';
import { printHtml } from '../print';


/**
 * The desk's main screen: a patron, then item after item, each with its due date. The patron and
 * what was lent live in the desk store (state/desk.ts), so they are still here after a visit to
 * another screen; "Finish" clears them.
 */
export function Checkout() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const locale = setup?.locale ?? 'en-US';
  const patron = useDesk((s) => s.checkout.patron);
  const lent = useDesk((s) => s.checkout.lent);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [pendingItem, setPendingItem] = useState<string | null>(null);
  const [overriding, setOverriding] = useState(false);
  const patronInput = useRef<HTMLInputElement>(null);
  const itemInput = useRef<HTMLInputElement>(null);

  async function findPatron(barcode: string) {
    setError(null);
    try {
      const summary = await client.call('patrons.lookup', { barcode });
      useDesk.getState().startCheckout(summary);
      if (patronInput.current) patronInput.current.value = summary.patron.cardBarcode;
    } catch (err) {
      setError(asError(err));
    }
  }

  // With a patron on screen (just found, or still here after a visit to another screen) the item
  // field has the focus: typed or scanned, the next barcode is an item. After the render, as the
  // field only exists once there is a patron.
  useEffect(() => {
    if (patron) itemInput.current?.focus();
  }, [patron]);

  async function lend(itemBarcode: string, override?: { token: string; codes: string[] }) {
    if (!patron) return;
    setError(null);
    try {
      const loan = await client.call('circulation.checkout', { patronBarcode: patron.patron.cardBarcode, itemBarcode, ...(override ? { override } : {}) });
      useDesk.getState().lent(loan);
      setPendingItem(null);
      setOverriding(false);
      if (itemInput.current) itemInput.current.value = '';
    } catch (err) {
      setPendingItem(itemBarcode);
      setError(asError(err));
    }
  }

  useNewScans((scan) => {
    if (scan.kind === 'patron') void findPatron(scan.barcode);
    else if (scan.kind === 'item' && patron) void lend(scan.barcode);
  });

  function finish() {
    useDesk.getState().finishCheckout();
    setError(null);
    if (patronInput.current) patronInput.current.value = '';
    patronInput.current?.focus();
  }

  const canOverride = error?.code === 'REFUSED' && !!error.refusals?.length && error.refusals.every((r) => r.overridable);
  const tz = setup?.timeZone ?? null;
  // Renewed by re-scanning just now: shown in the list of this visit, not twice.
  const renewedNow = lent.filter((l) => l.renewed).map((l) => l.itemId).join(',');

  return (
    <main id="main" className="checkout">
      <h1>{t('checkout.title')}</h1>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void findPatron(patronInput.current?.value ?? '');
        }}
      >
        <Field label={t('checkout.patronBarcode')} ref={patronInput} name="patronBarcode" autoComplete="off" autoFocus inputMode="numeric" defaultValue={patron?.patron.cardBarcode} />
        <button type="submit">{t('checkout.find')}</button>
      </form>
      {patron ? (
        <section aria-label={`${patron.patron.firstName} ${patron.patron.lastName}`} className="patron" data-testid="checkout-patron">
          <h2>
            {patron.patron.firstName} {patron.patron.lastName}
          </h2>
          <dl>
            <dt>{t('checkout.category')}</dt>
            <dd>{patron.categoryName}</dd>
            <dt>{t('checkout.expires')}</dt>
            <dd>{formatDay(patron.patron.cardExpiresOn, locale)}</dd>
            <dt>{t('checkout.owed')}</dt>
            <dd>{formatMoney(patron.feesOwed, patron.currency, locale)}</dd>
            <dt>{t('checkout.holdsReady')}</dt>
            <dd>{patron.holdsReady}</dd>
          </dl>
          {patron.blocks.length > 0 ? (
            <div className="alerts" role="note" aria-label={t('checkout.blocks')}>
              {patron.blocks.map((b) => (
                <p key={b.id}>
                  {t(`patron.blockKinds.${b.kind}`)}: {b.reason}
                  {b.until ? ` (${t('patron.until', { date: formatDay(b.until, locale) })})` : ''}
                </p>
              ))}
            </div>
          ) : null}
          <PatronAlerts summary={patron} today={dayIn(Date.now(), tz)} locale={locale} />
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void lend(itemInput.current?.value ?? '');
            }}
          >
            <Field label={t('checkout.itemBarcode')} ref={itemInput} name="itemBarcode" autoComplete="off" inputMode="numeric" />
            <button type="submit">{t('checkout.lend')}</button>
          </form>
          <HoldsReady holds={patron.holds} locale={locale} />
        </section>
      ) : (
        <p>{t('checkout.noPatron')}</p>
      )}
      <Problem error={error} />
      {canOverride && pendingItem && !overriding ? (
        <button type="button" onClick={() => setOverriding(true)}>
          {t('checkout.override')}
        </button>
      ) : null}
      {overriding && pendingItem && error?.refusals ? (
        <OverrideForm
          onCancel={() => setOverriding(false)}
          onGranted={(token) => void lend(pendingItem, { token, codes: error.refusals!.map((r) => r.code) })}
        />
      ) : null}
      {lent.length > 0 ? (
        <section aria-label={t('checkout.sessionLoans')}>
          <h2>{t('checkout.sessionLoans')}</h2>
          <table className="loans">
            <tbody>
              {lent.map((l) => (
                <LoanRow key={l.loanId} loan={l} locale={locale} timeZone={tz} />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {patron ? <PatronLoans loans={patron.loans} hidden={renewedNow} locale={locale} timeZone={tz} /> : null}
      {patron && lent.length > 0 ? (
        <button
          type="button"
          onClick={() =>
            void client
              .call('slips.checkout', { patronBarcode: patron.patron.cardBarcode, loanIds: lent.map((l) => l.loanId) })
              .then((r) => (r.jobId === null ? printHtml(r.html) : undefined))
              .then(finish)
              .catch((err: unknown) => setError(asError(err)))
          }
        >
          {t('checkout.printReceipt')}
        </button>
      ) : null}
      {patron ? (
        <button type="button" onClick={finish}>
          {t('checkout.finish')}
        </button>
      ) : null}
    </main>
  );
}

/** One loan of this visit. Memoised: a scan renders its own new row, not every row above it again. */
const LoanRow = memo(function LoanRow({ loan: l, locale, timeZone }: { loan: Loan; locale: string; timeZone: string | null }) {
  const { t } = useTranslation();
  return (
    <tr data-testid="loan-row">
      <td>{l.title}</td>
      <td>{l.itemBarcode}</td>
      <td>{t(l.renewed ? 'checkout.renewed' : 'checkout.due', { date: formatDate(l.dueAt, locale, timeZone) })}</td>
      <td>{l.notices.map((n) => t(`notices.${n.code}`, { ...(n.params ?? {}) })).join(' ')}</td>
    </tr>
  );
});
