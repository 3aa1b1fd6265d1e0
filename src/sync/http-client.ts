// The station's side of the wire: pushes, pulls and the streamed first load over HTTP(S), every
// answer checked against the protocol before the station believes it.
//
// node:http(s) rather than fetch: the station must be able to trust the library's own certificate
// authority (fetch takes no CA without an extra package), and the first load is a stream of a
// minute or more that needs an idle timeout, not a total one.
import http from 'node:http';
import https from 'node:https';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import {
  ChangesResponse,
  EnrolResponse,
  ExceptionsResponse,
  PushResponse,
  SnapshotEnd,
  SnapshotStart,
} from '../api/sync-protocol';
import type { ClockMeasurement } from '../domain/clock-offset';
import type { JournalEntry, RowChange } from '../domain/journal';
import type { HubClient, SnapshotLine } from './worker';

const TIMEOUT_MS = 30_000;

export interface HubConnectionOptions {
  /** PEM of the certificate authority (or the certificate itself) the hub's certificate must chain to, instead of the public ones. */
  ca?: string | Buffer | null;
  /** No byte for this long: the request fails (ms). */
  timeoutMs?: number;
}

/** Certificate problems the station can name: the person at the desk needs to know it is trust, not the network. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/** A TLS failure reaching the hub, in words; `code` keeps Node's own code. */
export class HubTlsError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HubTlsError';
  }
}

function explain(error: Error & { code?: string }, url: URL, withCa: boolean): Error {
  const code = error.code ?? '';
  if (UNTRUSTED.has(code)) {
    const hint = withCa
      ? 'it is not signed by the certificate authority the station was given (--hub-ca)'
      : "it is not signed by a public certificate authority; if the library uses its own, give the station that authority's certificate with --hub-ca <file.pem>";
    return new HubTlsError(
      `The hub's certificate at ${url.host} is not trusted: ${hint} (${code}). Nothing was sent.`,
      code,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new HubTlsError(`The hub's certificate is not for ${url.hostname} (${code}). Nothing was sent.`, code);
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return new HubTlsError(
      `The hub's certificate is out of date (${code}); check the hub's certificate and this station's clock. Nothing was sent.`,
      code,
    );
  return error;
}

interface RawAnswer {
  status: number;
  statusText: string;
  body: Readable;
}

export class HubConnection {
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly options: HubConnectionOptions = {},
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    // Kept alive: a push round is several requests, and each TLS handshake costs.
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 4, ...(options.ca ? { ca: options.ca } : {}) })
        : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  /** Sends a request and resolves with the answer's status and its (decompressed) body stream. */
  open(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<RawAnswer> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, {
        method: init.method ?? 'GET',
        agent: this.agent,
        headers: {
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
      });
      // An idle timeout: a long first load keeps sending, a dead hub does not.
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`the hub did not answer within ${Math.round(this.timeoutMs / 1000)} s`)),
      );
      req.on('error', (error) => reject(explain(error, url, !!this.options.ca)));
      req.on('response', (res) => {
        res.setTimeout(this.timeoutMs, () =>
          res.destroy(new Error(`the hub stopped sending for ${Math.round(this.timeoutMs / 1000)} s`)),
        );
        const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        if (body !== res) res.on('error', (e) => body.destroy(e));
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body });
      });
      req.end(init.body);
    });
  }

  /** A whole JSON answer; a refusal becomes an error "hub answered <status>: <message>". */
  async json(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<unknown> {
    const res = await this.open(path, init);
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    // A gzip body the stream did not announce (a proxy that strips the header) still reads.
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    let body: unknown = null;
    try {
      body = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      if (res.status < 400) throw new Error(`the hub's answer is not JSON (${res.status})`);
    }
    if (res.status >= 400) {
      const message = (body as { message?: string } | null)?.message ?? res.statusText;
      // The refusal's body goes along: a refused clock carries the offset the hub measured.
      throw Object.assign(new Error(`hub answered ${res.status}: ${message}`), { status: res.status, body });
    }
    return body;
  }

  close(): void {
    this.agent.destroy();
  }
}

export class HttpHubClient implements HubClient {
  private readonly conn: HubConnection;

  constructor(
    baseUrl: string,
    private readonly credential: string,
    private readonly connOptions: HubConnectionOptions = {},
    /** The station's signing key, sent with each push (the hub keeps the first it hears of). */
    private readonly stationPublicKey?: string,
  ) {
    this.conn = new HubConnection(baseUrl, connOptions);
  }

  private get headers() {
    return { authorization: `Bearer ${this.credential}`, 'content-type': 'application/json' };
  }

