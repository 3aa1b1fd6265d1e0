// The self-checkout kiosk in a real Chromium against a real headless station with no hub: the
// PIN is checked at the station, renewals say what happened to each loan, holds ready are named,
// the receipt prints on the receipt printer only (never the system print dialog, whose "print to
// file" would open a file chooser), the desk's addresses lead back to the kiosk unless staff sign
// in to leave it, the idle timeout is the library's setting, and the desk's wedge key gap is the
// station's.
import { createServer, type Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, writeSync } from 'node:fs';
import { decodeEscPos } from '../devices/escpos-decoder';
import { ptyPair } from '../devices/support';
import { itemBarcode, patronCard } from '../support/station';
import { api, launchBrowser, screenshot, startServe, wedgeScan, type RunningStation, setUpSpringfield } from './support';

let station: RunningStation;
let browser: Browser;
let token = '';

/**
 * Records every call of window.print, in the page and in any frame (init scripts run in every
 * frame), on the top window as window.printCalls, and the slips handed to the system printer
 * (printHtml's iframes) as window.printed. The recorder prints nothing itself.
 */
const RECORD_PRINTS = `
  (() => {
    const top = window.top;
    top.printCalls = top.printCalls || [];
    window.print = () => void top.printCalls.push(location.href);
    if (window !== top) return;
    window.printed = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLIFrameElement) window.printed.push(n.srcdoc);
    }).observe(document, { childList: true, subtree: true });
  })();
`;

