// Settings › SIP2 in a real Chromium against a real headless station: an administrator adds a
// self-check's account and turns the SIP2 port on, and a SIP2 client then logs in over TCP;
// removing the account closes the port again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipClient, login, scStatus } from '../sip2/client';
import { freePort, launchBrowser, screenshot, startServe, type RunningStation, setUpSpringfield } from './support';

let station: RunningStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  station = await startServe();
  await setUpSpringfield(station.url, 'America/New_York');
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

const answers = (port: number) =>
  SipClient.open(port).then(
    (c) => (c.close(), true),
    () => false,
  );

describe('Settings › SIP2', () => {
  it('adds a self-check account, turns the port on, and the self-check logs in; removing it closes the port', async () => {
    const port = await freePort();
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings areas' })
      .getByRole('button', { name: 'SIP2 (self-checks)', exact: true })
      .click();
    await expect.poll(() => page.getByTestId('sip2-state').textContent()).toBe('Off.');

    await page.getByRole('button', { name: 'Add a SIP2 account' }).click();
    const dialog = page.getByRole('dialog', { name: 'New SIP2 account' });
    await dialog.getByLabel('Login (CN)').fill('selfcheck1');
    await dialog.getByLabel('Password (CO, 6 characters or more)').fill('sc-secret-1');
    await dialog.getByRole('button', { name: 'Save the account' }).click();
    await expect.poll(() => page.getByTestId('sip2-row').count()).toBe(1);
    expect(await page.getByTestId('sip2-row').first().textContent()).toContain('selfcheck1');

    await page.getByLabel('SIP2 on').check();
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByRole('button', { name: 'Save the SIP2 port' }).click();
    await expect
      .poll(() => page.getByTestId('sip2-state').textContent())
      .toMatch(new RegExp(`^Listening on 127\\.0\\.0\\.1:${port} `));
    await screenshot(page, '45-settings-sip2');

    const c = await SipClient.open(port);
    expect((await c.send(login('selfcheck1', 'sc-secret-1'))).raw).toBe('941\r');
    expect((await c.send(scStatus())).get('AO')).toBe('MAIN');
    c.close();

    await page.getByRole('button', { name: 'Edit SIP2 account selfcheck1' }).click();
    await page
      .getByRole('dialog', { name: 'Edit selfcheck1' })
      .getByRole('button', { name: 'Remove selfcheck1' })
      .click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Removed the SIP2 account selfcheck1' }).count())
      .toBe(1);
    await expect.poll(() => answers(port)).toBe(false);
  }, 60_000);
});
