// The last two steps: the receipt question as two big buttons (only with a receipt printer: the
// kiosk never opens the system print dialog), and the goodbye, which starts the kiosk again by
// itself after a few seconds so the next patron finds the welcome.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { TileIcon } from './TileIcon';
import { KioskProblem } from './KioskProblem';

export const GOODBYE_SECONDS = 8;

export function ReceiptStep({
  error,
  onPrint,
  onNoReceipt,
}: {
  error: ApiErrorBody | null;
  onPrint(): void;
  onNoReceipt(): void;
}) {
  const { t } = useTranslation();
  return (
    <section className="kiosk-step kiosk-centered">
      <h1 id="kiosk-receipt">{t('kiosk.receipt')}</h1>
      <KioskProblem error={error} at="session" />
      <div className="kiosk-tiles">
        <button type="button" className="kiosk-tile kiosk-primary" onClick={onPrint}>
          <TileIcon name="receipt" />
          {t('kiosk.print')}
        </button>
        <button type="button" className="kiosk-tile" onClick={onNoReceipt}>
          <TileIcon name="none" />
          {t('kiosk.noReceipt')}
        </button>
      </div>
    </section>
  );
}

export function GoodbyeStep({
  printing,
  noPaper,
  seconds = GOODBYE_SECONDS,
  onAgain,
}: {
  printing: boolean;
  noPaper: boolean;
  seconds?: number;
  onAgain(): void;
}) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.ceil(seconds - (Date.now() - started) / 1000);
      if (remaining <= 0) onAgain();
      else setLeft(remaining);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds, onAgain]);
  return (
    <section className="kiosk-step kiosk-centered kiosk-goodbye">
      <div className="kiosk-big-icon">
        <TileIcon name="check" />
      </div>
      <h1 id="kiosk-goodbye">{t('kiosk.goodbye')}</h1>
      {printing ? <p role="status">{t('kiosk.printing')}</p> : null}
      {noPaper ? <p role="status">{t('kiosk.noPrinter')}</p> : null}
      <p data-testid="kiosk-goodbye-countdown">{t('kiosk.startsAgain', { count: left })}</p>
      <button type="button" className="kiosk-button kiosk-primary" onClick={onAgain} autoFocus>
        {t('kiosk.startAgain')}
      </button>
    </section>
  );
}
