// Shelf reading and a damaged check-in, walked in a real Chromium against a real `npm run serve`
// with the keyboard and the scanner alone: a shelf of ten copies with a problem of each kind
// seeded, each said by its badge at its scan, put right on the spot (check it in, mark it found),
// the end of the range listing the copy nobody scanned, the not-seen report with its CSV; then
// Check in's "Damaged" with a charge, seen in the patron's fees. Screenshots: tests/screenshots/shelf-*.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, screenshot, setUpSpringfield, startServe, type RunningStation } from './support';

const ZONE = 'America/New_York';
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's WCAG 2.2 A/AA violations on the page as it is. */
async function violations(p: Page): Promise<string[]> {
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.addScriptTag({ path: AXE_SOURCE });
  return (await p.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ') + ')'))`,
  )) as string[];
}
let station: RunningStation;
let browser: Browser;
let page: Page;

const RULE = {
  branchId: '*',
  categoryCode: '*',
  itemTypeCode: '*',
  loanLength: 21,
  loanUnit: 'days',
  hardDueDate: null,
  hardDueDateMode: 'before',
  maxLoans: null,
  renewalsAllowed: 2,
  renewalPeriod: null,
  noRenewalBeforeDays: null,
  fineAmount: 25,
  finePeriod: 1,
  graceDays: 0,
  fineCap: 500,
  capFineAtReplacementPrice: true,
  holdsAllowed: true,
  holdsPerTitle: 1,
  onShelfHoldsAllowed: true,
  pickupPeriodDays: 7,
};

/** The shelf, in filing order (641.5 .B47 files before 641.5 .B5: a cutter is a decimal). */
const SHELF = [
  '599.75 WIL',
  '599.8 GOO',
  '613.2 POL',
  '641.5 .B47',
  '641.5 .B5',
  '741.5 ABC',
  '813.54 KIN',
  '813.54 SMI 2019',
  '910 ATL',
  '972 PAZ',
];
const copy = (i: number) => itemBarcode(100 + i);
/** The order met on the shelf: .B47 after .B5 (out of order), 910 ATL not there. */
const SCAN_ORDER = [0, 1, 2, 4, 3, 5, 6, 7, 9];

/** A scanner's burst made inside the page (keys a millisecond apart), wherever the focus is. */
async function scan(p: Page, barcode: string) {
  await p.evaluate(`(() => {
    const target = document.activeElement || document.body;
    for (const key of ${JSON.stringify([...barcode, 'Enter'])}) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  })()`);
}

beforeAll(async () => {
  station = await startServe();
  const token = await setUpSpringfield(station.url, ZONE);
  const call = (name: string, input: unknown) => api(station.url, name, input, token);
  await call('rules.save', RULE);
  const shelbyville = (await call('branches.save', { code: 'SHELBY', name: 'Shelbyville', timeZone: ZONE })) as {
    id: string;
  };
  const records: string[] = [];
  for (const [i, callNumber] of SHELF.entries()) {
    const record = (await call('catalogue.addRecord', { title: `Shelf book ${i}`, callNumber })) as { id: string };
    records.push(record.id);
    await call('catalogue.addItem', {
      barcode: copy(i),
      recordId: record.id,
      itemTypeCode: 'BOOK',
      replacementPrice: 2000,
      location: i === 6 ? 'JUV' : 'ADULT',
      ...(i === 5 ? { homeBranchId: shelbyville.id } : {}),
    });
  }
  const atlas = (await call('catalogue.addRecord', { title: 'Torn Atlas', callNumber: '912 ATL' })) as { id: string };
  await call('catalogue.addItem', {
    barcode: itemBarcode(200),
    recordId: atlas.id,
    itemTypeCode: 'BOOK',
    replacementPrice: 3000,
  });
  await call('patrons.register', {
    cardBarcode: patronCard(1),
    firstName: 'Lisa',
    lastName: 'Simpson',
    categoryCode: 'ADULT',
  });
  const bart = (await call('patrons.register', {
    cardBarcode: patronCard(2),
    firstName: 'Bart',
    lastName: 'Simpson',
    categoryCode: 'ADULT',
  })) as { patron: { id: string } };
  // Seeded: 613.2 POL lent to Bart, 641.5 .B5 lost, 813.54 SMI 2019 wanted by Bart's hold; Lisa has the atlas.
  await call('circulation.checkout', { patronBarcode: patronCard(2), itemBarcode: copy(2) });
  await call('catalogue.setItemStatus', { itemBarcode: copy(4), change: 'lost' });
  await call('holds.place', { patronId: bart.patron.id, recordId: records[7] });
  await call('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(200) });

  browser = await launchBrowser();
  // bypassCSP: the station's CSP (rightly) refuses the injected axe script.
  page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 720 }, bypassCSP: true });
  page.setDefaultTimeout(10_000);
  await page.goto(station.url);
  await page.getByLabel('Username', { exact: true }).fill('marge');
  await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByLabel('Patron barcode').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

const latestBadges = () => page.getByTestId('shelf-latest').locator('.badge').allTextContents();

