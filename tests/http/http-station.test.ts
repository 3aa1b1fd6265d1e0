// The headless station over real TCP: what a browser kiosk and our browser tests talk to.
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStationCore, type StationCore } from '../../src/station/core';
import { createHttpStation, isLoopback } from '../../src/transports/http/server';
import { itemBarcode, patronCard } from '../support/station';

let core: StationCore;
let app: FastifyInstance;
let base: string;
let token: string;

async function post(name: string, body: unknown, auth?: string) {
  const res = await fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-http-')) });
  app = await createHttpStation({ core, rendererDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await post('setup.initialize', {
    libraryName: 'Library',
    branchCode: 'MAIN',
    branchName: 'Main',
    timeZone: 'America/Chicago',
    currency: 'USD',
    locale: 'en-US',
    admin: { username: 'admin', displayName: 'Admin', password: 'a good password' },
  });
  token = (await post('auth.signIn', { username: 'admin', password: 'a good password' })).body.token as string;
});
afterAll(async () => {
  await app.close();
  await core.close();
});

describe('the HTTP station', () => {
  it('reports its health', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, configured: true });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('publishes an OpenAPI document of every method', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/call/circulation.checkout', '/api/call/circulation.checkin']),
    );
  });

  it('answers bad requests with a clear error and changes nothing', async () => {
    const waiting = core.services.ctx.journal.waitingCount();
    expect(await post('circulation.checkin', '{"itemBarcode": ', token)).toMatchObject({
      status: 400,
      body: { code: 'INVALID' },
    });
    expect(await post('circulation.checkin', { itemBarcode: 42 }, token)).toMatchObject({
      status: 400,
      body: { code: 'INVALID', issues: [{ path: 'itemBarcode' }] },
    });
    expect(await post('circulation.explode', {}, token)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await post('patrons.search', { query: 'x' })).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
    expect(core.services.ctx.journal.waitingCount()).toBe(waiting);
  });

  it('lends and returns over HTTP, with refusals as 409', async () => {
    const record = (await post('catalogue.addRecord', { title: 'Pedro Páramo', author: 'Rulfo, Juan' }, token)).body;
    await post('catalogue.addItem', { barcode: itemBarcode(7), recordId: record.id, itemTypeCode: 'BOOK' }, token);
    await post(
      'patrons.register',
      { cardBarcode: patronCard(7), firstName: 'Juan', lastName: 'Preciado', categoryCode: 'ADULT' },
      token,
    );
    const loan = await post(
      'circulation.checkout',
      { patronBarcode: patronCard(7), itemBarcode: itemBarcode(7) },
      token,
    );
    expect(loan).toMatchObject({ status: 200, body: { title: 'Pedro Páramo', renewed: false } });
    await post(
      'patrons.register',
      { cardBarcode: patronCard(8), firstName: 'Abundio', lastName: 'Martínez', categoryCode: 'ADULT' },
      token,
    );
    expect(
      await post('circulation.checkout', { patronBarcode: patronCard(8), itemBarcode: itemBarcode(7) }, token),
    ).toMatchObject({
      status: 409,
      body: { code: 'REFUSED', refusals: [{ code: 'ITEM_ON_LOAN_TO_OTHER', overridable: false }] },
    });
    expect(await post('circulation.checkin', { itemBarcode: itemBarcode(7) }, token)).toMatchObject({
      status: 200,
      body: { action: 'shelve', wasOnLoan: true },
    });
  });

  it('refuses the event stream without a session: scans carry patron barcodes', async () => {
    for (const url of [`${base}/api/events`, `${base}/api/events?token=`, `${base}/api/events?token=not-a-session`]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const res = await fetch(`${base}/api/events`, { headers: { authorization: 'Bearer not-a-session' } });
    expect(res.status).toBe(401);
  });

  it('streams station events to a signed-in browser (the token as ?token=, as EventSource must) and to a bearer', async () => {
    const scan = { type: 'scan', barcode: patronCard(7), kind: 'patron', deviceId: 'serial:/dev/ttyS0' } as const;
    for (const [url, headers] of [
      [`${base}/api/events?token=${encodeURIComponent(token)}`, {}],
      [`${base}/api/events`, { authorization: `Bearer ${token}` }],
    ] as const) {
      const stream = await openEvents(url, headers);
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      setTimeout(() => core.emit(scan), 50);
      expect(await stream.next()).toEqual(scan);
      stream.close();
    }
  });

  it('gives a patron signed in at the kiosk the scans only, and ends a stream when its session ends', async () => {
    await post(
      'patrons.register',
      { cardBarcode: patronCard(9), firstName: 'Susana', lastName: 'San Juan', categoryCode: 'ADULT', pin: '1234' },
      token,
    );
    const kiosk = await post('auth.kioskSignIn', { cardBarcode: patronCard(9), pin: '1234' });
    expect(kiosk.status).toBe(200);
    const stream = await openEvents(`${base}/api/events?token=${encodeURIComponent(kiosk.body.token as string)}`);
    expect(stream.status).toBe(200);
    setTimeout(() => {
      core.emit({ type: 'sync', state: { reachable: true } });
      core.emit({ type: 'scan', barcode: itemBarcode(7), kind: 'item', deviceId: 'serial:/dev/ttyS0' });
    }, 50);
    expect(await stream.next()).toEqual({
      type: 'scan',
      barcode: itemBarcode(7),
      kind: 'item',
      deviceId: 'serial:/dev/ttyS0',
    });
    // Signed out: the next event is not sent, and the stream ends.
    await post('auth.signOut', {}, kiosk.body.token as string);
    core.emit({ type: 'scan', barcode: patronCard(8), kind: 'patron', deviceId: 'serial:/dev/ttyS0' });
    expect(await stream.rest()).not.toContain('data: ');
    expect((await fetch(`${base}/api/events?token=${encodeURIComponent(kiosk.body.token as string)}`)).status).toBe(
      401,
    );
  });
});

