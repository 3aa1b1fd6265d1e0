// Every screen of the desk and the kiosk checked by axe-core in real Chromium against the WCAG
// 2.2 A and AA rules it can test: labels, names, roles, contrast, landmarks, language. A rule
// broken anywhere fails the test with the rule, the element and axe's explanation.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, startServe, type RunningStation } from './support';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let station: RunningStation;
let browser: Browser;
let page: Page;

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe's findings on the page as it is now, as short lines a person can act on. */
async function violations(p: Page): Promise<string[]> {
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.addScriptTag({ path: AXE_SOURCE });
  // Passed as a string: the test runner's transpiler would otherwise add helpers the page lacks.
  const found = (await p.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as Violation[];
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
  browser = await launchBrowser();
  // bypassCSP: the station's CSP (rightly) refuses the injected axe script.
  page = await browser.newPage({ locale: 'en-US', bypassCSP: true });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('accessibility of every screen (axe-core, WCAG 2.2 AA)', () => {
  it('finds what it should: an unlabelled field and grey-on-grey text are reported', async () => {
    const probe = await browser.newPage({ bypassCSP: true });
    await probe.setContent(
      '<html lang="en"><head><title>probe</title></head><body><main><input type="text"><p style="color:#aaa;background:#bbb">faint</p></main></body></html>',
    );
    const found = await violations(probe);
    expect(found.some((v) => v.startsWith('label:'))).toBe(true);
    expect(found.some((v) => v.startsWith('color-contrast:'))).toBe(true);
    await probe.close();
  });

  it('the first-run wizard, in both of its forms', async () => {
    await page.goto(station.url);
    await expect.poll(() => page.getByLabel('Library name').isVisible()).toBe(true);
    expect(await violations(page)).toEqual([]);
    await page.getByLabel("Join a library's hub").check();
    expect(await violations(page)).toEqual([]);
  });

  it('the sign-in and every screen of the desk, with a patron and loans on screen', async () => {
    await api(station.url, 'setup.initialize', {
      libraryName: 'Ogden Library',
      branchCode: 'MAIN',
      branchName: 'Main',
      timeZone: 'America/Denver',
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Ada Admin', password: 'admin password' },
    });
    const { token } = (await api(station.url, 'auth.signIn', { username: 'admin', password: 'admin password' })) as {
      token: string;
    };
    const record = await api(
      station.url,
      'catalogue.addRecord',
      { title: 'Pedro Páramo', author: 'Rulfo, Juan' },
      token,
    );
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' },
      token,
    );
    await api(
      station.url,
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Susana', lastName: 'San Juan', categoryCode: 'ADULT', pin: '1234' },
      token,
    );

    await page.reload();
    await page.getByLabel('Username', { exact: true }).fill('admin');
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Password', { exact: true }).fill('admin password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('Patron barcode').isVisible()).toBe(true);
    await page.getByLabel('Patron barcode').fill(patronCard(1));
    await page.getByLabel('Patron barcode').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Susana San Juan' }).isVisible()).toBe(true);
    await page.getByLabel('Item barcode').fill(itemBarcode(1));
    await page.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => page.getByTestId('loan-row').count()).toBe(1);

    // Each tab's name (its shortcut key beside it is aria-hidden: aria-keyshortcuts carries it).
    const tabs = page.getByRole('navigation').first().getByRole('button');
    const names = await tabs.locator('.tab-label').allTextContents();
    expect(names.length).toBeGreaterThanOrEqual(8);
    const problems: Record<string, string[]> = {};
    // Every screen in the light theme, the dark one (as the OS asks) and the high-contrast one.
    for (const theme of ['light', 'dark', 'contrast'] as const) {
      await page.emulateMedia({ colorScheme: theme === 'dark' ? 'dark' : 'light' });
      await page.evaluate(
        (t) =>
          t === 'contrast'
            ? (document.documentElement.dataset.theme = 'contrast')
            : delete document.documentElement.dataset.theme,
        theme,
      );
      for (const name of names) {
        await page.getByRole('navigation').first().getByRole('button', { name, exact: true }).click();
        await page.waitForTimeout(150);
        const found = await violations(page);
        if (found.length > 0) problems[`${name} (${theme})`] = found;
      }
    }
    await page.emulateMedia({ colorScheme: null });
    await page.evaluate(() => delete document.documentElement.dataset.theme);
    // The keyboard shortcuts dialog.
    await page.getByRole('button', { name: 'Shortcuts', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    const inDialog = await violations(page);
    if (inDialog.length > 0) problems['keyboard shortcuts dialog'] = inDialog;
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(problems).toEqual({});
  });

  it('every settings area, and the patron limits and return policy dialogs', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const areas = page.getByRole('navigation', { name: 'Settings areas' }).getByRole('button');
    await expect.poll(() => areas.count()).toBeGreaterThanOrEqual(9);
    const names = (await areas.allTextContents()).filter((name) => name !== 'Scanners and printers');
    expect(names).toContain('Limits and returns');
    const problems: Record<string, string[]> = {};
    for (const name of names) {
      await page.getByRole('navigation', { name: 'Settings areas' }).getByRole('button', { name, exact: true }).click();
      await page.waitForTimeout(150);
      const found = await violations(page);
      if (found.length > 0) problems[name] = found;
    }
    await page
      .getByRole('navigation', { name: 'Settings areas' })
      .getByRole('button', { name: 'Limits and returns', exact: true })
      .click();
    for (const [add, dialog] of [
      ['Add patron limits', 'New patron limits'],
      ['Add a return policy', 'New return policy'],
    ] as const) {
      await page.getByRole('button', { name: add }).click();
      await expect.poll(() => page.getByRole('dialog', { name: dialog }).isVisible()).toBe(true);
      const found = await violations(page);
      if (found.length > 0) problems[dialog] = found;
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    }
    expect(problems).toEqual({});
  });

  it('the devices form with a scanner and a printer of each kind, and with a field error', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Add a scanner' }).click();
    await page.getByRole('button', { name: 'Add a scanner' }).click();
    await page.getByRole('group', { name: 'Scanner 2' }).getByLabel('Kind of scanner').selectOption('hid');
    for (const connection of ['tcp', 'usb-file', 'serial']) {
      await page.getByRole('button', { name: 'Add a receipt printer' }).click();
      const printers = await page.getByRole('group', { name: /^Printer \d+$/ }).count();
      await page
        .getByRole('group', { name: `Printer ${printers}` })
        .getByLabel('Connection')
        .selectOption(connection);
    }
    const problems: Record<string, string[]> = {};
    let found = await violations(page);
    if (found.length > 0) problems['devices form'] = found;
    // Saved empty: every required field says so.
    await page.getByRole('button', { name: 'Save device settings' }).click();
    await expect
      .poll(() => page.getByText('Nothing was saved: please correct the marked fields.').isVisible())
      .toBe(true);
    found = await violations(page);
    if (found.length > 0) problems['devices form with errors'] = found;
    expect(problems).toEqual({});
  });

  it("the kiosk: welcome, PIN and the patron's own screen", async () => {
    const kiosk = await browser.newPage({ locale: 'en-US', bypassCSP: true });
    kiosk.setDefaultTimeout(10_000);
    await kiosk.goto(`${station.url}/kiosk`);
    await expect.poll(() => kiosk.getByLabel('Library card').isVisible()).toBe(true);
    expect(await violations(kiosk)).toEqual([]);
    await kiosk.getByLabel('Library card').fill(patronCard(1));
    await kiosk.getByRole('button', { name: 'Next' }).click();
    expect(await violations(kiosk)).toEqual([]);
    await kiosk.getByLabel('PIN').fill('1234');
    await kiosk.getByRole('button', { name: 'Start' }).click();
    // Borrowing, then the patron's own loans and fines (a step of its own); every step is in tests/browser/kiosk.test.ts.
    await expect.poll(() => kiosk.getByLabel('Item barcode').isVisible()).toBe(true);
    expect(await violations(kiosk)).toEqual([]);
    await kiosk.getByRole('button', { name: 'My loans and fines' }).click();
    await expect.poll(() => kiosk.getByText('Pedro Páramo').isVisible()).toBe(true);
    expect(await violations(kiosk)).toEqual([]);
    await kiosk.close();
  });
});
