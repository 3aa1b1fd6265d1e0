// Browser tests drive Debian's Chromium (playwright-core) against a real headless station
// (`npm run serve`) on a fresh data folder and a free port. Screenshots of each main screen go
// to tests/screenshots/ (named in the README) for anyone to look at.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { scannerBurst } from '../../renderer/components/scanner-keys';
import { freePort, ROOT } from '../support/launch';

// In tests/support/launch.ts since tests that run no page (HTTP, SIP2, Electron) use them too.
export { freePort, launchBrowser, ROOT } from '../support/launch';

export const SCREENSHOTS = join(ROOT, 'tests', 'screenshots');

export interface RunningStation {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startServe(): Promise<RunningStation> {
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html')))
    throw new Error('build the renderer first: npm run build:renderer');
  const dataDir = mkdtempSync(join(tmpdir(), 'circa-browser-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'cli', 'serve.ts'), '--data', dataDir, '--port', String(port), '--no-build'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // Up to 30 s: on a busy shared machine tsx alone takes over 10 s to load the station.
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    process: child,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const keyboards = new WeakMap<Page, Promise<CDPSession>>();

/**
 * Types as a keyboard-wedge scanner does: keys `gapMs` apart, then Enter, into whatever has the
 * focus. Real key events, stamped at the scanner's pace (renderer/components/scanner-keys.ts).
 */
export async function wedgeScan(page: Page, barcode: string, gapMs = 5): Promise<void> {
  let keyboard = keyboards.get(page);
  if (!keyboard) keyboards.set(page, (keyboard = page.context().newCDPSession(page)));
  const session = await keyboard;
  // One after another (sent at once, Chromium took a key after the Enter): the time stamps, not
  // the sending, make the rhythm.
  for (const event of scannerBurst(barcode, gapMs, Date.now())) await session.send('Input.dispatchKeyEvent', event);
}

/**
 * Presses the keys of a scan and Enter in real time, `gapMs` apart: the Enter's time stamp is when
 * Chromium took it, where the UI benchmark's clock starts. On a loaded machine the gaps stretch
 * and the burst may not be a scan: tests use wedgeScan.
 */
export async function pressScan(page: Page, barcode: string, gapMs = 5): Promise<void> {
  for (const ch of barcode)
    await page.keyboard.press(ch, { delay: 0 }).then(() => new Promise((r) => setTimeout(r, gapMs)));
  await page.keyboard.press('Enter');
}

/** Sets the station up through the API (the wizard itself is tested in desk.test.ts). */
export async function api(url: string, name: string, input: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${name}: ${JSON.stringify(body)}`);
  return body;
}

/** The Springfield library the browser tests start from, set up through the API: Marge, its administrator, signed in; her session token. */
export async function setUpSpringfield(url: string, timeZone = 'America/New_York'): Promise<string> {
  await api(url, 'setup.initialize', {
    libraryName: 'Springfield Public Library',
    branchCode: 'MAIN',
    branchName: 'Main Street',
    timeZone,
    currency: 'USD',
    locale: 'en-US',
    admin: { username: 'marge', displayName: 'Marge Simpson', password: 'donut hole 42' },
  });
  return (await api(url, 'auth.signIn', { username: 'marge', password: 'donut hole 42' })).token as string;
}

export interface ShotOptions {
  /** 'light' and 'dark' as the OS would ask (prefers-color-scheme); 'contrast' the high-contrast theme. */
  theme?: 'light' | 'dark' | 'contrast';
  /** The desk's language, switched with its own Language list (and switched back afterwards). */
  locale?: 'en' | 'es';
  viewport?: { width: number; height: number };
}

/**
 * A full-page screenshot of the page as it is, in a given theme, language and window size
 * (e.g. `screenshotIn(page, 'checkout', { theme: 'dark', locale: 'es', viewport: { width: 1920, height: 1080 } })`
 * saves tests/screenshots/checkout-dark-es-1920x1080.png). The page is put back as it was.
 * Returns the file's path.
 */
export async function screenshotIn(page: Page, name: string, options: ShotOptions = {}): Promise<string> {
  const theme = options.theme ?? 'light';
  const before = {
    viewport: page.viewportSize(),
    theme: await page.evaluate(() => document.documentElement.dataset.theme ?? null),
  };
  // The header's Theme list, when the page has one (and no dialog covers it), so the screenshot shows the choice it is in.
  const themeList = page.locator('.theme-switch select');
  const themeListBefore =
    (await themeList.count()) > 0 && (await page.locator('[role="dialog"]').count()) === 0
      ? await themeList.inputValue()
      : null;
  const language = page.locator('.language-switch select');
  const hasLanguage = (await language.count()) > 0;
  const languageBefore = hasLanguage ? await language.inputValue() : null;
  try {
    if (options.viewport) await page.setViewportSize(options.viewport);
    await page.emulateMedia({ colorScheme: theme === 'dark' ? 'dark' : 'light' });
    if (themeListBefore !== null) await themeList.selectOption(theme === 'contrast' ? 'contrast' : 'auto');
    await page.evaluate((t) => {
      if (t === 'contrast') document.documentElement.dataset.theme = 'contrast';
      else delete document.documentElement.dataset.theme;
    }, theme);
    if (options.locale && hasLanguage && options.locale !== languageBefore) {
      await language.selectOption(options.locale);
      await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), options.locale);
    }
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const size = page.viewportSize();
    const file = join(
      SCREENSHOTS,
      [name, theme, options.locale ?? languageBefore ?? 'en', size ? `${size.width}x${size.height}` : '']
        .filter(Boolean)
        .join('-') + '.png',
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    return file;
  } finally {
    if (hasLanguage && languageBefore && options.locale && options.locale !== languageBefore)
      await language.selectOption(languageBefore);
    if (before.viewport) await page.setViewportSize(before.viewport);
    await page.emulateMedia({ colorScheme: null });
    if (themeListBefore !== null) await themeList.selectOption(themeListBefore);
    await page.evaluate((t) => {
      if (t) document.documentElement.dataset.theme = t;
      else delete document.documentElement.dataset.theme;
    }, before.theme);
  }
}
