import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError, client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { useDesk } from '../state/desk';
import { useSession } from '../state/session';
import { Checkout } from './Checkout';
import { bart, DAY, inDays, lisa, loan, type Summary } from './circ-fixtures';
import { useScans } from '../state/scans';

/** The station, as far as these tests need it: a lookup answers `summary`, each check-out lends the next loan. */
function station(summary: Summary) {
  let n = 0;
  return vi.spyOn(client, 'call').mockImplementation(((name: string) => {
    if (name === 'patrons.lookup') return Promise.resolve(summary);
    if (name === 'circulation.checkout') return Promise.resolve(loan(++n));
    return Promise.reject(new Error(`unexpected call ${name}`));
  }) as never);
}

beforeEach(() => {
  useDesk.getState().reset();
  useSession.setState({
    setup: {
      configured: true,
      loadingLibrary: false,
      libraryName: 'Springfield',
      branchName: 'Main',
      locale: 'en-US',
      currency: 'USD',
      timeZone: 'America/New_York',
    } as never,
    staff: { id: 's1', username: 'marge', displayName: 'Marge', role: 'admin', branchId: 'b1', active: true } as never,
  });
});
afterEach(() => vi.restoreAllMocks());

async function findAndLend(screen: Awaited<ReturnType<typeof renderInDesk>>, items: string[]) {
  await screen.getByLabelText('Patron barcode').fill('20000001');
  await userEvent.keyboard('{Enter}');
  await expect.element(screen.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
  // The next barcode typed is an item.
  await expect.element(screen.getByLabelText('Item barcode')).toHaveFocus();
  for (const item of items) {
    await screen.getByLabelText('Item barcode').fill(item);
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByTestId('loan-row').filter({ hasText: item })).toBeVisible();
  }
}

describe('<Checkout>: the patron and the loans stay while staff visit another screen', () => {
  it('keeps the patron and the loans lent after the screen is left and shown again; Finish clears them', async () => {
    station(lisa());
    const first = await renderInDesk(<Checkout />);
    await findAndLend(first, ['30000001', '30000002']);
    await first.unmount();

    // Back from Patrons: a new Checkout, the same check-out.
    const again = await renderInDesk(<Checkout />);
    await expect.element(again.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
    await expect.element(again.getByLabelText('Patron barcode')).toHaveValue('20000001');
    await expect.element(again.getByLabelText('Item barcode')).toHaveFocus();
    expect(
      again
        .getByTestId('loan-row')
        .elements()
        .map((r) => r.textContent),
    ).toEqual([expect.stringContaining('30000002'), expect.stringContaining('30000001')]);
    // Lending goes on from where it was.
    await again.getByLabelText('Item barcode').fill('30000003');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => again.getByTestId('loan-row').elements().length).toBe(3);

    await again.getByRole('button', { name: 'Finish and clear' }).click();
    await expect.element(again.getByText('Scan or type a patron card to begin.')).toBeVisible();
    expect(again.getByTestId('loan-row').elements()).toHaveLength(0);
    expect(useDesk.getState().checkout).toEqual({ patron: null, lent: [] });
  });

  it('the same card again goes on with the visit; another card asks first, and offers the receipt', async () => {
    const calls: string[] = [];
    let n = 0;
    vi.spyOn(client, 'call').mockImplementation(((name: string, input: { barcode?: string }) => {
      calls.push(name);
      if (name === 'patrons.lookup') return Promise.resolve(input.barcode === '20000002' ? bart() : lisa());
      if (name === 'circulation.checkout') return Promise.resolve(loan(++n));
      if (name === 'slips.checkout') return Promise.resolve({ jobId: 4, html: '' });
      return Promise.reject(new Error(`unexpected call ${name}`));
    }) as never);
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, ['30000001', '30000002']);
    await expect.element(screen.getByTestId('session-count')).toHaveTextContent('2 items');
    // Lisa's card again: still her visit.
    await screen.getByLabelText('Patron barcode').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => calls.filter((c) => c === 'patrons.lookup').length).toBe(2);
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(2);

    // Bart's card: a dialog that must be answered; keeping Lisa changes nothing.
    await screen.getByLabelText('Patron barcode').fill('20000002');
    await userEvent.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', { name: 'Start over with another patron?' });
    await expect.element(dialog).toHaveTextContent('Lisa Simpson has 2 items checked out in this visit.');
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Keep Lisa' }).click();
    await expect.element(screen.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(2);

    // Again, and this time the receipt is printed before Bart's visit starts.
    await screen.getByLabelText('Patron barcode').fill('20000002');
    await userEvent.keyboard('{Enter}');
    await screen.getByRole('button', { name: 'Print the receipt, then start over' }).click();
    await expect.element(screen.getByRole('heading', { name: 'Bart Simpson' })).toBeVisible();
    expect(calls).toContain('slips.checkout');
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(0);
    await expect.element(screen.getByTestId('session-count')).toHaveTextContent('0 items');
  });

  it('forgets the patron when staff sign out', async () => {
    station(lisa());
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, ['30000001']);
    useSession.getState().signedOut();
    expect(useDesk.getState().checkout).toEqual({ patron: null, lent: [] });
    await expect.element(screen.getByText('Scan or type a patron card to begin.')).toBeVisible();
  });
});