beforeAll(async () => {
  station = await startServe();
  token = await setUpSpringfield(station.url);
  const cien = await api(station.url, 'catalogue.addRecord', { title: 'Cien años de soledad' }, token);
  await api(station.url, 'catalogue.addItem', { barcode: itemBarcode(1), recordId: cien.id, itemTypeCode: 'BOOK' }, token);
  await api(station.url, 'catalogue.addItem', { barcode: itemBarcode(2), recordId: cien.id, itemTypeCode: 'BOOK' }, token);
  const rayuela = await api(station.url, 'catalogue.addRecord', { title: 'Rayuela' }, token);
  await api(station.url, 'catalogue.addItem', { barcode: itemBarcode(3), recordId: rayuela.id, itemTypeCode: 'BOOK' }, token);
  const paramo = await api(station.url, 'catalogue.addRecord', { title: 'Pedro Páramo' }, token);
  await api(station.url, 'catalogue.addItem', { barcode: itemBarcode(4), recordId: paramo.id, itemTypeCode: 'BOOK' }, token);
  const lisa = await api(station.url, 'patrons.register', { cardBarcode: patronCard(1), firstName: 'Lisa', lastName: 'Simpson', categoryCode: 'ADULT', pin: '1234' }, token);
  const bart = await api(station.url, 'patrons.register', { cardBarcode: patronCard(2), firstName: 'Bart', lastName: 'Simpson', categoryCode: 'ADULT' }, token);
  // Lisa has Rayuela, which Bart is waiting for; Pedro Páramo waits for her on the hold shelf.
  await api(station.url, 'circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(3) }, token);
  await api(station.url, 'holds.place', { patronId: (bart.patron as { id: string }).id, recordId: rayuela.id }, token);
  await api(station.url, 'holds.place', { patronId: (lisa.patron as { id: string }).id, recordId: paramo.id }, token);
  await api(station.url, 'circulation.checkin', { itemBarcode: itemBarcode(4) }, token);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

async function openKiosk(query = '?idle=600'): Promise<Page> {
  // A context of its own, as a kiosk browser's profile: its tabs share storage.
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(RECORD_PRINTS);
  const kiosk = await context.newPage();
  kiosk.setDefaultTimeout(10_000);
  await kiosk.goto(`${station.url}/kiosk${query}`);
  return kiosk;
}

async function signIn(kiosk: Page, card: string, pin: string) {
  await kiosk.getByLabel('Library card').fill(card);
  await kiosk.getByRole('button', { name: 'Next' }).click();
  await kiosk.getByLabel('PIN').fill(pin);
  await kiosk.getByRole('button', { name: 'Start' }).click();
}

describe('the kiosk at a station with no hub', () => {
  it('still requires the right PIN: a wrong one, or a card with no PIN, is refused', async () => {
    const status = (await api(station.url, 'status.get', {})) as { sync: { state: string } };
    expect(status.sync.state).toBe('not_configured');
    const kiosk = await openKiosk();
    await signIn(kiosk, patronCard(1), '9999');
    await expect.poll(() => kiosk.getByRole('alert').textContent()).toContain('Wrong username or password');
    expect(await kiosk.getByRole('heading', { name: 'Lisa' }).count()).toBe(0);
    await expect.poll(() => kiosk.getByLabel('PIN').isVisible()).toBe(true);
    // Bart has no PIN: nothing he types lets him in.
    await kiosk.reload();
    await signIn(kiosk, patronCard(2), '0000');
    await expect.poll(() => kiosk.getByRole('alert').isVisible()).toBe(true);
    expect(await kiosk.getByRole('heading', { name: 'Bart' }).count()).toBe(0);
    // And the station refuses it however it is asked, not only on screen.
    await expect(api(station.url, 'auth.kioskSignIn', { cardBarcode: patronCard(1), pin: '4321' })).rejects.toThrow(/UNAUTHENTICATED/);
    await kiosk.close();
  });

  it('lends, names the holds ready, renews one loan or all with each outcome in words; with no receipt printer it offers no paper and never opens the print dialog', async () => {
    const kiosk = await openKiosk();
    await signIn(kiosk, patronCard(1), '1234');
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Lisa' }).isVisible()).toBe(true);
    await expect.poll(() => kiosk.getByTestId('kiosk-hold').textContent()).toMatch(/^Pedro Páramo: at the hold shelf until \w{3} \d{1,2}, \d{4}$/);
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Holds ready for you: 1' }).isVisible()).toBe(true);

    await kiosk.getByLabel('Item barcode').fill(itemBarcode(1));
    await kiosk.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => kiosk.getByTestId('kiosk-loan').count()).toBe(2);
    await expect.poll(() => kiosk.getByTestId('kiosk-message').textContent()).toMatch(/^Borrowed: Cien años de soledad, due /);

    // One loan: renewed, with its due date.
    await kiosk.getByRole('button', { name: 'Renew Cien años de soledad' }).click();
    const cien = kiosk.getByTestId('kiosk-loan').filter({ hasText: 'Cien años de soledad' });
    await expect.poll(() => cien.getByTestId('kiosk-outcome').textContent()).toMatch(/^Renewed: now due \w{3} \d{1,2}, \d{4}\.$/);
    // All: one renewed, one refused, and why.
    await kiosk.getByRole('button', { name: 'Renew all' }).click();
    await expect.poll(() => kiosk.getByTestId('kiosk-message').textContent()).toBe('Renewed 1 of 2.');
    const rayuela = kiosk.getByTestId('kiosk-loan').filter({ hasText: 'Rayuela' });
    await expect.poll(() => rayuela.getByTestId('kiosk-outcome').textContent()).toBe(
      'Not renewed. Someone is waiting for this item, so it cannot be renewed. Please return it by its due date.',
    );
    // Cien años has used its two renewals now.
    await kiosk.getByRole('button', { name: 'Renew Cien años de soledad' }).click();
    await expect.poll(() => cien.getByTestId('kiosk-outcome').textContent()).toBe('Not renewed. This item cannot be renewed again. Please return it by its due date.');
    await screenshot(kiosk, '40-kiosk-renewals');

    // A Spanish-speaking patron reads Spanish dates.
    await kiosk.getByLabel('Language').selectOption('es');
    await expect.poll(() => cien.textContent()).toMatch(/Vence el \d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{4}/);
    await kiosk.getByLabel('Idioma').selectOption('en');

    // No receipt printer here: no receipt is offered, the kiosk says so plainly, and nothing
    // went to the system printer (its dialog's "print to file" would open a file chooser).
    await kiosk.getByRole('button', { name: 'I am done' }).click();
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Thank you! See you soon.' }).isVisible()).toBe(true);
    await expect.poll(() => kiosk.getByRole('status').filter({ hasText: 'This kiosk cannot print receipts.' }).isVisible()).toBe(true);
    expect(await kiosk.getByRole('button', { name: 'Print a receipt' }).count()).toBe(0);
    expect(await kiosk.getByText('Your receipt is printing.').count()).toBe(0);
    await screenshot(kiosk, '41-kiosk-no-receipt-printer');
    expect(await kiosk.evaluate('window.printCalls')).toEqual([]);
    expect(await kiosk.evaluate('window.printed')).toEqual([]);
    // The session is over: the patron's token no longer works.
    await kiosk.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => kiosk.getByLabel('Library card').isVisible()).toBe(true);
    await kiosk.close();
  }, 60_000);

  it('with a receipt printer set up, "No receipt" prints nothing and "Print" sends the slip to it, never to the print dialog', async () => {
    // A network receipt printer (port 9100): a listener stands in for it.
    const received: Buffer[] = [];
    const printer: Server = createServer((socket) => socket.on('data', (d: Buffer) => received.push(d)));
    await new Promise<void>((resolve) => printer.listen(0, '127.0.0.1', resolve));
    const port = (printer.address() as { port: number }).port;
    try {
      await api(station.url, 'devices.configure', { printers: [{ id: 'receipts', connection: { kind: 'tcp', host: '127.0.0.1', port } }] }, token);
      let kiosk = await openKiosk();
      await signIn(kiosk, patronCard(1), '1234');
      await kiosk.getByRole('button', { name: 'I am done' }).click();
      await kiosk.getByRole('button', { name: 'No receipt' }).click();
      await expect.poll(() => kiosk.getByRole('heading', { name: 'Thank you! See you soon.' }).isVisible()).toBe(true);
      expect(await kiosk.getByText('Your receipt is printing.').count()).toBe(0);
      expect(await kiosk.evaluate('window.printed')).toEqual([]);
      await kiosk.close();
      expect(received).toEqual([]);

      kiosk = await openKiosk();
      await signIn(kiosk, patronCard(1), '1234');
      await kiosk.getByLabel('Item barcode').fill(itemBarcode(2));
      await kiosk.getByLabel('Item barcode').press('Enter');
      await expect.poll(() => kiosk.getByTestId('kiosk-loan').count()).toBe(3);
      await kiosk.getByRole('button', { name: 'I am done' }).click();
      await screenshot(kiosk, '42-kiosk-receipt-question');
      await kiosk.getByRole('button', { name: 'Print a receipt' }).click();
      await expect.poll(() => kiosk.getByText('Your receipt is printing.').isVisible()).toBe(true);
      // The receipt printer has it (only this session's loan), and the system printer was not asked.
      await expect.poll(() => Buffer.concat(received).includes(Buffer.from([0x1d, 0x56])), { timeout: 10_000 }).toBe(true);
      const paper = decodeEscPos(Buffer.concat(received));
      expect(paper.text).toContain('Springfield Public Library');
      expect(paper.text).toContain('Cien años de soledad');
      expect(paper.text).toContain(itemBarcode(2));
      expect(paper.text).not.toContain(itemBarcode(3));
      expect(paper.text).not.toContain('Rayuela');
      expect(await kiosk.evaluate('window.printCalls')).toEqual([]);
      expect(await kiosk.evaluate('window.printed')).toEqual([]);
      await kiosk.close();
    } finally {
      await api(station.url, 'devices.configure', { printers: [] }, token);
      await new Promise((resolve) => printer.close(resolve));
    }
  }, 60_000);

  it("takes a library card scanned on the station's serial scanner at the welcome screen, then lends what it scans", async () => {
    const pair = await ptyPair();
    const record = await api(station.url, 'catalogue.addRecord', { title: 'Los detectives salvajes' }, token);
    await api(station.url, 'catalogue.addItem', { barcode: itemBarcode(9), recordId: record.id, itemTypeCode: 'BOOK' }, token);
    try {
      await api(station.url, 'devices.configure', { scanners: [{ kind: 'serial', id: 'kiosk-scanner', path: pair.device, suffix: 'CR' }] }, token);
      await expect
        .poll(async () => ((await api(station.url, 'status.get', {}, token)) as { devices: { id: string; status: string }[] }).devices.find((d) => d.id === 'kiosk-scanner')?.status, { timeout: 10_000 })
        .toBe('connected');
      const kiosk = await openKiosk();
      await expect.poll(() => kiosk.getByLabel('Library card').isVisible()).toBe(true);
      // The card scanner types nothing into the page: the scan comes from the station.
      const scan = (barcode: string) => {
        const fd = openSync(pair.peer, 'r+');
        writeSync(fd, `${barcode}\r`);
        closeSync(fd);
      };
      // The page opens its card stream as it loads; a scan before that is not heard, so the card
      // is scanned again until it is, as a patron would (a scan at the PIN step is ignored).
      await expect
        .poll(
          async () => {
            scan(patronCard(1));
            return kiosk.getByLabel('PIN').isVisible();
          },
          { interval: 300, timeout: 10_000 },
        )
        .toBe(true);
      expect(await kiosk.getByLabel('PIN').inputValue()).toBe('');
      await kiosk.getByLabel('PIN').fill('1234');
      await kiosk.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => kiosk.getByRole('heading', { name: 'Lisa' }).isVisible()).toBe(true);
      const before = await kiosk.getByTestId('kiosk-loan').count();
      scan(itemBarcode(9));
      await expect.poll(() => kiosk.getByTestId('kiosk-loan').count(), { timeout: 10_000 }).toBe(before + 1);
      expect(await kiosk.getByTestId('kiosk-loan').filter({ hasText: 'Los detectives salvajes' }).count()).toBe(1);
      await kiosk.getByRole('button', { name: 'I am done' }).click();
      await expect.poll(() => kiosk.getByRole('heading', { name: 'Thank you! See you soon.' }).isVisible()).toBe(true);
      await kiosk.close();
    } finally {
      await api(station.url, 'devices.configure', { scanners: [] }, token);
      await pair.close();
    }
  }, 60_000);
});

