// The desk's settings and patron editing, in a real Chromium against a real headless station:
// what an administrator changes takes effect at the desk at once.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemBarcode, patronCard } from '../support/station';
import {
  api,
  launchBrowser,
  screenshot,
  startServe,
  wedgeScan,
  type RunningStation,
  setUpSpringfield,
} from './support';

const TZ = 'America/New_York';
let station: RunningStation;
let browser: Browser;
let page: Page;

/** Today in the branch's zone, plus some days, as the desk shows a date (en-US, medium). */
function branchDay(plusDays: number): { iso: string; shown: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(Date.now());
  const at = Date.parse(`${today}T12:00:00Z`) + plusDays * 86_400_000;
  return {
    iso: new Date(at).toISOString().slice(0, 10),
    shown: new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(at),
  };
}

async function signIn(username: string, password: string) {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByLabel('Patron barcode').isVisible()).toBe(true);
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Staff sign-in' }).isVisible()).toBe(true);
}

async function openSettings(area: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page
    .getByRole('navigation', { name: 'Settings areas' })
    .getByRole('button', { name: area, exact: true })
    .click();
}

beforeAll(async () => {
  station = await startServe();
  const token = await setUpSpringfield(station.url, TZ);
  const film = await api(station.url, 'catalogue.addRecord', { title: 'The Itchy & Scratchy Movie' }, token);
  await api(
    station.url,
    'catalogue.addItem',
    { barcode: itemBarcode(1), recordId: film.id, itemTypeCode: 'DVD' },
    token,
  );
  const book = await api(station.url, 'catalogue.addRecord', { title: 'Cien años de soledad' }, token);
  await api(
    station.url,
    'catalogue.addItem',
    { barcode: itemBarcode(2), recordId: book.id, itemTypeCode: 'BOOK' },
    token,
  );
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(1), firstName: 'Lisa', lastName: 'Simpson', categoryCode: 'ADULT' },
    token,
  );
  await api(
    station.url,
    'patrons.register',
    { cardBarcode: patronCard(2), firstName: 'Bart', lastName: 'Simpson', categoryCode: 'CHILD' },
    token,
  );

  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('settings at the desk, for an administrator', () => {
  it('signs in as the administrator, who sees Settings', async () => {
    await page.goto(station.url);
    await signIn('marge', 'donut hole 42');
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).isVisible(),
    ).toBe(true);
  });

  it('shows the library settings, branches, categories, item types and the hub connection', async () => {
    await openSettings('Library');
    await expect
      .poll(() => page.getByLabel('Library name', { exact: true }).inputValue())
      .toBe('Springfield Public Library');
    await expect
      .poll(() => page.getByRole('group', { name: 'Patron card barcodes' }).getByLabel('Exact length').inputValue())
      .toBe('14');
    await screenshot(page, '30-settings-library');
    await page.getByLabel('Header lines').fill('Open 9 to 5, Monday to Saturday');
    await page.getByRole('button', { name: 'Save receipt settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);

    await openSettings('Branches');
    await expect
      .poll(() => page.getByTestId('branch-row').first().textContent())
      .toBe('MAINMain StreetAmerica/New_YorkEdit');
    await page.getByRole('button', { name: 'Add a branch' }).click();
    await page.getByLabel('Code').fill('NORTH');
    await page.getByLabel('Name', { exact: true }).fill('North Haverbrook');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('America/Chicago');
    await screenshot(page, '31-settings-branch');
    // The first Enter takes the zone from the open list (a combobox), the second saves.
    await page.getByRole('combobox', { name: 'Time zone' }).press('Enter');
    await page.getByRole('combobox', { name: 'Time zone' }).press('Enter');
    await expect.poll(() => page.getByTestId('branch-row').count()).toBe(2);

    await openSettings('Patron categories');
    await expect.poll(() => page.getByTestId('category-row').count()).toBe(2);
    await screenshot(page, '32-settings-categories');
    await openSettings('Item types');
    await expect.poll(() => page.getByTestId('item-type-row').count()).toBe(3);
    await screenshot(page, '33-settings-item-types');
    await openSettings('Hub connection');
    await expect.poll(() => page.getByTestId('hub-facts').textContent()).toContain('Hub addressnone');
    await screenshot(page, '34-settings-hub');
  });

  it('edits the loan period for DVDs, and a check-out then gets the new due date', async () => {
    await openSettings('Circulation rules');
    await expect.poll(() => page.getByTestId('rule-row').count()).toBe(1);
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New circulation rule' });
    await dialog.getByLabel('Item type').selectOption({ label: 'DVD' });
    await dialog.getByLabel('Loan period', { exact: true }).fill('3');
    await dialog.getByLabel('Renewals allowed').fill('1');
    await screenshot(page, '35-settings-rule-edit');
    await dialog.getByRole('button', { name: 'Save the rule' }).click();
    await expect.poll(() => page.getByTestId('rule-row').count()).toBe(2);
    expect(await page.getByTestId('rule-row').nth(1).textContent()).toContain('DVD3 days1');
    await screenshot(page, '36-settings-rules');

    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByLabel('Patron barcode').fill(patronCard(1));
    await page.getByLabel('Patron barcode').press('Enter');
    await page.getByLabel('Item barcode').fill(itemBarcode(1));
    await page.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => page.getByTestId('loan-row').first().textContent()).toContain(branchDay(3).shown);
    await page.getByLabel('Item barcode').fill(itemBarcode(2));
    await page.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => page.getByTestId('loan-row').first().textContent()).toContain(branchDay(21).shown);
    await page.getByRole('button', { name: 'Finish and clear' }).click();
  });

  it('sets a loan limit for children and a return policy for DVDs: both stay after a reload and take effect at the desk', async () => {
    const token = (await api(station.url, 'auth.signIn', { username: 'marge', password: 'donut hole 42' }))
      .token as string;
    const branches = (await api(station.url, 'branches.list', {}, token)) as unknown as { id: string; code: string }[];
    const north = branches.find((b) => b.code === 'NORTH')?.id;
    const film = await api(station.url, 'catalogue.addRecord', { title: 'Kamp Krusty' }, token);
    const book = await api(station.url, 'catalogue.addRecord', { title: 'Treehouse of Horror' }, token);
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(3), recordId: film.id, itemTypeCode: 'DVD' },
      token,
    );
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(4), recordId: book.id, itemTypeCode: 'BOOK' },
      token,
    );
    // Two copies that belong to North Haverbrook, to return at Main Street.
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(5), recordId: film.id, itemTypeCode: 'DVD', homeBranchId: north },
      token,
    );
    await api(
      station.url,
      'catalogue.addItem',
      { barcode: itemBarcode(6), recordId: book.id, itemTypeCode: 'BOOK', homeBranchId: north },
      token,
    );

    await openSettings('Limits and returns');
    await expect.poll(() => page.getByRole('columnheader', { name: 'Most loans' }).isVisible()).toBe(true);
    // The set-up wrote the library-wide limits; children get tighter ones.
    expect(await page.getByTestId('limit-row').textContent()).toBe('Any (*)Any (*)5020Edit');
    await page.getByRole('button', { name: 'Add patron limits' }).click();
    const limits = page.getByRole('dialog', { name: 'New patron limits' });
    await limits.getByLabel('Patron category').selectOption({ label: 'Child' });
    await limits.getByLabel('Most loans at once, all item types').fill('1');
    await limits.getByLabel('Most holds at once').fill('5');
    await screenshot(page, '36b-settings-limit-edit');
    await limits.getByRole('button', { name: 'Save the limits' }).click();
    await expect.poll(() => page.getByTestId('limit-row').count()).toBe(2);
    expect(await page.getByTestId('limit-row').nth(1).textContent()).toBe('Any (*)Child15Edit');

    await page.getByRole('button', { name: 'Add a return policy' }).click();
    const policy = page.getByRole('dialog', { name: 'New return policy' });
    await policy.getByLabel('Returned at').selectOption({ label: 'Main Street' });
    await policy.getByLabel('Item type').selectOption({ label: 'DVD' });
    await policy.getByLabel('Where it goes').selectOption({ label: 'Stays where it was returned' });
    await policy.getByRole('button', { name: 'Save the return policy' }).click();
    await expect.poll(() => page.getByTestId('return-policy-row').count()).toBe(1);
    await screenshot(page, '36c-settings-limits');

    // What was saved is the station's: after a reload (staff stay signed in over one), both rows are there.
    await page.reload();
    await expect.poll(() => page.getByLabel('Patron barcode').isVisible()).toBe(true);
    await openSettings('Limits and returns');
    await expect.poll(() => page.getByTestId('limit-row').count()).toBe(2);
    expect(await page.getByTestId('limit-row').nth(1).textContent()).toBe('Any (*)Child15Edit');
    expect(await page.getByTestId('return-policy-row').textContent()).toBe(
      'Main StreetDVDStays where it was returnedEdit',
    );

    // Bart (a child) takes one item home; the second is refused by the limit.
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByLabel('Patron barcode').fill(patronCard(2));
    await page.getByLabel('Patron barcode').press('Enter');
    await page.getByLabel('Item barcode').fill(itemBarcode(3));
    await page.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => page.getByTestId('loan-row').count()).toBe(1);
    await page.getByLabel('Item barcode').fill(itemBarcode(4));
    await page.getByLabel('Item barcode').press('Enter');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The patron has the most loans allowed (1).');
    expect(await page.getByTestId('loan-row').count()).toBe(1);
    await page.getByRole('button', { name: 'Finish and clear' }).click();

    // North's DVD returned at Main Street stays here; North's book (no policy: home) goes back to North.
    await page.getByRole('button', { name: 'Check in' }).click();
    await page.getByLabel('Item barcode').fill(itemBarcode(5));
    await page.getByLabel('Item barcode').press('Enter');
    await expect
      .poll(() =>
        page
          .getByTestId('return-row')
          .filter({ hasText: itemBarcode(5) })
          .textContent(),
      )
      .toContain('Shelve');
    await page.getByLabel('Item barcode').fill(itemBarcode(6));
    await page.getByLabel('Item barcode').press('Enter');
    await expect
      .poll(() =>
        page
          .getByTestId('return-row')
          .filter({ hasText: itemBarcode(6) })
          .textContent(),
      )
      .toContain('Send to North Haverbrook');
  });

  it('adds a closed day with the date field and sees it in the calendar', async () => {
    const day = branchDay(40);
    await openSettings('Closed days');
    await expect.poll(() => page.getByText('No closed days yet.').isVisible()).toBe(true);
    await page.getByLabel('Date', { exact: true }).fill(day.iso);
    await page.getByLabel('Reason (optional)').fill('Staff training');
    await page.getByRole('button', { name: 'Add the closed day' }).click();
    await expect
      .poll(() => page.getByTestId('closed-day').first().textContent())
      .toContain(`${day.shown} — Staff training`);
    await page.getByRole('radio', { name: 'Every year' }).check();
    await page.getByLabel('Month', { exact: true }).selectOption({ label: 'December' });
    await page.getByLabel('Day of the month').fill('25');
    await page.getByLabel('Reason (optional)').fill('Christmas Day');
    await page.getByLabel('Reason (optional)').press('Enter');
    await expect.poll(() => page.getByTestId('closed-day').count()).toBe(2);
    expect(await page.getByTestId('closed-day').first().textContent()).toContain(
      'Every year on December 25 — Christmas Day',
    );
    await screenshot(page, '37-settings-closed-days');
  });

  it('adds a staff account that then signs in, and sees no settings', async () => {
    await openSettings('Staff accounts');
    await page.getByRole('button', { name: 'Add a staff account' }).click();
    const dialog = page.getByRole('dialog', { name: 'New staff account' });
    await dialog.getByLabel('Username').fill('lenny');
    await dialog.getByLabel('Full name').fill('Lenny Leonard');
    await dialog.getByLabel('Role').selectOption('technician');
    await dialog.getByLabel('Password (8 characters or more)').fill('sector 7G safety');
    await dialog.getByLabel('Type the password again').fill('sector 7G safety');
    await screenshot(page, '38-settings-staff-form');
    await dialog.getByRole('button', { name: 'Save the account' }).click();
    await expect.poll(() => page.getByTestId('staff-row').count()).toBe(2);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Saved the account lenny.' }).isVisible())
      .toBe(true);
    await screenshot(page, '39-settings-staff');

    await signOut();
    await signIn('lenny', 'sector 7G safety');
    expect(await page.getByText('Signed in as Lenny Leonard').isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).count()).toBe(
      0,
    );
  });

  it("a technician may not waive a fee: the station's refusal is shown, and a supervisor's credentials there waive it", async () => {
    const token = (await api(station.url, 'auth.signIn', { username: 'marge', password: 'donut hole 42' }))
      .token as string;
    await api(
      station.url,
      'staff.save',
      { username: 'skinner', displayName: 'Seymour Skinner', role: 'supervisor', password: 'principal pass' },
      token,
    );
    const bart = await api(station.url, 'patrons.lookup', { barcode: patronCard(2) }, token);
    await api(
      station.url,
      'fees.charge',
      { patronId: (bart.patron as { id: string }).id, kind: 'damage', amount: 250, description: 'Torn cover' },
      token,
    );
    await page.getByRole('button', { name: 'Patrons' }).click();
    await page.getByLabel('Find a patron (name, card, email or phone)').fill('Bart');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Open Bart Simpson' }).click();
    await page.getByRole('button', { name: 'Waive $2.50 — Damage: Torn cover' }).click();
    const dialog = page.getByRole('dialog', { name: 'Waive: Damage: Torn cover' });
    await dialog.getByLabel('Reason for waiving').fill('Was like that when lent');
    await dialog.getByRole('button', { name: 'Waive the fee' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Your account may not do that.');
    expect(
      await dialog
        .getByText('A supervisor or an administrator may waive it here with their own username and password.')
        .isVisible(),
    ).toBe(true);
    await screenshot(page, '40-patron-waive-refused');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // The focus is back on the button that opened the dialog (React Aria restores it in the next
    // animation frame after the dialog goes, so it is waited for).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Waive $2.50 — Damage: Torn cover');

    // Again, and a supervisor signs in the dialog: the technician's own credentials grant nothing.
    await page.getByRole('button', { name: 'Waive $2.50 — Damage: Torn cover' }).click();
    await dialog.getByLabel('Reason for waiving').fill('Was like that when lent');
    await dialog.getByRole('button', { name: 'Waive the fee' }).click();
    const override = dialog.getByRole('form', { name: 'A supervisor may override' });
    await override.getByLabel('Supervisor username').fill('lenny');
    await override.getByLabel('Supervisor password').fill('sector 7G safety');
    await override.getByRole('button', { name: 'Waive with their approval' }).click();
    await expect.poll(() => override.getByRole('alert').textContent()).toContain('Your account may not do that.');
    await override.getByLabel('Supervisor username').fill('skinner');
    await override.getByLabel('Supervisor password').fill('principal pass');
    await override.getByRole('button', { name: 'Waive with their approval' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.getByText('Fee waived.').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Waive $2.50 — Damage: Torn cover' }).count()).toBe(0);
    // Nothing is owed on it any more (the lookup lists what is still owed).
    const fees = (await api(station.url, 'patrons.lookup', { barcode: patronCard(2) }, token)).fees as {
      description: string;
    }[];
    expect(fees.map((f) => f.description)).not.toContain('Torn cover');
    // Bart did not choose to keep a reading history: none is shown.
    expect(await page.getByRole('heading', { name: 'Reading history' }).count()).toBe(0);
    await signOut();
    await signIn('marge', 'donut hole 42');
  });
});

describe('patrons at the desk, edited', () => {
  it('edits a patron and adds a block, which then refuses a check-out', async () => {
    await page.getByRole('button', { name: 'Patrons' }).click();
    await page.getByLabel('Find a patron (name, card, email or phone)').fill('Lisa');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Open Lisa Simpson' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Lisa Simpson' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Edit details' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Lisa Simpson' });
    await edit.getByLabel('Phone').fill('555-0142');
    await edit.getByLabel('Notes').fill('Saxophone in the bag: allowed.');
    await edit.getByLabel('Keep a reading history (the patron chose this)').check();
    await screenshot(page, '41-patron-edit');
    await edit.getByRole('button', { name: 'Save the changes' }).click();
    await expect.poll(() => page.getByTestId('patron-notes').textContent()).toBe('Saxophone in the bag: allowed.');
    expect(await page.getByRole('heading', { name: 'Reading history' }).isVisible()).toBe(true);

    const until = branchDay(30);
    await page.getByRole('button', { name: 'Add a block' }).click();
    const block = page.getByRole('dialog', { name: 'Block this patron' });
    await block.getByLabel('Reason').fill('Unpaid damages');
    await block.getByLabel('Blocked until').fill(until.iso);
    await block.getByRole('button', { name: 'Add the block' }).click();
    await expect
      .poll(() => page.getByTestId('block').textContent())
      .toContain(`Blocked: Unpaid damages (until ${until.shown})`);
    await screenshot(page, '42-patron-blocked');

    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByLabel('Patron barcode').fill(patronCard(1));
    await page.getByLabel('Patron barcode').press('Enter');
    await page.getByLabel('Item barcode').fill(itemBarcode(1));
    await page.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The patron is blocked: Unpaid damages');
    expect(await page.getByRole('note', { name: 'Patron alerts' }).textContent()).toContain(
      `Blocked: Unpaid damages (until ${until.shown})`,
    );
  });

  it('keeps the reading history of a patron who chose it, and lifts the block', async () => {
    await page.getByRole('button', { name: 'Check in' }).click();
    await page.getByLabel('Item barcode').fill(itemBarcode(2));
    await page.getByLabel('Item barcode').press('Enter');
    await expect.poll(() => page.getByTestId('return-row').count()).toBe(1);
    await page.getByRole('button', { name: 'Patrons' }).click();
    await page.getByLabel('Find a patron (name, card, email or phone)').fill('Lisa');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Open Lisa Simpson' }).click();
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(1);
    expect(await page.getByTestId('history-row').textContent()).toContain('Cien años de soledad');
    await page.getByRole('button', { name: 'Lift the block: Unpaid damages' }).click();
    await expect.poll(() => page.getByTestId('block').count()).toBe(0);
    await screenshot(page, '44-patron-history');
  });

  it('replaces a lost card by scanning the new one into the dialog', async () => {
    await page.getByRole('button', { name: 'Replace a lost card' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replace a lost card' });
    await expect
      .poll(() => dialog.getByLabel('New card barcode').evaluate((el) => el === document.activeElement))
      .toBe(true);
    await wedgeScan(page, patronCard(5));
    await expect.poll(() => dialog.getByLabel('New card barcode').inputValue()).toBe(patronCard(5));
    await screenshot(page, '46-patron-replace-card');
    await dialog.getByRole('button', { name: 'Replace the card' }).click();
    await expect.poll(() => page.getByTestId('patron-card').textContent()).toBe(patronCard(5));
    expect(await page.getByRole('heading', { name: 'Lisa Simpson' }).isVisible()).toBe(true);
  });

  it('shows the settings in Spanish too', async () => {
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('button', { name: 'Configuración' }).click();
    await page.getByRole('button', { name: 'Días de cierre' }).click();
    await expect
      .poll(() => page.getByTestId('closed-day').first().textContent())
      .toContain('Cada año el 25 de diciembre');
    await screenshot(page, '45-settings-closed-days-es');
    await page.getByLabel('Idioma').selectOption('en');
  });
});
