// Reports › Statistics in a real Chromium against a real headless station: a morning of desk
// work through the station API, then the statistics screen shows it by month and by hour, with
// charts reachable from the keyboard, the numbers in tables beside them, a CSV download with the
// same numbers, no axe-core finding, and Spanish.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, screenshot, setUpSpringfield, startServe, type RunningStation } from './support';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let station: RunningStation;
let browser: Browser;
let page: Page;
let patronIds: string[] = [];

async function violations(p: Page): Promise<string[]> {
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.addScriptTag({ path: AXE_SOURCE });
  const found = (await p.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as { id: string; help: string; nodes: { target: string[] }[] }[];
  return found.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')})`,
  );
}

beforeAll(async () => {
  station = await startServe();
  // startServe waits ten seconds; on a busy machine the station may take longer to open.
  for (
    let i = 0;
    i < 120 &&
    !(await fetch(`${station.url}/api/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 500));
  const token = await setUpSpringfield(station.url, 'America/New_York');
  const record = await api(
    station.url,
    'catalogue.addRecord',
    { title: 'The Lord of the Rings', author: 'Tolkien, J. R. R.', callNumber: '823.912 TOL' },
    token,
  );
  for (let i = 1; i <= 5; i++)
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(i), recordId: record.id, itemTypeCode: 'BOOK' },
      token,
    );
  patronIds = [];
  for (let i = 1; i <= 3; i++) {
    const p = (await api(
      station.url,
      'patrons.register',
      { cardBarcode: patronCard(i), firstName: `Reader${i}`, lastName: 'Simpson', categoryCode: 'ADULT' },
      token,
    )) as { patron: { id: string } };
    patronIds.push(p.patron.id);
  }
  // Five check-outs by three patrons, two returns, one in-house use.
  for (let i = 1; i <= 5; i++)
    await api(
      station.url,
      'circulation.checkout',
      { patronBarcode: patronCard(((i - 1) % 3) + 1), itemBarcode: itemBarcode(i) },
      token,
    );
  await api(station.url, 'circulation.checkin', { itemBarcode: itemBarcode(1) }, token);
  await api(station.url, 'circulation.checkin', { itemBarcode: itemBarcode(2) }, token);
  await api(station.url, 'catalogue.inHouseUse', { itemBarcode: itemBarcode(1) }, token);
  browser = await launchBrowser();
  // bypassCSP: the station's CSP (rightly) refuses the injected axe script.
  page = await browser.newPage({
    locale: 'en-US',
    bypassCSP: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  page.setDefaultTimeout(15_000);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('Reports › Statistics', () => {
  it('shows the year by month and the day by hour, in charts and tables, and downloads the same numbers as CSV', async () => {
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Reports' }).click();
    // Loaded only when asked for (recharts is in its own chunk).
    expect(await page.getByTestId('statistics-summary').count()).toBe(0);
    await page.getByRole('button', { name: 'Show statistics' }).click();
    await expect.poll(() => page.getByTestId('statistics-summary').textContent()).toMatch(/, by month\.$/);
    const total = (m: string) => page.getByTestId(`total-${m}`).locator('dd').textContent();
    expect(await total('checkouts')).toBe('5');
    expect(await total('checkins')).toBe('2');
    expect(await total('inHouseUses')).toBe('1');
    expect(await total('newPatrons')).toBe('3');
    expect(await total('activePatrons')).toBe('3');
    expect(await total('finesCollected')).toBe('$0.00');

    // Each chart: a figure named by its heading, a focusable chart surface with a title, and a table of the same numbers.
    const circulation = page.getByRole('figure', { name: 'Check-outs, renewals and returns' });
    await expect.poll(() => circulation.locator('svg.recharts-surface').count()).toBe(1);
    expect(await circulation.locator('svg.recharts-surface title').textContent()).toBe(
      'Check-outs, renewals and returns',
    );
    const month = new Intl.DateTimeFormat('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'America/New_York',
    }).format(Date.now());
    const monthRow = circulation.getByRole('row', { name: new RegExp(`^${month}`) });
    expect(await monthRow.locator('td').allTextContents()).toEqual(['5', '0', '2']);
    // The keyboard reaches the chart, and the arrow keys go from bar to bar with their numbers.
    await circulation.locator('svg.recharts-surface').focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => circulation.locator('.recharts-tooltip-wrapper').textContent())
      .toMatch(/January|Check-outs/);

    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'statistics-by-month');

    // The CSV: a line a month, the same numbers, no patron.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the statistics as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^statistics-\d{4}-01-01-\d{4}-\d{2}-\d{2}-month\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      '"month","","Check-outs","Renewals","Returns","Active patrons","New patrons","In-house uses","Holds filled","ILL borrowed","ILL lent","Fines collected"',
    );
    const thisMonth = new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' }).slice(0, 7);
    expect(lines.find((l) => l.startsWith(`"${thisMonth}"`))).toBe(
      `"${thisMonth}","${month}","5","0","2","3","3","1","0","0","0","0.00"`,
    );
    for (const id of patronIds) expect(csv.includes(id)).toBe(false);

    // Today by hour of the day: 24 rows, the work in the hour it was done (New York time).
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
    await page.getByLabel('From', { exact: true }).fill(today);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: /Group by/ }).click();
    await page.getByRole('option', { name: 'hour of the day' }).click();
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.getByTestId('statistics-summary').textContent()).toMatch(/by hour of the day\.$/);
    expect(await circulation.getByTestId('statistics-row').count()).toBe(24);
    const hour = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      hourCycle: 'h23',
      timeZone: 'America/New_York',
    }).format(Date.now());
    // (The set-up ran a moment ago: the same hour, unless it just turned.)
    const busy = circulation
      .getByRole('row', { name: new RegExp(`^(${hour}|${String((Number(hour) + 23) % 24).padStart(2, '0')}):00`) })
      .filter({ hasText: '5' });
    expect(await busy.count()).toBe(1);
    // Active patrons are told for periods only: by hour, the second chart says so.
    expect(await page.getByText('Not counted by this grouping').count()).toBe(1);
    expect(await violations(page)).toEqual([]);

    // A period that is not one: a clear error, nothing shown changes.
    await page.getByLabel('From', { exact: true }).fill('2030-01-02');
    await page.getByLabel('To', { exact: true }).fill('2030-01-01');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.getByText('The period must end on or after the day it starts.').count()).toBe(1);
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await circulation.getByTestId('statistics-row').count()).toBe(24);
  }, 90_000);

  it('speaks Spanish', async () => {
    await page.locator('.language-switch select').selectOption('es');
    await expect.poll(() => page.getByRole('heading', { name: 'Estadísticas' }).count()).toBe(1);
    expect(await page.getByRole('figure', { name: 'Préstamos, renovaciones y devoluciones' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Descargar las estadísticas en CSV' }).count()).toBe(1);
    await screenshot(page, 'statistics-es');
    await page.locator('.language-switch select').selectOption('en');
  }, 30_000);
});
