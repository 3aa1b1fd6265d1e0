import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { dayIn } from '../components/PatronAtDesk';
import { renderInDesk } from '../components/testing';
import { useDesk } from '../state/desk';
import { useSession } from '../state/session';
import { Checkout } from './Checkout';

type Summary = ApiOutput<'patrons.lookup'>;

const DAY = 86_400_000;
const today = dayIn(Date.now(), 'America/New_York');
const inDays = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);

function lisa(over: Partial<Summary> = {}, patron: Partial<Summary['patron']> = {}): Summary {
  return {
    patron: {
      id: 'p1', cardBarcode: '20000001', firstName: 'Lisa', lastName: 'Simpson', email: null, phone: null, address: null, homeBranchId: 'b1',
      categoryCode: 'ADULT', cardExpiresOn: inDays(400), notes: '', keepReadingHistory: false, createdAt: 0, hasPin: false, ...patron,
    },
    categoryName: 'Adult', blocks: [], feesOwed: 0, currency: 'USD', fees: [], loans: [], holds: [], holdsReady: 0,
    ...over,
  };
}

const loan = (n: number, renewed = false): ApiOutput<'circulation.checkout'> => ({
  loanId: `L${n}`, itemId: `i${n}`, itemBarcode: `3000000${n}`, title: `Title ${n}`, dueAt: Date.now() + 21 * DAY, renewals: renewed ? 1 : 0, renewalsLeft: renewed ? 1 : 2, renewed, notices: [],
});

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
    setup: { configured: true, loadingLibrary: false, libraryName: 'Springfield', branchName: 'Main', locale: 'en-US', currency: 'USD', timeZone: 'America/New_York' } as never,
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
    expect(again.getByTestId('loan-row').elements().map((r) => r.textContent)).toEqual([expect.stringContaining('30000002'), expect.stringContaining('30000001')]);
    // Lending goes on from where it was.
    await again.getByLabelText('Item barcode').fill('30000003');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => again.getByTestId('loan-row').elements().length).toBe(3);

    await again.getByRole('button', { name: 'Finish and clear' }).click();
    await expect.element(again.getByText('Scan or type a patron card to begin.')).toBeVisible();
    expect(again.getByTestId('loan-row').elements()).toHaveLength(0);
    expect(useDesk.getState().checkout).toEqual({ patron: null, lent: [] });
  });

  it('a new patron starts a new list', async () => {
    station(lisa());
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, ['30000001']);
    await screen.getByLabelText('Patron barcode').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => screen.getByTestId('loan-row').elements().length).toBe(0);
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

describe("<Checkout>: the patron's panel", () => {
  it('shows the loans they already have with due dates (overdue marked), the holds ready, and the alerts besides blocks', async () => {
    const summary = lisa(
      {
        loans: [
          { loanId: 'L8', itemId: 'i8', itemBarcode: '30000008', title: 'Late Book', dueAt: Date.now() - 3 * DAY, renewals: 0, overdue: true },
          { loanId: 'L9', itemId: 'i9', itemBarcode: '30000009', title: 'Fresh Book', dueAt: Date.now() + 10 * DAY, renewals: 0, overdue: false },
        ],
        holds: [
          { id: 'h1', patronId: 'p1', recordId: 'r1', itemId: 'i5', itemLevel: false, pickupBranchId: 'b1', placedAt: 0, status: 'waiting', suspendedUntil: null, waitingSince: 0, shelfExpiresOn: '2031-01-10', title: 'Ready Title' },
          { id: 'h2', patronId: 'p1', recordId: 'r2', itemId: null, itemLevel: false, pickupBranchId: 'b1', placedAt: 0, status: 'pending', suspendedUntil: null, waitingSince: null, shelfExpiresOn: null, title: 'Still Queued' },
        ],
        holdsReady: 1,
        blocks: [{ id: 'k1', kind: 'manual', reason: 'Unpaid damages', until: null, createdAt: 0 }],
      },
      { notes: 'Prefers large print.', cardExpiresOn: inDays(10) },
    );
    station(summary);
    const screen = await renderInDesk(<Checkout />);
    await findAndLend(screen, []);

    // Blocks as before, in their own box; the other alerts in theirs.
    await expect.element(screen.getByRole('note', { name: 'Alerts and blocks' })).toHaveTextContent('Unpaid damages');
    const alerts = screen.getByRole('note', { name: 'Patron alerts' });
    await expect.element(alerts).toHaveTextContent('Note: Prefers large print.');
    await expect.element(alerts).toHaveTextContent('1 loan is overdue.');
    await expect.element(alerts).toHaveTextContent(`The card expires soon, on ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${inDays(10)}T12:00:00Z`))}`);

    const rows = screen.getByRole('region', { name: 'Already on loan' }).getByTestId('patron-loan');
    await expect.poll(() => rows.elements().length).toBe(2);
    const [late, fresh] = rows.elements();
    expect(late!.textContent).toMatch(/Late Book.*30000008.*Due .*Overdue/);
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
    station(lisa({ loans: [1, 2].map((n) => ({ loanId: `L${n}`, itemId: `i${n}`, itemBarcode: `3000000${n}`, title: `T${n}`, dueAt: 0, renewals: 0, overdue: true })) }, { cardExpiresOn: '2020-01-01' }));
    await screen.getByLabelText('Patron barcode').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('note', { name: 'Patron alerts' })).toHaveTextContent('2 loans are overdue.The card expired on Jan 1, 2020.');
  });

  it('the alerts in Spanish', async () => {
    station(lisa({ loans: [{ loanId: 'L1', itemId: 'i1', itemBarcode: '30000001', title: 'T', dueAt: 0, renewals: 0, overdue: true }] }, { notes: 'Ojo' }));
    const screen = await renderInDesk(<Checkout />, 'es');
    await screen.getByLabelText('Código del lector').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('note', { name: 'Avisos del lector' })).toHaveTextContent('Nota: Ojo1 préstamo está vencido.');
    await expect.element(screen.getByTestId('patron-loan')).toHaveTextContent('Vencido');
  });
});