describe("the kiosk's card scans before anyone signs in", () => {
  it('streams library card scans to a browser on the station itself, and any other scan without its barcode', async () => {
    const stream = await openEvents(`${base}/api/kiosk/card-scans`);
    expect(stream.status).toBe(200);
    setTimeout(() => {
      core.emit({ type: 'sync', state: { reachable: true } });
      core.emit({ type: 'device', deviceId: 'scanner', state: { status: 'connected' } });
      core.emit({ type: 'scan', barcode: itemBarcode(5), kind: 'item', deviceId: 'scanner' });
      core.emit({ type: 'scan', barcode: '21234000000001', kind: 'unknown', deviceId: 'scanner' });
      core.emit({ type: 'scan', barcode: patronCard(5), kind: 'patron', deviceId: 'scanner' });
    }, 50);
    // A book or a misread card: the kiosk hears that a scan it cannot use happened, not what it was.
    expect(await stream.next()).toEqual({ type: 'scan', barcode: '', kind: 'item', deviceId: 'scanner' });
    expect(await stream.next()).toEqual({ type: 'scan', barcode: '', kind: 'unknown', deviceId: 'scanner' });
    expect(await stream.next()).toEqual({ type: 'scan', barcode: patronCard(5), kind: 'patron', deviceId: 'scanner' });
    stream.close();
  });

  it('refuses a request relayed by a proxy, and one from another machine', async () => {
    const relayed: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }];
    for (const headers of relayed) {
      const res = await fetch(`${base}/api/kiosk/card-scans`, { headers });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect([
      isLoopback('127.0.0.1'),
      isLoopback('::1'),
      isLoopback('::ffff:127.0.0.1'),
      isLoopback('127.1.2.3'),
    ]).toEqual([true, true, true, true]);
    expect([
      isLoopback('192.0.2.2'),
      isLoopback('::ffff:10.0.0.5'),
      isLoopback('fe80::1'),
      isLoopback(undefined),
    ]).toEqual([false, false, false, false]);
    // Over a real network interface of this machine, when it has one: not the loopback.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (lan) {
      const open = await createHttpStation({ core, rendererDir: null });
      await open.listen({ host: lan.address, port: 0 });
      try {
        const port = (open.server.address() as { port: number }).port;
        expect((await fetch(`http://${lan.address}:${port}/api/kiosk/card-scans`)).status).toBe(403);
      } finally {
        await open.close();
      }
    }
  });
});

/** An open /api/events stream: its status, then its events one at a time. */
async function openEvents(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    async next(): Promise<unknown> {
      while (!text.includes('data: ') || !text.slice(text.indexOf('data: ')).includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended: ${text}`);
        text += decoder.decode(value);
      }
      const start = text.indexOf('data: ');
      const end = text.indexOf('\n\n', start);
      const event = JSON.parse(text.slice(start + 6, end)) as unknown;
      text = text.slice(end + 2);
      return event;
    },
    /** Everything until the station ends the stream. */
    async rest(): Promise<string> {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value);
      }
    },
    close: () => controller.abort(),
  };
}
