// Settings › Notices in a real Chromium against a real headless station and a real SMTP server:
// an administrator gives the library's mail server, edits and previews a template, presses Send
// now, and the patron whose hold is ready gets the email, once.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import { SMTP_PASSWORD, SMTP_USER, startSmtp, type TestSmtp } from '../notices/support';
import { api, launchBrowser, screenshot, setUpSpringfield, startServe, type RunningStation } from './support';

let station: RunningStation;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  smtp = await startSmtp();
  station = await startServe();
  const token = await setUpSpringfield(station.url, 'America/New_York');
  const record = await api(station.url, 'catalogue.addRecord', { title: 'The Phantom Tollbooth' }, token);
  await api(
    station.url,
    'catalogue.addItem',
    { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' },
    token,
  );
  const lisa = await api(
    station.url,
    'patrons.register',
    {
      cardBarcode: patronCard(1),
      firstName: 'Lisa',
      lastName: 'Simpson',
      categoryCode: 'ADULT',
      email: 'lisa@springfield.example',
    },
    token,
  );
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(2), firstName: 'Bart', lastName: 'Simpson', categoryCode: 'ADULT' },
    token,
  );
  // Bart has the book Lisa waits for; he brings it back, and her hold is ready on the shelf.
  await api(station.url, 'circulation.checkout', { patronBarcode: patronCard(2), itemBarcode: itemBarcode(1) }, token);
  await api(station.url, 'holds.place', { patronId: (lisa.patron as { id: string }).id, recordId: record.id }, token);
  await api(station.url, 'circulation.checkin', { itemBarcode: itemBarcode(1), backdate: null }, token);
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(15_000);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await smtp?.close();
});

describe('Settings › Notices', () => {
  it('saves the mail server, previews a template, and sends the hold-ready email once', async () => {
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings areas' })
      .getByRole('button', { name: 'Notices', exact: true })
      .click();

    await page.getByLabel('Send notices').check();
    await page.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await page.getByLabel('User name', { exact: true }).fill(SMTP_USER);
    await page.getByLabel('Password', { exact: true }).fill(SMTP_PASSWORD);
    await page.getByLabel('From', { exact: true }).fill('Springfield Library <circulation@springfield.example>');
    await page.getByRole('button', { name: 'Save notice settings' }).click();
    await expect.poll(() => page.getByText('Notice settings saved.').count()).toBe(1);
    // The password is kept on this station, never shown again.
    await expect.poll(() => page.getByLabel('Password', { exact: true }).inputValue()).toBe('');

    // The hold-ready template, previewed with sample values.
    await page.getByRole('combobox', { name: 'Template', exact: true }).selectOption({ label: 'Hold ready' });
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('notice-preview').count()).toBe(1);
    expect((await page.getByTestId('notice-preview').textContent())?.length).toBeGreaterThan(10);
    await screenshot(page, '46-settings-notices');

    await page.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => page.getByTestId('notice-run').textContent()).toMatch(/1 emailed/);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['lisa@springfield.example']);
    expect(smtp.received[0]!.body).toContain('The Phantom Tollbooth');
    // Nothing secret travels in the message.
    expect(smtp.received[0]!.raw).not.toContain(SMTP_PASSWORD);

    // Sending again makes nothing new: the notice is made once.
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => page.getByTestId('notice-run').textContent()).toMatch(/0 new, 0 emailed/);
    expect(smtp.received).toHaveLength(1);
  }, 90_000);
});
