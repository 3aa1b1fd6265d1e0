// The station and its hub: joining once with an enrolment code, then the background sync worker
// for as long as the station runs. A station with no hub is the whole system, and says so.
import type { StationEvent } from '../api/contract';
import { enrolStation, HttpHubClient } from '../sync/http-client';
import { SyncWorker } from '../sync/worker';
import { ServiceError } from '../services/errors';
import type { StationServices } from './services';

const HUB_URL = 'hub_url';
const HUB_CREDENTIAL = 'hub_credential';

/**
 * Enrols a new station with the hub: the hub names it and gives it its own credential. The
 * library itself arrives with the first sync (joinHub waits for it; the desk's set-up lets the
 * background worker load it while showing progress).
 */
export async function enrolWithHub(s: StationServices, join: { hubUrl: string; code: string; stationName: string }): Promise<{ url: string; credential: string }> {
  if (s.ctx.journal.waitingCount() > 0 || s.admin.isConfigured() || s.ctx.readState(HUB_URL)) {
    throw new ServiceError('ALREADY_CONFIGURED', 'Only a new station can join a hub.');
  }
  const url = join.hubUrl.replace(/\/+$/, '');
  const enrolled = await enrolStation(url, join.code, join.stationName);
  // The hub names the station: its journal entries carry that id from the first one on.
  s.ctx.writeState('station_id', enrolled.stationId);
  s.ctx.writeState('branch_id', enrolled.branchId);
  s.ctx.writeState(HUB_URL, url);
  s.ctx.writeState(HUB_CREDENTIAL, enrolled.credential);
  s.ctx.adoptIdentity(enrolled.stationId);
  return { url, credential: enrolled.credential };
}

export async function joinHub(s: StationServices, join: { hubUrl: string; code: string; stationName: string }): Promise<void> {
  const { url, credential } = await enrolWithHub(s, join);
  // The first sync loads the whole library before the station opens.
  const worker = new SyncWorker(s.ctx, new HttpHubClient(url, credential));
  await worker.syncNow();
}

export function startSync(s: StationServices, core: { emit(e: StationEvent): void }, intervalMs = 30_000): SyncWorker | null {
  const url = s.ctx.readState(HUB_URL);
  const credential = s.ctx.readState(HUB_CREDENTIAL);
  if (!url || !credential) {
    s.statusProviders.sync = () => ({ state: 'not_configured' });
    return null;
  }
  const worker = new SyncWorker(s.ctx, new HttpHubClient(url, credential), { intervalMs });
  s.statusProviders.sync = () => ({ state: 'configured', hubUrl: url, ...worker.state() });
  worker.onState((state) => core.emit({ type: 'sync', state: { ...state } }));
  worker.start();
  return worker;
}
