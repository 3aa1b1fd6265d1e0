// The headless station over real TCP: what a browser kiosk and our browser tests talk to.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStationCore, type StationCore } from '../../src/station/core';
import { createHttpStation } from '../../src/transports/http/server';
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
    libraryName: 'Library', branchCode: 'MAIN', branchName: 'Main', timeZone: 'America/Chicago', currency: 'USD', locale: 'en-US',
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
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/call/circulation.checkout', '/api/call/circulation.checkin']));
  });

  it('answers bad requests with a clear error and changes nothing', async () => {
    const waiting = core.services.ctx.journal.waitingCount();
    expect(await post('circulation.checkin', '{"itemBarcode": ', token)).toMatchObject({ status: 400, body: { code: 'INVALID' } });
    expect(await post('circulation.checkin', { itemBarcode: 42 }, token)).toMatchObject({
      status: 400,
      body: { code: 'INVALID', issues: [{ path: 'itemBarcode' }] },
    });
    expect(await post('circulation.explode', {}, token)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await post('patrons.search', { query: 'x' })).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(core.services.ctx.journal.waitingCount()).toBe(waiting);
  });

  it('lends and returns over HTTP, with refusals as 409', async () => {
    const record = (await post('catalogue.addRecord', { title: 'Pedro Páramo', author: 'Rulfo, Juan' }, token)).body;
    await post('catalogue.addItem', { barcode: itemBarcode(7), recordId: record.id, itemTypeCode: 'BOOK' }, token);
    await post('patrons.register', { cardBarcode: patronCard(7), firstName: 'Juan', lastName: 'Preciado', categoryCode: 'ADULT' }, token);
    const loan = await post('circulation.checkout', { patronBarcode: patronCard(7), itemBarcode: itemBarcode(7) }, token);
    expect(loan).toMatchObject({ status: 200, body: { title: 'Pedro Páramo', renewed: false } });
    await post('patrons.register', { cardBarcode: patronCard(8), firstName: 'Abundio', lastName: 'Martínez', categoryCode: 'ADULT' }, token);
    expect(await post('circulation.checkout', { patronBarcode: patronCard(8), itemBarcode: itemBarcode(7) }, token)).toMatchObject({
      status: 409,
      body: { code: 'REFUSED', refusals: [{ code: 'ITEM_ON_LOAN_TO_OTHER', overridable: false }] },
    });
    expect(await post('circulation.checkin', { itemBarcode: itemBarcode(7) }, token)).toMatchObject({ status: 200, body: { action: 'shelve', wasOnLoan: true } });
  });

  it('streams station events to the browser', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    setTimeout(() => core.emit({ type: 'scan', barcode: itemBarcode(7), kind: 'item', deviceId: 'serial:/dev/ttyS0' }), 50);
    let text = '';
    while (!text.includes('data: ')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const event = JSON.parse(text.slice(text.indexOf('data: ') + 6).split('\n')[0]!);
    expect(event).toEqual({ type: 'scan', barcode: itemBarcode(7), kind: 'item', deviceId: 'serial:/dev/ttyS0' });
  });
});
