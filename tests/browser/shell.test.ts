// The desk's shell in real Chromium against a real `npm run serve`: signing in with a password
// manager, a reload that keeps staff signed in (and a kiosk tab that never inherits it), the
// keyboard shortcuts and their help dialog, the themes, and a layout that fits 1280 x 720, a
// desk zoomed to 200 % and a 1920-pixel screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, screenshotIn, setUpSpringfield, startServe, type RunningStation } from './support';

let station: RunningStation;
let browser: Browser;
let page: Page;

const nav = () => page.getByRole('navigation', { name: 'Main' });
const currentTab = () => nav().locator('[aria-current="page"] .tab-label').textContent();
const SCREEN_TABS = [
  'Check out',
  'Check in',
  'Renew',
  'Holds',
  'Patrons',
  'Catalogue',
  'Shelf reading',
  'Interlibrary loan',
  'Reports',
  'Devices',
  'Settings',
];

beforeAll(async () => {
  station = await startServe();
  const token = await setUpSpringfield(station.url);
  const record = await api(
    station.url,
    'catalogue.addRecord',
    { title: 'Cien años de soledad', author: 'García Márquez, Gabriel' },
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
    { cardBarcode: patronCard(1), firstName: 'Lisa', lastName: 'Simpson', categoryCode: 'ADULT' },
    token,
  );
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } })).newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('the desk shell', () => {
  it('signs in when a password manager types the password at 10 ms a key (never taken for a scan)', async () => {
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).click();
    await page.keyboard.type('marge', { delay: 10 });
    await page.getByLabel('Password', { exact: true }).click();
    await page.keyboard.type('donut hole 42', { delay: 10 });
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('donut hole 42');
    await page.keyboard.press('Enter');
    await expect.poll(() => nav().isVisible()).toBe(true);
    expect(await page.getByText('Signed in as Marge Simpson').isVisible()).toBe(true);
  });

  it('keeps staff signed in over a reload of the tab, and not in a new tab', async () => {
    await page.reload();
    await expect.poll(() => nav().isVisible()).toBe(true);
    expect(await page.getByText('Signed in as Marge Simpson').isVisible()).toBe(true);
    // The kept session is the station's: it answers a call made after the reload.
    await page.getByLabel('Patron barcode').fill(patronCard(1));
    await page.getByLabel('Patron barcode').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Lisa Simpson' }).isVisible()).toBe(true);

    const other = await page.context().newPage();
    await other.goto(station.url);
    await expect.poll(() => other.getByLabel('Username', { exact: true }).isVisible()).toBe(true);
    await other.close();
  });

  it('forgets a session the station has ended, at the next reload', async () => {
    const kept = await page.evaluate(() => sessionStorage.getItem('circa.staffSession'));
    expect(kept).toBeTruthy();
    await page.evaluate(() => sessionStorage.setItem('circa.staffSession', 'not-a-session-the-station-knows'));
    await page.reload();
    await expect.poll(() => page.getByLabel('Username', { exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('circa.staffSession'))).toBeNull();
    // Back in (the real session is still valid at the station).
    await page.evaluate((t) => sessionStorage.setItem('circa.staffSession', t!), kept);
    await page.reload();
    await expect.poll(() => nav().isVisible()).toBe(true);
  });

  it('shows each screen shortcut on its tab and opens the screen with it; F2 goes to the barcode field', async () => {
    const tabs = nav().getByRole('button');
    expect(await tabs.locator('.tab-label').allTextContents()).toEqual(SCREEN_TABS);
    expect(await tabs.locator('kbd').allTextContents()).toEqual([
      'Alt+U',
      'Alt+R',
      'Alt+W',
      'Alt+O',
      'Alt+Y',
      'Alt+Q',
      'Alt+N',
      'Alt+L',
      'Alt+J',
      'Alt+I',
      'Alt+G',
    ]);
    expect(await nav().getByRole('button', { name: 'Check in' }).getAttribute('aria-keyshortcuts')).toBe('Alt+R');

    await page.keyboard.press('Alt+r');
    await expect.poll(currentTab).toBe('Check in');
    await page.getByRole('heading', { level: 1 }).first().click();
    await page.keyboard.press('F2');
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name))
      .toBe('itemBarcode');

    await page.keyboard.press('Alt+q');
    await expect.poll(currentTab).toBe('Catalogue');
    await page.keyboard.press('Alt+u');
    await expect.poll(currentTab).toBe('Check out');
    // With a patron at the desk, F2 goes to the item barcode (where the next scan goes).
    await page.getByRole('heading', { level: 1 }).first().click();
    await page.keyboard.press('F2');
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name))
      .toMatch(/Barcode$/);
  });

  it('opens the list of shortcuts with ?, a real dialog that Escape closes', async () => {
    // Typed into a text field, ? is only a character.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Catalogue' }).click();
    await page.keyboard.press('F2');
    await page.getByRole('button', { name: 'Shortcuts' }).focus();
    await page.keyboard.press('Shift+Slash');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('row', { name: /Alt\+U Go to Check out/ }).count()).toBe(1);
    expect(await dialog.getByRole('row', { name: /F2/ }).count()).toBe(1);
    // Screen keys do nothing while the dialog is open; focus stays in it.
    await page.keyboard.press('Alt+r');
    expect(await currentTab()).toBe('Catalogue');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await screenshotIn(page, 'shell-keyboard-help');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // React Aria gives the focus back in the animation frame after the dialog goes.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Shortcuts');

    // And in Spanish.
    await page.locator('.language-switch select').selectOption('es');
    await page.getByRole('button', { name: 'Atajos', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Atajos de teclado' }).isVisible()).toBe(true);
    expect(
      await page
        .getByRole('dialog')
        .getByRole('row', { name: /Alt\+R Ir a Devolución|Alt\+R Ir a/ })
        .count(),
    ).toBe(1);
    await page.getByRole('dialog').getByRole('button', { name: 'Cerrar' }).filter({ hasText: 'Cerrar' }).click();
    await page.locator('.language-switch select').selectOption('en');
  });

  it('follows the OS into dark mode and offers high contrast, with a visible focus ring', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe('rgb(20, 23, 27)');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(background).toBe('rgb(255, 255, 255)');
    await page.getByLabel('Theme').selectOption('contrast');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('contrast');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)');
    // The choice is the machine's: kept over a reload.
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('contrast');
    await page.getByLabel('Theme').selectOption('auto');
    expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();
    // On "As this computer", a system set to more contrast gets the high-contrast theme, as it changes.
    await page.emulateMedia({ contrast: 'more' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBe('contrast');
    await page.emulateMedia({ contrast: null });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();

    await nav().getByRole('button', { name: 'Check out' }).focus();
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(3);
  });

  /** Every screen, at the page's current size: what overflows sideways, and where the status bar is. */
  async function layoutProblems(): Promise<string[]> {
    const problems: string[] = [];
    for (const name of SCREEN_TABS) {
      await nav().getByRole('button', { name }).click();
      await page.waitForTimeout(100);
      const facts = await page.evaluate(() => {
        const root = document.scrollingElement!;
        const bar = document.querySelector('.status-bar')!;
        const main = document.querySelector('main')!;
        // The outermost element that runs past the window's right edge, to say what to fix.
        const past = [...document.querySelectorAll('body *')].find(
          (el) => el.getBoundingClientRect().right > root.clientWidth + 1,
        );
        const culprit = past
          ? `${past.tagName.toLowerCase()}${past.className ? `.${String(past.className).split(' ').join('.')}` : ''} "${(past.textContent ?? '').slice(0, 40)}"`
          : '';
        return {
          culprit,
          overflow: root.scrollWidth - root.clientWidth,
          barPosition: getComputedStyle(bar).position,
          barBelowMain: bar.getBoundingClientRect().top >= main.getBoundingClientRect().bottom - 1,
        };
      });
      if (facts.overflow > 0) problems.push(`${name}: ${facts.overflow}px wider than the window (${facts.culprit})`);
      if (facts.barPosition === 'fixed' || facts.barPosition === 'absolute')
        problems.push(`${name}: the status bar is ${facts.barPosition}`);
      if (!facts.barBelowMain) problems.push(`${name}: the status bar is not after the content`);
    }
    return problems;
  }

  it('fits 1280 x 720 and a desk zoomed to 200 % (640 x 360) on every screen, the status bar after the content', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await layoutProblems()).toEqual([]);
    await screenshotIn(page, 'shell-settings');
    await page.setViewportSize({ width: 640, height: 360 });
    expect(await layoutProblems()).toEqual([]);
    await nav().getByRole('button', { name: 'Check out' }).click();
    await screenshotIn(page, 'shell-checkout-zoom200');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  /**
   * The header and the tabs at the page's current size: neither scrolls or clips sideways, every
   * control in them is wholly in the window, and together they leave most of the height to the
   * work (at 200 % zoom nine full-size tabs in three rows left the barcode field below the fold).
   */
  async function headerProblems(maxShare: number): Promise<string[]> {
    return page.evaluate((maxShare) => {
      const problems: string[] = [];
      const width = document.documentElement.clientWidth;
      const height = document.documentElement.clientHeight;
      const parts = [document.querySelector('.top')!, document.querySelector('nav.tabs')!];
      for (const part of parts) {
        const name = part.tagName.toLowerCase() + '.' + part.className;
        if (part.scrollWidth > part.clientWidth + 1)
          problems.push(`${name} scrolls sideways by ${part.scrollWidth - part.clientWidth}px`);
        for (const control of part.querySelectorAll<HTMLElement>('button, select, a:not(.skip), label, .brand')) {
          const r = control.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.left < -1 || r.right > width + 1)
            problems.push(
              `${name}: "${control.textContent?.trim().slice(0, 30)}" is cut off (${Math.round(r.left)}..${Math.round(r.right)} of ${width})`,
            );
          if (control.scrollWidth > control.clientWidth + 1 && getComputedStyle(control).overflowX !== 'visible')
            problems.push(`${name}: "${control.textContent?.trim().slice(0, 30)}" clips its text`);
        }
      }
      const bottom = parts[1]!.getBoundingClientRect().bottom;
      if (bottom > height * maxShare)
        problems.push(
          `the header and tabs take ${Math.round(bottom)}px of ${height}px, over ${Math.round(maxShare * 100)} %`,
        );
      return problems;
    }, maxShare);
  }

  it('fits the header and every tab in the window at 1280 x 720 and at 200 % zoom (640 x 360), leaving room for the work', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await nav().getByRole('button', { name: 'Check out' }).click();
    expect(await headerProblems(0.25)).toEqual([]);
    await page.setViewportSize({ width: 640, height: 360 });
    expect(await headerProblems(0.5)).toEqual([]);
    // Every tab still there, named, and working by click at that size.
    for (const name of SCREEN_TABS) await expect.poll(() => nav().getByRole('button', { name }).isVisible()).toBe(true);
    await nav().getByRole('button', { name: 'Check in' }).click();
    expect(await currentTab()).toBe('Check in');
    await nav().getByRole('button', { name: 'Check out' }).click();
    await screenshotIn(page, 'shell-header-zoom200');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('keeps the work area to a readable width on a 1920-pixel screen', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await nav().getByRole('button', { name: 'Check out' }).click();
    const width = await page.evaluate(() => document.querySelector('main')!.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(1440);
    for (const theme of ['light', 'dark', 'contrast'] as const) await screenshotIn(page, 'shell-checkout', { theme });
    // The shortcuts dialog over the desk, dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Shortcuts', exact: true }).click();
    await screenshotIn(page, 'shell-keyboard-help', { theme: 'dark' });
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: null });
    await screenshotIn(page, 'shell-checkout', { theme: 'dark', locale: 'es' });
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('never hands a staff session to a kiosk tab opened from the desk', async () => {
    const [kiosk] = await Promise.all([page.waitForEvent('popup'), page.evaluate(() => void window.open('/kiosk'))]);
    await expect.poll(() => kiosk.getByRole('button', { name: 'Staff: leave kiosk mode' }).isVisible()).toBe(true);
    expect(await kiosk.evaluate(() => sessionStorage.getItem('circa.staffSession'))).toBeNull();
    expect(await kiosk.getByText('Signed in as Marge Simpson').count()).toBe(0);
    // Reloaded, it is still the kiosk with nobody signed in.
    await kiosk.reload();
    await expect.poll(() => kiosk.getByRole('button', { name: 'Staff: leave kiosk mode' }).isVisible()).toBe(true);
    expect(await kiosk.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await kiosk.close();
  });

  it('signs out for good: a reload after Sign out asks for the password', async () => {
    // The kiosk tab left this browser in kiosk mode (localStorage); a fresh context is the desk.
    const desk = await browser.newPage({ locale: 'en-US' });
    desk.setDefaultTimeout(10_000);
    await desk.goto(station.url);
    await desk.getByLabel('Username', { exact: true }).fill('marge');
    await desk.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => desk.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    await desk.getByRole('button', { name: 'Sign out' }).click();
    await desk.reload();
    await expect.poll(() => desk.getByLabel('Username', { exact: true }).isVisible()).toBe(true);
    expect(await desk.evaluate(() => sessionStorage.getItem('circa.staffSession'))).toBeNull();
    await desk.close();
  });
});
