import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { printHtml } from '../print';
import { useDesk } from '../state/desk';
import { useScans } from '../state/scans';
import { useSession } from '../state/session';
import { Checkin } from './Checkin';

vi.mock('../print', () => ({ printHtml: vi.fn() }));

type Returned = ApiOutput<'circulation.checkin'>;

const base: Returned = {
  itemId: 'i1',
  itemBarcode: '30000001',
  title: 'Cien años de soledad',
  action: 'shelve',
  wasOnLoan: true,
  destinationBranch: null,
  hold: null,
  fine: null,
  notices: [],
  printJob: null,
  slipHtml: null,
};
const trapped: Returned = {
  ...base,
  itemId: 'i2',
  itemBarcode: '30000002',
  action: 'hold_waiting',
  hold: {
    holdId: 'h1',
    patronId: 'p3',
    pickupBranchId: 'b1',
    shelfExpiresOn: '2031-01-10',
    patron: { firstName: 'Edna', cardTail: '*0003' },
  },
  notices: [{ code: 'HOLD_TRAPPED_WAITING' }],
  slipHtml: '<!doctype html><html><body><pre>HOLD</pre></body></html>',
};

function station(answers: Record<string, Returned>) {
  return vi
    .spyOn(client, 'call')
    .mockImplementation(((name: string, input: { itemBarcode: string }) =>
      name === 'circulation.checkin' && answers[input.itemBarcode]
        ? Promise.resolve(answers[input.itemBarcode])
        : Promise.reject(new Error(`unexpected ${name}`))) as never);
}

async function checkIn(screen: Awaited<ReturnType<typeof renderInDesk>>, barcode: string) {
  await screen.getByLabelText('Item barcode').fill(barcode);
  await userEvent.keyboard('{Enter}');
  await expect.element(screen.getByTestId('return-row').filter({ hasText: barcode })).toBeVisible();
}

beforeEach(() => {
  useDesk.getState().reset();
  useSession.setState({
    setup: { configured: true, locale: 'en-US', currency: 'USD', timeZone: 'America/New_York' } as never,
  });
  vi.mocked(printHtml).mockClear();
  localStorage.clear();
});
afterEach(() => vi.restoreAllMocks());

