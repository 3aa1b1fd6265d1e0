// "Are you still there?" over the whole screen, with the seconds left in large figures: a patron
// who stepped back sees it from a distance, and one touch anywhere on it (or its button) keeps
// the session. The number itself is not announced every second; the sentence under it says it.
import { useTranslation } from 'react-i18next';

export function IdleCountdown({ seconds, onStay }: { seconds: number; onStay(): void }) {
  const { t } = useTranslation();
  return (
    <div
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="kiosk-idle-title"
      aria-describedby="kiosk-idle-text"
      className="kiosk-idle"
    >
      <h2 id="kiosk-idle-title">{t('kiosk.idleTitle')}</h2>
      <p className="kiosk-idle-count" aria-hidden="true">
        {seconds}
      </p>
      <p id="kiosk-idle-text">{t('kiosk.idle', { count: seconds })}</p>
      <button type="button" className="kiosk-button kiosk-primary" onClick={onStay} autoFocus>
        {t('kiosk.stay')}
      </button>
    </div>
  );
}
