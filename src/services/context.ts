// Everything a service needs, built once when the station opens (src/station/core.ts).
import { newId } from './ids';
import { hlcInit, hlcReceive, type HlcState } from '../domain/hlc';
import type { Store } from '../store/open';
import { JournalStore } from '../store/journal-store';
import { Rows } from '../store/rows';
import { CirculationQueries } from '../store/queries/circulation';
import { stationStateAccess } from '../store/queries/station-state';
import { ConfigCache } from './config';
import { KeyRing } from './keyring';
import { ServiceError } from './errors';

export interface StationIdentity {
  stationId: string;
  branchId: string;
}

export interface ServiceContext {
  store: Store;
  rows: Rows;
  /** The circulation reads, prepared once on this connection (they run inside every check-out). */
  circulation: CirculationQueries;
  journal: JournalStore;
  config: ConfigCache;
  /** The keys this station can sign journal entries with now (its own, and signed-in staff's). */
  keys: KeyRing;
  clock: { state: HlcState };
  now(): number;
  newId(): string;
  /** The station and the branch it serves; throws NOT_CONFIGURED before set-up. */
  identity(): StationIdentity;
  stationId: string;
  /** After joining a hub: the station takes the id the hub gave it (before its first entry). */
  adoptIdentity(stationId: string): void;
  readState(key: string): string | null;
  writeState(key: string, value: string): void;
  /** Called after each committed command (the sync worker listens to push at once). */
  afterCommit(command: string): void;
  onCommit(listener: (command: string) => void): () => void;
}

export interface ContextOptions {
  now?: () => number;
}

export function createServiceContext(store: Store, options: ContextOptions = {}): ServiceContext {
  const { db } = store;
  const rows = new Rows(db);
  const journal = new JournalStore(db);
  const config = new ConfigCache({ store, rows });
  const now = options.now ?? Date.now;
  const state = stationStateAccess({ store });
  const readState = (key: string) => state.read(key);
  const writeState = (key: string, value: string) => state.write(key, value);

  let stationId = readState('station_id');
  if (!stationId) {
    stationId = newId();
    writeState('station_id', stationId);
  }
  // The clock resumes from the newest journal entry, so it never runs backwards across restarts.
  let clockState = hlcInit(stationId);
  const latest = journal.latestHlc();
  if (latest) clockState = hlcReceive(clockState, latest, now());

  // The station's signing key exists from its first start, before anything could need it.
  const keys = new KeyRing(readState, writeState);
  keys.stationKey();

  const listeners = new Set<(command: string) => void>();
  let identity: StationIdentity | null = null;
  let fixedStationId = stationId;

  return {
    store,
    rows,
    circulation: new CirculationQueries({ store, rows }),
    journal,
    config,
    keys,
    clock: { state: clockState },
    now,
    newId,
    get stationId() {
      return fixedStationId;
    },
    adoptIdentity(id: string) {
      fixedStationId = id;
      identity = null;
      this.clock.state = { ...this.clock.state, node: id };
    },
    identity() {
      if (identity) return identity;
      const branchId = readState('branch_id');
      if (!branchId) throw new ServiceError('NOT_CONFIGURED', 'This station has not been set up yet.');
      identity = { stationId: fixedStationId, branchId };
      return identity;
    },
    readState,
    writeState,
    afterCommit(command) {
      // The command is committed: a listener's failure (the sync worker's nudge, the checkpointer)
      // must not reach the caller as if the command had failed.
      for (const l of listeners) {
        try {
          l(command);
        } catch (error) {
          console.error(
            'station: a listener failed after a commit',
            error instanceof Error ? error.message : String(error),
          );
        }
      }
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
