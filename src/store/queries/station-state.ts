// The station's own key-value state (station_state: its id, branch, keys, sync cursors): not
// synced, not journalled.
import type { Reader } from './reader';

/** Prepared once per connection (services/context.ts): read on every sync round and command. */
export function stationStateAccess(r: Pick<Reader, 'store'>): {
  read(key: string): string | null;
  write(key: string, value: string): void;
} {
  const get = r.store.db.prepare('SELECT value FROM station_state WHERE key = ?');
  const set = r.store.db.prepare(
    'INSERT INTO station_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  return {
    read: (key) => (get.get(key) as { value: string } | undefined)?.value ?? null,
    write: (key, value) => void set.run(key, value),
  };
}

export function deleteStationState(r: Pick<Reader, 'store'>, key: string): void {
  r.store.db.prepare('DELETE FROM station_state WHERE key = ?').run(key);
}
