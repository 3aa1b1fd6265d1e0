import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client, staffSignIn } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { useBranchTimeZone, useDeskLocale } from '../components/useDeskLocale';
import { formatDate, formatDay, formatTime } from '../format';
import { leaveKioskMode } from '../kioskMode';
import { useNewScans } from '../state/scans';
import { signInStaff, useSession } from '../state/session';

type Summary = ApiOutput<'patrons.lookup'>;
type Stage = 'welcome' | 'pin' | 'session' | 'receipt' | 'goodbye';
type Refusal = { code: string; params?: Record<string, string | number> };
/** What the last renewal of one loan came to: its new due date, or why not (put in words when shown, in the language then). */
type Outcome = { renewed: true; dueAt: number } | { renewed: false; problem: ApiErrorBody };
/** The line under the scan field: what just happened, translated when shown. */
type Message = { key: 'kiosk.borrowed'; title: string; dueAt: number } | { key: 'kiosk.renewSummary'; renewed: number; total: number } | null;

const DEFAULT_IDLE_SECONDS = 60;
const DEFAULT_WARNING_SECONDS = 10;

/**
 * Seconds of inactivity before the warning, and of the warning before the session ends: the
 * library's settings (Settings › Library), read by the station before anyone signs in.
 * `?idle=N` in the address still sets the first, for a test or a trial.
 */
function useIdleLimits(): { idle: number; warning: number } {
  const kiosk = useSession((s) => s.setup?.kiosk);
  const n = Number(new URLSearchParams(window.location.search).get('idle'));
  return {
    idle: Number.isFinite(n) && n > 0 ? n : (kiosk?.idleSeconds ?? DEFAULT_IDLE_SECONDS),
    warning: kiosk?.warningSeconds ?? DEFAULT_WARNING_SECONDS,
  };
}

const asError = (err: unknown): ApiErrorBody => (err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });

