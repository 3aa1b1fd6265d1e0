// Who is pushing or pulling: the station a bearer token belongs to, as the hub authenticated it.
// Its own file so that policy.ts can name it without importing hub.ts (which imports policy.ts).
export interface StationIdentity {
  stationId: string;
  branchId: string;
  /** The station's signing key as the hub recorded it; null for a station enrolled before keys existed that has not pushed since. */
  publicKey?: string | null;
  /**
   * Set only while a new hub is made from a stand-alone station (admin init --from-station,
   * src/hub/founding.ts): that station's set-up is taken once (src/hub/authority.ts).
   */
  founding?: boolean;
}