  async push(
    entries: JournalEntry[],
    stationWallTime: number,
    secrets: Record<string, string> = {},
    clock?: ClockMeasurement,
  ) {
    const body = await this.conn.json('/sync/push', {
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({
        stationWallTime,
        ...(clock
          ? { clock: { offsetMs: Math.round(clock.offsetMs), uncertaintyMs: Math.ceil(clock.uncertaintyMs) } }
          : {}),
        entries,
        ...(this.stationPublicKey ? { stationPublicKey: this.stationPublicKey } : {}),
        ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
      }),
    });
    return PushResponse.parse(body);
  }

  async pull(cursor: string | null) {
    const body = await this.conn.json(`/sync/changes?after=${encodeURIComponent(cursor ?? '0')}&limit=2000`, {
      headers: { ...this.headers, 'accept-encoding': 'gzip' },
    });
    return ChangesResponse.parse(body);
  }

  /** GET /health with its own short timeout: true if the hub answered 200 in time. */
  async probe(timeoutMs: number): Promise<boolean> {
    const probe = new HubConnection(this.conn.base.href, { ...this.connOptions, timeoutMs });
    const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    try {
      return await Promise.race([
        probe.json('/health').then(
          () => true,
          () => false,
        ),
        timer,
      ]);
    } finally {
      probe.close();
    }
  }

  /** Exceptions concerning this station's branch, made or resolved after the cursor. */
  async exceptions(cursor: string | null) {
    const body = await this.conn.json(`/sync/exceptions?after=${encodeURIComponent(cursor ?? '0')}`, {
      headers: this.headers,
    });
    return ExceptionsResponse.parse(body);
  }

  /**
   * The first load, streamed: NDJSON lines as they arrive, gzip undone on the way. The start and
   * end lines are checked with the protocol's schemas; a row line only for its shape (a million
   * full schema checks would cost more than the load), and the store checks each row as it
   * writes it. A stream that stops before its end line throws: the caller resumes from the last
   * row it kept.
   */
  async *snapshot(after: string): AsyncGenerator<SnapshotLine> {
    const res = await this.conn.open(`/sync/snapshot?after=${encodeURIComponent(after)}`, {
      headers: { ...this.headers, 'accept-encoding': 'gzip' },
    });
    if (res.status >= 400) {
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      let message = res.statusText;
      try {
        message = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: string }).message ?? message;
      } catch {
        // not JSON: the status says enough
      }
      throw new Error(`hub answered ${res.status}: ${message}`);
    }
    res.body.setEncoding('utf8');
    let rest = '';
    let ended = false;
    try {
      for await (const chunk of res.body as AsyncIterable<string>) {
        const text = rest + chunk;
        let from = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
          const line = text.slice(from, nl);
          from = nl + 1;
          if (!line) continue;
          const parsed = parseLine(line);
          if ('end' in parsed) ended = true;
          yield parsed;
        }
        rest = text.slice(from);
      }
    } catch (error) {
      throw new Error(`the first load was cut: ${(error as Error).message}`, { cause: error });
    }
    if (!ended) throw new Error('the first load was cut before its end; it resumes where it stopped');
  }

  close(): void {
    this.conn.close();
  }
}

function parseLine(line: string): SnapshotLine {
  const value = JSON.parse(line) as Record<string, unknown>;
  if (value.start === true) return SnapshotStart.parse(value);
  if (value.end === true) return SnapshotEnd.parse(value);
  const row = value.row as { id?: unknown } | undefined;
  if (
    typeof value.cursor !== 'string' ||
    typeof value.table !== 'string' ||
    (value.op !== 'upsert' && value.op !== 'delete') ||
    typeof row?.id !== 'string'
  ) {
    throw new Error(`a line of the first load is not a row: ${line.slice(0, 200)}`);
  }
  return value as unknown as RowChange & { cursor: string };
}

/**
 * Joins a hub with a one-time enrolment code: the station's own credential comes back.
 * `stationId`: a stand-alone station joining the hub made from it keeps its id (src/hub/founding.ts).
 */
export async function enrolStation(
  baseUrl: string,
  code: string,
  stationName: string,
  options: HubConnectionOptions = {},
  publicKey?: string,
  stationId?: string,
): Promise<EnrolResponse> {
  const conn = new HubConnection(baseUrl, options);
  try {
    const request = { code, stationName, ...(publicKey ? { publicKey } : {}), ...(stationId ? { stationId } : {}) };
    const body = await conn.json('/enrol', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    return EnrolResponse.parse(body);
  } finally {
    conn.close();
  }
}
