import { useTranslation } from 'react-i18next';
import { useDeskLocale } from '../../components/useDeskLocale';
import { formatDateTime } from '../../format';
import { SyncNowButton } from '../../components/SyncNowButton';
import { useSession } from '../../state/session';
import { useStatus } from '../../state/status';

/** What status.get says about the hub, narrowed from its loose record. */
export function hubFacts(sync: Record<string, unknown> | undefined) {
  const s = sync ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    configured: s.state === 'configured',
    hubUrl: typeof s.hubUrl === 'string' ? s.hubUrl : null,
    reachable: typeof s.reachable === 'boolean' ? s.reachable : null,
    waiting: num(s.waiting),
    lastSuccessAt: num(s.lastSuccessAt),
    lastError: typeof s.lastError === 'string' ? s.lastError : null,
    clockOffsetMs: num(s.clockOffsetMs),
  };
}

/**
 * Settings › Hub connection: where this station syncs, whether the hub answers, what
 * waits to go, and the clock. Syncing runs by itself in the background; "Sync now" does a round at
 * once (after fixing the network, say).
 */
export function HubConnectionSettings() {
  const { t } = useTranslation();
  const status = useStatus((s) => s.status);
  const setup = useSession((s) => s.setup);
  const locale = useDeskLocale();
  const hub = hubFacts(status?.sync);
  const seconds = hub.clockOffsetMs === null ? null : Math.round(hub.clockOffsetMs / 1000);
  return (
    <section aria-labelledby="hub-title">
      <h2 id="hub-title">{t('hubConnection.title')}</h2>
      {!hub.configured ? <p>{t('hubConnection.standAlone')}</p> : null}
      <dl className="facts" data-testid="hub-facts">
        <dt>{t('hubConnection.url')}</dt>
        <dd>{hub.hubUrl ?? t('hubConnection.none')}</dd>
        <dt>{t('hubConnection.reachable')}</dt>
        <dd>{hub.reachable === null ? t('status.unknown') : hub.reachable ? t('form.yes') : t('form.no')}</dd>
        <dt>{t('hubConnection.waiting')}</dt>
        <dd>{hub.waiting ?? status?.journalWaiting ?? 0}</dd>
        <dt>{t('hubConnection.lastSync')}</dt>
        <dd>{hub.lastSuccessAt ? formatDateTime(hub.lastSuccessAt, locale, setup?.timeZone) : t('status.never')}</dd>
        <dt>{t('hubConnection.lastError')}</dt>
        <dd>{hub.lastError ?? t('hubConnection.none')}</dd>
        <dt>{t('hubConnection.clock')}</dt>
        <dd>{seconds === null ? t('status.unknown') : t('hubConnection.seconds', { count: seconds })}</dd>
      </dl>
      <p>{t('hubConnection.automatic')}</p>
      {hub.configured ? <SyncNowButton /> : null}
    </section>
  );
}
