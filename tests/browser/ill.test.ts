// The interlibrary loan screen in a real Chromium against a real headless station: a catalogue
// search that finds nothing becomes a borrowing request, which staff walk through sent, shipped
// and received on the ILL screen; the check-in that brings it back says to ship it back, and the
// ILL screen ships it. The same screen in Spanish. The kiosk shows the patron their request.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, screenshot, setUpSpringfield, startServe, type RunningStation } from './support';
import { patronCard } from '../support/station';

let station: RunningStation;
let browser: Browser;
let page: Page;
let token: string;

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** axe-core's WCAG 2.2 A/AA findings on the page as it is now (as tests/browser/accessibility.test.ts runs it). */
async function axe(p: Page): Promise<string[]> {
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.addScriptTag({ path: AXE_SOURCE });
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
  return (await p.evaluate(
    `window.axe.run(document.querySelector('main'), { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.help + ' ' + JSON.stringify(v.nodes.map((n) => n.target))))`,
  )) as string[];
}

beforeAll(async () => {
  station = await startServe();
  // startServe waits ten seconds for the station; on a loaded machine it may need longer.
  for (let i = 0; i < 600; i++) {
    const up = await fetch(`${station.url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  token = await setUpSpringfield(station.url, 'America/New_York');
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(7), firstName: 'Lisa', lastName: 'Simpson', categoryCode: 'ADULT', pin: '2468' },
    token,
  );
  browser = await launchBrowser();
  // bypassCSP: the station's CSP (rightly) refuses the injected axe script.
  page = await browser.newPage({ locale: 'en-US', bypassCSP: true });
  page.setDefaultTimeout(10_000);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the ILL screen', () => {
  it('turns a search that found nothing into a request, and walks it to the patron and back to the lender', async () => {
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });

    await nav.getByRole('button', { name: 'Catalogue' }).click();
    await page.getByLabel('Search the catalogue', { exact: false }).fill('Silent Spring');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Ask another library for “Silent Spring”' }).click();

    // The ILL screen opens with the title carried over.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Interlibrary loan');
    expect(await page.getByLabel('Title', { exact: true }).first().inputValue()).toBe('Silent Spring');
    await page.getByLabel('Patron card', { exact: true }).fill(patronCard(7));
    await page.getByLabel('Author', { exact: true }).first().fill('Carson, Rachel');
    await page.getByLabel('Lending library', { exact: true }).fill('Shelbyville Library');
    await page.getByLabel('Agency id (ISO 18626)').first().fill('ISIL:US-SHV');
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    await expect.poll(() => page.getByRole('main').getByRole('status').first().textContent()).toBe('Request recorded.');

    const requested = page.getByRole('region', { name: 'Requested (1)' });
    await expect.poll(() => requested.getByRole('row').count()).toBe(2);
    expect(await requested.textContent()).toContain('Lisa Simpson');
    await screenshot(page, 'ill-01-requested');

    // Its ISO 18626 request, to send.
    await page.getByRole('button', { name: 'ISO 18626 message for Silent Spring' }).click();
    const xml = await page.getByLabel('Copy this message to send it').inputValue();
    expect(xml).toContain('<ISO18626Message');
    expect(xml).toContain('<title>Silent Spring</title>');

    await page.getByRole('button', { name: 'Mark sent: Silent Spring' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Sent to the lender (1)' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Lender shipped it: Silent Spring' }).click();
    const shipped = page.getByRole('region', { name: 'Shipped (1)' });
    await expect.poll(() => shipped.count()).toBe(1);
    await shipped.getByLabel("Lender's due date").fill(dayAfter(30));
    await page.getByRole('button', { name: 'Receive: Silent Spring' }).click();
    const received = page.getByRole('region', { name: 'Received (1)' });
    await expect.poll(() => received.count()).toBe(1);
    expect(await received.textContent()).toContain('Check it out to the patron at the desk');
    const barcode = (await received.textContent())!.match(/3999999\d{7}/)![0];
    await screenshot(page, 'ill-02-received');
    expect(await axe(page)).toEqual([]);

    // Lent and returned through the desk's own check-out and check-in.
    await api(station.url, 'circulation.checkout', { patronBarcode: patronCard(7), itemBarcode: barcode }, token);

    // The patron sees it at the kiosk.
    const session = (await api(station.url, 'auth.kioskSignIn', { cardBarcode: patronCard(7), pin: '2468' })) as {
      token: string;
    };
    const mine = (await api(
      station.url,
      'ill.forPatron',
      {
        patronId: (
          (await api(station.url, 'patrons.lookup', { barcode: patronCard(7) }, session.token)).patron as { id: string }
        ).id,
      },
      session.token,
    )) as unknown as { title: string; status: string }[];
    expect(mine).toEqual([expect.objectContaining({ title: 'Silent Spring', status: 'on_loan' })]);

    await nav.getByRole('button', { name: 'Check in' }).click();
    await page.getByRole('main').getByLabel('Item barcode', { exact: true }).fill(barcode);
    await page.getByRole('main').getByRole('button', { name: 'Check in', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('return-row').first().textContent())
      .toContain('ILL to ship back: Shelbyville Library');

    await nav.getByRole('button', { name: 'Interlibrary loan' }).click();
    const returned = page.getByRole('region', { name: 'Returned (1)' });
    await expect.poll(() => returned.count()).toBe(1);
    await page.getByRole('button', { name: 'Ship back: Silent Spring' }).click();
    await expect
      .poll(() => page.getByRole('main').getByRole('status').first().textContent())
      .toBe('Silent Spring: Shipped back.');
    // The lists load again after the step's message: on a loaded machine a moment later.
    await expect
      .poll(() => page.getByRole('region', { name: 'Borrowing for our patrons' }).textContent())
      .toContain('No open requests.');
  }, 90_000);

  it('reads the same screen in Spanish, every control labelled', async () => {
    await page.getByLabel('Language').selectOption('es');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Préstamo interbibliotecario');
    expect(await page.getByRole('heading', { name: 'Nueva solicitud de préstamo' }).count()).toBe(1);
    expect(await page.getByLabel('Carné del lector').count()).toBe(1);
    expect(await page.getByLabel('Biblioteca prestadora', { exact: true }).count()).toBe(1);
    // No control without a name.
    const unnamed = await page.$$eval(
      'main input, main textarea, main button',
      (els) =>
        els.filter(
          (e) =>
            !(e as HTMLElement).innerText?.trim() &&
            !e.getAttribute('aria-label') &&
            !(e as HTMLInputElement).labels?.length,
        ).length,
    );
    expect(unnamed).toBe(0);
    await screenshot(page, 'ill-03-es');
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('Idioma').selectOption('en');
  }, 30_000);
});
