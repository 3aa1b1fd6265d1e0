import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { renderInDesk, setUpDesk } from '../components/testing';
import { i18n } from '../i18n';
import { Patrons } from './Patrons';

type Summary = ApiOutput<'patrons.lookup'>;
const DUE = Date.UTC(2026, 11, 22, 17);
const lisa: Summary = {
  patron: {
    id: 'p1',
    cardBarcode: '20234000000019',
    firstName: 'Lisa',
    lastName: 'Simpson',
    email: 'lisa@example.org',
    phone: null,
    address: null,
    homeBranchId: 'b1',
    categoryCode: 'CHILD',
    cardExpiresOn: '2027-06-30',
    notes: '',
    keepReadingHistory: false,
    createdAt: 0,
    hasPin: false,
  },
  categoryName: 'Child',
  blocks: [],
  feesOwed: 0,
  currency: 'USD',
  fees: [],
  loans: [
    {
      loanId: 'l1',
      itemId: 'i1',
      itemBarcode: '30234000000012',
      title: 'Pedro Páramo',
      dueAt: DUE,
      renewals: 0,
      overdue: true,
    },
  ],
  holds: [],
  holdsReady: 0,
};
const hits = [
  { id: 'p2', cardBarcode: '20234000000027', firstName: 'Bart', lastName: 'Simpson', email: null },
  { id: 'p1', cardBarcode: '20234000000019', firstName: 'Lisa', lastName: 'Abbott', email: 'lisa@example.org' },
];

function station(answer: (name: string, input: Record<string, unknown>) => unknown = () => undefined) {
  const calls: [string, Record<string, unknown>][] = [];
  vi.spyOn(client, 'call').mockImplementation((async (name: string, input: Record<string, unknown>) => {
    calls.push([name, input]);
    const own = await answer(name, input);
    if (own !== undefined) return own;
    if (name === 'categories.list')
      return [
        { code: 'ADULT', name: 'Adult', cardValidityDays: 365 },
        { code: 'CHILD', name: 'Child', cardValidityDays: 365 },
      ];
    if (name === 'branches.list') return [{ id: 'b1', code: 'MAIN', name: 'Main', timeZone: 'America/New_York' }];
    if (name === 'patrons.search') return hits;
    if (name === 'patrons.lookup' || name === 'patrons.get') return lisa;
    throw new Error(`unexpected ${name}`);
  }) as typeof client.call);
  return calls;
}

describe('Patrons', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await i18n.changeLanguage('en');
  });

  it("says a card that is already someone else's at the card field, next to Save, and announces it (#12 bug 6)", async () => {
    setUpDesk();
    station((name) => {
      if (name === 'patrons.register')
        throw new ApiError({ code: 'CONFLICT', message: 'That card barcode belongs to another patron.' });
      return undefined;
    });
    const screen = await renderInDesk(<Patrons />);
    await screen.getByRole('button', { name: 'Register a patron' }).click();
    const form = screen.getByRole('form', { name: 'Register a patron' });
    await form.getByLabelText('Patron barcode').fill('20234000000019');
    await form.getByLabelText('First name').fill('Maggie');
    await form.getByLabelText('Last name').fill('Simpson');
    await form.getByRole('button', { name: 'Save the patron' }).click();
    const card = form.getByLabelText('Patron barcode');
    await expect.element(card).toHaveAccessibleDescription('This card belongs to another patron.');
    await expect.element(card).toHaveAttribute('aria-invalid', 'true');
  });

  it('puts any other refusal inside the form, by the Save button, as an alert', async () => {
    setUpDesk();
    station((name) => {
      if (name === 'patrons.register') throw new ApiError({ code: 'FORBIDDEN', message: 'no' });
      return undefined;
    });
    const screen = await renderInDesk(<Patrons />);
    await screen.getByRole('button', { name: 'Register a patron' }).click();
    const form = screen.getByRole('form', { name: 'Register a patron' });
    await form.getByLabelText('Patron barcode').fill('20234000000035');
    await form.getByLabelText('First name').fill('Maggie');
    await form.getByLabelText('Last name').fill('Simpson');
    await form.getByRole('button', { name: 'Save the patron' }).click();
    const alert = form.getByRole('alert');
    await expect.element(alert).toHaveTextContent('Your account may not do that.');
    // The alert sits right above the Save button, in the form: where the eye is.
    expect(alert.element().nextElementSibling?.querySelector('button[type="submit"]')).not.toBeNull();
  });

  it('lists results as a sortable table and shows loans in Spanish dates with an overdue badge (#12 bug 9)', async () => {
    setUpDesk();
    station();
    const screen = await renderInDesk(<Patrons />, 'es');
    await screen.getByLabelText(/Buscar lector/).fill('simpson');
    await screen.getByRole('button', { name: 'Buscar' }).click();
    await expect.element(screen.getByTestId('patron-count')).toHaveTextContent('2 lectores encontrados.');
    await expect.element(screen.getByTestId('patron-hit').first()).toHaveTextContent('Abbott, Lisa');
    await screen.getByRole('button', { name: /^Nombre/ }).click();
    await expect
      .element(screen.getByRole('columnheader', { name: /Nombre/ }))
      .toHaveAttribute('aria-sort', 'descending');
    await expect.element(screen.getByTestId('patron-hit').first()).toHaveTextContent('Simpson, Bart');
    await screen.getByRole('button', { name: 'Abrir Bart Simpson' }).click();
    const loan = screen.getByTestId('patron-loan');
    await expect.element(loan).toHaveTextContent('22 dic 2026');
    await expect.element(loan).not.toHaveTextContent('Dec');
    await expect.element(loan.getByText('con retraso')).toBeVisible();
  });

  it("places a hold from the patron's page, for that patron, with no card to type", async () => {
    setUpDesk();
    const calls = station((name) => {
      if (name === 'catalogue.search')
        return [
          {
            id: 'r1',
            title: 'Rayuela',
            author: 'Julio Cortázar',
            isbn: null,
            callNumber: null,
            year: 1963,
            copies: 1,
            available: 0,
            nextDueAt: DUE,
          },
        ];
      if (name === 'catalogue.record') return { record: { id: 'r1' }, items: [] };
      if (name === 'holds.place') return { id: 'h1' };
      return undefined;
    });
    const screen = await renderInDesk(<Patrons openCard="20234000000019" />);
    await screen.getByRole('button', { name: 'Place a hold for this patron' }).click();
    await screen.getByLabelText(/Search the catalogue/).fill('rayuela');
    await screen.getByRole('button', { name: 'Search' }).last().click();
    await screen.getByRole('button', { name: 'Place a hold on Rayuela' }).click();
    const form = screen.getByRole('form', { name: 'Place a hold on Rayuela' });
    await expect.element(form).toHaveTextContent('For Lisa Simpson');
    await form.getByRole('button', { name: 'Place a hold', exact: true }).click();
    await expect
      .poll(() => calls.find(([n]) => n === 'holds.place')?.[1])
      .toEqual({ patronId: 'p1', recordId: 'r1', pickupBranchId: 'b1' });
    await expect.element(screen.getByText('Hold placed on Rayuela for Lisa Simpson.')).toBeVisible();
  });
});
