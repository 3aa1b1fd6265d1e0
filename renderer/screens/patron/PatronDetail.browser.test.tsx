// The payment at the desk: when the receipt cannot print, the payment is still said to be taken.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { renderInDesk, setUpDesk } from '../../components/testing';
import { PatronDetail } from './PatronDetail';

type Summary = ApiOutput<'patrons.lookup'>;

const fee = {
  id: 'f1',
  patronId: 'p1',
  kind: 'damage' as const,
  amount: 300,
  outstanding: 300,
  currency: 'USD',
  loanId: null,
  itemId: null,
  description: 'torn page',
  createdAt: 0,
};
const summary: Summary = {
  patron: {
    id: 'p1',
    cardBarcode: '20234000000019',
    firstName: 'Ana',
    lastName: 'Reader',
    email: null,
    phone: null,
    address: null,
    homeBranchId: 'b1',
    categoryCode: 'ADULT',
    cardExpiresOn: '2029-11-16',
    notes: '',
    keepReadingHistory: false,
    createdAt: 0,
    hasPin: false,
  },
  categoryName: 'Adult',
  blocks: [],
  feesOwed: 300,
  currency: 'USD',
  fees: [fee],
  loans: [],
  holds: [],
  holdsReady: 0,
};
const paid: ApiOutput<'fees.pay'> = {
  paymentId: 'pay1',
  applied: 300,
  tendered: 500,
  change: 200,
  currency: 'USD',
  allocations: [{ feeId: 'f1', amount: 300 }],
  remainingOwed: 0,
};

function station(payment: ApiOutput<'fees.pay'>) {
  return vi.spyOn(client, 'call').mockImplementation(((name: string) => {
    if (name === 'categories.list' || name === 'branches.list') return Promise.resolve([]);
    if (name === 'fees.pay') return Promise.resolve(payment);
    if (name === 'patrons.lookup') return Promise.resolve({ ...summary, feesOwed: 0, fees: [] });
    // The patron's notice history (none yet), shown beside their fees.
    if (name === 'notices.forPatron') return Promise.resolve([]);
    return Promise.reject(new Error(`unexpected ${name}`));
  }) as never);
}

async function pay(language: 'en' | 'es' = 'en') {
  setUpDesk();
  const screen = await renderInDesk(<PatronDetail summary={summary} onChange={() => {}} />, language);
  await screen.getByLabelText(language === 'en' ? 'Cash handed over' : 'Efectivo entregado').fill('5.00');
  await userEvent.keyboard('{Enter}');
  return screen;
}

afterEach(() => vi.restoreAllMocks());

describe('<PatronDetail>: taking a payment', () => {
  it('says the payment is recorded when its receipt could not print, and shows no error', async () => {
    station({ ...paid, followUpFailed: { code: 'RECEIPT_NOT_PRINTED', message: 'printer' } });
    const screen = await pay();
    await expect.element(screen.getByTestId('change-due')).toHaveTextContent('Paid $3.00. Change due: $2.00');
    await expect
      .element(screen.getByTestId('follow-up-failed'))
      .toHaveTextContent('The payment is recorded; the receipt could not print. Do not take it again.');
    expect(screen.getByRole('alert').elements()).toHaveLength(0);
  });

  it('says nothing more when the receipt printed', async () => {
    station(paid);
    const screen = await pay();
    await expect.element(screen.getByTestId('change-due')).toBeVisible();
    expect(screen.getByTestId('follow-up-failed').elements()).toHaveLength(0);
  });
});

describe('<PatronDetail>: a wrong amount', () => {
  it('is said under the amount field, not far above the form (#12 bug 6)', async () => {
    station(paid);
    setUpDesk();
    const screen = await renderInDesk(<PatronDetail summary={summary} onChange={() => {}} />);
    await screen.getByLabelText('Cash handed over').fill('abc');
    await userEvent.keyboard('{Enter}');
    await expect
      .element(screen.getByLabelText('Cash handed over'))
      .toHaveAccessibleDescription('An amount, like 1.50.');
  });
});
