import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { formatDate, formatDay, formatMoney } from '../format';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';
import { printHtml } from '../print';

type Summary = ApiOutput<'patrons.lookup'>;
type Loan = ApiOutput<'circulation.checkout'>;

const asError = (err: unknown): ApiErrorBody => (err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });

/** The desk's main screen: a patron, then item after item, each with its due date. */
export function Checkout() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const locale = setup?.locale ?? 'en-US';
  const [patron, setPatron] = useState<Summary | null>(null);
  const [lent, setLent] = useState<Loan[]>([]);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [pendingItem, setPendingItem] = useState<string | null>(null);
  const [overriding, setOverriding] = useState(false);
  const patronInput = useRef<HTMLInputElement>(null);
  const itemInput = useRef<HTMLInputElement>(null);

  async function findPatron(barcode: string) {
    setError(null);
    try {
      const summary = await client.call('patrons.lookup', { barcode });
      setPatron(summary);
      setLent([]);
      if (patronInput.current) patronInput.current.value = summary.patron.cardBarcode;
      itemInput.current?.focus();
    } catch (err) {
      setError(asError(err));
    }
  }

  async function lend(itemBarcode: string, override?: { token: string; codes: string[] }) {
    if (!patron) return;
    setError(null);
    try {
      const loan = await client.call('circulation.checkout', { patronBarcode: patron.patron.cardBarcode, itemBarcode, ...(override ? { override } : {}) });
      setLent((l) => [loan, ...l.filter((x) => x.itemId !== loan.itemId)]);
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
    setPatron(null);
    setLent([]);
    setError(null);
    if (patronInput.current) patronInput.current.value = '';
    patronInput.current?.focus();
  }

  const canOverride = error?.code === 'REFUSED' && !!error.refusals?.length && error.refusals.every((r) => r.overridable);
  const tz = setup?.timeZone ?? null;

  return (
    <main id="main" className="checkout">
      <h1>{t('checkout.title')}</h1>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void findPatron(patronInput.current?.value ?? '');
        }}
      >
        <Field label={t('checkout.patronBarcode')} ref={patronInput} name="patronBarcode" autoComplete="off" autoFocus inputMode="numeric" />
        <button type="submit">{t('checkout.find')}</button>
      </form>
      {patron ? (
        <section aria-label={`${patron.patron.firstName} ${patron.patron.lastName}`} className="patron">
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
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void lend(itemInput.current?.value ?? '');
            }}
          >
            <Field label={t('checkout.itemBarcode')} ref={itemInput} name="itemBarcode" autoComplete="off" inputMode="numeric" />
            <button type="submit">{t('checkout.lend')}</button>
          </form>
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
                <tr key={l.loanId} data-testid="loan-row">
                  <td>{l.title}</td>
                  <td>{l.itemBarcode}</td>
                  <td>{t(l.renewed ? 'checkout.renewed' : 'checkout.due', { date: formatDate(l.dueAt, locale, tz) })}</td>
                  <td>{l.notices.map((n) => t(`notices.${n.code}`, { ...(n.params ?? {}) })).join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
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

/** A supervisor types their own credentials on the spot; the station checks them. */
function OverrideForm({ onGranted, onCancel }: { onGranted(token: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      const r = await client.call('auth.verifySupervisor', { username: String(f.get('username')), password: String(f.get('password')) });
      onGranted(r.overrideToken);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <form onSubmit={submit} className="override" aria-label={t('checkout.overrideTitle')}>
      <h2>{t('checkout.overrideTitle')}</h2>
      <Field label={t('checkout.supervisor')} name="username" required autoComplete="off" autoFocus />
      <Field label={t('checkout.supervisorPassword')} name="password" type="password" required autoComplete="off" />
      <Problem error={error} />
      <button type="submit">{t('checkout.overrideSubmit')}</button>
      <button type="button" onClick={onCancel}>
        {t('checkout.cancel')}
      </button>
    </form>
  );
}
