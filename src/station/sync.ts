// The station and its hub: joining once with an enrolment code, then the background sync worker
// for as long as the station runs. A station with no hub is the whole system, and says so.
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StationEvent } from '../api/contract';
import { enrolStation, HttpHubClient, type HubConnectionOptions } from '../sync/http-client';
import { SyncWorker } from '../sync/worker';
import { ServiceError } from '../services/errors';
import { secretRefsOf } from '../shared/secret-refs';
import { immediateTransaction } from '../store/transaction';
import type { StationServices } from './services';

const HUB_URL = 'hub_url';
const HUB_CREDENTIAL = 'hub_credential';
/** In the station's data folder: the library's own certificate authority, when its hub's certificate is not from a public one. */
export const HUB_CA_FILE = 'hub-ca.pem';

/**
 * Stores the certificate authority the station trusts for its hub (`serve --hub-ca <file>`): a
 * copy in the data folder, so every later start uses it without the option. Refuses a file that
 * holds no certificate, rather than failing later with an opaque TLS error.
 */
export function storeHubCa(dataDir: string, pemFile: string): void {
  const pem = readFileSync(pemFile, 'utf8');
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new Error(`${pemFile} is not a PEM certificate: ${(error as Error).message}`, { cause: error });
  }
  copyFileSync(pemFile, join(dataDir, HUB_CA_FILE));
}

/** The connection options for this station's hub: its stored certificate authority, if any. */
function connection(s: StationServices): HubConnectionOptions {
  const file = join(dirname(s.store.path), HUB_CA_FILE);
  return existsSync(file) ? { ca: readFileSync(file) } : {};
}

/**
 * Enrols a new station with the hub: the hub names it and gives it its own credential. The
 * library itself arrives with the first sync (joinHub waits for it; the desk's set-up lets the
 * background worker load it while showing progress).
 */
export async function enrolWithHub(
  s: StationServices,
  join: { hubUrl: string; code: string; stationName: string },
): Promise<{ url: string; credential: string }> {
  if (s.ctx.journal.waitingCount() > 0 || s.admin.isConfigured() || s.ctx.readState(HUB_URL)) {
    throw new ServiceError('ALREADY_CONFIGURED', 'Only a new station can join a hub.');
  }
  const url = join.hubUrl.replace(/\/+$/, '');
  const enrolled = await enrolStation(url, join.code, join.stationName, connection(s), s.ctx.keys.stationPublicKey());
  // The hub names the station: its journal entries carry that id from the first one on.
  s.ctx.writeState('station_id', enrolled.stationId);
  s.ctx.writeState('branch_id', enrolled.branchId);
  s.ctx.writeState(HUB_URL, url);
  s.ctx.writeState(HUB_CREDENTIAL, enrolled.credential);
  s.ctx.adoptIdentity(enrolled.stationId);
  return { url, credential: enrolled.credential };
}

/**
 * A stand-alone station joins the hub that was made from its own file (`npm run hub -- admin init
 * --from-station`, src/hub/founding.ts), with the code that printed. It keeps its station id, its
 * journal and its seq numbering: the hub holds the journal through the seq it answers, so those
 * entries are marked acknowledged here, with the hub's outcomes, and never pushed again; entries
 * made since the init wait and go with the first sync, as after any outage. The library is here
 * already: the first sync still loads the hub's copy of it once (the station then holds exactly
 * what the hub does, a staff account of another branch without its password, as every station).
 */
export async function joinHubWithOwnLibrary(
  s: StationServices,
  join: { hubUrl: string; code: string; stationName: string },
): Promise<{ url: string; receivedThrough: number }> {
  if (!s.admin.isConfigured())
    throw new ServiceError(
      'NOT_CONFIGURED',
      'This station is not set up: a new station joins a hub from its first-run screen (or npm run serve -- --join).',
    );
  const joined = s.ctx.readState(HUB_URL);
  if (joined) throw new ServiceError('ALREADY_CONFIGURED', `This station is joined to the hub at ${joined} already.`);
  const url = join.hubUrl.replace(/\/+$/, '');
  const stationId = s.ctx.stationId;
  const enrolled = await enrolStation(
    url,
    join.code,
    join.stationName,
    connection(s),
    s.ctx.keys.stationPublicKey(),
    stationId,
  );
  if (enrolled.stationId !== stationId || enrolled.branchId !== s.ctx.identity().branchId || !enrolled.journal) {
    // The hub checks the station's key first; this is a hub of another make or a bug.
    throw new ServiceError(
      'ENROLMENT_REFUSED',
      'The hub enrolled another station than this one: nothing was changed here.',
    );
  }
  const through = enrolled.journal.receivedThrough;
  const last = s.ctx.journal.lastSeq() ?? 0;
  if (through > last)
    throw new ServiceError(
      'ENROLMENT_REFUSED',
      `The hub holds ${through} entries of this station's journal, which has ${last}: it was made from another copy of this station.`,
    );
  const told = new Map(
    enrolled.journal.outcomes.map((o) => [o.seq, o.reason ? `${o.outcome}: ${o.reason}` : o.outcome]),
  );
  immediateTransaction(s, () => {
    const outcomes = [];
    for (let seq = 1; seq <= through; seq++) outcomes.push({ seq, outcome: told.get(seq) ?? 'applied' });
    s.ctx.journal.acknowledge(outcomes, s.ctx.now());
    // The hub holds the secrets of what it has; those of entries still waiting stay for their push.
    s.ctx.journal.forgetSecretsExcept(
      new Set(s.ctx.journal.pending(Number.MAX_SAFE_INTEGER).flatMap((e) => secretRefsOf(e.payload.effects))),
    );
    s.ctx.writeState(HUB_URL, url);
    s.ctx.writeState(HUB_CREDENTIAL, enrolled.credential);
    // The desk does not show "the library is loading": it is here (src/station/core.ts).
    s.ctx.writeState('library_loaded', '1');
  });
  return { url, receivedThrough: through };
}

export async function joinHub(
  s: StationServices,
  join: { hubUrl: string; code: string; stationName: string },
): Promise<void> {
  const { url, credential } = await enrolWithHub(s, join);
  // The first sync loads the whole library before the station opens.
  const client = new HttpHubClient(url, credential, connection(s), s.ctx.keys.stationPublicKey());
  try {
    await new SyncWorker(s.ctx, client).syncNow();
  } finally {
    client.close();
  }
}

/** intervalMs: the pull interval while the hub answers; without it, the library's setting (sync.pullIntervalSeconds). */
export function startSync(
  s: StationServices,
  core: { emit(e: StationEvent): void },
  intervalMs?: number,
): SyncWorker | null {
  const url = s.ctx.readState(HUB_URL);
  const credential = s.ctx.readState(HUB_CREDENTIAL);
  if (!url || !credential) {
    s.statusProviders.sync = () => ({ state: 'not_configured' });
    return null;
  }
  const worker = new SyncWorker(
    s.ctx,
    new HttpHubClient(url, credential, connection(s), s.ctx.keys.stationPublicKey()),
    intervalMs === undefined ? {} : { intervalMs },
  );
  s.statusProviders.sync = () => ({ state: 'configured', hubUrl: url, ...worker.state() });
  worker.onState((state) => core.emit({ type: 'sync', state: { ...state } }));
  worker.start();
  return worker;
}