describe('shelf reading at the desk, by scans alone', () => {
  it('says each problem at its scan, puts some right on the spot, and lists what was not scanned', async () => {
    // Alt+N opens the screen; the cursor is in its barcode field.
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => page.getByRole('heading', { name: 'Shelf reading', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('itemBarcode');
    await page.getByLabel('Location being read').fill('adult');
    await page.getByLabel('Copy barcode').focus();

    const expected: Record<number, string[]> = {
      0: ['In order'],
      1: ['In order'],
      2: ['Marked on loan: check it in'],
      4: ['Marked lost: it is found'],
      3: [`Out of order: it goes before ${SHELF[4]}`],
      5: ['Belongs to Shelbyville: send it there'],
      6: ['Belongs to location JUV'],
      7: ['A hold is waiting: pull it'],
      9: ['In order'],
    };
    for (const [n, i] of SCAN_ORDER.entries()) {
      await scan(page, copy(i));
      await expect
        .poll(() => page.getByTestId('shelf-count').textContent())
        .toBe(`${n + 1} ${n === 0 ? 'copy' : 'copies'}`);
      await expect.poll(() => page.getByTestId('shelf-latest').textContent()).toContain(SHELF[i]!);
      expect({ i, badges: (await latestBadges()).map((b) => b.trim()) }).toEqual({ i, badges: expected[i] });
      if (i === 3) await screenshot(page, 'shelf-out-of-order');
    }

    // Put right with the keyboard: the copy on loan checked in, the lost one marked found.
    await page.getByRole('button', { name: `Check in ${copy(2)}` }).press('Enter');
    await expect.poll(() => page.getByTestId('shelf-said').textContent()).toBe(`${copy(2)} is checked in.`);
    await page.getByRole('button', { name: `Mark ${copy(4)} found` }).press('Enter');
    await expect.poll(() => page.getByTestId('shelf-said').textContent()).toBe(`${copy(4)} is marked found.`);
    expect((await api(station.url, 'catalogue.item', { barcode: copy(4) }, await token())).status).toBe('available');

    // The end of the range: 910 ATL, expected between 599.75 and 972, was not scanned.
    await page.getByRole('button', { name: 'End of range' }).press('Enter');
    await expect
      .poll(() => page.getByTestId('shelf-said').textContent())
      .toBe('1 copy the catalogue expects in this range was not scanned.');
    const missing = page.getByRole('table', { name: 'Expected in this range but not scanned' });
    expect(await missing.locator('tbody tr').count()).toBe(1);
    expect(await missing.locator('tbody tr').first().textContent()).toContain(copy(8));
    expect(await missing.locator('tbody tr').first().textContent()).toContain('910 ATL');
    await screenshot(page, 'shelf-missing');
    expect(await violations(page)).toEqual([]);

    // The not-seen report: since today, on the adult shelves being read, the copy nobody scanned;
    // on every shelf of the branch, the atlas too (out with Lisa). With a CSV.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(Date.now());
    await page.getByLabel('Not seen since', { exact: true }).fill(today);
    await page.getByLabel('Not seen since', { exact: true }).press('Enter');
    await expect.poll(() => page.getByTestId('not-seen-count').textContent()).toBe('1 copy not seen since then.');
    await page.getByLabel('Location being read').fill('');
    await page.getByLabel('Not seen since', { exact: true }).press('Enter');
    await expect.poll(() => page.getByTestId('not-seen-count').textContent()).toBe('2 copies not seen since then.');
    const report = page.getByRole('table', { name: 'Copies not seen since a date' });
    expect(
      (await report.locator('tbody tr').allTextContents()).map(
        (r) => r.includes(copy(8)) || r.includes(itemBarcode(200)),
      ),
    ).toEqual([true, true]);
    const csv = decodeURIComponent(
      (await page.getByRole('link', { name: 'CSV' }).getAttribute('href'))!.replace(
        /^data:text\/csv;charset=utf-8,/,
        '',
      ),
    );
    expect(csv.split('\r\n')[0]).toBe('"barcode","callNumber","title","location","status","lastSeen"');
    expect(csv).toContain(`"${copy(8)}","910 ATL","Shelf book 8","ADULT","available",""`);
  });
});

let sessionToken: string | null = null;
async function token(): Promise<string> {
  sessionToken ??= (await api(station.url, 'auth.signIn', { username: 'marge', password: 'donut hole 42' }))
    .token as string;
  return sessionToken;
}

describe('a damaged check-in at the desk', () => {
  it('sends the copy to repair and charges the borrower an amount, seen in her fees', async () => {
    await page.keyboard.press('Alt+KeyR');
    await expect.poll(() => page.getByRole('heading', { name: 'Check in', level: 1 }).isVisible()).toBe(true);
    await page.getByLabel('Damaged').check();
    await page.getByLabel('What is damaged').fill('Map pages torn');
    await page.getByLabel('An amount').check();
    await page.getByLabel('Amount (USD)').fill('7.50');
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Item barcode').fill(itemBarcode(200));
    await page.getByLabel('Item barcode').press('Enter');
    const row = page.getByTestId('return-row').first();
    await expect.poll(() => row.textContent()).toContain('To repair');
    expect(await row.textContent()).toContain('Damage charged $7.50');
    expect(await row.textContent()).toContain('Damaged: Map pages torn.');
    // One copy at a time: "Damaged" clears itself for the next.
    expect(await page.getByLabel('Damaged').isChecked()).toBe(false);
    await screenshot(page, 'shelf-damaged-checkin');
    expect((await api(station.url, 'catalogue.item', { barcode: itemBarcode(200) }, await token())).status).toBe(
      'in_repair',
    );

    await page.keyboard.press('Alt+KeyY');
    await page.getByLabel('Find a patron (name, card, email or phone)').fill('Lisa');
    await page.getByLabel('Find a patron (name, card, email or phone)').press('Enter');
    await page.getByRole('button', { name: 'Open Lisa Simpson' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Lisa Simpson' }).isVisible()).toBe(true);
    const fee = page.getByTestId('fee').first();
    await expect.poll(() => fee.textContent()).toContain('Torn Atlas');
    expect(await fee.textContent()).toContain('Map pages torn');
    expect(await fee.textContent()).toContain('$7.50');
    await screenshot(page, 'shelf-damage-fee');
  });
});