describe("<Checkout>: the patron's card", () => {
  it('shows the loans they already have (overdue marked), the holds ready, and every alert and block as a badge', async () => {
    const summary = lisa(
      {
        loans: [
          {
            loanId: 'L8',
            itemId: 'i8',
            itemBarcode: '30000008',
            title: 'Late Book',
            dueAt: Date.now() - 3 * DAY,
            renewals: 0,
            overdue: true,
          },
          {
            loanId: 'L9',
            itemId: 'i9',
            itemBarcode: '30000009',
            title: 'Fresh Book',
            dueAt: Date.now() + 10 * DAY,
            renewals: 0,
            overdue: false,
          },
        ],
        holds: [
          {
            id: 'h1',
            patronId: 'p1',
            recordId: 'r1',
            itemId: 'i5',
            itemLevel: false,
            pickupBranchId: 'b1',
            placedAt: 0,
            status: 'waiting',
            suspendedUntil: null,
            waitingSince: 0,
            shelfExpiresOn: '2031-01-10',
            title: 'Ready Title',
          },
          {
            id: 'h2',
            patronId: 'p1',
            recordId: 'r2',
            itemId: null,
            itemLevel: false,
            pickupBranchId: 'b1',
            placedAt: 0,
            status: 'pending',
            suspendedUntil: null,
            waitingSince: null,
            shelfExpiresOn: null,
            title: 'Still Queued',
          },
        ],
        holdsReady: 1,
        feesOwed: 350,
        blocks: [{ id: 'k1', kind: 'manual', reason: 'Unpaid damages', until: null, createdAt: 0 }],
      },
      { notes: 'Prefers large print.', cardExpiresOn: inDays(10) },
    );
    station(summary);
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, []);

    const card = screen.getByRole('region', { name: 'Lisa Simpson' });
    await expect.element(card).toHaveTextContent('Card20000001');
    await expect.element(card.getByTestId('fees-owed')).toHaveTextContent('$3.50');
    const alerts = screen.getByRole('note', { name: 'Patron alerts' });
    const badge = (key: string) => alerts.element().querySelector(`[data-alert="${key}"] .badge`);
    // Most serious first, each a badge of its own tone with its words.
    expect([...alerts.element().querySelectorAll('li')].map((li) => li.getAttribute('data-alert'))).toEqual([
      'block-k1',
      'card',
      'overdue',
      'fees',
      'holds',
      'note',
    ]);
    expect(badge('block-k1')!.className).toBe('badge badge-refused');
    expect(badge('block-k1')!.textContent).toContain('Blocked: Unpaid damages');
    expect(badge('card')!.className).toBe('badge badge-warning');
    expect(badge('card')!.textContent).toContain(
      `The card expires soon, on ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${inDays(10)}T12:00:00Z`))}`,
    );
    expect(badge('overdue')!.className).toBe('badge badge-overdue');
    expect(badge('overdue')!.textContent).toContain('1 loan is overdue.');
    expect(badge('fees')!.textContent).toContain('Owes $3.50');
    expect(badge('holds')!.className).toBe('badge badge-hold');
    expect(badge('holds')!.textContent).toContain('1 hold ready');
    expect(badge('note')!.textContent).toContain('Note: Prefers large print.');

    const rows = screen.getByRole('region', { name: 'Already on loan' }).getByTestId('patron-loan');
    await expect.poll(() => rows.elements().length).toBe(2);
    const [late, fresh] = rows.elements();
    expect(late!.textContent).toMatch(/Late Book.*30000008.*Overdue/);
    expect(late!.className).toBe('overdue');
    expect(fresh!.textContent).not.toContain('Overdue');

    const ready = screen.getByRole('region', { name: 'Waiting on the hold shelf' }).getByTestId('hold-ready');
    expect(ready.elements().map((e) => e.textContent)).toEqual(['Ready Title (pick up by Jan 10, 2031)']);
    // The scan path's row is still the only "loan-row": the bench measures the first of them.
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(0);
  });

  it('says nothing when there is nothing to say, and names an expired card', async () => {
    station(lisa());
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, []);
    expect(screen.getByRole('note', { name: 'Patron alerts' }).elements()).toHaveLength(0);
    expect(screen.getByTestId('patron-loan').elements()).toHaveLength(0);
    expect(screen.getByTestId('hold-ready').elements()).toHaveLength(0);

    vi.restoreAllMocks();
    station(
      lisa(
        {
          loans: [1, 2].map((n) => ({
            loanId: `L${n}`,
            itemId: `i${n}`,
            itemBarcode: `3000000${n}`,
            title: `T${n}`,
            dueAt: 0,
            renewals: 0,
            overdue: true,
          })),
        },
        { cardExpiresOn: '2020-01-01' },
      ),
    );
    await screen.getByLabelText('Patron barcode').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect
      .element(screen.getByRole('note', { name: 'Patron alerts' }))
      .toHaveTextContent('The card expired on Jan 1, 2020.');
    await expect.element(screen.getByRole('note', { name: 'Patron alerts' })).toHaveTextContent('2 loans are overdue.');
  });

  it('the card in Spanish', async () => {
    station(
      lisa(
        {
          loans: [
            { loanId: 'L1', itemId: 'i1', itemBarcode: '30000001', title: 'T', dueAt: 0, renewals: 0, overdue: true },
          ],
        },
        { notes: 'Ojo' },
      ),
    );
    const screen = await renderInDesk(<Checkout />, 'es');
    await screen.getByLabelText('Código del lector').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect
      .element(screen.getByRole('note', { name: 'Avisos del lector' }))
      .toHaveTextContent('1 préstamo está vencido.');
    await expect.element(screen.getByRole('note', { name: 'Avisos del lector' })).toHaveTextContent('Nota: Ojo');
    await expect.element(screen.getByTestId('patron-loan')).toHaveTextContent('Vencido');
  });
});

describe('<Checkout>: issue 12', () => {
  it('bug 2: a scan that fits neither the patron nor the item rule is reported, with the barcode', async () => {
    station(lisa());
    const screen = await renderInDesk(<Checkout />);
    useScans.getState().push({ barcode: '30234000517862', kind: 'unknown', source: 'wedge' });
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent(
        'The scan 30234000517862 is neither a patron card nor an item barcode (a misread?). Scan it again.',
      );
    // And with a patron on screen, an item's misread is not lent nor dropped either.
    await findAndLend(screen, []);
    useScans.getState().push({ barcode: '30234000517863', kind: 'unknown', source: 'device' });
    await expect.element(screen.getByRole('alert')).toHaveTextContent('The scan 30234000517863 is neither');
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(0);
  });

  it('an item scanned before any patron says to find the patron first', async () => {
    station(lisa());
    const screen = await renderInDesk(<Checkout />);
    useScans.getState().push({ barcode: '30234000517861', kind: 'item', source: 'wedge' });
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('30234000517861 is an item: find the patron first.');
  });

  it('bug 3: shown again, the check-out reads the patron afresh (a fine charged at Check in meanwhile), and keeps the visit', async () => {
    let summary = lisa({
      loans: [
        {
          loanId: 'L7',
          itemId: 'i7',
          itemBarcode: '30000007',
          title: 'Late DVD',
          dueAt: Date.now() - 5 * DAY,
          renewals: 0,
          overdue: true,
        },
      ],
    });
    let n = 0;
    vi.spyOn(client, 'call').mockImplementation(((name: string) => {
      if (name === 'patrons.lookup') return Promise.resolve(summary);
      if (name === 'circulation.checkout') return Promise.resolve(loan(++n));
      return Promise.reject(new Error(`unexpected call ${name}`));
    }) as never);
    const first = await renderInDesk(<Checkout />);
    await findAndLend(first, ['30000001']);
    await expect.element(first.getByTestId('fees-owed')).toHaveTextContent('$0.00');
    await expect.element(first.getByRole('note', { name: 'Patron alerts' })).toHaveTextContent('1 loan is overdue.');
    await first.unmount();

    // Meanwhile, at Check in: the DVD came back late, a fine of $1.25 was charged.
    summary = lisa({
      feesOwed: 125,
      loans: [
        {
          loanId: 'L1',
          itemId: 'i1',
          itemBarcode: '30000001',
          title: 'Title 1',
          dueAt: Date.now() + 21 * DAY,
          renewals: 0,
          overdue: false,
        },
      ],
    });
    const again = await renderInDesk(<Checkout />);
    await expect.element(again.getByTestId('fees-owed')).toHaveTextContent('$1.25');
    await expect.element(again.getByRole('note', { name: 'Patron alerts' })).toHaveTextContent('Owes $1.25');
    await expect.element(again.getByRole('note', { name: 'Patron alerts' })).not.toHaveTextContent('overdue');
    // The visit's loan is still listed once, in the visit's table, not again under "Already on loan".
    expect(again.getByTestId('loan-row').elements()).toHaveLength(1);
    expect(again.getByTestId('patron-loan').elements()).toHaveLength(0);
  });

  it('finds a patron by name from the check-out box: a combobox of the matches', async () => {
    const searched: string[] = [];
    vi.spyOn(client, 'call').mockImplementation(((name: string, input: { query?: string; barcode?: string }) => {
      if (name === 'patrons.search') {
        searched.push(input.query!);
        return Promise.resolve([
          { id: 'p1', cardBarcode: '20000001', firstName: 'Lisa', lastName: 'Simpson', email: null },
          { id: 'p2', cardBarcode: '20000002', firstName: 'Bart', lastName: 'Simpson', email: null },
        ]);
      }
      if (name === 'patrons.lookup') return Promise.resolve(input.barcode === '20000002' ? bart() : lisa());
      return Promise.reject(new Error(`unexpected call ${name}`));
    }) as never);
    const screen = await renderInDesk(<Checkout />);
    const box = screen.getByRole('combobox', { name: 'Patron barcode or name' });
    await box.fill('simps');
    const options = screen.getByRole('option');
    await expect.poll(() => options.elements().length).toBe(2);
    expect(searched.at(-1)).toBe('simps');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    await expect.element(screen.getByRole('heading', { name: 'Bart Simpson' })).toBeVisible();
    await expect.element(box).toHaveValue('20000002');
    await expect.element(screen.getByLabelText('Item barcode')).toHaveFocus();
    // A card typed in the same box is looked up as a card, never searched as a name.
    const before = searched.length;
    await box.fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
    expect(searched).toHaveLength(before);
  });

  it('says when no patron has that name', async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string) =>
      name === 'patrons.search' ? Promise.resolve([]) : Promise.reject(new Error(name))) as never);
    const screen = await renderInDesk(<Checkout />);
    await screen.getByRole('combobox', { name: 'Patron barcode or name' }).fill('zzyzx');
    await expect.element(screen.getByText('No patron by that name.')).toBeVisible();
  });

  it('a copy on loan to someone else: "Check it in and lend it" returns it, then lends it to this patron', async () => {
    const calls: { name: string; input: unknown }[] = [];
    let returned = false;
    vi.spyOn(client, 'call').mockImplementation(((name: string, input: unknown) => {
      calls.push({ name, input });
      if (name === 'patrons.lookup') return Promise.resolve(lisa());
      if (name === 'circulation.checkin') {
        returned = true;
        return Promise.resolve({
          itemId: 'i4',
          itemBarcode: '30000004',
          title: 'Title 4',
          action: 'shelve',
          wasOnLoan: true,
          destinationBranch: null,
          hold: null,
          fine: null,
          notices: [],
        });
      }
      if (name === 'circulation.checkout' && !returned)
        return Promise.reject(
          new ApiError({
            code: 'REFUSED',
            message: 'ITEM_ON_LOAN_TO_OTHER',
            refusals: [{ code: 'ITEM_ON_LOAN_TO_OTHER', overridable: false }],
          }),
        );
      if (name === 'circulation.checkout') return Promise.resolve(loan(4));
      return Promise.reject(new Error(`unexpected call ${name}`));
    }) as never);
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, []);
    await screen.getByLabelText('Item barcode').fill('30000004');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('alert')).toHaveTextContent('This item is on loan to another patron.');
    // Not overridable: no Override, but the desk's own remedy.
    expect(screen.getByRole('button', { name: 'Override' }).elements()).toHaveLength(0);
    await screen.getByRole('button', { name: 'Check it in and lend it to Lisa' }).click();
    await expect.element(screen.getByTestId('loan-row')).toHaveTextContent('30000004');
    expect(calls.slice(-2).map((c) => c.name)).toEqual(['circulation.checkin', 'circulation.checkout']);
    expect(calls.at(-2)!.input).toEqual({ itemBarcode: '30000004', backdate: null });
    expect(screen.getByRole('alert').elements()).toHaveLength(0);
  });

  it('shows the visit as a table, newest first, with the running count and Undo for a loan made by mistake', async () => {
    const calls: string[] = [];
    let n = 0;
    vi.spyOn(client, 'call').mockImplementation(((name: string) => {
      calls.push(name);
      if (name === 'patrons.lookup') return Promise.resolve(lisa());
      if (name === 'circulation.checkout') return Promise.resolve(loan(++n));
      if (name === 'circulation.checkin') return Promise.resolve({});
      return Promise.reject(new Error(`unexpected call ${name}`));
    }) as never);
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, ['30000001', '30000002', '30000003']);
    const table = screen.getByRole('region', { name: /Checked out now/ }).getByRole('table');
    expect([...table.element().querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'Title',
      'Barcode',
      'Due',
      'Status',
      'Action',
    ]);
    expect(
      screen
        .getByTestId('loan-row')
        .elements()
        .map((r) => r.querySelector('td:nth-child(2)')!.textContent),
    ).toEqual(['30000003', '30000002', '30000001']);
    await expect.element(screen.getByTestId('session-count')).toHaveTextContent('3 items');
    await expect.element(screen.getByTestId('loan-row').first()).toHaveTextContent('Checked out');
    await screen.getByRole('button', { name: 'Undo the loan of Title 2 (lent by mistake)' }).click();
    await expect.poll(() => screen.getByTestId('loan-row').elements().length).toBe(2);
    await expect.element(screen.getByTestId('session-count')).toHaveTextContent('2 items');
    expect(calls).toContain('circulation.checkin');
  });
});
