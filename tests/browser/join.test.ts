// A new desk joins the library's hub from its first-run screen: a mistyped code is refused in
// words and changes nothing; the right code loads the library and the hub's admin signs in.
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { api, freePort, launchBrowser, screenshot, startServe, type RunningStation } from './support';

let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let hubUrl: string;
let station: RunningStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  db = await openHubDb({});
  await migrateHub(db);
  hub = new Hub(db);
  await hub.addBranch({ code: 'E', name: 'East', timeZone: 'Europe/Madrid' });
  await hub.init({
    libraryName: 'Biblioteca Municipal',
    admin: { branchCode: 'E', username: 'rosa', displayName: 'Rosa', password: 'rosa password' },
  });
  server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  hubUrl = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  station = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await server?.close();
  await db?.close();
});

describe('joining a hub from the desk', () => {
  it('says plainly when no hub answers at the address, and stays unconfigured', async () => {
    const closedPort = await freePort();
    const res = await fetch(`${station.url}/api/call/setup.join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hubUrl: `http://127.0.0.1:${closedPort}`, code: 'abcdefgh', stationName: 'Front desk' }),
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect(await api(station.url, 'setup.status', {})).toMatchObject({ configured: false, loadingLibrary: false });
  });

  it('refuses a mistyped code in words, then joins with the right one and loads the library', async () => {
    await page.goto(station.url);
    await page.getByLabel("Join a library's hub").check();
    await page.getByLabel('Hub address').fill(hubUrl);
    await page.getByLabel('Enrolment code').fill('not-the-code');
    await page.getByLabel('Name of this station').fill('Front desk');
    await page.getByRole('button', { name: 'Join the hub' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The hub refused the enrolment code');
    expect(await api(station.url, 'setup.status', {})).toMatchObject({ configured: false });
    await screenshot(page, '20-join-hub');

    await page.getByLabel('Enrolment code').fill(await hub.createEnrolmentCode('E'));
    await page.getByRole('button', { name: 'Join the hub' }).click();
    // The library arrives from the hub; then the desk asks staff to sign in, with the hub's admin.
    await expect
      .poll(() => page.getByRole('heading', { name: 'Staff sign-in' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await page.locator('.brand').textContent()).toContain('Biblioteca Municipal');
    await page.getByLabel('Username').fill('rosa');
    await page.getByLabel('Password').fill('rosa password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('Patron barcode').isVisible()).toBe(true);
    // The status bar: the hub answers, and staff can sync at once.
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(() => page.getByRole('contentinfo', { name: 'Station status' }).textContent())
      .toContain('Hub: reachable');
    await expect.poll(() => page.getByRole('button', { name: 'Sync now' }).isEnabled()).toBe(true);
    await screenshot(page, '21-joined-desk');
    const stations = await hub.listStations();
    expect(stations.map((s) => s.name)).toEqual(['Front desk']);
  });

  it('syncs at once when staff ask, and says how it went', async () => {
    const { token } = (await api(station.url, 'auth.signIn', { username: 'rosa', password: 'rosa password' })) as {
      token: string;
    };
    const before = Date.now();
    const state = await api(station.url, 'sync.now', {}, token);
    expect(state).toMatchObject({ state: 'configured', reachable: true, lastError: null, waiting: 0 });
    expect(state.lastSuccessAt as number).toBeGreaterThanOrEqual(before);
  });
});
