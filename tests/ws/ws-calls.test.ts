// The station API over a WebSocket (/api/ws), attacked over real sockets: the same trust checks
// as HTTP (own Host against DNS rebinding, own Origin against foreign pages, a session token on
// every call, "this machine" from the handshake, frames no larger than an HTTP body), a clear
// error for anything that is not a call, and the station standing after all of it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStationCore, type StationCore } from '../../src/station/core';
import { createHttpStation } from '../../src/transports/http/server';
import { MAX_CALLS_IN_FLIGHT, type WsAnswer } from '../../src/transports/ws/calls';
import { itemBarcode, patronCard } from '../support/station';

const BODY_LIMIT = 64 * 1024;
let core: StationCore;
let app: FastifyInstance;
let port: number;
let token: string;

const SETUP = {
  libraryName: 'Library',
  branchCode: 'MAIN',
  branchName: 'Main',
  timeZone: 'America/Chicago',
  currency: 'USD',
  locale: 'en-US',
  admin: { username: 'admin', displayName: 'Admin', password: 'a good password' },
};

/** A socket to the station, open, or the HTTP status its handshake was refused with. */
function connect(
  headers: Record<string, string> = {},
  at = `ws://127.0.0.1:${port}/api/ws`,
): Promise<Socket | { refused: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(at, { headers });
    ws.once('open', () => resolve(new Socket(ws)));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      // The station hangs up after refusing (else a refused client could hold the socket): the
      // answer counts once its connection is closed, and not at all if it stays open.
      const hungUp = new Promise<boolean>((r) => {
        res.socket.once('close', () => r(true));
        setTimeout(() => r(false), 3_000);
      });
      res.on(
        'end',
        () =>
          void hungUp.then((closed) =>
            resolve(closed ? { refused: res.statusCode ?? 0, body } : { refused: -1, body: 'left open' }),
          ),
      );
    });
    ws.once('error', reject);
  });
}

async function open(headers: Record<string, string> = {}): Promise<Socket> {
  const s = await connect(headers);
  if (!(s instanceof Socket)) throw new Error(`refused: ${s.refused} ${s.body}`);
  return s;
}

/** Answers by id, and the frames that answer no call (id null). */
class Socket {
  private nextId = 1;
  private readonly waiting = new Map<number, (a: WsAnswer) => void>();
  readonly stray: WsAnswer[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const answer = JSON.parse(data.toString()) as WsAnswer;
      const waiter = answer.id === null ? undefined : this.waiting.get(answer.id);
      if (waiter) {
        this.waiting.delete(answer.id!);
        waiter(answer);
      } else this.stray.push(answer);
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }
  call(name: string, input: unknown, callToken: string | null = token): Promise<WsAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, name, input, token: callToken }));
    });
  }
  /** A raw frame, and the next answer that names no call. */
  async garbage(frame: string | Buffer, binary = false): Promise<WsAnswer> {
    const before = this.stray.length;
    this.ws.send(frame, { binary });
    for (let i = 0; i < 200 && this.stray.length === before; i++) await new Promise((r) => setTimeout(r, 5));
    return this.stray[before]!;
  }
  close() {
    this.ws.close();
  }
}

beforeAll(async () => {
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-ws-')) });
  app = await createHttpStation({ core, rendererDir: null, bodyLimit: BODY_LIMIT });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
  const s = await open();
  expect(await s.call('setup.initialize', SETUP, null)).toMatchObject({ ok: true, status: 200 });
  const signedIn = await s.call('auth.signIn', { username: 'admin', password: 'a good password' }, null);
  token = (signedIn as { value: { token: string } }).value.token;
  s.close();
});
afterAll(async () => {
  await app.close();
  await core.close();
});

