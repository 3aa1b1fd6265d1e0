// The desk in Chromium over its WebSocket (renderer/api/socket.ts, src/transports/ws/calls.ts),
// against a real headless station: a scan's check-out goes over the open socket, a refusal is
// shown as a refusal (never as a loan), and where the socket cannot open (a proxy that drops
// upgrades, here Playwright closing every handshake) the same desk lends over fetch.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, setUpSpringfield, startServe, wedgeScan, type RunningStation } from './support';

let station: RunningStation;
let browser: Browser;

beforeAll(async () => {
  station = await startServe();
  browser = await launchBrowser();
  const token = await setUpSpringfield(station.url);
  const record = await api(station.url, 'catalogue.addRecord', { title: 'The Socket Book' }, token);
  for (const n of [1, 2, 3])
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(n), recordId: record.id, itemTypeCode: 'BOOK' },
      token,
    );
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(1), firstName: 'Lisa', lastName: 'Simpson', categoryCode: 'ADULT' },
    token,
  );
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(2), firstName: 'Bart', lastName: 'Simpson', categoryCode: 'ADULT' },
    token,
  );
  // Item 3 is on Bart's card already: lending it to Lisa is refused.
  await api(station.url, 'circulation.checkout', { patronBarcode: patronCard(2), itemBarcode: itemBarcode(3) }, token);
});
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

async function signInAndFindLisa(page: Page) {
  await page.goto(station.url);
  await page.getByLabel('Username', { exact: true }).fill('marge');
  await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Patron barcode').waitFor();
  await wedgeScan(page, patronCard(1));
  await page.getByRole('heading', { name: 'Lisa Simpson' }).waitFor();
}

/** How the page's last check-out went: over the socket (its User Timing measure) or over fetch (its Resource Timing). */
const checkoutTransport = (page: Page) =>
  page.evaluate(() => ({
    socket: performance.getEntriesByName('circa.call circulation.checkout', 'measure').length,
    fetch: performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/call/circulation.checkout'))
      .length,
  }));

describe('the desk over its WebSocket', () => {
  it('lends over the open socket, and shows a refusal as a refusal', async () => {
    const page = await browser.newPage();
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    await signInAndFindLisa(page);
    await wedgeScan(page, itemBarcode(1));
    await expect
      .poll(() =>
        page
          .getByTestId('loan-row')
          .filter({ hasText: itemBarcode(1) })
          .count(),
      )
      .toBe(1);
    expect(await checkoutTransport(page)).toEqual({ socket: 1, fetch: 0 });
    const call = sent
      .map((f) => JSON.parse(f) as { name: string; token: string | null; input: unknown })
      .find((c) => c.name === 'circulation.checkout');
    expect(call).toMatchObject({
      input: { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) },
      token: expect.any(String),
    });

    await wedgeScan(page, itemBarcode(3));
    await page.getByRole('alert').filter({ hasText: 'on loan to another patron' }).waitFor();
    expect(
      await page
        .getByTestId('loan-row')
        .filter({ hasText: itemBarcode(3) })
        .count(),
    ).toBe(0);
    expect(await page.getByTestId('session-count').textContent()).toContain('1');
    await page.close();
  });

  it('lends over fetch where the socket cannot open', async () => {
    const context = await browser.newContext();
    // Every handshake closed at once, as by a proxy that does not pass WebSocket upgrades.
    await context.routeWebSocket(/\/api\/ws$/, (ws) => void ws.close());
    const page = await context.newPage();
    await signInAndFindLisa(page);
    await wedgeScan(page, itemBarcode(2));
    await expect
      .poll(() =>
        page
          .getByTestId('loan-row')
          .filter({ hasText: itemBarcode(2) })
          .count(),
      )
      .toBe(1);
    expect(await checkoutTransport(page)).toEqual({ socket: 0, fetch: 1 });
    await context.close();
  });
});
