// A patron's fees at the desk (issue 12, bug 10 and the payments piece): dates in the branch's
// zone, every fee naming what it is for, a distinct name for every Waive and Pay button, the
// fines still accruing, cash/card/cheque payments with their reference, manual charges and the
// fee history. In real Chromium, against the station's answers as the client gets them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { renderInDesk, setUpDesk } from '../../components/testing';
import { FeesPanel } from './Fees';

type Summary = ApiOutput<'patrons.lookup'>;

// 23:30 on Wednesday 25 November in Chicago is already the 26th in UTC (and in New York).
const LATE_CHICAGO_RETURN = Date.parse('2026-11-26T05:30:00Z');
const fine = (id: string, title: string, barcode: string, at = LATE_CHICAGO_RETURN) => ({
  id,
  patronId: 'p1',
  kind: 'overdue' as const,
  amount: 150,
  outstanding: 150,
  currency: 'USD',
  loanId: `l-${id}`,
  itemId: `i-${id}`,
  description: 'overdue',
  createdAt: at,
  title,
  itemBarcode: barcode,
});
const printing = {
  id: 'f3',
  patronId: 'p1',
  kind: 'printing' as const,
  amount: 40,
  outstanding: 40,
  currency: 'USD',
  loanId: null,
  itemId: null,
  description: '4 pages',
  createdAt: LATE_CHICAGO_RETURN,
  title: null,
  itemBarcode: null,
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
  currency: 'USD',
  loans: [],
  holds: [],
  holdsReady: 0,
  fees: [fine('f1', 'Dune', '30234000000012'), fine('f2', 'Kindred', '30234000000020'), printing],
  accruing: [
    {
      loanId: 'l9',
      itemId: 'i9',
      itemBarcode: '30234000000038',
      title: 'The Dispossessed',
      dueAt: Date.parse('2026-11-01T04:59:59Z'),
      amount: 500,
      overdueUnits: 25,
    },
  ],
  accruedFines: 500,
  feesOwed: 340 + 500,
};
const paid: ApiOutput<'fees.pay'> = {
  paymentId: 'pay1',
  applied: 300,
  tendered: 300,
  change: 0,
  currency: 'USD',
  method: 'cheque',
  reference: '0042',
  allocations: [],
  lines: [],
  remainingOwed: 40,
  receiptHtml: '<p>receipt</p>',
};

function station(answers: Partial<Record<string, unknown>> = {}) {
  return vi.spyOn(client, 'call').mockImplementation(((name: string) => {
    if (name in answers) return Promise.resolve(answers[name]);
    if (name === 'fees.pay') return Promise.resolve(paid);
    if (name === 'patrons.lookup' || name === 'patrons.get') return Promise.resolve(summary);
    return Promise.reject(new Error(`unexpected ${name}`));
  }) as never);
}

