import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../api/client';
import { useStatus } from '../state/status';
import { formatTime } from '../format';
import { SyncNowButton } from './SyncNowButton';

/** Hub reachable or not, journal entries waiting, last sync, exceptions, scanner and printer. */
export function StatusBar({ locale }: { locale: string }) {
  const { t } = useTranslation();
  const { status, set } = useStatus();
  useEffect(() => {
    let alive = true;
    const refresh = () => void client.call('status.get', {}).then((s) => alive && set(s)).catch(() => undefined);
    refresh();
    const timer = setInterval(refresh, 2_000);
    const off = client.subscribe((e) => (e.type === 'sync' || e.type === 'device' ? refresh() : undefined));
    return () => {
      alive = false;
      clearInterval(timer);
      off();
    };
  }, [set]);
  const sync = (status?.sync ?? {}) as {
    state?: string;
    reachable?: boolean | null;
    lastSuccessAt?: number | null;
    lastError?: string | null;
    clockWarning?: boolean;
    clockOffsetMs?: number;
    initialLoad?: { done: number; total: number } | null;
  };
  const hub =
    sync.state === 'not_configured' ? t('status.notConfigured') : sync.reachable === true ? t('status.reachable') : sync.reachable === false ? t('status.unreachable') : t('status.unknown');
  const device = (kind: string) => {
    const d = status?.devices.find((x) => x.kind === kind) as { state?: string } | undefined;
    return d?.state ?? t('status.unknown');
  };
  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      {sync.clockWarning ? (
        <p role="alert" className="clock-warning">
          {t('status.clock', { minutes: Math.round((sync.clockOffsetMs ?? 0) / 60000) })}
        </p>
      ) : null}
      <span title={sync.lastError ? t('status.lastError', { error: sync.lastError }) : undefined}>
        {t('status.hub')}: {hub}
      </span>
      {sync.initialLoad ? (
        <span role="status">
          {t('status.loading', { done: sync.initialLoad.done, total: sync.initialLoad.total })}
        </span>
      ) : null}
      {/* A stand-alone station has no hub to wait for: its journal is its record, not a queue. */}
      {sync.state === 'configured' ? <span>{t('status.waiting', { count: status?.journalWaiting ?? 0 })}</span> : null}
      <span>{t('status.lastSync', { time: sync.lastSuccessAt ? formatTime(sync.lastSuccessAt, locale) : t('status.never') })}</span>
      <span>{t('status.exceptions', { count: status?.exceptionsOpen ?? 0 })}</span>
      <span>
        {t('status.scanner')}: {device('scanner')}
      </span>
      <span>
        {t('status.printer')}: {device('printer')}
      </span>
      {sync.state === 'configured' ? (
        <SyncNowButton />
      ) : null}
    </footer>
  );
}
