// What the desktop app shows when its station core cannot start: the supervisor has given up
// after a few failed starts in a row (src/transports/ipc/supervisor.ts). Instead of a desk whose
// every button answers "the station does not answer", staff see what the core said, where the
// log is and a Retry. Once the core is ready again the desk behind it starts afresh.
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoreFailure } from '../../src/api/contract';
import { createCoreControl, type CoreControl } from '../api/client';

export function CoreFailed({
  failure,
  retrying,
  onRetry,
}: {
  failure: CoreFailure;
  retrying: boolean;
  onRetry(): void;
}) {
  const { t } = useTranslation();
  return (
    <main id="main" className="core-failed">
      <div role="alert">
        <h1>{t('core.failedTitle')}</h1>
        <p>{t('core.failedIntro', { count: failure.attempts })}</p>
        <pre>{failure.lines.join('\n')}</pre>
      </div>
      {failure.logPath ? <p>{t('core.logFile', { path: failure.logPath })}</p> : null}
      <p>{t('core.whatToDo')}</p>
      <button type="button" onClick={onRetry} disabled={retrying} aria-busy={retrying}>
        {retrying ? t('core.retrying') : t('core.retry')}
      </button>
    </main>
  );
}

/**
 * Shows the failure in place of the desk while the core has failed; the desk (children) is
 * mounted again from scratch when the core is back, so it loads the station's state anew.
 */
export function CoreGate({ children, control = defaultControl }: { children: ReactNode; control?: CoreControl }) {
  const [failure, setFailure] = useState<CoreFailure | null>(null);
  const [retrying, setRetrying] = useState(false);
  const [generation, setGeneration] = useState(0);
  const failed = useRef(false);
  useEffect(() => {
    let live = true;
    const show = (next: CoreFailure) => {
      failed.current = true;
      setFailure(next);
      setRetrying(false);
    };
    // The core may have given up before this page loaded: ask, then follow its events.
    void control.coreStatus().then((status) => {
      if (live && status?.state === 'failed' && status.failure) show(status.failure);
    });
    const off = control.subscribe((event) => {
      if (event.type !== 'core') return;
      if (event.state === 'failed' && event.failure) show(event.failure);
      else if (event.state === 'ready' && failed.current) {
        failed.current = false;
        setFailure(null);
        setRetrying(false);
        setGeneration((g) => g + 1);
      }
    });
    return () => {
      live = false;
      off();
    };
  }, [control]);

  if (failure) {
    return (
      <CoreFailed
        failure={failure}
        retrying={retrying}
        onRetry={() => {
          setRetrying(true);
          void control.retryCore().then((status) => {
            if (status?.state === 'failed' && status.failure) {
              setFailure(status.failure);
              setRetrying(false);
            }
          });
        }}
      />
    );
  }
  return <Fragment key={generation}>{children}</Fragment>;
}

const defaultControl = createCoreControl();