async function panel(language: 'en' | 'es' = 'en', timeZone = 'America/Chicago') {
  setUpDesk();
  return renderInDesk(
    <FeesPanel
      summary={summary}
      locale={language === 'en' ? 'en-US' : 'es-US'}
      timeZone={timeZone}
      onChange={() => {}}
    />,
    language,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('<FeesPanel>: what a patron owes', () => {
  it("dates each fee in the branch's zone and names what it is for, with title and barcode", async () => {
    station();
    const screen = await panel();
    // A table: what it is for, since when (the branch's day), what is owed, its buttons.
    const cells = (row: number) =>
      [...document.querySelectorAll(`[data-testid="fee"]:nth-child(${row}) td`)].slice(0, 3).map((c) => c.textContent);
    await expect.element(screen.getByTestId('fee').nth(2)).toBeVisible();
    expect(cells(1)).toEqual(['Overdue fine: Dune (30234000000012)', 'Nov 25, 2026', '$1.50']);
    expect(cells(2)[0]).toBe('Overdue fine: Kindred (30234000000020)');
    expect([cells(3)[0], cells(3)[2]]).toEqual(['Printing: 4 pages', '$0.40']);
    expect([...document.querySelectorAll('table[aria-label="Fees"] th')].map((h) => h.textContent)).toEqual([
      'Fee',
      'Since',
      'Owed',
      'Actions',
    ]);
  });

  it('gives every Waive and Pay button its own accessible name', async () => {
    station();
    const screen = await panel();
    const names = [...document.querySelectorAll('[data-testid="fee"] button')].map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual([
      'Pay $1.50 — Overdue fine: Dune (30234000000012)',
      'Waive $1.50 — Overdue fine: Dune (30234000000012)',
      'Pay $1.50 — Overdue fine: Kindred (30234000000020)',
      'Waive $1.50 — Overdue fine: Kindred (30234000000020)',
      'Pay $0.40 — Printing: 4 pages',
      'Waive $0.40 — Printing: 4 pages',
    ]);
    await screen.getByRole('button', { name: 'Waive $1.50 — Overdue fine: Kindred (30234000000020)' }).click();
    await expect
      .element(screen.getByRole('dialog', { name: 'Waive: Overdue fine: Kindred (30234000000020)' }))
      .toBeVisible();
  });

  it('counts the fines still accruing in what is owed, and lists them apart', async () => {
    station();
    const screen = await panel();
    await expect.element(screen.getByTestId('fees-owed')).toHaveTextContent('$8.40');
    await expect
      .element(screen.getByTestId('fees-accruing'))
      .toHaveTextContent('(of which $5.00 is overdue fines still accruing)');
    await expect.element(screen.getByTestId('accruing-fine')).toBeVisible();
    expect([...document.querySelectorAll('[data-testid="accruing-fine"] td')].map((c) => c.textContent)).toEqual([
      'The Dispossessed',
      '30234000000038',
      'Oct 31, 2026',
      '$5.00',
    ]);
  });
});

describe('<FeesPanel>: payments as libraries take them', () => {
  it('takes a cheque only with its number, for the amount owed, and offers the receipt', async () => {
    const call = station();
    const screen = await panel();
    await screen.getByLabelText('Paid by').selectOptions('Cheque');
    await expect.element(screen.getByLabelText('Amount (USD)')).toHaveValue('3.40');
    await screen.getByLabelText('Amount (USD)').fill('3.00');
    await screen.getByRole('button', { name: 'Take the payment' }).click();
    await expect.element(screen.getByLabelText('Cheque number')).toHaveAccessibleDescription('Please fill this in.');
    expect(call).not.toHaveBeenCalledWith('fees.pay', expect.anything());
    await screen.getByLabelText('Cheque number').fill('0042');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByTestId('change-due')).toHaveTextContent('Paid $3.00 by Cheque.');
    expect(call).toHaveBeenCalledWith('fees.pay', {
      patronId: 'p1',
      tendered: 300,
      method: 'cheque',
      amount: 300,
      reference: '0042',
    });
    await expect.element(screen.getByRole('button', { name: 'Print the receipt' })).toBeVisible();
    // What comes next has the focus (a whole payment takes its form away, and the focus with it).
    await expect.element(screen.getByRole('button', { name: 'Print the receipt' })).toHaveFocus();
  });

  it('pays one fee from its own Pay button, in cash with change', async () => {
    const call = station({
      'fees.pay': { ...paid, applied: 150, tendered: 200, change: 50, method: 'cash', reference: null },
    });
    const screen = await panel();
    await screen.getByRole('button', { name: 'Pay $1.50 — Overdue fine: Kindred (30234000000020)' }).click();
    await expect.element(screen.getByText('Paying only: Overdue fine: Kindred (30234000000020), $1.50.')).toBeVisible();
    await screen.getByLabelText('Cash handed over').fill('2');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByTestId('change-due')).toHaveTextContent('Paid $1.50. Change due: $0.50');
    expect(call).toHaveBeenCalledWith('fees.pay', {
      patronId: 'p1',
      tendered: 200,
      method: 'cash',
      amount: 150,
      feeIds: ['f2'],
    });
  });

  it('adds a manual charge only with a reason', async () => {
    const call = station({ 'fees.charge': printing });
    const screen = await panel();
    await screen.getByRole('button', { name: 'Add a charge' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Add a charge' });
    await dialog.getByLabelText('Kind of charge').selectOptions('Printing');
    await dialog.getByLabelText('Amount (USD)').fill('0.40');
    await dialog.getByRole('button', { name: 'Add the charge' }).click();
    await expect.element(dialog.getByLabelText('Reason')).toHaveAccessibleDescription('Please fill this in.');
    await dialog.getByLabelText('Reason').fill('4 pages');
    await dialog.getByRole('button', { name: 'Add the charge' }).click();
    await expect.element(screen.getByText('Charge added.')).toBeVisible();
    expect(call).toHaveBeenCalledWith('fees.charge', {
      patronId: 'p1',
      kind: 'printing',
      amount: 40,
      description: '4 pages',
      itemBarcode: null,
    });
  });

  it('shows the fee history: paid, waived and credited, with title and barcode on every line', async () => {
    const line = (id: string, event: string, extra: Record<string, unknown>) => ({
      id,
      event,
      at: LATE_CHICAGO_RETURN,
      amount: 150,
      currency: 'USD',
      feeId: 'f1',
      feeKind: 'overdue',
      description: 'overdue',
      title: 'Dune',
      itemBarcode: '30234000000012',
      method: null,
      reference: null,
      reason: null,
      ...extra,
    });
    station({
      'fees.history': [
        line('paid:1', 'paid', { method: 'card', reference: 'auth 77' }),
        line('waived:1', 'waived', { reason: 'first time' }),
        line('credited:1', 'credited', {
          feeKind: 'manual',
          description: 'credit: paid twice',
          title: null,
          itemBarcode: null,
        }),
      ],
    });
    const screen = await panel('es');
    await screen.getByRole('button', { name: 'Historial de cargos' }).click();
    const rows = screen.getByTestId('fee-history-line');
    await expect.element(rows.nth(0)).toHaveTextContent('25 nov 2026PagadoMulta por retraso: Dune (30234000000012)');
    await expect.element(rows.nth(0)).toHaveTextContent('Tarjeta auth 77');
    await expect.element(rows.nth(1)).toHaveTextContent('Condonado');
    await expect.element(rows.nth(1)).toHaveTextContent('first time');
    await expect.element(rows.nth(2)).toHaveTextContent('AbonadoOtro cargo: credit: paid twice');
  });
});
