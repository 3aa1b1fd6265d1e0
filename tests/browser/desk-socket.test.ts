// The desk in Chromium over its WebSocket (renderer/api/socket.ts, src/transports/ws/calls.ts),
// against a real headless station: a scan's check-out goes over the open socket, a refusal is
// shown as a refusal (never as a loan), and where the socket cannot open (a proxy that drops
// upgrades, here Playwright closing every handshake) the same desk lends over fetch. A bulk action
// (renew twenty ticked loans at once) keeps at most 16 calls waiting on the socket and sends the
// rest over fetch, every one answered.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_CALLS_AT_ONCE } from '../../renderer/api/socket';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, setUpSpringfield, startServe, wedgeScan, type RunningStation } from './support';

let station: RunningStation;
let browser: Browser;
/** Maggie's loans, items 101 to 120. */
const MAGGIE_LOANS = Array.from({ length: SOCKET_CALLS_AT_ONCE + 4 }, (_, i) => 101 + i);

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
  // Maggie has twenty loans: more than the desk keeps waiting on its socket at once.
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(3), firstName: 'Maggie', lastName: 'Simpson', categoryCode: 'ADULT' },
    token,
  );
  const many = await api(station.url, 'catalogue.addRecord', { title: 'The Many Loans' }, token);
  for (const n of MAGGIE_LOANS) {
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(n), recordId: many.id, itemTypeCode: 'BOOK' },
      token,
    );
    await api(
      station.url,
      'circulation.checkout',
      { patronBarcode: patronCard(3), itemBarcode: itemBarcode(n) },
      token,
    );
  }
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

  it(`renews twenty ticked loans at once: ${SOCKET_CALLS_AT_ONCE} over the socket, the rest over fetch, all answered`, async () => {
    const page = await browser.newPage();
    const overSocket: string[] = [];
    type Renewed = { itemBarcode: string; renewals: number };
    const answeredOverSocket = new Map<number, { ok: boolean; value?: Renewed }>();
    const socketIds = new Map<number, string>();
    // Every call waiting on the socket, and how many were when the first renewal went: the status
    // bar asks for the station's status every 2 s, and one such call may be waiting at the click.
    const waitingOnSocket = new Set<number>();
    let othersWaiting: number | null = null;
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        const call = JSON.parse(String(f.payload)) as { id: number; name: string; input: { itemBarcode?: string } };
        if (call.name === 'circulation.renew') {
          othersWaiting ??= waitingOnSocket.size;
          overSocket.push(call.input.itemBarcode!);
          socketIds.set(call.id, call.input.itemBarcode!);
        }
        waitingOnSocket.add(call.id);
      });
      ws.on('framereceived', (f) => {
        const answer = JSON.parse(String(f.payload)) as { id: number; ok: boolean; value?: Renewed };
        waitingOnSocket.delete(answer.id);
        if (socketIds.has(answer.id)) answeredOverSocket.set(answer.id, answer);
      });
    });
    const overFetch: string[] = [];
    const answeredOverFetch: { status: number; body: Renewed }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/call/circulation.renew'))
        overFetch.push((JSON.parse(r.postData() ?? '{}') as { itemBarcode: string }).itemBarcode);
    });
    page.on('response', (r) => {
      if (r.url().endsWith('/api/call/circulation.renew'))
        void r.json().then((body: Renewed) => answeredOverFetch.push({ status: r.status(), body }));
    });

    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Patron barcode').waitFor();
    await page.getByRole('button', { name: 'Renew', exact: true }).first().click();
    const finder = page.getByRole('combobox', { name: 'Patron barcode or name' });
    await finder.fill(patronCard(3));
    await finder.press('Enter');
    await page.getByRole('heading', { name: 'Maggie Simpson' }).waitFor();
    // The socket is open by now (the patron was looked up over it): the bulk action meets it open.
    expect(await page.evaluate(() => performance.getEntriesByName('circa.call patrons.lookup', 'measure').length)).toBe(
      1,
    );

    const barcodes = MAGGIE_LOANS.map((n) => itemBarcode(n));
    for (const barcode of barcodes) await page.getByRole('checkbox', { name: barcode }).check();
    await page.getByRole('button', { name: 'Renew the ticked loans' }).click();
    await expect
      .poll(() => page.getByTestId('renew-row').filter({ hasText: 'Renewed' }).count(), { timeout: 15_000 })
      .toBe(barcodes.length);
    await expect.poll(() => answeredOverFetch.length).toBe(overFetch.length);

    // Sent in the order ticked, all at once: on the socket until 16 calls wait there (a status call
    // waiting already counts), exactly the ones past them over fetch.
    expect(othersWaiting).not.toBeNull();
    expect(othersWaiting).toBeLessThanOrEqual(1);
    const share = SOCKET_CALLS_AT_ONCE - othersWaiting!;
    expect(overSocket).toEqual(barcodes.slice(0, share));
    expect(overFetch).toEqual(barcodes.slice(share));
    expect(
      await page.evaluate(
        () =>
          performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/api/call/circulation.renew')).length,
      ),
    ).toBe(overFetch.length);
    // Every one answered, each with its own loan, renewed once.
    for (const [id, barcode] of socketIds)
      expect(answeredOverSocket.get(id)).toMatchObject({ ok: true, value: { itemBarcode: barcode, renewals: 1 } });
    expect(answeredOverFetch.map((a) => a.status)).toEqual(overFetch.map(() => 200));
    expect(
      answeredOverFetch
        .map((a) => ({ itemBarcode: a.body.itemBarcode, renewals: a.body.renewals }))
        .sort((a, b) => a.itemBarcode.localeCompare(b.itemBarcode)),
    ).toEqual([...overFetch].sort().map((itemBarcode) => ({ itemBarcode, renewals: 1 })));
    for (const barcode of barcodes)
      expect(await page.getByTestId('renew-row').filter({ hasText: barcode }).textContent()).toMatch(/Renewed, due/);
    // And the station agrees: each loan renewed once, none twice.
    const token = (await api(station.url, 'auth.signIn', { username: 'marge', password: 'donut hole 42' }))
      .token as string;
    const maggie = (await api(station.url, 'patrons.lookup', { barcode: patronCard(3) }, token)) as {
      loans: { itemBarcode: string; renewals: number }[];
    };
    expect(Object.fromEntries(maggie.loans.map((l) => [l.itemBarcode, l.renewals]))).toEqual(
      Object.fromEntries(barcodes.map((b) => [b, 1])),
    );
    await page.close();
  });
});
