import { memo, useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { AlertModal } from '../components/AlertModal';
import { Field } from '../components/Field';
import { OverrideForm } from '../components/OverrideForm';
import { PatronCard, PatronLoans, dayIn } from '../components/PatronAtDesk';
import { PatronFinder } from '../components/PatronFinder';
import { Problem, localised } from '../components/Problem';
import { Badge } from '../components/ui/Badge';
import { formatDate, useDeskFormat } from '../format';
import { printHtml } from '../print';
import { useDesk, type Loan, type PatronSummary } from '../state/desk';
import { useNewScans } from '../state/scans';
import '../styles/circulation.css';

/** A scan the station's barcode rules cannot place: said at once, with the barcode, as a refusal. */
const misread = (barcode: string): ApiErrorBody => ({
  code: 'REFUSED',
  message: 'misread',
  refusals: [{ code: 'UNREADABLE_SCAN', overridable: false, params: { barcode } }],
});

const fullName = (p: PatronSummary) => `${p.patron.firstName} ${p.patron.lastName}`;

/**
 * The desk's main screen: the patron on the left, the work on the right (the item field at the
 * top, then this visit's loans, newest first). The patron and what was lent live in the desk
 * store (state/desk.ts), so they are still here after a visit to another screen, and the patron
 * is read again then (a return at Check in may have charged a fine); "Finish" clears them.
 */
export function Checkout() {
  const { t } = useTranslation();
  // The one formatter: the desk's language (22 dic 2026 in Spanish), the branch's zone.
  const format = useDeskFormat();
  const locale = format.locale;
  const tz = format.timeZone;
  const patron = useDesk((s) => s.checkout.patron);
  // Not the list of this visit's loans: the parts that show it subscribe to it themselves, so a
  // new loan renders its row, the count and the receipt button, not this whole screen again.
  const [card, setCard] = useState(patron?.patron.cardBarcode ?? '');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [pendingItem, setPendingItem] = useState<string | null>(null);
  const [overriding, setOverriding] = useState(false);
  /** A different card found while this visit has loans: asked about before starting over. */
  const [nextCard, setNextCard] = useState<string | null>(null);
  const patronInput = useRef<HTMLInputElement>(null);
  const itemInput = useRef<HTMLInputElement>(null);
  const desk = () => useDesk.getState();
  // One function for the life of the screen (the patron box is memoised), calling the latest findPatron.
  const findLatest = useRef<(card: string) => void>(() => undefined);
  findLatest.current = (card) => void findPatron(card);
  const onFind = useCallback((card: string) => findLatest.current(card), []);
  // Stable too, or every memoised row of the visit would render again with each new loan.
  const undoLatest = useRef<(loan: Loan) => void>(() => undefined);
  undoLatest.current = (loan) => void undo(loan);
  const onUndo = useCallback((loan: Loan) => undoLatest.current(loan), []);
  const printAndFinishLatest = useRef<() => void>(() => undefined);
  printAndFinishLatest.current = () => void printReceipt().then((ok) => ok && finish());
  const onPrintAndFinish = useCallback(() => printAndFinishLatest.current(), []);

  // Shown again (after Check in, Patrons...): the patron as the station has them now.
  useEffect(() => {
    const p = desk().checkout.patron;
    if (!p) return;
    client
      .call('patrons.lookup', { barcode: p.patron.cardBarcode })
      .then((fresh) => desk().refreshCheckoutPatron(fresh))
      .catch(() => undefined);
  }, []);

  async function findPatron(barcode: string, confirmed = false) {
    setError(null);
    const current = desk().checkout;
    if (current.patron && barcode === current.patron.patron.cardBarcode) {
      // The same card again: read them afresh, the visit goes on.
      setCard(barcode);
      try {
        desk().refreshCheckoutPatron(await client.call('patrons.lookup', { barcode }));
      } catch (err) {
        setError(asError(err));
      }
      itemInput.current?.focus();
      return;
    }
    if (!confirmed && current.patron && current.lent.length > 0) {
      setNextCard(barcode);
      return;
    }
    try {
      const summary = await client.call('patrons.lookup', { barcode });
      desk().startCheckout(summary);
      setCard(summary.patron.cardBarcode);
      setPendingItem(null);
      setOverriding(false);
    } catch (err) {
      setError(asError(err));
    }
  }

  // With a patron on screen (just found, or still here after a visit to another screen) the item
  // field has the focus: typed or scanned, the next barcode is an item. After the render, as the
  // field only exists once there is a patron.
  useEffect(() => {
    if (patron) itemInput.current?.focus();
  }, [patron?.patron.id]);

  /** `restoreField`: the item field as it was before a scan typed into it, put back with the answer (scans.ts). */
  async function lend(itemBarcode: string, override?: { token: string; codes: string[] }, restoreField?: () => void) {
    if (!patron) {
      restoreField?.();
      return;
    }
    setError(null);
    try {
      const loan = await client.call('circulation.checkout', {
        patronBarcode: patron.patron.cardBarcode,
        itemBarcode,
        ...(override ? { override } : {}),
      });
      // The row committed in the task the answer arrived in, not in a later one: a task later is
      // often a frame later (npm run bench:ui). Only now: the copy is shown as lent once the
      // station has said it is.
      flushSync(() => {
        restoreField?.();
        desk().lent(loan);
        setPendingItem(null);
        setOverriding(false);
      });
      if (itemInput.current) itemInput.current.value = '';
    } catch (err) {
      restoreField?.();
      setPendingItem(itemBarcode);
      setError(asError(err));
    }
  }

  /** The copy is still on someone else's card (not checked in when it came back): return it, then lend it. */
  async function checkInAndLend(itemBarcode: string) {
    setError(null);
    try {
      await client.call('circulation.checkin', { itemBarcode, backdate: null });
    } catch (err) {
      setError(asError(err));
      return;
    }
    await lend(itemBarcode);
  }

  async function undo(loan: Loan) {
    setError(null);
    try {
      await client.call('circulation.checkin', { itemBarcode: loan.itemBarcode, backdate: null });
      desk().unlent(loan.itemId);
    } catch (err) {
      setError(asError(err));
    }
    itemInput.current?.focus();
  }

  useNewScans((scan) => {
    const lending = !nextCard && scan.kind === 'item' && patron;
    // Only a loan puts the item field back with its answer; any other scan puts it back now.
    if (!lending) scan.restoreField?.();
    if (nextCard) return;
    if (scan.kind === 'patron') void findPatron(scan.barcode);
    else if (lending) void lend(scan.barcode, undefined, scan.restoreField);
    else if (scan.kind === 'item')
      setError({
        code: 'REFUSED',
        message: 'patron first',
        refusals: [{ code: 'PATRON_FIRST', overridable: false, params: { barcode: scan.barcode } }],
      });
    else {
      // A misread (a wrong check digit): never dropped silently.
      if (!patron) setCard('');
      setError(misread(scan.barcode));
    }
  });

  function finish() {
    desk().finishCheckout();
    setError(null);
    setPendingItem(null);
    setOverriding(false);
    setCard('');
    patronInput.current?.focus();
  }

  async function printReceipt(): Promise<boolean> {
    const p = desk().checkout;
    if (!p.patron || p.lent.length === 0) return true;
    try {
      const r = await client.call('slips.checkout', {
        patronBarcode: p.patron.patron.cardBarcode,
        loanIds: p.lent.map((l) => l.loanId),
      });
      if (r.jobId === null) printHtml(r.html);
      return true;
    } catch (err) {
      setError(asError(err));
      return false;
    }
  }

  const canOverride =
    error?.code === 'REFUSED' && !!error.refusals?.length && error.refusals.every((r) => r.overridable);
  const onLoanToOther = error?.code === 'REFUSED' && !!error.refusals?.some((r) => r.code === 'ITEM_ON_LOAN_TO_OTHER');
  return (
    <main id="main" className="circ checkout">
      <h1>{t('checkout.title')}</h1>
      <div className="circ-layout">
        <div className="circ-patron">
          <PatronFinder
            value={card}
            onValueChange={setCard}
            onFind={onFind}
            inputRef={patronInput}
            autoFocus={!patron}
          />
          {patron ? (
            <PatronCard summary={patron} today={dayIn(Date.now(), tz)} locale={locale} />
          ) : (
            <p className="circ-empty">{t('checkout.noPatron')}</p>
          )}
        </div>
        <div className="circ-work">
          {patron ? (
            <form
              className="barcode-bar"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                void lend(itemInput.current?.value ?? '');
              }}
            >
              <Field
                label={t('checkout.itemBarcode')}
                ref={itemInput}
                name="itemBarcode"
                data-scan-restore="with-answer"
                autoComplete="off"
                inputMode="numeric"
              />
              <button type="submit">{t('checkout.lend')}</button>
            </form>
          ) : null}
          <Problem error={error} />
          {error && (canOverride || onLoanToOther) && pendingItem && !overriding ? (
            <div className="actions">
              {canOverride ? (
                <button type="button" onClick={() => setOverriding(true)}>
                  {t('checkout.override')}
                </button>
              ) : null}
              {onLoanToOther && patron ? (
                <button type="button" onClick={() => void checkInAndLend(pendingItem)}>
                  {t('checkout.checkInAndLend', { name: patron.patron.firstName })}
                </button>
              ) : null}
            </div>
          ) : null}
          {overriding && pendingItem && error?.refusals ? (
            <OverrideForm
              onCancel={() => setOverriding(false)}
              onGranted={(token) => void lend(pendingItem, { token, codes: error.refusals!.map((r) => r.code) })}
            />
          ) : null}
          {patron ? <SessionLoans locale={locale} timeZone={tz} onUndo={onUndo} /> : null}
          {patron ? <LoansBeforeThisVisit loans={patron.loans} locale={locale} timeZone={tz} /> : null}
          {patron ? (
            <div className="actions">
              <ReceiptButton onPrint={onPrintAndFinish} />
              <button type="button" onClick={finish}>
                {t('checkout.finish')}
              </button>
            </div>
          ) : null}
        </div>
      </div>
      {nextCard && patron ? (
        <AlertModal title={t('checkout.newCardTitle')} tone="warning" testId="new-card-dialog">
          <p>{t('checkout.newCardBody', { name: fullName(patron), count: desk().checkout.lent.length })}</p>
          <div className="modal-buttons">
            <button
              type="button"
              autoFocus
              onClick={() =>
                void printReceipt().then((ok) => {
                  if (!ok) return;
                  const c = nextCard;
                  setNextCard(null);
                  void findPatron(c, true);
                })
              }
            >
              {t('checkout.newCardReceipt')}
            </button>
            <button
              type="button"
              onClick={() => {
                const c = nextCard;
                setNextCard(null);
                void findPatron(c, true);
              }}
            >
              {t('checkout.newCardNoReceipt')}
            </button>
            <button
              type="button"
              onClick={() => {
                setNextCard(null);
                setCard(patron.patron.cardBarcode);
                itemInput.current?.focus();
              }}
            >
              {t('checkout.newCardKeep', { name: patron.patron.firstName })}
            </button>
          </div>
        </AlertModal>
      ) : null}
    </main>
  );
}