describe("the kiosk's window never leads to the desk without staff credentials", () => {
  const deskShown = async (page: Page) => (await page.getByRole('navigation', { name: 'Main' }).count()) + (await page.getByLabel('Username', { exact: true }).count()) > 0;
  const kioskShown = (page: Page) => page.getByRole('heading', { name: 'Welcome! Scan your library card to begin.' }).isVisible();

  it("shows the kiosk at the desk's addresses, typed or followed, in a new tab, and after a hash change", async () => {
    const kiosk = await openKiosk('');
    await expect.poll(() => kioskShown(kiosk)).toBe(true);
    for (const path of ['/', '/index.html', '/#checkout', '/?screen=settings', '/kiosk/../']) {
      await kiosk.goto(`${station.url}${path}`);
      await expect.poll(() => kioskShown(kiosk), { message: path }).toBe(true);
      expect(await deskShown(kiosk), path).toBe(false);
    }
    await screenshot(kiosk, '43-kiosk-at-desk-address');
    // In the page: the skip link, a hash change, history moved to the desk's address.
    await kiosk.getByRole('link', { name: 'Skip to main content' }).focus();
    await kiosk.keyboard.press('Enter');
    await kiosk.evaluate(() => {
      window.location.hash = '';
      window.history.pushState(null, '', '/');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    await expect.poll(() => kioskShown(kiosk)).toBe(true);
    expect(await deskShown(kiosk)).toBe(false);
    // A new tab of the same browser (Ctrl+T in a browser kiosk) is the kiosk too.
    const tab = await kiosk.context().newPage();
    await tab.goto(station.url);
    await expect.poll(() => kioskShown(tab)).toBe(true);
    expect(await deskShown(tab)).toBe(false);
    await tab.close();
    // The print, save-page and open-file keys (each a system dialog) are cancelled by the kiosk.
    await kiosk.evaluate(() => {
      (window as unknown as { keys: string[] }).keys = [];
      window.addEventListener('keydown', (e) => (window as unknown as { keys: string[] }).keys.push(`${e.key}:${e.defaultPrevented}`));
    });
    for (const key of ['Control+p', 'Control+s', 'Control+o']) await kiosk.keyboard.press(key);
    expect(await kiosk.evaluate('window.keys')).toEqual(['Control:false', 'p:true', 'Control:false', 's:true', 'Control:false', 'o:true']);
    expect(await kiosk.evaluate('window.printCalls')).toEqual([]);
    await kiosk.close();
  });

  it('signs out staff whose desk turns into the kiosk, and lets staff leave it only with their credentials', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    page.setDefaultTimeout(10_000);
    await page.goto(station.url);
    await page.getByLabel('Username', { exact: true }).fill('marge');
    await page.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    // The same window becomes the kiosk (no reload): the staff session is ended at the station.
    const calls: string[] = [];
    page.on('request', (r) => calls.push(new URL(r.url()).pathname));
    await page.evaluate(() => (window.location.hash = '#kiosk'));
    await expect.poll(() => kioskShown(page)).toBe(true);
    await expect.poll(() => calls).toContain('/api/call/auth.signOut');
    // Then its address is the desk's again: still the kiosk.
    await page.evaluate(() => (window.location.hash = ''));
    await expect.poll(() => kioskShown(page)).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);

    // Wrong credentials: still the kiosk. Right ones: the desk, and it stays the desk.
    await page.getByRole('button', { name: 'Staff: leave kiosk mode' }).click();
    const exit = page.getByRole('form', { name: 'Staff: leave kiosk mode' });
    await exit.getByLabel('Username').fill('marge');
    await exit.getByLabel('Password').fill('not her password');
    await exit.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await exit.getByLabel('Password').fill('donut hole 42');
    await exit.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    await page.goto(station.url);
    await expect.poll(() => page.getByLabel('Username', { exact: true }).isVisible()).toBe(true);
    await page.close();
  });
});

