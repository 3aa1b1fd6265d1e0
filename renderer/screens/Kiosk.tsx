import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client, staffSignIn } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { formatDate } from '../format';
import { useNewScans } from '../state/scans';
import { signInStaff, useSession } from '../state/session';

type Summary = ApiOutput<'patrons.lookup'>;
type Stage = 'welcome' | 'pin' | 'session' | 'receipt' | 'goodbye';

/** Seconds of inactivity before the warning; `?idle=N` in the address sets it (default 60). */
function idleSeconds(): number {
  const n = Number(new URLSearchParams(window.location.search).get('idle'));
  return Number.isFinite(n) && n > 0 ? n : 60;
}
const WARNING_SECONDS = 10;

/** Self-checkout: card, PIN, scan, see loans and holds ready, renew, receipt or not. */
export function Kiosk() {
  const { t } = useTranslation();
  const locale = useSession((s) => s.setup?.locale ?? 'en-US');
  const [stage, setStage] = useState<Stage>('welcome');
  const [card, setCard] = useState('');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [warning, setWarning] = useState<number | null>(null);
  const lastActivity = useRef(Date.now());

  const end = useCallback(async () => {
    await client.call('auth.signOut', {}).catch(() => undefined);
    client.setToken(null);
    setSummary(null);
    setCard('');
    setError(null);
    setWarning(null);
    setStage('welcome');
  }, []);

  // Idle: warn, then end the session, so the next patron never finds someone else's account.
  useEffect(() => {
    if (stage === 'welcome') return;
    const touch = () => {
      lastActivity.current = Date.now();
      setWarning(null);
    };
    window.addEventListener('keydown', touch);
    window.addEventListener('pointerdown', touch);
    const timer = setInterval(() => {
      const idle = (Date.now() - lastActivity.current) / 1000;
      const limit = idleSeconds();
      if (idle >= limit + WARNING_SECONDS) void end();
      else if (idle >= limit) setWarning(Math.ceil(limit + WARNING_SECONDS - idle));
    }, 250);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', touch);
      window.removeEventListener('pointerdown', touch);
    };
  }, [stage, end]);

  const refresh = useCallback(async (cardBarcode: string) => setSummary(await client.call('patrons.lookup', { barcode: cardBarcode })), []);

  async function signIn(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const pin = String(new FormData(e.currentTarget).get('pin') ?? '');
    try {
      const r = await client.call('auth.kioskSignIn', { cardBarcode: card, pin });
      client.setToken(r.token);
      lastActivity.current = Date.now();
      await refresh(card);
      setError(null);
      setStage('session');
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }

  async function borrow(itemBarcode: string) {
    setError(null);
    try {
      await client.call('circulation.checkout', { patronBarcode: card, itemBarcode });
      await refresh(card);
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }

  useNewScans((scan) => {
    if (stage === 'welcome' && scan.kind === 'patron') {
      setCard(scan.barcode);
      setStage('pin');
    } else if (stage === 'session' && scan.kind !== 'patron') void borrow(scan.barcode);
  });

  const [staffExit, setStaffExit] = useState(false);
  async function leaveKiosk(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    try {
      await signInStaff(e.currentTarget, staffSignIn);
      // Back to the desk: the same page without the kiosk path or hash.
      window.location.hash = '';
      window.history.replaceState(null, '', window.location.pathname.replace(/kiosk\/?$/, ''));
      window.dispatchEvent(new PopStateEvent('popstate'));
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }

  return (
    <main id="main" className="kiosk">
      {warning !== null ? (
        <div role="alertdialog" aria-modal="true" aria-labelledby="idle-text" className="idle">
          <p id="idle-text">{t('kiosk.idle', { seconds: warning })}</p>
          <button type="button" onClick={() => ((lastActivity.current = Date.now()), setWarning(null))} autoFocus>
            {t('kiosk.stay')}
          </button>
        </div>
      ) : null}
      {stage === 'welcome' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (card.trim()) setStage('pin');
          }}
        >
          <h1>{t('kiosk.welcome')}</h1>
          <Field label={t('kiosk.card')} value={card} onChange={(e) => setCard(e.target.value)} autoFocus autoComplete="off" inputMode="numeric" />
          <button type="submit">{t('kiosk.next')}</button>
          <p>
            <button type="button" className="staff-exit" onClick={() => setStaffExit(!staffExit)}>
              {t('kiosk.staffExit')}
            </button>
          </p>
        </form>
      ) : null}
      {stage === 'welcome' && staffExit ? (
        <form onSubmit={leaveKiosk} aria-label={t('kiosk.staffExit')}>
          <Field label={t('signIn.username')} name="username" required autoComplete="off" />
          <Field label={t('signIn.password')} name="password" type="password" required autoComplete="off" />
          <Problem error={error} />
          <button type="submit">{t('signIn.submit')}</button>
        </form>
      ) : null}
      {stage === 'pin' ? (
        <form onSubmit={signIn}>
          <h1>{t('kiosk.pin')}</h1>
          <Field label={t('kiosk.pin')} name="pin" type="password" inputMode="numeric" autoComplete="off" autoFocus required />
          <Problem error={error} kiosk />
          <button type="submit">{t('kiosk.signIn')}</button>
        </form>
      ) : null}
      {stage === 'session' && summary ? (
        <section>
          <h1>{summary.patron.firstName}</h1>
          <p>{t('kiosk.scanItems')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const input = e.currentTarget.elements.namedItem('itemBarcode') as HTMLInputElement;
              void borrow(input.value).then(() => (input.value = ''));
            }}
          >
            <Field label={t('checkout.itemBarcode')} name="itemBarcode" autoFocus autoComplete="off" inputMode="numeric" />
            <button type="submit">{t('checkout.lend')}</button>
          </form>
          <Problem error={error} kiosk />
          {summary.holdsReady > 0 ? <p>{t('kiosk.holdsReady', { count: summary.holdsReady })}</p> : null}
          <h2>{t('kiosk.yourLoans')}</h2>
          <ul className="kiosk-loans">
            {summary.loans.map((l) => (
              <li key={l.loanId} data-testid="kiosk-loan">
                {l.title}: {t('checkout.due', { date: formatDate(l.dueAt, locale) })}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void client.call('circulation.renewAll', { patronBarcode: card }).then(() => refresh(card))}>
            {t('kiosk.renewAll')}
          </button>
          <button type="button" onClick={() => setStage('receipt')}>
            {t('kiosk.done')}
          </button>
        </section>
      ) : null}
      {stage === 'receipt' ? (
        <section>
          <h1>{t('kiosk.receipt')}</h1>
          <button type="button" onClick={() => void end().then(() => setStage('goodbye'))}>
            {t('kiosk.print')}
          </button>
          <button type="button" onClick={() => void end().then(() => setStage('goodbye'))}>
            {t('kiosk.noReceipt')}
          </button>
        </section>
      ) : null}
      {stage === 'goodbye' ? (
        <section>
          <h1>{t('kiosk.goodbye')}</h1>
          <button type="button" onClick={() => setStage('welcome')} autoFocus>
            {t('kiosk.next')}
          </button>
        </section>
      ) : null}
    </main>
  );
}
