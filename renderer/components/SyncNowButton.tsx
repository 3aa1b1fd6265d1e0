import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../api/client';
import { useStatus } from '../state/status';

/** One sync round now (sync.now), then the status bar's facts refreshed from the station. */
export function SyncNowButton() {
  const { t } = useTranslation();
  const set = useStatus((s) => s.set);
  const [syncing, setSyncing] = useState(false);
  const syncNow = () => {
    setSyncing(true);
    void client
      .call('sync.now', {})
      .then(() => client.call('status.get', {}))
      .then(set)
      .catch(() => undefined)
      .finally(() => setSyncing(false));
  };
  return (
    <button type="button" onClick={syncNow} disabled={syncing} aria-busy={syncing}>
      {syncing ? t('status.syncing') : t('status.syncNow')}
    </button>
  );
}