/** This visit's loans, newest first, with their count: the only part of the screen a new loan renders again (with its own row). */
const SessionLoans = memo(function SessionLoans({
  locale,
  timeZone,
  onUndo,
}: {
  locale: string;
  timeZone: string | null;
  onUndo(loan: Loan): void;
}) {
  const { t } = useTranslation();
  const lent = useDesk((s) => s.checkout.lent);
  return (
    <section aria-labelledby="session-loans" className="session-loans">
      <h2 id="session-loans">
        {t('checkout.sessionLoans')}{' '}
        <span className="count" data-testid="session-count">
          {t('checkout.sessionCount', { count: lent.length })}
        </span>
      </h2>
      {lent.length > 0 ? (
        <table className="data-table">
          <SessionLoansHead />
          <tbody>
            {lent.map((l) => (
              <LoanRow key={l.loanId} loan={l} locale={locale} timeZone={timeZone} onUndo={onUndo} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
});

const SessionLoansHead = memo(function SessionLoansHead() {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        <th scope="col">{t('circ.colTitle')}</th>
        <th scope="col">{t('circ.colBarcode')}</th>
        <th scope="col">{t('circ.colDue')}</th>
        <th scope="col">{t('circ.colStatus')}</th>
        <th scope="col">{t('circ.colAction')}</th>
      </tr>
    </thead>
  );
});

/** What the patron already had on loan: lent or renewed just now, a loan is in the table of this visit, not twice. */
function LoansBeforeThisVisit({
  loans,
  locale,
  timeZone,
}: {
  loans: PatronSummary['loans'];
  locale: string;
  timeZone: string | null;
}) {
  const lentNow = useDesk((s) => s.checkout.lent.map((l) => l.itemId).join(','));
  return <PatronLoans loans={loans} hidden={lentNow} locale={locale} timeZone={timeZone} />;
}

/** "Print receipt", once something was lent in this visit. */
const ReceiptButton = memo(function ReceiptButton({ onPrint }: { onPrint(): void }) {
  const { t } = useTranslation();
  const anyLent = useDesk((s) => s.checkout.lent.length > 0);
  return anyLent ? (
    <button type="button" onClick={onPrint}>
      {t('checkout.printReceipt')}
    </button>
  ) : null;
});

/** One loan of this visit. Memoised: a scan renders its own new row, not every row above it again. */
const LoanRow = memo(function LoanRow({
  loan: l,
  locale,
  timeZone,
  onUndo,
}: {
  loan: Loan;
  locale: string;
  timeZone: string | null;
  onUndo(loan: Loan): void;
}) {
  const { t } = useTranslation();
  const notices = l.notices.map((n) => t(`notices.${n.code}`, localised(n.params ?? {}, locale))).join(' ');
  return (
    <tr data-testid="loan-row">
      <td>{l.title}</td>
      <td className="nowrap">{l.itemBarcode}</td>
      <td className="nowrap">{formatDate(l.dueAt, locale, timeZone)}</td>
      <td>
        <Badge tone={l.renewed ? 'info' : 'ok'}>
          {t(l.renewed ? 'checkout.statusRenewed' : 'checkout.statusLent')}
        </Badge>
        {l.renewed ? (
          <span className="renewals-left">
            {' '}
            {l.renewalsLeft > 0 ? t('renew.renewalsLeft', { count: l.renewalsLeft }) : t('renew.noRenewalsLeft')}
          </span>
        ) : null}
        {notices ? <span className="row-notice"> {notices}</span> : null}
      </td>
      <td className="nowrap">
        {l.renewed ? null : (
          <button
            type="button"
            className="small"
            aria-label={t('checkout.undoFor', { title: l.title })}
            onClick={() => onUndo(l)}
          >
            {t('checkout.undo')}
          </button>
        )}
      </td>
    </tr>
  );
});