describe("the library's kiosk and scanner settings", () => {
  let desk: Page;

  it('are edited in Settings › Library', async () => {
    desk = await browser.newPage({ locale: 'en-US' });
    desk.setDefaultTimeout(10_000);
    await desk.goto(station.url);
    await desk.getByLabel('Username', { exact: true }).fill('marge');
    await desk.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await desk.getByRole('navigation', { name: 'Settings areas' }).getByRole('button', { name: 'Library', exact: true }).click();
    const idle = desk.getByLabel('Seconds without activity before the kiosk asks "Are you still there?"');
    await expect.poll(() => idle.inputValue()).toBe('60');
    await idle.fill('10');
    await desk.getByLabel('Seconds it waits for an answer before ending the session').fill('5');
    await desk.getByRole('button', { name: 'Save library settings' }).click();
    await expect.poll(async () => ((await api(station.url, 'settings.get', {}, token)) as { kiosk: unknown }).kiosk).toEqual({ idleSeconds: 10, warningSeconds: 5 });

    const gap = desk.getByLabel('Longest gap between the keys of one scan (milliseconds)');
    await expect.poll(() => gap.inputValue()).toBe('30');
    await gap.fill('90');
    await desk.getByRole('button', { name: 'Save the scanner setting' }).click();
    await expect.poll(async () => ((await api(station.url, 'setup.status', {})) as { wedge: unknown }).wedge).toEqual({ maxGapMs: 90 });
  });

  it("the desk takes a slow scanner's burst (keys 50 ms apart) as a scan once the gap allows it", async () => {
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Devices' }).click();
    await expect.poll(() => desk.getByTestId('test-scan').isVisible()).toBe(true);
    await desk.locator('body').click({ position: { x: 5, y: 5 } });
    await wedgeScan(desk, patronCard(2), 50);
    await expect.poll(() => desk.getByTestId('test-scan').textContent()).toContain(`${patronCard(2)} (patron, wedge)`);
    await desk.close();
  });

  it('tells a patron whose card is locked after too many wrong PINs when to try again; the desk unlocks it', async () => {
    await api(station.url, 'patrons.register', { cardBarcode: patronCard(5), firstName: 'Maggie', lastName: 'Simpson', categoryCode: 'ADULT', pin: '5678' }, token);
    let lock: { code?: string; retryAt?: number } = {};
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${station.url}/api/call/auth.kioskSignIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cardBarcode: patronCard(5), pin: `000${i}` }) });
      lock = (await res.json()) as typeof lock;
    }
    expect(lock.code).toBe('LOCKED');
    const time = new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone: 'America/New_York' }).format(lock.retryAt!);
    const kiosk = await openKiosk();
    // The right PIN, and still refused: in plain words, with the branch's time.
    await signIn(kiosk, patronCard(5), '5678');
    await expect.poll(() => kiosk.getByRole('alert').textContent()).toBe(`This card is locked after too many wrong PINs. Try again at ${time} or ask at the desk.`);
    expect(await kiosk.getByRole('heading', { name: 'Maggie' }).count()).toBe(0);

    const desk = await browser.newPage({ locale: 'en-US' });
    desk.setDefaultTimeout(10_000);
    await desk.goto(station.url);
    await desk.getByLabel('Username', { exact: true }).fill('marge');
    await desk.getByLabel('Password', { exact: true }).fill('donut hole 42');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patrons' }).click();
    await desk.getByLabel('Find a patron (name, card, email or phone)').fill('maggie');
    await desk.getByRole('button', { name: 'Search' }).click();
    await desk.getByRole('button', { name: 'Open Maggie Simpson' }).click();
    await desk.getByRole('button', { name: 'Unlock PIN' }).click();
    await expect.poll(() => desk.getByRole('status').filter({ hasText: 'unlocked' }).textContent()).toBe('The card is unlocked: the patron may sign in at the kiosk with their PIN again.');
    await desk.close();

    await kiosk.getByLabel('PIN').fill('5678');
    await kiosk.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Maggie' }).isVisible()).toBe(true);
    await kiosk.close();
  });

  it("the kiosk warns after the library's idle time, then ends the session", async () => {
    const kiosk = await openKiosk('');
    await signIn(kiosk, patronCard(1), '1234');
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Lisa' }).isVisible()).toBe(true);
    const shown = Date.now();
    await expect.poll(() => kiosk.getByRole('alertdialog').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(Date.now() - shown).toBeGreaterThan(8_000);
    expect(await kiosk.getByRole('alertdialog').textContent()).toMatch(/This session will end in [1-5] seconds\./);
    await expect.poll(() => kiosk.getByText('Welcome! Scan your library card to begin.').isVisible(), { timeout: 10_000 }).toBe(true);
    await kiosk.close();
  }, 40_000);
});
