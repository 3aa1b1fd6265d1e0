import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { printHtml } from '../print';
import { useDesk } from '../state/desk';
import { useSession } from '../state/session';
import { Checkin } from './Checkin';

vi.mock('../print', () => ({ printHtml: vi.fn() }));

type Returned = ApiOutput<'circulation.checkin'>;

const base: Returned = {
  itemId: 'i1', itemBarcode: '30000001', title: 'Cien años de soledad', action: 'shelve', wasOnLoan: true, destinationBranch: null, hold: null, fine: null, notices: [], printJob: null, slipHtml: null,
};
const trapped: Returned = {
  ...base,
  itemId: 'i2',
  itemBarcode: '30000002',
  action: 'hold_waiting',
  hold: { holdId: 'h1', patronId: 'p3', pickupBranchId: 'b1', shelfExpiresOn: '2031-01-10', patron: { firstName: 'Edna', cardTail: '*0003' } },
  notices: [{ code: 'HOLD_TRAPPED_WAITING' }],
  slipHtml: '<!doctype html><html><body><pre>HOLD</pre></body></html>',
};

function station(answers: Record<string, Returned>) {
  return vi.spyOn(client, 'call').mockImplementation(((name: string, input: { itemBarcode: string }) =>
    name === 'circulation.checkin' && answers[input.itemBarcode] ? Promise.resolve(answers[input.itemBarcode]) : Promise.reject(new Error(`unexpected ${name}`))) as never);
}

async function checkIn(screen: Awaited<ReturnType<typeof renderInDesk>>, barcode: string) {
  await screen.getByLabelText('Item barcode').fill(barcode);
  await userEvent.keyboard('{Enter}');
  await expect.element(screen.getByTestId('return-row').filter({ hasText: barcode })).toBeVisible();
}

beforeEach(() => {
  useDesk.getState().reset();
  useSession.setState({ setup: { configured: true, locale: 'en-US', currency: 'USD', timeZone: 'America/New_York' } as never });
  vi.mocked(printHtml).mockClear();
});
afterEach(() => vi.restoreAllMocks());

describe('<Checkin>', () => {
  it('a trapped hold names the patron as the slip does, with the shelf date, and prints its slip through the system printer', async () => {
    station({ '30000002': trapped });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000002');
    const row = screen.getByTestId('return-row');
    await expect.element(row).toHaveTextContent('Cien años de soledad (30000002): Hold for a patron: put it on the hold shelf For Edna *0003. Keep until Jan 10, 2031.');
    // What the row already says is not said twice.
    expect(row.element().textContent).not.toContain('Put on the hold shelf.');
    await row.getByRole('button', { name: 'Print slip' }).click();
    expect(printHtml).toHaveBeenCalledWith(trapped.slipHtml);
  });

  it('no Print slip where the receipt printer has it, or where there is no slip', async () => {
    station({ '30000002': { ...trapped, printJob: 7 }, '30000001': base });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000002');
    await checkIn(screen, '30000001');
    expect(screen.getByRole('button', { name: 'Print slip' }).elements()).toHaveLength(0);
  });

  it("shows the station's notices, e.g. a lost item found", async () => {
    station({ '30000001': { ...base, wasOnLoan: false, notices: [{ code: 'LOST_ITEM_FOUND' }] } });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000001');
    await expect.element(screen.getByTestId('return-row')).toHaveTextContent('Shelve it This item was not on loan. This item was lost and is now found.');
  });

  it('keeps the returns after the screen is left and shown again', async () => {
    station({ '30000001': base, '30000002': trapped });
    const first = await renderInDesk(<Checkin />);
    await checkIn(first, '30000001');
    await checkIn(first, '30000002');
    await first.unmount();
    const again = await renderInDesk(<Checkin />);
    expect(again.getByTestId('return-row').elements().map((r) => r.textContent?.slice(0, 36))).toEqual([
      'Cien años de soledad (30000002): Hol',
      'Cien años de soledad (30000001): She',
    ]);
  });

  it('says the item is checked in when only its slip failed, and offers the slip to the system printer', async () => {
    station({ '30000002': { ...trapped, followUpFailed: { code: 'SLIP_NOT_PRINTED', message: 'printer' } } });
    const screen = await renderInDesk(<Checkin />);
    await checkIn(screen, '30000002');
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
        refusals: [{ code: 'RETURN_DATE_BEFORE_CHECKOUT', overridable: false, params: { date: '1900-01-01', checkedOutOn: '2026-11-16' } }],
      }),
    );
    const screen = await renderInDesk(<Checkin />);
    await screen.getByLabelText('Item barcode').fill('30000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('alert')).toHaveTextContent('The return date Jan 1, 1900 is before the item was checked out (Nov 16, 2026).');
  });

  it('in Spanish', async () => {
    station({ '30000002': trapped });
    const screen = await renderInDesk(<Checkin />, 'es');
    await screen.getByLabelText('Código del ejemplar').fill('30000002');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByTestId('return-row')).toHaveTextContent('Para Edna *0003. Guardar hasta el');
    await expect.element(screen.getByRole('button', { name: 'Imprimir el tique' })).toBeVisible();
  });
});
