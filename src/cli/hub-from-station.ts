// Reading a stand-alone station's file for `npm run hub -- admin init --from-station <station.db>`
// (src/hub/founding.ts seeds the hub from what this reads). The station must be stopped: its data
// folder's lock is held while the hub is made (src/store/data-lock.ts), so the journal cannot grow
// under the init, nor a station start on it half way. Nothing in the station's file is changed.
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { JournalEntry } from '../domain/journal';
import type { FoundingStation } from '../hub/founding';
import { branchList } from '../store/queries/admin';
import { storedLibrarySettings } from '../store/queries/config';
import { acknowledgedEntryCount, journalRowsAfter, journalSecretByDigest } from '../store/queries/journal';
import { stationStateAccess } from '../store/queries/station-state';
import { secretRefsOf } from '../shared/secret-refs';
import { importPrivateKey, publicKeyOf } from '../shared/signing';
import { DataFolderInUseError, lockDataFolder } from '../store/data-lock';
import { decodeEntry } from '../store/journal-store';
import { openStore } from '../store/open';

/** A station file the hub cannot be made from, and why (said as is, exit code 1). */
export class FromStationError extends Error {}

const BATCH = 500;

/**
 * Opens the station at `path` (its station.db, or its data folder) for the init, holding its data
 * folder; `close` lets go of both. Refuses a station that is running, not set up, or joined to a hub.
 */
export function openFoundingStation(
  path: string,
  stationName: string | undefined,
): { station: FoundingStation; close(): void } {
  const given = resolve(path);
  const file =
    existsSync(given) && basename(given) !== 'station.db' && !given.endsWith('.db')
      ? resolve(given, 'station.db')
      : given;
  if (!existsSync(file)) throw new FromStationError(`There is no station file ${file}.`);
  let release: () => void;
  try {
    release = lockDataFolder(dirname(file));
  } catch (error) {
    if (!(error instanceof DataFolderInUseError)) throw error;
    throw new FromStationError(
      `The station is running: ${error.message} Its journal must not grow while the hub is made from it.`,
    );
  }
  let store: ReturnType<typeof openStore> | null = null;
  try {
    store = openStore(file);
    const state = stationStateAccess({ store }).read;
    const hubUrl = state('hub_url');
    const acknowledged = acknowledgedEntryCount({ store });
    if (hubUrl || state('hub_credential') || acknowledged > 0) {
      throw new FromStationError(
        `This station is joined to a hub already${hubUrl ? ` (${hubUrl})` : ''}: its library is at that hub. A hub is made only from a station that has worked on its own.`,
      );
    }
    const stationId = state('station_id');
    const branchId = state('branch_id');
    const key = state('station_signing_key');
    if (!stationId || !branchId || !key)
      throw new FromStationError(`The station at ${file} is not set up: there is no library to bring to a hub.`);
    const branches: FoundingStation['branches'] = branchList({ store });
    const settings = storedLibrarySettings({ store });
    const libraryName = settings ? String((JSON.parse(settings) as { name?: unknown }).name ?? 'Library') : 'Library';
    const home = branches.find((b) => b.id === branchId);
    const readBatch = journalRowsAfter({ store });
    const readSecret = journalSecretByDigest({ store });
    const station: FoundingStation = {
      stationId,
      stationName: stationName ?? `${home?.name ?? 'first'} desk`,
      branchId,
      publicKey: publicKeyOf(importPrivateKey(key)),
      libraryName,
      branches,
      async *journal() {
        for (let after = 0; ;) {
          const entries: JournalEntry[] = readBatch(after, BATCH).map(decodeEntry);
          if (entries.length === 0) return;
          const secrets: Record<string, string> = {};
          for (const digest of entries.flatMap((e) => secretRefsOf(e.payload.effects))) {
            const value = readSecret(digest);
            if (value !== undefined) secrets[digest] = value;
          }
          yield { entries, secrets };
          after = entries.at(-1)!.seq;
        }
      },
    };
    const opened = store;
    return {
      station,
      close() {
        opened.close();
        release();
      },
    };
  } catch (error) {
    store?.close();
    release();
    throw error;
  }
}
