// The station's side of the wire: pushes and pulls over HTTP(S), every answer checked against the
// protocol before the station believes it.
import { gunzipSync } from 'node:zlib';
import { ChangesResponse, EnrolResponse, PushResponse } from '../api/sync-protocol';
import type { JournalEntry } from '../domain/journal';
import type { HubClient } from './worker';

const TIMEOUT_MS = 30_000;

async function request(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const raw = Buffer.from(await res.arrayBuffer());
  const text = res.headers.get('content-encoding') === 'gzip' && raw[0] === 0x1f ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const message = (body as { message?: string } | null)?.message ?? res.statusText;
    throw new Error(`hub answered ${res.status}: ${message}`);
  }
  return body;
}

export class HttpHubClient implements HubClient {
  constructor(
    private readonly baseUrl: string,
    private readonly credential: string,
  ) {}

  private get headers() {
    return { authorization: `Bearer ${this.credential}`, 'content-type': 'application/json' };
  }

  async push(entries: JournalEntry[], stationWallTime: number) {
    const body = await request(`${this.baseUrl}/sync/push`, { method: 'POST', headers: this.headers, body: JSON.stringify({ stationWallTime, entries }) });
    return PushResponse.parse(body);
  }

  async pull(cursor: string | null) {
    const body = await request(`${this.baseUrl}/sync/changes?after=${encodeURIComponent(cursor ?? '0')}&limit=2000`, {
      headers: { ...this.headers, 'accept-encoding': 'gzip' },
    });
    return ChangesResponse.parse(body);
  }
}

/** Joins a hub with a one-time enrolment code: the station's own credential comes back. */
export async function enrolStation(baseUrl: string, code: string, stationName: string): Promise<EnrolResponse> {
  const body = await request(`${baseUrl}/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, stationName }) });
  return EnrolResponse.parse(body);
}

