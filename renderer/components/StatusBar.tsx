import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../api/client';
import { useStatus } from '../state/status';
import { formatTime } from '../format';
import { SyncNowButton } from './SyncNowButton';
import type { Tone } from './ui/Badge';
import { useBranchTimeZone, useDeskLocale } from './useDeskLocale';

interface DeviceFacts {
  id?: string;
  kind?: string;
  status?: string;
  reason?: string | null;
  queued?: number;
}

/**
 * Hub reachable or not, journal entries waiting, last sync, exceptions (a button to the list to
 * work through), scanner and printer, in the desk's language and the branch's time.
 */
export function StatusBar({ onOpenExceptions }: { onOpenExceptions?(): void }) {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const timeZone = useBranchTimeZone();
  const { status, set } = useStatus();
  useEffect(() => {
    let alive = true;
    const refresh = () =>
      void client
        .call('status.get', {})
        .then((s) => alive && set(s))
        .catch(() => undefined);
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
  // A coloured mark beside what needs looking at (the words say it too: never colour alone).
  const hubTone: Tone | undefined =
    sync.state === 'not_configured'
      ? undefined
      : sync.reachable === true
        ? 'ok'
        : sync.reachable === false
          ? 'warning'
          : undefined;
  const hub =
    sync.state === 'not_configured'
      ? t('status.notConfigured')
      : sync.reachable === true
        ? t('status.reachable')
        : sync.reachable === false
          ? t('status.unreachable')
          : t('status.unknown');

  /** Each device of the kind in words (connected, disconnected...); none set up: a wedge scanner needs none, a printer says so. */
  const devices = (kind: 'scanner' | 'printer'): { text: string; reasons: string; tone: Tone | undefined } => {
    if (!status) return { text: t('status.unknown'), reasons: '', tone: undefined };
    const list = (status.devices as DeviceFacts[]).filter((d) => d.kind === kind);
    if (list.length === 0)
      return { text: kind === 'printer' ? t('status.noPrinter') : t('status.wedgeOnly'), reasons: '', tone: undefined };
    const word = (d: DeviceFacts) =>
      `${t([`devices.status.${d.status ?? 'unknown'}`, 'status.unknown'])}${d.queued ? ` (${t('status.queued', { count: d.queued })})` : ''}`;
    return {
      text: list.length === 1 ? word(list[0]!) : list.map((d) => `${d.id ?? ''}: ${word(d)}`).join(', '),
      reasons: list
        .map((d) => d.reason ?? '')
        .filter(Boolean)
        .join('; '),
      tone: list.every((d) => d.status === 'connected') ? 'ok' : 'warning',
    };
  };
  const scanner = devices('scanner');
  const printer = devices('printer');
  const exceptions = t('status.exceptions', { count: status?.exceptionsOpen ?? 0 });
  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      {sync.clockWarning ? (
        <p role="alert" className="clock-warning">
          {t('status.clock', { minutes: Math.abs(Math.round((sync.clockOffsetMs ?? 0) / 60000)) })}
        </p>
      ) : null}
      <span
        className="status-item"
        data-tone={hubTone}
        title={sync.lastError ? t('status.lastError', { error: sync.lastError }) : undefined}
      >
        {t('status.hub')}: {hub}
      </span>
      {sync.initialLoad ? (
        <span role="status">{t('status.loading', { done: sync.initialLoad.done, total: sync.initialLoad.total })}</span>
      ) : null}
      {/* A stand-alone station has no hub to wait for: its journal is its record, not a queue. */}
      {sync.state === 'configured' ? <span>{t('status.waiting', { count: status?.journalWaiting ?? 0 })}</span> : null}
      <span>
        {t('status.lastSync', {
          time: sync.lastSuccessAt ? formatTime(sync.lastSuccessAt, locale, timeZone) : t('status.never'),
        })}
      </span>
      {onOpenExceptions ? (
        <button type="button" className="link" onClick={onOpenExceptions} data-testid="status-exceptions">
          {exceptions}
        </button>
      ) : (
        <span>{exceptions}</span>
      )}
      <span
        className="status-item"
        data-tone={scanner.tone}
        title={scanner.reasons || undefined}
        data-testid="status-scanner"
      >
        {t('status.scanner')}: {scanner.text}
      </span>
      <span
        className="status-item"
        data-tone={printer.tone}
        title={printer.reasons || undefined}
        data-testid="status-printer"
      >
        {t('status.printer')}: {printer.text}
      </span>
      {sync.state === 'configured' ? <SyncNowButton /> : null}
    </footer>
  );
}
