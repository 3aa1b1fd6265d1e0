// Settings › Devices, in a real Chromium against a real headless station: a USB printer's path
// that is not a printer's device file (the station's own database, a folder, a link to a file)
// is refused by the station with the reason under the path field, in English and in Spanish,
// and nothing is saved or written; a real character device (a pty) is taken and connects.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ptyPrinter, type PtyPrinter } from '../devices/support';
import { api, launchBrowser, screenshot, startServe, type RunningStation, setUpSpringfield } from './support';

let station: RunningStation;
let browser: Browser;
let page: Page;
let token = '';
let lp: PtyPrinter;

beforeAll(async () => {
  station = await startServe();
  token = await setUpSpringfield(station.url);
  lp = await ptyPrinter();
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await lp?.close();
});

const printer = () => page.getByRole('group', { name: /^(Printer|Impresora) 1$/ });
const pathError = () => printer().locator('.field-error');

async function saveWithPath(path: string, save = 'Save device settings') {
  await printer()
    .getByLabel(/^(Device file|Archivo de dispositivo)$/)
    .fill(path);
  await page.getByRole('button', { name: save }).click();
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('a USB printer path in Settings › Devices', () => {
  it("is refused when it is the station's own database, with the reason under the field, and nothing changes", async () => {
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Add a receipt printer' }).click();
    await printer().getByLabel('Connection').selectOption('usb-file');

    const db = join(station.dataDir, 'station.db');
    await saveWithPath(db);
    await expect
      .poll(() => pathError().textContent())
      .toBe(`${db} is a regular file, not a printer's device file (ls -l /dev/usb lists those).`);
    // The field says it is wrong and has the focus, for the reader to correct it.
    await expect.poll(() => printer().getByLabel('Device file').getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() =>
        printer()
          .getByLabel('Device file')
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await screenshot(page, '47-devices-usb-path-refused');
    // Nothing saved, and the library is whole.
    expect(
      ((await api(station.url, 'devices.get', {}, token)) as { config: { printers: unknown[] } }).config.printers,
    ).toEqual([]);
    expect(await api(station.url, 'setup.status', {})).toMatchObject({
      configured: true,
      libraryName: 'Springfield Public Library',
    });
  });

  it('names a folder and a link to a file as what they are, in Spanish too', async () => {
    const folder = join(station.dataDir, 'not-a-printer');
    mkdirSync(folder);
    await saveWithPath(folder);
    await expect
      .poll(() => pathError().textContent())
      .toBe(`${folder} is a folder, not a printer's device file (ls -l /dev/usb lists those).`);

    const notes = join(station.dataDir, 'notes.txt');
    writeFileSync(notes, 'keep me');
    const link = join(station.dataDir, 'lp-link');
    symlinkSync(notes, link);
    await page.locator('header').getByLabel('Language').selectOption('es');
    await saveWithPath(link, 'Guardar configuración');
    await expect
      .poll(() => pathError().textContent())
      .toBe(
        `${link} es un enlace a un archivo normal, no el archivo de dispositivo de una impresora (ls -l /dev/usb los muestra).`,
      );
    expect(readFileSync(notes, 'utf8')).toBe('keep me');
    await screenshot(page, '48-devices-usb-path-refused-es');
    await page.locator('header').getByLabel('Idioma').selectOption('en');
  });

  it('takes a real character device, which then connects and test-prints', async () => {
    const db = join(station.dataDir, 'station.db');
    const before = sha(db);
    await saveWithPath(lp.path);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'saved' }).count()).toBeGreaterThan(0);
    expect(await pathError().count()).toBe(0);
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: 'printer-1' }).textContent(), { timeout: 10_000 })
      .toContain('connected');
    await page.getByRole('button', { name: 'Print a test slip' }).click();
    expect((await lp.take()).toString('latin1')).toContain('printer-1');
    await screenshot(page, '49-devices-usb-printer-connected');
    // Whatever the station wrote meanwhile, its database was never the printer.
    expect(sha(db) === before || readFileSync(db).subarray(0, 15).toString() === 'SQLite format 3').toBe(true);
  });
});