describe('the station API over a WebSocket', () => {
  it('lends and returns, with the answers and statuses HTTP gives', async () => {
    const s = await open({ origin: `http://127.0.0.1:${port}` });
    const record = (await s.call('catalogue.addRecord', { title: 'Pedro Páramo' })) as {
      ok: true;
      value: { id: string };
    };
    await s.call('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.value.id, itemTypeCode: 'BOOK' });
    await s.call('patrons.register', {
      cardBarcode: patronCard(1),
      firstName: 'Juan',
      lastName: 'Preciado',
      categoryCode: 'ADULT',
    });
    await s.call('patrons.register', {
      cardBarcode: patronCard(2),
      firstName: 'Abundio',
      lastName: 'Martínez',
      categoryCode: 'ADULT',
    });
    const loan = await s.call('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    expect(loan).toMatchObject({ ok: true, status: 200, value: { title: 'Pedro Páramo', renewed: false } });
    expect(loan.stationMs).toBeGreaterThan(0);
    // The same answer as over HTTP, to the byte.
    const overHttp = await fetch(`http://127.0.0.1:${port}/api/call/circulation.checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) }),
    });
    const refused = await s.call('circulation.checkout', { patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) });
    expect(refused).toMatchObject({ ok: false, status: overHttp.status, error: await overHttp.json() });
    expect(refused).toMatchObject({
      status: 409,
      error: { code: 'REFUSED', refusals: [{ code: 'ITEM_ON_LOAN_TO_OTHER' }] },
    });
    expect(await s.call('circulation.checkin', { itemBarcode: itemBarcode(1), backdate: null })).toMatchObject({
      ok: true,
      value: { wasOnLoan: true },
    });
    s.close();
  });

  it('refuses the handshake of a foreign page, of a rebound name, and of a page a browser marks cross-site', async () => {
    const own = `http://127.0.0.1:${port}`;
    expect(await connect({ origin: 'http://evil.example' })).toMatchObject({
      refused: 403,
      body: expect.stringContaining('FORBIDDEN'),
    });
    expect(await connect({ origin: 'null' })).toMatchObject({ refused: 403 });
    expect(await connect({ origin: `http://127.0.0.1:${port + 1}` })).toMatchObject({ refused: 403 });
    expect(await connect({ origin: own, 'sec-fetch-site': 'cross-site' })).toMatchObject({ refused: 403 });
    // DNS rebinding: evil.example pointed at 127.0.0.1, its page opening "its own" socket.
    expect(await connect({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toMatchObject({
      refused: 421,
      body: expect.stringContaining('WRONG_HOST'),
    });
    expect(await connect({ host: `evil.example:${port}` })).toMatchObject({ refused: 421 });
    // Its own page, and a program with no page at all (no Origin), are let in.
    const ours: Record<string, string>[] = [{ origin: own, 'sec-fetch-site': 'same-origin' }, {}];
    for (const headers of ours) {
      const s = await connect(headers);
      expect(s).toBeInstanceOf(Socket);
      (s as Socket).close();
    }
  });

  it('judges every call by its own token: none, forged, or of a session that ended', async () => {
    const s = await open();
    expect(await s.call('patrons.search', { query: 'Juan' }, null)).toMatchObject({
      ok: false,
      status: 401,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await s.call('patrons.search', { query: 'Juan' }, 'forged-token-0000')).toMatchObject({
      ok: false,
      status: 401,
      error: { code: 'UNAUTHENTICATED' },
    });
    const other = (await s.call('auth.signIn', { username: 'admin', password: 'a good password' }, null)) as {
      value: { token: string };
    };
    expect(await s.call('patrons.search', { query: 'Juan' }, other.value.token)).toMatchObject({ ok: true });
    await s.call('auth.signOut', {}, other.value.token);
    expect(await s.call('patrons.search', { query: 'Juan' }, other.value.token)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    // A wrong password over the socket counts towards the sign-in lockout as over HTTP.
    expect(await s.call('auth.signIn', { username: 'admin', password: 'wrong' }, null)).toMatchObject({
      ok: false,
      status: 401,
    });
    s.close();
  });

  it('takes set-up only from this machine: a handshake a proxy relayed is not', async () => {
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
    ];
    for (const headers of relayed) {
      const s = await open(headers);
      expect(await s.call('setup.initialize', SETUP, null)).toMatchObject({
        ok: false,
        status: 403,
        error: { code: 'FORBIDDEN', message: expect.stringContaining('own machine') },
      });
      s.close();
    }
  });

  it("counts wrong sign-ins by the handshake's socket address: a machine that guessed is refused, another is not", async () => {
    const from = (localAddress: string, headers: Record<string, string> = {}) =>
      new Promise<Socket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { localAddress, headers });
        ws.once('open', () => resolve(new Socket(ws)));
        ws.once('error', reject);
      });
    // A header naming another client (here, the desk's) is not believed: the socket's address is what counts.
    const guesser = await from('127.0.0.2', { 'x-forwarded-for': '127.0.0.3' });
    for (let i = 0; i < 20; i++)
      expect(await guesser.call('auth.signIn', { username: `spray${i}`, password: 'password1' }, null)).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    const right = { username: 'admin', password: 'a good password' };
    expect(await guesser.call('auth.signIn', right, null)).toMatchObject({
      ok: false,
      status: 429,
      error: { code: 'RATE_LIMITED', retryAt: expect.any(Number) },
    });
    const desk = await from('127.0.0.3');
    expect(await desk.call('auth.signIn', right, null)).toMatchObject({ ok: true, status: 200 });
    guesser.close();
    desk.close();
  });

  it('answers garbage with a clear error, keeps the socket, and changes nothing', async () => {
    const s = await open();
    const waiting = core.services.ctx.journal.waitingCount();
    expect(await s.garbage('{"id": 1, "name": ')).toMatchObject({
      id: null,
      ok: false,
      status: 400,
      error: { code: 'INVALID' },
    });
    expect(await s.garbage('[1, 2, 3]')).toMatchObject({ id: null, error: { code: 'INVALID' } });
    expect(await s.garbage('null')).toMatchObject({ id: null, error: { code: 'INVALID' } });
    expect(await s.garbage('{"name": "circulation.checkin", "input": {}}')).toMatchObject({
      id: null,
      error: { code: 'INVALID', message: expect.stringContaining('id') },
    });
    expect(await s.garbage('{"id": -1, "name": "x"}')).toMatchObject({ id: null, error: { code: 'INVALID' } });
    expect(await s.garbage(Buffer.from([0xde, 0xad, 0xbe, 0xef]), true)).toMatchObject({
      id: null,
      error: { code: 'INVALID', message: expect.stringContaining('binary') },
    });
    expect(await s.garbage('\u0000\uffff not json')).toMatchObject({ id: null, error: { code: 'INVALID' } });
    // Well-formed calls that are wrong: the same answers as HTTP's.
    expect(await s.call('circulation.explode', {})).toMatchObject({
      ok: false,
      status: 404,
      error: { code: 'NOT_FOUND' },
    });
    expect(await s.call('__proto__', {})).toMatchObject({ ok: false, status: 404, error: { code: 'NOT_FOUND' } });
    expect(await s.call('circulation.checkin', { itemBarcode: 42 })).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'INVALID', issues: [{ path: 'itemBarcode' }] },
    });
    expect(await s.call('circulation.checkin', 'not an object')).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'INVALID' },
    });
    const badToken = await new Promise<WsAnswer>((resolve) => {
      s.ws.once('message', (d) => resolve(JSON.parse(d.toString()) as WsAnswer));
      s.ws.send(JSON.stringify({ id: 99, name: 'patrons.search', input: { query: 'x' }, token: { forged: true } }));
    });
    expect(badToken).toMatchObject({ id: 99, ok: false, error: { code: 'INVALID' } });
    expect(core.services.ctx.journal.waitingCount()).toBe(waiting);
    // Still open, still answering.
    expect(await s.call('system.health', {})).toMatchObject({ ok: true, value: { ok: true } });
    s.close();
  });

  it('closes a socket that sends a frame larger than an HTTP body may be, and goes on serving the others', async () => {
    const s = await open();
    const bystander = await open();
    s.ws.send(JSON.stringify({ id: 1, name: 'patrons.search', input: { query: 'x'.repeat(BODY_LIMIT) }, token }));
    expect((await s.closed).code).toBe(1009);
    expect(await bystander.call('system.health', {})).toMatchObject({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    bystander.close();
  });

  it(`refuses calls beyond ${MAX_CALLS_IN_FLIGHT} at once on one socket, and answers every one`, async () => {
    const s = await open();
    const answers = await Promise.all(
      Array.from({ length: MAX_CALLS_IN_FLIGHT * 3 }, () => s.call('patrons.search', { query: 'Juan' })),
    );
    const limited = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ status: 429 });
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(MAX_CALLS_IN_FLIGHT);
    // Once answered, the socket takes calls again.
    expect(await s.call('patrons.search', { query: 'Juan' })).toMatchObject({ ok: true });
    s.close();
  });

  it('is not there when the station is started without it (the desk then goes over HTTP), and closes with the station', async () => {
    const plain = await createHttpStation({ core, rendererDir: null, webSocket: false });
    await plain.listen({ host: '127.0.0.1', port: 0 });
    const plainPort = (plain.server.address() as { port: number }).port;
    const refused = await connect({}, `ws://127.0.0.1:${plainPort}/api/ws`);
    expect(refused).toMatchObject({ refused: 404 });
    await plain.close();

    const own = await createHttpStation({ core, rendererDir: null });
    await own.listen({ host: '127.0.0.1', port: 0 });
    const s = (await connect({}, `ws://127.0.0.1:${(own.server.address() as { port: number }).port}/api/ws`)) as Socket;
    const started = Date.now();
    await own.close();
    await s.closed;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('a WebSocket client that misbehaves over time', () => {
  it('gets INVALID for a call carrying __proto__, as an HTTP body would', async () => {
    const s = await open();
    const answer = await s.garbage(
      '{"id": 7, "name": "system.health", "input": {"__proto__": {"admin": true}}, "token": null}',
    );
    expect(answer).toMatchObject({ id: null, ok: false, status: 400, error: { code: 'INVALID' } });
    s.close();
  });

  /** A station whose socket side is set tight: two sockets, a ping every 100 ms. */
  async function tightStation() {
    const tight = (await import('fastify')).default({ logger: false });
    const { registerWsCalls } = await import('../../src/transports/ws/calls');
    await registerWsCalls(tight, { core, maxPayload: BODY_LIMIT, maxSockets: 2, pingIntervalMs: 100 });
    await tight.listen({ host: '127.0.0.1', port: 0 });
    return { tight, url: `ws://127.0.0.1:${(tight.server.address() as { port: number }).port}/api/ws` };
  }

  it('closes sockets past its limit with 1013, and takes a new one once one has gone', async () => {
    const { tight, url } = await tightStation();
    try {
      const first = (await connect({}, url)) as Socket;
      const second = (await connect({}, url)) as Socket;
      const third = (await connect({}, url)) as Socket;
      expect(await third.closed).toEqual({ code: 1013, reason: 'Too many connections: try again later.' });
      first.close();
      await first.closed;
      const fourth = (await connect({}, url)) as Socket;
      expect(await fourth.call('system.health', {}, null)).toMatchObject({ ok: true });
      second.close();
      fourth.close();
    } finally {
      await tight.close();
    }
  });

  it('drops a socket that stops answering pings (a desk PC that slept), and keeps one that answers', async () => {
    const { tight, url } = await tightStation();
    try {
      // ws answers pings by itself; a peer that went away does not: this one is told not to.
      const deafWs = new WebSocket(url, { autoPong: false });
      await new Promise((r) => deafWs.once('open', r));
      const deaf = new Socket(deafWs);
      const awake = (await connect({}, url)) as Socket;
      const gone = await Promise.race([deaf.closed, new Promise((r) => setTimeout(() => r('still open'), 3_000))]);
      expect(gone).toMatchObject({ code: 1006 });
      expect(await awake.call('system.health', {}, null)).toMatchObject({ ok: true });
      awake.close();
    } finally {
      await tight.close();
    }
  });
});

describe('a WebSocket client that sends calls and never reads the answers', () => {
  const search = { query: 'Unread', limit: 100 };
  let answerBytes: number;
  let hundred: unknown[];

  beforeAll(async () => {
    // A hundred records of about a kilobyte each: one search for them answers some 100 kB.
    for (let i = 0; i < 100; i++) {
      const added = await core.invoke(
        'catalogue.addRecord',
        {
          title: `Unread ${String(i).padStart(3, '0')} ${'t'.repeat(480)}`,
          author: 'a'.repeat(300),
          callNumber: 'c'.repeat(100),
        },
        { sessionToken: token, local: true },
      );
      expect(added.ok).toBe(true);
    }
    const reader = await open();
    const one = (await reader.call('catalogue.search', search)) as { ok: true; value: unknown[] };
    reader.close();
    hundred = one.value;
    expect(hundred).toHaveLength(100);
    answerBytes = JSON.stringify(one).length;
    expect(answerBytes).toBeGreaterThan(90_000);
  });

  /**
   * A client that stops reading and goes on calling, against `station` (its sockets at `url`),
   * whose limit on unread answers is `maxUnread`: dropped once past it, the station's buffer
   * bounded all along, and another socket, open all along, answered throughout and after.
   */
  async function floodUnread(station: FastifyInstance, url: string, maxUnread: number) {
    const reader = (await connect({}, url)) as Socket;
    // The station's own end of each socket, to watch what it holds for the client.
    const before = new Set(station.websocketServer.clients);
    const deaf = (await connect({}, url)) as Socket;
    const [stationEnd] = [...station.websocketServer.clients].filter((c) => !before.has(c));
    expect(stationEnd).toBeDefined();
    let dropped = false;
    stationEnd!.once('close', () => (dropped = true));
    // The client reads nothing from here on: the kernel's buffers fill, then the station's.
    const raw = (deaf.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();

    // What the station holds for the client, read after each answer it sends (a read, not a stand-in).
    let peak = 0;
    let answered = 0;
    const send = stationEnd!.send.bind(stationEnd);
    stationEnd!.send = ((...args: Parameters<typeof send>) => {
      send(...args);
      answered++;
      peak = Math.max(peak, stationEnd!.bufferedAmount);
    }) as typeof send;
    let sent = 0;
    const rssBefore = process.memoryUsage().rss;
    // Calls kept within the station's limit in flight (so each is answered in full, however busy
    // the machine), until at most 60 MB of answers: far past the limit and the loopback's buffers
    // (a few MB), and a bound on what this test costs if the station kept them all.
    const until = Date.now() + 20_000;
    const meanwhile: Promise<WsAnswer>[] = [];
    let rounds = 0;
    while (!dropped && answered < 600 && Date.now() < until) {
      while (sent - answered < MAX_CALLS_IN_FLIGHT - 8 && deaf.ws.readyState === WebSocket.OPEN) {
        deaf.ws.send(JSON.stringify({ id: 100_000 + sent, name: 'catalogue.search', input: search, token }));
        sent++;
      }
      if (rounds++ % 4 === 0) meanwhile.push(reader.call('system.health', {}));
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(dropped).toBe(true);
    // Past the limit, and never more than the limit and the one answer that crossed it.
    expect(peak).toBeGreaterThan(maxUnread);
    expect(peak).toBeLessThanOrEqual(maxUnread + answerBytes + 1024);
    // Nor did the process grow by what it would have kept without the limit (some 60 MB by now).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(maxUnread + 16 * 2 ** 20);

    // The client, reading again, finds its socket gone: closed without a close frame.
    raw.resume();
    expect((await deaf.closed).code).toBe(1006);
    // The reader, open all along, was answered meanwhile and still is; so is a new socket.
    expect(meanwhile.length).toBeGreaterThan(0);
    for (const a of await Promise.all(meanwhile)) expect(a).toMatchObject({ ok: true });
    expect(await reader.call('catalogue.search', search)).toMatchObject({ ok: true, value: hundred });
    const next = (await connect({}, url)) as Socket;
    expect(await next.call('catalogue.search', search)).toMatchObject({ ok: true, value: hundred });
    reader.close();
    next.close();
  }

  it('is dropped past 4 × the body limit (1 MB here), with the station’s buffer bounded, and the others are served', async () => {
    // The station's limit on answers left unread (calls.ts): 4 × the body limit, at least 1 MB.
    await floodUnread(app, `ws://127.0.0.1:${port}/api/ws`, Math.max(4 * BODY_LIMIT, 1 << 20));
  }, 60_000);

  it('is dropped past 4 MB on a station with the default body limit (1 MB)', async () => {
    const plain = await createHttpStation({ core, rendererDir: null });
    await plain.listen({ host: '127.0.0.1', port: 0 });
    try {
      const at = `ws://127.0.0.1:${(plain.server.address() as { port: number }).port}/api/ws`;
      await floodUnread(plain, at, 4 * 1_048_576);
    } finally {
      await plain.close();
    }
  }, 60_000);
});