/** Self-checkout: card, PIN, scan, see loans and holds ready, renew, receipt or not. */
export function Kiosk() {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const timeZone = useBranchTimeZone();
  const limits = useIdleLimits();
  const limitsRef = useRef(limits);
  limitsRef.current = limits;
  const [stage, setStage] = useState<Stage>('welcome');
  const [card, setCard] = useState('');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [warning, setWarning] = useState<number | null>(null);
  /** Loans lent or renewed in this session: what the receipt lists. */
  const [sessionLoans, setSessionLoans] = useState<string[]>([]);
  /** The outcome of the last renewal of each loan on screen, by item barcode. */
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [message, setMessage] = useState<Message>(null);
  const [printing, setPrinting] = useState(false);
  /** No receipt printer here: the goodbye says plainly that no receipt can be printed. */
  const [noPaper, setNoPaper] = useState(false);
  // Only the station's receipt printer prints at the kiosk: never the system print dialog, whose
  // "print to file" opens a file chooser (a way out of the kiosk). Without one, no paper receipt.
  const hasPrinter = useSession((s) => s.setup?.receiptPrinter === true);
  const setSetup = useSession((s) => s.setSetup);
  const lastActivity = useRef(Date.now());

  const end = useCallback(async () => {
    await client.call('auth.signOut', {}).catch(() => undefined);
    client.setToken(null);
    setSummary(null);
    setCard('');
    setError(null);
    setWarning(null);
    setSessionLoans([]);
    setOutcomes({});
    setMessage(null);
    setNoPaper(false);
    setStage('welcome');
  }, []);

  // A card scanned on the station's own scanner reaches the welcome screen before anyone signs in.
  useEffect(() => {
    client.hearCardScansSignedOut(true);
    return () => client.hearCardScansSignedOut(false);
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
      const { idle: limit, warning: grace } = limitsRef.current;
      if (idle >= limit + grace) void end();
      else if (idle >= limit) setWarning(Math.ceil(limit + grace - idle));
    }, 250);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', touch);
      window.removeEventListener('pointerdown', touch);
    };
  }, [stage, end]);

  const refresh = useCallback(async (cardBarcode: string) => setSummary(await client.call('patrons.lookup', { barcode: cardBarcode })), []);
  const due = (at: number) => formatDate(at, locale, timeZone);

  /** A refusal as a patron reads it: the kiosk's own words (see the desk...), dates in the branch's locale. */
  const reasonsOf = (refusals: Refusal[]): string[] => [
    ...new Set(
      refusals.map((r) =>
        t([`kioskRefusals.${r.code}`, 'kioskRefusals.default'], Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDay(v, locale) : v]))),
      ),
    ),
  ];
  const reasonsOfError = (err: ApiErrorBody): string[] => (err.code === 'REFUSED' && err.refusals ? reasonsOf(err.refusals) : [t([`errors.${err.code}`, 'errors.INTERNAL'])]);

  async function signIn(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const pin = String(new FormData(e.currentTarget).get('pin') ?? '');
    try {
      const r = await client.call('auth.kioskSignIn', { cardBarcode: card, pin });
      client.setToken(r.token);
      lastActivity.current = Date.now();
      await refresh(card);
      // Whether there is a receipt printer now (it may have been set up since the page loaded).
      void client.call('setup.status', {}).then(setSetup, () => undefined);
      setError(null);
      setStage('session');
    } catch (err) {
      setError(asError(err));
    }
  }

  async function borrow(itemBarcode: string) {
    setError(null);
    setMessage(null);
    try {
      const loan = await client.call('circulation.checkout', { patronBarcode: card, itemBarcode });
      setSessionLoans((ids) => [...ids, loan.loanId]);
      setMessage({ key: 'kiosk.borrowed', title: loan.title, dueAt: loan.dueAt });
      await refresh(card);
    } catch (err) {
      setError(asError(err));
    }
  }

  async function renewOne(itemBarcode: string) {
    setError(null);
    setMessage(null);
    try {
      const loan = await client.call('circulation.renew', { itemBarcode });
      setSessionLoans((ids) => [...ids, loan.loanId]);
      setOutcomes((o) => ({ ...o, [itemBarcode]: { renewed: true, dueAt: loan.dueAt } }));
      await refresh(card);
    } catch (err) {
      setOutcomes((o) => ({ ...o, [itemBarcode]: { renewed: false, problem: asError(err) } }));
    }
  }

  async function renewAll() {
    setError(null);
    setMessage(null);
    try {
      const r = await client.call('circulation.renewAll', { patronBarcode: card });
      setSessionLoans((ids) => [...ids, ...r.renewed.map((l) => l.loanId)]);
      setOutcomes((o) => ({
        ...o,
        ...Object.fromEntries(r.renewed.map((l) => [l.itemBarcode, { renewed: true, dueAt: l.dueAt } satisfies Outcome])),
        ...Object.fromEntries(r.refused.map((x) => [x.itemBarcode, { renewed: false, problem: { code: 'REFUSED', message: 'refused', refusals: x.refusals } } satisfies Outcome])),
      }));
      setMessage({ key: 'kiosk.renewSummary', renewed: r.renewed.length, total: r.renewed.length + r.refused.length });
      await refresh(card);
    } catch (err) {
      setError(asError(err));
    }
  }

  /** The receipt: this session's loans (lent or renewed), or, if none, every loan the patron has. */
  async function printReceipt() {
    setError(null);
    const current = summary?.loans ?? [];
    const mine = new Set(sessionLoans);
    const loanIds = (current.some((l) => mine.has(l.loanId)) ? current.filter((l) => mine.has(l.loanId)) : current).map((l) => l.loanId);
    try {
      let printed: boolean | null = null;
      if (loanIds.length > 0) {
        // The station prints it on its receipt printer; if that has gone meanwhile, no paper (never the system dialog).
        const r = await client.call('slips.checkout', { patronBarcode: card, loanIds });
        printed = r.jobId !== null;
        setPrinting(printed);
      }
      await end();
      if (printed === false) setNoPaper(true);
      setStage('goodbye');
    } catch (err) {
      setError(asError(err));
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
      leaveKioskMode();
      // Back to the desk: the same page without the kiosk path or hash.
      window.location.hash = '';
      window.history.replaceState(null, '', window.location.pathname.replace(/kiosk\/?$/, ''));
      window.dispatchEvent(new PopStateEvent('popstate'));
    } catch (err) {
      setError(asError(err));
    }
  }

  const holdsReady = summary?.holds.filter((h) => h.status === 'waiting') ?? [];

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
          {error?.code === 'LOCKED' && error.retryAt !== undefined ? (
            // Too many wrong PINs: even the right one is refused until then, so say when, and that the desk can help.
            <div role="alert" className="problem">
              <p>{t('kiosk.locked', { time: formatTime(error.retryAt, locale, timeZone) })}</p>
            </div>
          ) : (
            <Problem error={error} kiosk />
          )}
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
          <p role="status" data-testid="kiosk-message">
            {message?.key === 'kiosk.borrowed'
              ? t(message.key, { title: message.title, date: due(message.dueAt) })
              : message?.key === 'kiosk.renewSummary'
                ? t(message.key, { renewed: message.renewed, total: message.total })
                : ''}
          </p>
          {holdsReady.length > 0 ? (
            <section aria-labelledby="kiosk-holds">
              <h2 id="kiosk-holds">{t('kiosk.holdsReady', { count: holdsReady.length })}</h2>
              <ul>
                {holdsReady.map((h) => (
                  <li key={h.id} data-testid="kiosk-hold">
                    {h.shelfExpiresOn ? t('kiosk.holdReadyUntil', { title: h.title, date: formatDay(h.shelfExpiresOn, locale) }) : h.title}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <h2>{t('kiosk.yourLoans')}</h2>
          {summary.loans.length === 0 ? <p>{t('kiosk.noLoans')}</p> : null}
          <ul className="kiosk-loans outcomes">
            {summary.loans.map((l) => {
              const outcome = outcomes[l.itemBarcode];
              return (
                <li key={l.loanId} data-testid="kiosk-loan">
                  {l.title}: {t('checkout.due', { date: due(l.dueAt) })}{' '}
                  <button type="button" aria-label={t('kiosk.renewOneLabel', { title: l.title })} onClick={() => void renewOne(l.itemBarcode)}>
                    {t('kiosk.renewOne')}
                  </button>
                  {outcome ? (
                    <p data-testid="kiosk-outcome" className={outcome.renewed ? 'renewed' : 'problem'}>
                      {outcome.renewed ? t('kiosk.renewedUntil', { date: due(outcome.dueAt) }) : t('kiosk.notRenewed', { reason: reasonsOfError(outcome.problem).join(' ') })}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <button type="button" onClick={() => void renewAll()} disabled={summary.loans.length === 0}>
            {t('kiosk.renewAll')}
          </button>
          <button
            type="button"
            onClick={() =>
              hasPrinter
                ? setStage('receipt')
                : void end().then(() => {
                    setPrinting(false);
                    setNoPaper(true);
                    setStage('goodbye');
                  })
            }
          >
            {t('kiosk.done')}
          </button>
        </section>
      ) : null}
      {stage === 'receipt' ? (
        <section>
          <h1>{t('kiosk.receipt')}</h1>
          <Problem error={error} kiosk />
          <button type="button" onClick={() => void printReceipt()}>
            {t('kiosk.print')}
          </button>
          <button
            type="button"
            onClick={() =>
              void end().then(() => {
                setPrinting(false);
                setStage('goodbye');
              })
            }
          >
            {t('kiosk.noReceipt')}
          </button>
        </section>
      ) : null}
      {stage === 'goodbye' ? (
        <section>
          <h1>{t('kiosk.goodbye')}</h1>
          {printing ? <p role="status">{t('kiosk.printing')}</p> : null}
          {noPaper ? <p role="status">{t('kiosk.noPrinter')}</p> : null}
          <button
            type="button"
            onClick={() => {
              setPrinting(false);
              setNoPaper(false);
              setStage('welcome');
            }}
            autoFocus
          >
            {t('kiosk.next')}
          </button>
        </section>
      ) : null}
    </main>
  );
}
