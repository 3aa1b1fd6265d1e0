// The desk and the kiosk in a real Chromium against a real headless station.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ptyPair } from '../devices/support';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, screenshot, startServe, wedgeScan, type RunningStation } from './support';

let station: RunningStation;
let browser: Browser;
let page: Page;
let adminToken = '';
/** Every event stream the desk opened. */
const eventStreams: string[] = [];

beforeAll(async () => {
  station = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.on('request', (r) => {
    if (r.url().includes('/api/events')) eventStreams.push(r.url());
  });
  // A step that cannot happen fails in seconds with what it waited for, not at the test's timeout.
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('a day at the desk, in the browser', () => {
  it('sets up the library with the first-run wizard and signs in', async () => {
    await page.goto(station.url);
    await page.getByLabel('Library name').fill('Springfield Public Library');
    await page.getByLabel('Branch name').fill('Main Street');
    // The time zone is a searchable list (a combobox): typed whole, the zone is chosen.
    await page.getByRole('combobox', { name: 'Time zone' }).fill('America/New_York');
    await page.getByRole('combobox', { name: 'Time zone' }).press('Tab');
    await page.getByLabel('Administrator username').fill('marge');
    await page.getByLabel('Administrator full name').fill('Marge Simpson');
    await page.getByLabel('Administrator password (8 characters or more)').fill('donut hole 42');
    await screenshot(page, '01-setup-wizard');
    await page.getByRole('button', { name: 'Set up the station' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Staff sign-in' }).isVisible()).toBe(true);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await screenshot(page, '02-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('Patron barcode').isVisible()).toBe(true);

    adminToken = (await api(station.url, 'auth.signIn', { username: 'marge', password: 'donut hole 42' }))
      .token as string;
    const record = await api(
      station.url,
      'catalogue.addRecord',
      { title: 'Cien años de soledad', author: 'García Márquez, Gabriel' },
      adminToken,
    );
    for (const n of [1, 2, 3])
      await api(
        station.url,
        'catalogue.addItem',
        { barcode: itemBarcode(n), recordId: record.id, itemTypeCode: 'BOOK' },
        adminToken,
      );
    await api(
      station.url,
      'patrons.register',
      { cardBarcode: patronCard(1), firstName: 'Lisa', lastName: 'Simpson', categoryCode: 'ADULT', pin: '1234' },
      adminToken,
    );
    await api(
      station.url,
      'patrons.register',
      {
        cardBarcode: patronCard(2),
        firstName: 'Bart',
        lastName: 'Simpson',
        categoryCode: 'ADULT',
        cardExpiresOn: '2020-01-01',
      },
      adminToken,
    );
    await api(
      station.url,
      'staff.save',
      { username: 'skinner', displayName: 'Seymour Skinner', role: 'supervisor', password: 'principal pass' },
      adminToken,
    );
  });

  it('checks out by typing, with the due date on screen', async () => {
    await page.getByLabel('Patron barcode').fill(patronCard(1));
    await page.getByLabel('Patron barcode').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Lisa Simpson' }).isVisible()).toBe(true);
    await page.getByLabel('Item barcode').fill(itemBarcode(1));
    await page.getByLabel('Item barcode').press('Enter');
    const row = page.getByTestId('loan-row').first();
    await expect.poll(() => row.textContent()).toMatch(/Cien años de soledad.*Checked out/);
    await screenshot(page, '03-checkout');
  });

  it('takes a wedge scan while the focus is elsewhere', async () => {
    await page.getByRole('heading', { name: 'Check out', level: 1 }).click();
    await page.locator('body').focus();
    await wedgeScan(page, itemBarcode(2));
    await expect.poll(() => page.getByTestId('loan-row').count()).toBe(2);
    expect(await page.getByTestId('loan-row').first().textContent()).toContain(itemBarcode(2));
  });

  it('keeps the check-out while staff step over to Patrons and back', async () => {
    await page.getByRole('button', { name: 'Patrons' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Patrons', level: 1 }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Check out' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Lisa Simpson' }).isVisible()).toBe(true);
    expect(await page.getByTestId('loan-row').count()).toBe(2);
    expect(await page.getByTestId('loan-row').first().textContent()).toContain(itemBarcode(2));
  });

  it('shows a refusal in words and lets a supervisor override it on the spot', async () => {
    await page.getByRole('button', { name: 'Finish and clear' }).click();
    await wedgeScan(page, patronCard(2));
    await expect.poll(() => page.getByRole('heading', { name: 'Bart Simpson' }).isVisible()).toBe(true);
    await wedgeScan(page, itemBarcode(3));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The card expired on Jan 1, 2020.');
    await screenshot(page, '04-refusal');
    await page.getByRole('button', { name: 'Override' }).click();
    await page.getByLabel('Supervisor username').fill('skinner');
    await page.getByLabel('Supervisor password').fill('principal pass');
    await page.getByRole('button', { name: 'Override and check out' }).click();
    await expect.poll(() => page.getByTestId('loan-row').count()).toBe(1);
  });

  it('checks in with a scan and says what to do with the item, in Spanish too', async () => {
    await page.getByRole('button', { name: 'Check in' }).click();
    await wedgeScan(page, itemBarcode(1));
    await expect.poll(() => page.getByTestId('return-row').first().textContent()).toContain('Shelve');
    await screenshot(page, '05-checkin');
    await page.getByLabel('Language').selectOption('es');
    await expect.poll(() => page.getByLabel('Código del ejemplar').isVisible()).toBe(true);
    await screenshot(page, '06-checkin-es');
    await page.getByLabel('Idioma').selectOption('en');
  });
});

describe('renewals at the desk', () => {
  it('renews by scanning the item, and shows why a renewal is refused', async () => {
    await page.getByRole('button', { name: 'Renew' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Renew', level: 1 }).isVisible()).toBe(true);
    await wedgeScan(page, itemBarcode(2)); // lent to Lisa earlier
    await expect
      .poll(() => page.getByTestId('renew-row').first().textContent())
      .toMatch(/Cien años de soledad.*Renewed, due/);
    await wedgeScan(page, itemBarcode(1)); // checked in already
    await expect.poll(() => page.getByTestId('renew-row').first().textContent()).toContain('This item is not on loan.');
    await screenshot(page, '10-renew');
  });

  it('lets a supervisor override a refused renewal on the spot', async () => {
    await wedgeScan(page, itemBarcode(3)); // lent to Bart, whose card has expired
    const refused = page.getByTestId('renew-row').first();
    await expect.poll(() => refused.textContent()).toContain('The card expired on Jan 1, 2020.');
    await refused.getByRole('button', { name: 'Override' }).click();
    await page.getByLabel('Supervisor username').fill('skinner');
    await page.getByLabel('Supervisor password').fill('principal pass');
    await page.getByRole('button', { name: 'Override and renew' }).click();
    await expect
      .poll(() => page.getByTestId('renew-row').first().textContent())
      .toMatch(new RegExp(`Cien años de soledad${itemBarcode(3)}.*Renewed, due`));
    expect(await page.getByTestId('renew-row').nth(1).textContent()).toContain('(overridden by a supervisor)');
  });
});

describe('patrons at the desk', () => {
  it('registers a patron with the form, finds her, and takes a cash payment with change', async () => {
    await page.getByRole('button', { name: 'Patrons' }).click();
    await page.getByRole('button', { name: 'Register a patron' }).click();
    await page.getByLabel('Patron barcode', { exact: true }).fill(patronCard(3));
    await page.getByLabel('First name').fill('Edna');
    await page.getByLabel('Last name').fill('Krabappel');
    await page.getByLabel('Email', { exact: true }).fill('edna@example.org');
    await page.getByRole('button', { name: 'Save the patron' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Edna Krabappel' }).isVisible()).toBe(true);
    await screenshot(page, '11-patron-registered');

    const lisa = await api(station.url, 'patrons.lookup', { barcode: patronCard(1) }, adminToken);
    await api(
      station.url,
      'fees.charge',
      { patronId: (lisa.patron as { id: string }).id, kind: 'damage', amount: 375, description: 'Water damage' },
      adminToken,
    );
    await page.getByLabel('Find a patron (name, card, email or phone)').fill('lis simp');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Open Lisa Simpson' }).click();
    await expect.poll(() => page.getByTestId('fees-owed').textContent()).toBe('$3.75');
    await page.getByLabel('Cash handed over').fill('5');
    await page.getByRole('button', { name: 'Take the payment' }).click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('Paid $3.75. Change due: $1.25');
    await expect.poll(() => page.getByTestId('fees-owed').textContent()).toBe('$0.00');
    await screenshot(page, '12-payment');
  });
});

describe('holds at the desk', () => {
  it('places a hold from a catalogue search, and check-in traps it onto the hold shelf', async () => {
    await page.getByRole('button', { name: 'Holds' }).click();
    await page.getByLabel('Find a title (words from the title, author, ISBN or call number)').fill('soledad');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('For the patron with card').fill(patronCard(3));
    await page
      .getByTestId('catalogue-hit')
      .first()
      .getByRole('button', { name: /^Place a hold/ })
      .click();
    // The card typed above is the hold's; the pickup branch is this desk's unless another is chosen.
    const holdForm = page.getByRole('form', { name: 'Place a hold on Cien años de soledad' });
    await expect
      .poll(() => holdForm.getByRole('button', { name: /Pick up at/ }).textContent())
      .toContain('Main Street');
    await holdForm.getByRole('button', { name: 'Place a hold', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('Hold placed on Cien años de soledad for Edna Krabappel.');
    await screenshot(page, '13-holds');
    // Lisa returns her copy: it is trapped for Edna.
    await page.getByRole('button', { name: 'Check in' }).click();
    await wedgeScan(page, itemBarcode(2));
    // A hold found stops the desk in a dialog until staff acknowledge it.
    const found = page.getByRole('alertdialog', { name: 'Hold found' });
    await expect.poll(() => found.textContent()).toContain('Hold shelf for Edna');
    // It names her as the hold slip does (first name, the card's last digits), and offers the
    // slip to the system printer: this desk has no receipt printer.
    expect(await found.textContent()).toMatch(
      new RegExp(`Hold shelf for Edna \\*${patronCard(3).slice(-4)}.*Keep until \\w{3} \\d{1,2}, \\d{4}\\.`),
    );
    expect(await found.textContent()).not.toContain('Krabappel');
    expect(await found.getByRole('button', { name: 'Print slip' }).isVisible()).toBe(true);
    await found.getByRole('button', { name: 'OK, I have it' }).click();
    const trap = page.getByTestId('return-row').first();
    expect(await trap.textContent()).toContain(`Hold shelf for Edna *${patronCard(3).slice(-4)}`);
    await page.getByRole('button', { name: 'Holds' }).click();
    await expect.poll(() => page.getByTestId('shelf-row').first().textContent()).toContain('Edna Krabappel');
  });

  it("shows a title's queue, and suspends, resumes and cancels a hold in it", async () => {
    await page.getByLabel('Find a title (words from the title, author, ISBN or call number)').fill('soledad');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('For the patron with card').fill(patronCard(1));
    await page
      .getByTestId('catalogue-hit')
      .first()
      .getByRole('button', { name: /^Place a hold/ })
      .click();
    await page
      .getByRole('form', { name: 'Place a hold on Cien años de soledad' })
      .getByRole('button', { name: 'Place a hold', exact: true })
      .click();
    const lisa = page.getByTestId('queue-entry').filter({ hasText: 'Lisa Simpson' });
    await expect.poll(() => lisa.textContent()).toContain('waiting in the queue');
    expect(await page.getByTestId('queue-entry').filter({ hasText: 'Edna Krabappel' }).textContent()).toContain(
      'on the hold shelf',
    );
    await page.getByLabel('Suspend until, for Lisa Simpson').fill('2030-01-15');
    await page.getByRole('button', { name: 'Suspend the hold of Lisa Simpson' }).click();
    await expect.poll(() => lisa.textContent()).toContain('suspended until Jan 15, 2030');
    await screenshot(page, '13b-holds-queue');
    await page.getByRole('button', { name: 'Resume the hold of Lisa Simpson' }).click();
    await expect.poll(() => lisa.textContent()).not.toContain('suspended');
    await page.getByRole('button', { name: 'Cancel the hold of Lisa Simpson' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('The hold of Lisa Simpson is cancelled.');
    // The message comes first, then the queue as it now is.
    await expect.poll(() => page.getByTestId('queue-entry').count()).toBe(1);
  });
});

describe('the catalogue', () => {
  it('adds a record and a copy, and marks the copy damaged', async () => {
    await page.getByRole('button', { name: 'Catalogue' }).click();
    await page.getByLabel('Title', { exact: true }).fill('El amor en los tiempos del cólera');
    await page.getByLabel('Author', { exact: true }).fill('García Márquez, Gabriel');
    await page.getByRole('button', { name: 'Add a record' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'El amor en los tiempos del cólera' }).isVisible())
      .toBe(true);
    await page.getByLabel('Item barcode').fill(itemBarcode(40));
    await page.getByLabel('Replacement price').fill('24.95');
    await page.getByRole('button', { name: 'Add a copy' }).first().click();
    await expect.poll(() => page.getByTestId('copy-row').first().textContent()).toContain('on the shelf');
    await page.getByLabel(`Change the status of ${itemBarcode(40)}`).selectOption('damaged');
    await expect.poll(() => page.getByTestId('copy-row').first().textContent()).toContain('damaged');
    await screenshot(page, '14-catalogue');
  });

  it('corrects the catalogue: deletes a copy added by mistake, and says why a copy on loan cannot go', async () => {
    await page.getByLabel('Item barcode').fill(itemBarcode(41));
    await page.getByRole('button', { name: 'Add a copy' }).first().click();
    await expect.poll(() => page.getByTestId('copy-row').count()).toBe(2);
    // Ready for the next barcode.
    await expect.poll(() => page.getByLabel('Item barcode').inputValue()).toBe('');
    await page.getByRole('button', { name: `Delete copy ${itemBarcode(41)}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('copy-row').count()).toBe(1);

    await page.getByLabel(/Search the catalogue/).fill('soledad');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('catalogue-hit').first().textContent()).toMatch(/\d of 3 on the shelf/);
    await page.getByRole('button', { name: 'Open Cien años de soledad' }).click();
    await page.getByRole('button', { name: `Delete copy ${itemBarcode(3)}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect
      .poll(() => page.getByRole('dialog').getByRole('alert').textContent())
      .toContain(`Copy ${itemBarcode(3)} is on loan`);
    await screenshot(page, '14b-catalogue-delete-refused');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('copy-row').count()).toBe(3);
  });
});

describe('reports', () => {
  it('shows today at a glance, with the numbers in a table as well as a chart', async () => {
    await page.getByRole('button', { name: 'Reports' }).click();
    await expect
      .poll(() => page.getByRole('img', { name: 'Check-outs, returns and renewals by hour' }).isVisible())
      .toBe(true);
    expect(await page.getByTestId('hour-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('hour-bar').count()).toBe(24);
    await expect.poll(() => page.getByRole('img', { name: 'Loans today by item type' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('type-row').first().textContent()).toMatch(/^Book\d+$/);
    await expect
      .poll(() => page.getByRole('link', { name: 'Download as CSV' }).getAttribute('download'))
      .toBe('overdue.csv');
    await screenshot(page, '15-reports');
    // From any screen, the status bar's exceptions count opens the list to work through.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Check in' }).click();
    await page.getByRole('contentinfo').getByRole('button', { name: 'Sync exceptions: 0' }).click();
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.textContent'))
      .toBe('Sync exceptions to work through');
  });
});

describe('the devices settings screen', () => {
  it('lists devices, shows a test scan and previews a slip as it prints', async () => {
    await page.getByRole('button', { name: 'Devices' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Devices', level: 1 }).isVisible()).toBe(true);
    await wedgeScan(page, patronCard(1));
    await expect.poll(() => page.getByTestId('test-scan').textContent()).toContain(`${patronCard(1)} (patron, wedge)`);
    await page.getByLabel('Slip', { exact: true }).selectOption('transit');
    await expect.poll(() => page.getByTestId('slip-preview').textContent()).toContain('TRANSIT');
    // The status bar names the devices' states in words, and says when there is no receipt printer.
    await expect
      .poll(() => page.getByTestId('status-printer').textContent(), { timeout: 5_000 })
      .toBe('Printer: No printer');
    await expect.poll(() => page.getByTestId('status-scanner').textContent()).toBe('Scanner: keyboard (wedge)');
    await screenshot(page, '09-devices');
  });

  it("hears the station's serial scanner through the event stream, opened with the desk's session", async () => {
    // The station streams scans only to a signed-in session: the desk opened its stream with its token.
    // (None before sign-in: the set-up wizard and the sign-in screen opened none.)
    expect(eventStreams.length).toBeGreaterThan(0);
    for (const url of eventStreams) expect(new URL(url).searchParams.get('token')).toBeTruthy();
    expect((await fetch(`${station.url}/api/events`)).status).toBe(401);

    const pair = await ptyPair();
    const before = (await api(station.url, 'devices.get', {}, adminToken)).config as { scanners: unknown[] };
    try {
      await api(
        station.url,
        'devices.configure',
        { ...before, scanners: [{ kind: 'serial', id: 'desk-scanner', path: pair.device, suffix: 'CR' }] },
        adminToken,
      );
      await expect
        .poll(
          async () =>
            ((await api(station.url, 'devices.get', {}, adminToken)).states as { id?: string; status?: string }[]).find(
              (d) => d.id === 'desk-scanner',
            )?.status,
        )
        .toBe('connected');
      writeFileSync(pair.peer, `${patronCard(3)}\r`);
      await expect
        .poll(() => page.getByTestId('test-scan').textContent())
        .toContain(`${patronCard(3)} (patron, device)`);
    } finally {
      await api(station.url, 'devices.configure', before, adminToken);
      await pair.close();
    }
  });

  it('sets up a serial scanner and a network receipt printer in the form: the scanner scans, the printer prints', async () => {
    const before = (await api(station.url, 'devices.get', {}, adminToken)).config;
    const pair = await ptyPair();
    // A network receipt printer (port 9100): a listener stands in for it.
    const received: Buffer[] = [];
    const printer: Server = createServer((socket) => socket.on('data', (d: Buffer) => received.push(d)));
    await new Promise<void>((resolve) => printer.listen(0, '127.0.0.1', resolve));
    const port = (printer.address() as { port: number }).port;
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Devices' }).click();
      await page.getByRole('button', { name: 'Add a scanner' }).click();
      const scanner = page.getByRole('group', { name: 'Scanner 1' });
      await scanner.getByLabel('Name', { exact: true }).fill('counter-scanner');
      await scanner.getByLabel('Serial port').fill(pair.device);
      await scanner.getByLabel('End of each barcode').selectOption('CR');
      await page.getByRole('button', { name: 'Add a receipt printer' }).click();
      const receipts = page.getByRole('group', { name: 'Printer 1' });
      await receipts.getByLabel('Name', { exact: true }).fill('counter-printer');
      await receipts.getByLabel('Connection').selectOption('tcp');
      await receipts.getByLabel('Address').fill('127.0.0.1');
      // A port no printer can have is refused next to the field, and nothing is saved.
      await receipts.getByLabel('Port', { exact: true }).fill('70000');
      await page.getByRole('button', { name: 'Save device settings' }).click();
      await expect.poll(() => page.getByText('At most 65535.').isVisible()).toBe(true);
      expect(
        ((await api(station.url, 'devices.get', {}, adminToken)).config as { printers: unknown[] }).printers,
      ).toEqual([]);
      await receipts.getByLabel('Port', { exact: true }).fill(String(port));
      await page.getByLabel('Footer lines').fill('Thank you for visiting');
      await page.getByRole('button', { name: 'Save device settings' }).click();
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Saved. Devices restarted.' }).count())
        .toBe(1);

      const state = (id: string) =>
        page.getByTestId('device-row').filter({ hasText: id }).locator('td').nth(2).textContent();
      await expect.poll(() => state('counter-scanner')).toBe('connected');
      await expect.poll(() => state('counter-printer')).toBe('connected');
      const saved = (await api(station.url, 'devices.get', {}, adminToken)).config as {
        scanners: unknown[];
        printers: unknown[];
        slips: { footer: string };
      };
      expect(saved.scanners).toEqual([
        {
          kind: 'serial',
          id: 'counter-scanner',
          path: pair.device,
          baudRate: 9600,
          dataBits: 8,
          parity: 'none',
          stopBits: 1,
          suffix: 'CR',
        },
      ]);
      expect(saved.printers).toEqual([
        {
          id: 'counter-printer',
          connection: { kind: 'tcp', host: '127.0.0.1', port },
          columns: 48,
          paperWidth: 80,
          codePage: 'auto',
          model: 'epson-tm-t88vi',
          cashDrawer: false,
        },
      ]);
      expect(saved.slips.footer).toBe('Thank you for visiting');
      await screenshot(page, '09-devices-set-up');

      // The serial scanner, as the form set it up, scans.
      writeFileSync(pair.peer, `${patronCard(4)}\r`);
      await expect
        .poll(() => page.getByTestId('test-scan').textContent())
        .toContain(`${patronCard(4)} (patron, device)`);
      // The network printer, as the form set it up, prints the test slip.
      await page.getByRole('button', { name: 'Print a test slip' }).click();
      await expect
        .poll(() => Buffer.concat(received).toString('latin1'), { timeout: 10_000 })
        .toContain('counter-printer');

      // Removed in the form, they are gone from the station.
      await page.getByRole('button', { name: 'Remove printer 1' }).click();
      await page.getByRole('button', { name: 'Remove scanner 1' }).click();
      await page.getByRole('button', { name: 'Save device settings' }).click();
      await expect
        .poll(
          async () =>
            (
              (await api(station.url, 'devices.get', {}, adminToken)).config as {
                scanners: unknown[];
                printers: unknown[];
              }
            ).printers,
        )
        .toEqual([]);
      expect(
        ((await api(station.url, 'devices.get', {}, adminToken)).config as { scanners: unknown[] }).scanners,
      ).toEqual([]);
      await expect
        .poll(() => page.getByTestId('status-printer').textContent(), { timeout: 5_000 })
        .toBe('Printer: No printer');
    } finally {
      await api(station.url, 'devices.configure', before, adminToken);
      await pair.close();
      await new Promise((resolve) => printer.close(resolve));
    }
  });
});

describe('the self-checkout kiosk', () => {
  it('asks for the PIN, lends, and ends an idle session by itself', async () => {
    const kiosk = await browser.newPage({ locale: 'en-US' });
    await kiosk.goto(`${station.url}/kiosk?idle=2`);
    await kiosk.getByLabel('Library card').fill(patronCard(1));
    await kiosk.getByRole('button', { name: 'Next' }).click();
    await kiosk.getByLabel('PIN').fill('9999');
    await kiosk.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => kiosk.getByRole('alert').isVisible()).toBe(true);
    await kiosk.getByLabel('PIN').fill('1234');
    await kiosk.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Lisa' }).isVisible()).toBe(true);
    await kiosk.getByLabel('Item barcode').fill(itemBarcode(1));
    await kiosk.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => kiosk.getByTestId('kiosk-borrowed').count()).toBe(1);
    await screenshot(kiosk, '07-kiosk');
    // Walk away: the warning comes, then the session ends.
    await expect.poll(() => kiosk.getByRole('alertdialog').isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(kiosk, '08-kiosk-idle');
    await expect
      .poll(() => kiosk.getByText('Welcome! Scan your library card to begin.').isVisible(), { timeout: 20_000 })
      .toBe(true);
    // No way to the staff screens but a member of staff's own credentials.
    await kiosk.getByRole('button', { name: 'Staff: leave kiosk mode' }).click();
    await kiosk.getByLabel('Password', { exact: true }).fill('wrong');
    await kiosk.getByLabel('Username', { exact: true }).fill('marge');
    await kiosk.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => kiosk.getByRole('alert').isVisible()).toBe(true);
    await kiosk.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await kiosk.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => kiosk.getByLabel('Patron barcode').isVisible()).toBe(true);
    await kiosk.close();
  }, 60_000);
});
