// The private keys a station can sign with right now (src/shared/signing.ts): its own, made at
// its first start and kept in its store, and those of the staff accounts signed in at it, kept
// only in memory, put here at sign-in (or when a session's sealed copy is opened after a
// restart) and dropped when the account's last session here ends.
import type { KeyObject } from 'node:crypto';
import { exportPrivateKey, importPrivateKey, newKeyPair, publicKeyOf } from '../shared/signing';

/** station_state key of the station's own private key (PKCS#8 DER, base64). */
const STATION_KEY = 'station_signing_key';

export class KeyRing {
  private station: KeyObject | null = null;
  private readonly staff = new Map<string, KeyObject>();

  constructor(
    private readonly readState: (key: string) => string | null,
    private readonly writeState: (key: string, value: string) => void,
  ) {}

  /** The station's own key, made and stored the first time it is asked for. */
  stationKey(): KeyObject {
    if (this.station) return this.station;
    const stored = this.readState(STATION_KEY);
    if (stored) {
      this.station = importPrivateKey(stored);
    } else {
      const { privateKey } = newKeyPair();
      this.writeState(STATION_KEY, exportPrivateKey(privateKey));
      this.station = privateKey;
    }
    return this.station;
  }

  stationPublicKey(): string {
    return publicKeyOf(this.stationKey());
  }

  unlock(staffId: string, key: KeyObject): void {
    this.staff.set(staffId, key);
  }

  forget(staffId: string): void {
    this.staff.delete(staffId);
  }

  staffKey(staffId: string): KeyObject | null {
    return this.staff.get(staffId) ?? null;
  }
}
