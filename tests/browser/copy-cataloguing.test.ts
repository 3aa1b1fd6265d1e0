// Copy cataloguing and labels at the desk, in a real Chromium against a real headless station
// and a real SRU server (yaz-ztest on loopback): an administrator adds the target in Settings,
// a cataloguer searches it from the Catalogue screen, copies a record, adds its copy, and makes
// its labels. A target that is offline says it cannot be reached, and the screen carries on.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode } from '../support/station';
import { freePort, startZTest, type ZTest } from '../support/ztest';
import { launchBrowser, screenshot, setUpSpringfield, startServe, type RunningStation } from './support';

let station: RunningStation;
let browser: Browser;
let page: Page;
let ztest: ZTest;
let offlinePort: number;

beforeAll(async () => {
  ztest = await startZTest();
  offlinePort = await freePort();
  station = await startServe();
  await setUpSpringfield(station.url);
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await ztest?.stop();
});

async function addTarget(id: string, name: string, address: string) {
  await page.getByRole('button', { name: 'Add a catalogue' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a catalogue to copy from' });
  await dialog.getByLabel('Short name').fill(id);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Address').fill(address);
  await dialog.getByLabel('Database').fill('Default');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByTestId('copy-catalogue-target-row').filter({ hasText: name }).count()).toBe(1);
}

describe('copy cataloguing at the desk', () => {
  it('adds the targets in Settings › Copy cataloguing, refusing an address that is not one', async () => {
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('Patron barcode').isVisible()).toBe(true);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings areas' })
      .getByRole('button', { name: 'Copy cataloguing', exact: true })
      .click();

    await page.getByRole('button', { name: 'Add a catalogue' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a catalogue to copy from' });
    await dialog.getByLabel('Short name').fill('bad');
    await dialog.getByLabel('Name', { exact: true }).fill('Bad');
    await dialog.getByLabel('Address').fill('library.example.org');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => dialog.getByText('An http:// or https:// address, without a ? part.').isVisible())
      .toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await addTarget('ztest', 'YAZ test server', ztest.url);
    await addTarget('offline', 'Shelbyville (offline)', `http://127.0.0.1:${offlinePort}`);
    await screenshot(page, '30-copy-cataloguing-targets');
  });

  it('says an offline target cannot be reached, and the catalogue screen carries on', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Catalogue' }).click();
    const section = page.getByRole('region', { name: 'Copy from another library' });
    await section.getByLabel('Catalogue to search').selectOption('offline');
    await section.getByLabel('Search by').selectOption('title');
    await section.getByLabel('Search for').fill('computer');
    await section.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('The target cannot be reached');
    // The rest of the screen still works: our own catalogue answers.
    await page.getByRole('search').first().getByRole('textbox').fill('anything');
    await page.getByRole('search').first().getByRole('button').click();
    expect(await page.getByRole('alert').filter({ hasText: 'Something went wrong' }).count()).toBe(0);
  });

  it('searches the SRU target, copies a record, adds its copy and makes its labels', async () => {
    const section = page.getByRole('region', { name: 'Copy from another library' });
    await section.getByLabel('Catalogue to search').selectOption('ztest');
    await section.getByLabel('Search by').selectOption('title');
    await section.getByLabel('Search for').fill('computer');
    await section.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => section.getByTestId('copy-hit').count()).toBe(10);
    expect(await section.getByRole('alert').count()).toBe(0);
    const hit = section.getByTestId('copy-hit').filter({ hasText: 'ISBN 0839108826' });
    expect(await hit.textContent()).toContain('Reconstruction tomography');
    await screenshot(page, '31-copy-cataloguing-results');
    await hit.getByRole('button', { name: /^Copy the record/ }).click();

    // The copied record opens, ready for its copies.
    await expect
      .poll(() => page.getByRole('heading', { level: 2, name: /^Reconstruction tomography/ }).isVisible())
      .toBe(true);
    await expect.poll(() => hit.getByRole('button', { name: /^Open our record/ }).isVisible()).toBe(true);
    await page.getByLabel('Item barcode').fill(itemBarcode(7));
    await page.getByRole('button', { name: 'Add a copy' }).first().click();
    await expect.poll(() => page.getByTestId('copy-row').first().textContent()).toContain(itemBarcode(7));

    const labels = page.getByRole('region', { name: 'Labels' });
    // A range the wrong way round: the station's reason, in the desk's words.
    await labels.getByLabel('Labels for').selectOption('range');
    await labels.getByLabel('First barcode').fill(itemBarcode(9));
    await labels.getByLabel('Last barcode').fill(itemBarcode(8));
    await labels.getByRole('button', { name: 'Make the labels' }).click();
    await expect
      .poll(() => labels.getByRole('alert').textContent())
      .toBe('The first barcode of the range comes after the last.');
    await labels.getByLabel('Labels for').selectOption('addedToday');
    await labels.getByLabel('Label', { exact: true }).selectOption('spine');
    await labels.getByLabel('Start at label').fill('31');
    await labels.getByRole('button', { name: 'Make the labels' }).click();
    await expect.poll(() => labels.getByText('A whole number from 1 to 30.').isVisible()).toBe(true);
    await labels.getByLabel('Start at label').fill('2');
    await labels.getByRole('button', { name: 'Make the labels' }).click();
    await expect.poll(() => labels.getByRole('status').textContent()).toContain('1 label on 1 sheet(s).');
    const link = labels.getByRole('link', { name: 'Open the labels (PDF) to print' });
    expect(await link.getAttribute('download')).toBe('labels.pdf');
    // The link downloads a real PDF of one page (the desk's CSP keeps fetch() off blob: URLs; a download is not a fetch).
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    await screenshot(page, '32-catalogue-labels');
  });
});
