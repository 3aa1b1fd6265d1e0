// Settings › Import and export in a real Chromium against a real headless station: a MARC file
// with a broken record goes in through the desk (sent in pieces), the progress bar is labelled,
// and the report lists what did not go in, by position and reason.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, launchBrowser, screenshot, setUpSpringfield, startServe, type RunningStation } from './support';

let station: RunningStation;
let browser: Browser;
let page: Page;
let token: string;

beforeAll(async () => {
  station = await startServe();
  token = await setUpSpringfield(station.url);
  browser = await launchBrowser();
  // bypassCSP: the station's CSP (rightly) refuses the injected axe script.
  page = await browser.newPage({ locale: 'en-US', bypassCSP: true, acceptDownloads: true });
  page.setDefaultTimeout(15_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

it('imports a MARC file from the desk, dry run first, and reports the broken record', { timeout: 90_000 }, async () => {
  await page.goto(station.url);
  await page.getByLabel('Username', { exact: true }).fill('marge');
  await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page
    .getByRole('navigation', { name: 'Settings areas' })
    .getByRole('button', { name: 'Import and export', exact: true })
    .click();
  await page
    .getByLabel('File', { exact: true })
    .setInputFiles(join(import.meta.dirname, '../fixtures/marc/truncated.mrc'));
  // Dry run (checked by default).
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .poll(() => page.getByTestId('import-counts').textContent())
    .toBe('3 records read: 2 added, 0 updated, 2 copies added, 1 skipped.');
  expect(await page.getByRole('heading', { name: /dry run: nothing was changed/ }).isVisible()).toBe(true);
  const search = await api(station.url, 'catalogue.search', { query: 'record before' }, token);
  expect(search).toEqual([]);

  await page.getByLabel('Dry run: check and report, change nothing').uncheck();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'What was imported' }).isVisible()).toBe(true);
  const bar = page.getByRole('progressbar', { name: 'Finished' });
  expect(await bar.getAttribute('value')).toBe('100');
  const rows = page.getByTestId('import-skipped-row');
  expect(await rows.count()).toBe(1);
  expect(await rows.first().textContent()).toMatch(/^2broken-1Record 2 says in its leader that it is \d+ bytes long/);
  const found = (await api(station.url, 'catalogue.search', { query: 'record before' }, token)) as unknown as {
    title: string;
  }[];
  expect(found.map((h) => h.title)).toEqual(['The record before']);

  // The patrons come out as a CSV file the browser saves, in Koha's column names.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save the patrons as CSV' }).click(),
  ]);
  const saved = await readFile((await download.path())!, 'utf8');
  expect(saved.split('\n')[0]).toBe(
    'cardnumber,surname,firstname,email,phone,address,categorycode,branchcode,dateexpiry,borrowernotes',
  );
  expect(download.suggestedFilename()).toBe('circa-patrons.csv');

  // axe-core finds nothing to fix on the screen with its report showing.
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  // Passed as a string: the test runner's transpiler would otherwise add helpers the page lacks.
  const results = (await page.evaluate(
    `window.axe.run(document.querySelector('main'), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } }).then((r) => r.violations.map((v) => v.id + ': ' + v.help))`,
  )) as string[];
  expect(results).toEqual([]);
  await screenshot(page, 'settings-import');
});
