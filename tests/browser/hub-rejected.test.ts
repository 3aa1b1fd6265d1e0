// An entry the hub rejects reaches the desk (issue #15 item 6): a real hub (PGlite, over HTTP)
// and a real station joined to it; a member of staff whose account an administrator has since
// deactivated at the hub lends a copy at a desk that has not heard so yet. The hub rejects the
// check-out, and the desk counts it in the status bar and lists it, linked to the patron and the
// copy, for staff to work through and resolve.
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, screenshot, startServe, type RunningStation } from './support';

let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let station: RunningStation;
let browser: Browser;
let page: Page;
let adminToken: string;

/** Polls outside a test (beforeAll), up to 30 s. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

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
  const hubUrl = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  station = await startServe();
  await api(station.url, 'setup.join', {
    hubUrl,
    code: await hub.createEnrolmentCode('E'),
    stationName: 'Front desk',
  });
  await until(async () => {
    const s = await api(station.url, 'setup.status', {});
    return s.configured === true && s.loadingLibrary === false;
  });
  adminToken = (
    (await api(station.url, 'auth.signIn', { username: 'rosa', password: 'rosa password' })) as {
      token: string;
    }
  ).token;
  const call = (name: string, input: unknown) => api(station.url, name, input, adminToken);
  await call('staff.save', { username: 'sam', displayName: 'Sam', role: 'technician', password: 'sam password' });
  const record = (await call('catalogue.addRecord', { title: 'Rayuela', author: 'Cortázar' })) as { id: string };
  await call('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
  await call('patrons.register', {
    cardBarcode: patronCard(1),
    firstName: 'Lisa',
    lastName: 'Simpson',
    categoryCode: 'ADULT',
  });
  // All of it at the hub, applied.
  await until(async () => {
    const s = await call('sync.now', {});
    return s.reachable === true && s.waiting === 0;
  });
  expect((await api(station.url, 'status.get', {}, adminToken)).exceptionsOpen).toBe(0);
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(10_000);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await server?.close();
  await db?.close();
});

describe('an entry the hub rejects', () => {
  it('is counted in the status bar and listed with its patron and copy, linked, until resolved', async () => {
    await page.goto(station.url);
    await page.getByLabel('Username').fill('rosa');
    await page.getByLabel('Password').fill('rosa password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const count = page.getByTestId('status-exceptions');
    await expect.poll(() => count.textContent()).toBe('Sync exceptions: 0');

    // An administrator deactivates Sam at the hub. The desk has not pulled that yet (written
    // straight into the hub's row, outside the change feed, so that no pull can race the check-out).
    await db.query(
      `UPDATE rows SET data = jsonb_set(data, '{active}', 'false'::jsonb) WHERE table_name = 'staff' AND data->>'username' = 'sam'`,
    );
    const { token } = (await api(station.url, 'auth.signIn', { username: 'sam', password: 'sam password' })) as {
      token: string;
    };
    await api(
      station.url,
      'circulation.checkout',
      { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) },
      token,
    );

    // The hub said no: the status bar counts it within its refresh.
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toBe('Sync exceptions: 1');
    await count.click();
    const row = page.getByTestId('exception-row');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Not applied by the hub: The hub did not apply this desk');
    expect(text).toContain('staff account sam is not active at the hub');
    await screenshot(page, '60-hub-rejected-entry');

    // Linked to the patron and to the copy.
    await row.getByRole('button', { name: `Lisa Simpson (${patronCard(1)})` }).click();
    await expect
      .poll(() =>
        page
          .getByRole('heading', { name: /Lisa Simpson/ })
          .first()
          .isVisible(),
      )
      .toBe(true);
    await count.click();
    await page
      .getByTestId('exception-row')
      .getByRole('button', { name: `Rayuela (${itemBarcode(1)})` })
      .click();
    await expect.poll(() => page.getByText(itemBarcode(1)).first().isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .getByRole('heading', { name: /Rayuela/ })
          .first()
          .isVisible(),
      )
      .toBe(true);

    // Worked through: resolved, the count goes back down.
    await count.click();
    await page.getByTestId('exception-row').getByRole('button', { name: 'Mark resolved' }).click();
    await expect.poll(() => page.getByTestId('exception-row').count()).toBe(0);
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('Sync exceptions: 0');
  });
});