describe('<Checkin>', () => {
  it('a trapped hold stops the desk in a dialog that must be acknowledged, chimes, and prints its slip through the system printer', async () => {
    station({ '30000002': trapped });
    const screen = await renderInDesk(<Checkin />);
    const chimesBefore = Number(document.documentElement.dataset.chimes ?? 0);
    await checkIn(screen, '30000002');
    const dialog = screen.getByRole('alertdialog', { name: 'Hold found' });
    await expect.element(dialog).toHaveTextContent('Cien años de soledad (30000002)');
    await expect.element(dialog).toHaveTextContent('Hold shelf for Edna *0003');
    await expect.element(dialog).toHaveTextContent('Keep until Jan 10, 2031.');
    expect(Number(document.documentElement.dataset.chimes)).toBe(chimesBefore + 1);
    // Escape does not make it go away; only the acknowledgement does.
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Print slip' }).click();
    expect(printHtml).toHaveBeenCalledWith(trapped.slipHtml);
    await dialog.getByRole('button', { name: 'OK, I have it' }).click();
    expect(screen.getByRole('alertdialog').elements()).toHaveLength(0);
    await expect.element(screen.getByLabelText('Item barcode')).toHaveFocus();
    // The row says it too, in a badge, for the record.
    const row = screen.getByTestId('return-row');
    await expect.element(row).toHaveTextContent('Hold shelf for Edna *0003');
    expect(row.element().querySelector('.badge')!.className).toBe('badge badge-hold');
    expect(row.element().textContent).not.toContain('Put on the hold shelf.');
  });

  it('a scan while the hold dialog is open is not checked in, and says so', async () => {
    const spy = station({ '30000002': trapped, '30000001': base });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000002');
    useScans.getState().push({ barcode: '30000001', kind: 'item', source: 'wedge' });
    await expect
      .element(screen.getByRole('alertdialog').getByRole('alert'))
      .toHaveTextContent('30000001 was not checked in: press OK first, then scan it again.');
    expect(spy.mock.calls.filter(([name]) => name === 'circulation.checkin')).toHaveLength(1);
  });

  it('the hold sound can be turned off at this desk, and stays off', async () => {
    station({ '30000002': trapped });
    const screen = await renderInDesk(<Checkin />);
    await screen.getByLabelText('Sound when a hold is found').click();
    await expect.element(screen.getByLabelText('Sound when a hold is found')).not.toBeChecked();
    const chimesBefore = Number(document.documentElement.dataset.chimes ?? 0);
    await checkIn(screen, '30000002');
    await expect.element(screen.getByRole('alertdialog', { name: 'Hold found' })).toBeVisible();
    expect(Number(document.documentElement.dataset.chimes ?? 0)).toBe(chimesBefore);
    await screen.unmount();
    const again = await renderInDesk(<Checkin />);
    await expect.element(again.getByLabelText('Sound when a hold is found')).not.toBeChecked();
    await again.getByLabelText('Sound when a hold is found').click();
  });

  it('lists returns as a table: what to do in a badge, the fine charged, the latest on top and marked, with the count', async () => {
    station({
      '30000001': {
        ...base,
        fine: { feeId: 'f1', amount: 125, currency: 'USD' },
        notices: [{ code: 'FINE_CHARGED', params: { amount: 125 } }],
      },
      '30000003': {
        ...base,
        itemId: 'i3',
        itemBarcode: '30000003',
        action: 'transit',
        destinationBranch: { id: 'b2', name: 'North' },
        notices: [{ code: 'ROUTE_TO_BRANCH', params: { branch: 'North' } }],
      },
    });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000001');
    await checkIn(screen, '30000003');
    const [latest, earlier] = screen.getByTestId('return-row').elements();
    expect(latest!.className).toBe('latest');
    expect(latest!.textContent).toContain('Latest:');
    expect([...latest!.querySelectorAll('.badge')].map((b) => [b.className, b.textContent])).toEqual([
      ['badge badge-transit', 'Send to North'],
    ]);
    expect(earlier!.className).toBe('');
    expect([...earlier!.querySelectorAll('.badge')].map((b) => b.textContent)).toEqual(['Shelve', 'Fee charged $1.25']);
    await expect.element(screen.getByTestId('return-count')).toHaveTextContent('2 items');
  });

  it('bug 4: a book-drop date shows as a banner while it is set, marks each row it backdates, and stops when asked', async () => {
    const spy = station({ '30000001': base, '30000003': { ...base, itemId: 'i3', itemBarcode: '30000003' } });
    const screen = await renderInDesk(<Checkin />);
    await screen.getByLabelText('Returned on (book drop)').fill('2026-11-20');
    const banner = screen.getByTestId('backdate-banner');
    await expect
      .element(banner)
      .toHaveTextContent('Every item checked in now is returned on Nov 20, 2026 (book drop).');
    await checkIn(screen, '30000001');
    // Still on for the next copy of the book drop, and still said.
    await expect.element(banner).toBeVisible();
    await expect.element(screen.getByTestId('return-row')).toHaveTextContent('Returned on Nov 20, 2026 (book drop).');
    expect(spy.mock.calls.at(-1)![1]).toEqual({ itemBarcode: '30000001', backdate: '2026-11-20' });

    await screen.getByRole('button', { name: 'Stop backdating' }).click();
    expect(screen.getByTestId('backdate-banner').elements()).toHaveLength(0);
    await expect.element(screen.getByLabelText('Returned on (book drop)')).toHaveValue('');
    await checkIn(screen, '30000003');
    expect(spy.mock.calls.at(-1)![1]).toEqual({ itemBarcode: '30000003', backdate: null });
    expect(screen.getByTestId('return-row').first().element().textContent).not.toContain('Returned on');
  });

  it('bug 4: leaving the screen stops backdating: the next visit never backdates quietly', async () => {
    const spy = station({ '30000001': base });
    const first = await renderInDesk(<Checkin />);
    await first.getByLabelText('Returned on (book drop)').fill('2026-11-20');
    await first.unmount();
    const again = await renderInDesk(<Checkin />);
    await expect.element(again.getByLabelText('Returned on (book drop)')).toHaveValue('');
    expect(again.getByTestId('backdate-banner').elements()).toHaveLength(0);
    await checkIn(again, '30000001');
    expect(spy.mock.calls.at(-1)![1]).toEqual({ itemBarcode: '30000001', backdate: null });
  });

  it('no Print slip where the receipt printer has it, or where there is no slip', async () => {
    station({ '30000002': { ...trapped, printJob: 7 }, '30000001': base });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000002');
    await expect.element(screen.getByRole('alertdialog')).toHaveTextContent('The hold slip is printing.');
    await screen.getByRole('button', { name: 'OK, I have it' }).click();
    await checkIn(screen, '30000001');
    expect(screen.getByRole('button', { name: 'Print slip' }).elements()).toHaveLength(0);
  });

  it("shows the station's notices, e.g. a lost item found", async () => {
    station({ '30000001': { ...base, wasOnLoan: false, notices: [{ code: 'LOST_ITEM_FOUND' }] } });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000001');
    await expect
      .element(screen.getByTestId('return-row'))
      .toHaveTextContent('This item was not on loan. This item was lost and is now found.');
  });

  it('keeps the returns after the screen is left and shown again', async () => {
    station({ '30000001': base, '30000002': trapped });
    const first = await renderInDesk(<Checkin />);
    await checkIn(first, '30000001');
    await checkIn(first, '30000002');
    await first.getByRole('button', { name: 'OK, I have it' }).click();
    await first.unmount();
    const again = await renderInDesk(<Checkin />);
    expect(
      again
        .getByTestId('return-row')
        .elements()
        .map((r) => r.querySelector('td:nth-child(2)')!.textContent),
    ).toEqual(['30000002', '30000001']);
  });

  it('says the item is checked in when only its slip failed, and offers the slip to the system printer', async () => {
    station({ '30000002': { ...trapped, followUpFailed: { code: 'SLIP_NOT_PRINTED', message: 'printer' } } });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000002');
    await screen.getByRole('button', { name: 'OK, I have it' }).click();
    const row = screen.getByTestId('return-row');
    await expect.element(row.getByTestId('follow-up-failed')).toHaveTextContent('Done; only its slip could not print.');
    // Not an error: nothing on the screen says it failed or that nothing changed.
    expect(screen.getByRole('alert').elements()).toHaveLength(0);
    await expect.element(row.getByRole('button', { name: 'Print slip' })).toBeVisible();
  });

  it('says why a book-drop date before the check-out is refused', async () => {
    vi.spyOn(client, 'call').mockRejectedValue(
      new ApiError({
        code: 'REFUSED',
        message: 'RETURN_DATE_BEFORE_CHECKOUT',
        refusals: [
          {
            code: 'RETURN_DATE_BEFORE_CHECKOUT',
            overridable: false,
            params: { date: '1900-01-01', checkedOutOn: '2026-11-16' },
          },
        ],
      }),
    );
    const screen = await renderInDesk(<Checkin />);
    await screen.getByLabelText('Item barcode').fill('30000001');
    await userEvent.keyboard('{Enter}');
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('The return date Jan 1, 1900 is before the item was checked out (Nov 16, 2026).');
  });

  it('in Spanish', async () => {
    station({ '30000002': trapped });
    const screen = await renderInDesk(<Checkin />, 'es');
    await screen.getByLabelText('Código del ejemplar').fill('30000002');
    await userEvent.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', { name: 'Reserva encontrada' });
    await expect.element(dialog).toHaveTextContent('Estante de reservas para Edna *0003');
    await expect.element(dialog).toHaveTextContent('Guardar hasta el');
    await expect.element(dialog.getByRole('button', { name: 'Imprimir el tique' })).toBeVisible();
    await dialog.getByRole('button', { name: 'De acuerdo, lo tengo' }).click();
    await expect.element(screen.getByTestId('return-row')).toHaveTextContent('Estante de reservas para Edna *0003');
  });
});
