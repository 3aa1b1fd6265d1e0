// The self-checkout kiosk: one step per screen, each with a clear way back or on. Card (scanned
// or typed), PIN, borrowing (scan a book: lent), the account (loans and renewals, fees owed,
// holds ready), the receipt question (only with a receipt printer), goodbye, and the welcome
// again by itself. Idle for the library's time, a full-screen count-down, then the session ends.
// The steps are drawn in ./kiosk/; this file holds the visit's state and talks to the station.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';
import { AccountStep, type Outcome } from './kiosk/AccountStep';
import { BorrowStep, type Borrowed, type Summary } from './kiosk/BorrowStep';
import { GoodbyeStep, ReceiptStep } from './kiosk/EndSteps';
import { IdleCountdown } from './kiosk/IdleCountdown';
import { KioskBrand } from './kiosk/KioskBrand';
import { PinStep } from './kiosk/PinStep';
import { useKioskSounds } from './kiosk/sounds';
import { WelcomeStep, type NotACard, type NotACardWhy } from './kiosk/WelcomeStep';
import '../styles/kiosk.css';

type Stage = 'welcome' | 'pin' | 'borrow' | 'account' | 'receipt' | 'goodbye';

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

const asError = (err: unknown): ApiErrorBody =>
  err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) };

export function Kiosk() {
  const limits = useIdleLimits();
  const limitsRef = useRef(limits);
  limitsRef.current = limits;
  const sound = useKioskSounds();
  const [stage, setStage] = useState<Stage>('welcome');
  const [card, setCard] = useState('');
  const [notACard, setNotACard] = useState<NotACard | null>(null);
  const notACardBecause = (why: NotACardWhy) => setNotACard({ why });
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [warning, setWarning] = useState<number | null>(null);
  /** What this visit borrowed, oldest first. */
  const [borrowed, setBorrowed] = useState<Borrowed[]>([]);
  /** Loans lent or renewed in this visit: what the receipt lists. */
  const [sessionLoans, setSessionLoans] = useState<string[]>([]);
  /** The outcome of the last renewal of each loan, by item barcode. */
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [renewSummary, setRenewSummary] = useState<{ renewed: number; total: number } | null>(null);
  const [printing, setPrinting] = useState(false);
  /** No receipt printer here: the goodbye says plainly that no receipt can be printed. */
  const [noPaper, setNoPaper] = useState(false);
  // Only the station's receipt printer prints at the kiosk: never the system print dialog, whose
  // "print to file" opens a file chooser (a way out of the kiosk). Without one, no paper receipt.
  const hasPrinter = useSession((s) => s.setup?.receiptPrinter === true);
  const setSetup = useSession((s) => s.setSetup);
  const lastActivity = useRef(Date.now());

  /** Ends the visit at the station and forgets everything of it on this screen. */
  const end = useCallback(async () => {
    await client.call('auth.signOut', {}).catch(() => undefined);
    client.setToken(null);
    setSummary(null);
    setCard('');
    setError(null);
    setWarning(null);
    setBorrowed([]);
    setSessionLoans([]);
    setOutcomes({});
    setRenewSummary(null);
  }, []);
  const goodbye = useCallback((paper: { printing: boolean; noPaper: boolean }) => {
    setPrinting(paper.printing);
    setNoPaper(paper.noPaper);
    setStage('goodbye');
  }, []);
  const welcomeAgain = useCallback(() => {
    setPrinting(false);
    setNoPaper(false);
    setNotACard(null);
    setStage('welcome');
  }, []);

  // A card scanned on the station's own scanner reaches the welcome screen before anyone signs in.
  useEffect(() => {
    client.hearCardScansSignedOut(true);
    return () => client.hearCardScansSignedOut(false);
  }, []);

  // Idle: warn, then end the session, so the next patron never finds someone else's account.
  useEffect(() => {
    if (stage === 'welcome' || stage === 'goodbye') return;
    const touch = () => {
      lastActivity.current = Date.now();
      setWarning(null);
    };
    touch();
    window.addEventListener('keydown', touch);
    window.addEventListener('pointerdown', touch);
    const timer = setInterval(() => {
      const idle = (Date.now() - lastActivity.current) / 1000;
      const { idle: limit, warning: grace } = limitsRef.current;
      if (idle >= limit + grace) void end().then(welcomeAgain);
      else if (idle >= limit) setWarning(Math.ceil(limit + grace - idle));
    }, 250);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', touch);
      window.removeEventListener('pointerdown', touch);
    };
  }, [stage, end, welcomeAgain]);

  // Every refusal is heard as well as read (if the library keeps the kiosk's sounds on).
  useEffect(() => {
    if (error || notACard) sound('refusal');
  }, [error, notACard, sound]);

  const refresh = useCallback(
    async (cardBarcode: string) => setSummary(await client.call('patrons.lookup', { barcode: cardBarcode })),
    [],
  );

  function chooseCard(cardBarcode: string) {
    setCard(cardBarcode);
    setNotACard(null);
    setError(null);
    setStage('pin');
  }

  async function signIn(pin: string) {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('auth.kioskSignIn', { cardBarcode: card, pin });
      client.setToken(r.token);
      await refresh(card);
      // Whether there is a receipt printer now (it may have been set up since the page loaded).
      void client.call('setup.status', {}).then(setSetup, () => undefined);
      setStage('borrow');
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  }

  async function borrow(itemBarcode: string) {
    setError(null);
    setStage('borrow');
    try {
      const loan = await client.call('circulation.checkout', { patronBarcode: card, itemBarcode });
      setSessionLoans((ids) => [...ids, loan.loanId]);
      setBorrowed((list) => [...list, { loanId: loan.loanId, title: loan.title, dueAt: loan.dueAt }]);
      sound('success');
      await refresh(card);
    } catch (err) {
      setError(asError(err));
    }
  }

  async function renewOne(itemBarcode: string) {
    setError(null);
    setRenewSummary(null);
    try {
      const loan = await client.call('circulation.renew', { itemBarcode });
      setSessionLoans((ids) => [...ids, loan.loanId]);
      setOutcomes((o) => ({ ...o, [itemBarcode]: { renewed: true, dueAt: loan.dueAt } }));
      sound('success');
      await refresh(card);
    } catch (err) {
      setOutcomes((o) => ({ ...o, [itemBarcode]: { renewed: false, problem: asError(err) } }));
      sound('refusal');
    }
  }

  async function renewAll() {
    setError(null);
    setRenewSummary(null);
    try {
      const r = await client.call('circulation.renewAll', { patronBarcode: card });
      setSessionLoans((ids) => [...ids, ...r.renewed.map((l) => l.loanId)]);
      setOutcomes((o) => ({
        ...o,
        ...Object.fromEntries(
          r.renewed.map((l) => [l.itemBarcode, { renewed: true, dueAt: l.dueAt } satisfies Outcome]),
        ),
        ...Object.fromEntries(
          r.refused.map((x) => [
            x.itemBarcode,
            {
              renewed: false,
              problem: { code: 'REFUSED', message: 'refused', refusals: x.refusals },
            } satisfies Outcome,
          ]),
        ),
      }));
      setRenewSummary({ renewed: r.renewed.length, total: r.renewed.length + r.refused.length });
      sound(r.refused.length === 0 ? 'success' : 'refusal');
      await refresh(card);
    } catch (err) {
      setError(asError(err));
    }
  }

  /** The receipt: this visit's loans (lent or renewed), or, if none, every loan the patron has. */
  async function printReceipt() {
    setError(null);
    const current = summary?.loans ?? [];
    const mine = new Set(sessionLoans);
    const loanIds = (current.some((l) => mine.has(l.loanId)) ? current.filter((l) => mine.has(l.loanId)) : current).map(
      (l) => l.loanId,
    );
    try {
      let printed: boolean | null = null;
      if (loanIds.length > 0) {
        // The station prints it on its receipt printer; if that has gone meanwhile, no paper (never the system dialog).
        const r = await client.call('slips.checkout', { patronBarcode: card, loanIds });
        printed = r.jobId !== null;
      }
      await end();
      goodbye({ printing: printed === true, noPaper: printed === false });
    } catch (err) {
      setError(asError(err));
    }
  }

  function done() {
    if (hasPrinter) {
      setError(null);
      setStage('receipt');
    } else void end().then(() => goodbye({ printing: false, noPaper: true }));
  }

  useNewScans((scan) => {
    if (stage === 'welcome') {
      // A card goes on to the PIN; a book or a misread is answered, never dropped.
      if (scan.kind === 'patron') chooseCard(scan.barcode);
      else notACardBecause(scan.kind === 'item' ? 'item' : 'misread');
    } else if ((stage === 'borrow' || stage === 'account') && scan.kind !== 'patron') void borrow(scan.barcode);
  });

  return (
    <main id="main" className="kiosk-screen" data-stage={stage}>
      <KioskBrand />
      {warning !== null ? (
        <IdleCountdown
          seconds={warning}
          onStay={() => {
            lastActivity.current = Date.now();
            setWarning(null);
          }}
        />
      ) : null}
      {stage === 'welcome' ? (
        <WelcomeStep notACard={notACard} onCard={chooseCard} onNotACard={notACardBecause} />
      ) : null}
      {stage === 'pin' ? (
        <PinStep
          error={error}
          busy={busy}
          onPin={signIn}
          onBack={() => {
            setCard('');
            setError(null);
            setStage('welcome');
          }}
        />
      ) : null}
      {stage === 'borrow' && summary ? (
        <BorrowStep
          summary={summary}
          borrowed={borrowed}
          error={error}
          onBorrow={borrow}
          onAccount={() => (setError(null), setStage('account'))}
          onDone={done}
        />
      ) : null}
      {stage === 'account' && summary ? (
        <AccountStep
          summary={summary}
          outcomes={outcomes}
          renewSummary={renewSummary}
          error={error}
          onRenew={(barcode) => void renewOne(barcode)}
          onRenewAll={() => void renewAll()}
          onBack={() => (setError(null), setRenewSummary(null), setStage('borrow'))}
        />
      ) : null}
      {stage === 'receipt' ? (
        <ReceiptStep
          error={error}
          onPrint={() => void printReceipt()}
          onNoReceipt={() => void end().then(() => goodbye({ printing: false, noPaper: false }))}
        />
      ) : null}
      {stage === 'goodbye' ? <GoodbyeStep printing={printing} noPaper={noPaper} onAgain={welcomeAgain} /> : null}
    </main>
  );
}
