// #12 follow-up: a keyboard-wedge scan while the focus is in a field that is not a plain text box
// (the book-drop "Returned on" date at Check in, a number, a list) typed its digits into it and
// left them there. A scan comes back out of any field it typed into; a password field is never a
// scan (a password manager types as fast as a scanner) and keeps what was typed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { renderInDesk, scanKeys } from '../components/testing';
import { Checkin } from '../screens/Checkin';
import { Checkout } from '../screens/Checkout';
import { lisa, loan } from '../screens/circ-fixtures';
import { useDesk } from '../state/desk';
import { useScans } from '../state/scans';
import { useSession } from '../state/session';
import { useWedgeScanner } from './useWedgeScanner';

const returned = (itemBarcode: string): ApiOutput<'circulation.checkin'> => ({
  itemId: `i${itemBarcode}`,
  itemBarcode,
  title: 'Cien años de soledad',
  action: 'shelve',
  wasOnLoan: true,
  destinationBranch: null,
  hold: null,
  fine: null,
  notices: [],
  printJob: null,
  slipHtml: null,
});

function Wedge({ children }: { children: React.ReactNode }) {
  useWedgeScanner();
  return <>{children}</>;
}

beforeEach(() => {
  useDesk.getState().reset();
  useScans.setState({ last: null });
  useSession.setState({
    setup: { configured: true, locale: 'en-US', currency: 'USD', timeZone: 'America/New_York' } as never,
  });
  localStorage.clear();
});
afterEach(() => vi.restoreAllMocks());

describe('a wedge scan typed into a field that is not a text box', () => {
  it('at Check in, a scan with the focus in the empty book-drop date is checked in, and the date stays empty', async () => {
    const spy = vi
      .spyOn(client, 'call')
      .mockImplementation(((name: string, input: { itemBarcode: string }) =>
        name === 'circulation.checkin'
          ? Promise.resolve(returned(input.itemBarcode))
          : Promise.reject(new Error(`unexpected ${name}`))) as never);
    const screen = await renderInDesk(
      <Wedge>
        <Checkin />
      </Wedge>,
    );
    const date = screen.getByLabelText('Returned on (book drop)');
    await date.click();
    await scanKeys('30000001');
    await expect.element(screen.getByTestId('return-row').filter({ hasText: '30000001' })).toBeVisible();
    expect(spy.mock.calls.at(-1)![1]).toEqual({ itemBarcode: '30000001', backdate: null });
    await expect.element(date).toHaveValue('');
    expect(screen.getByTestId('backdate-banner').elements()).toHaveLength(0);
  });

  it('a book-drop date already set stays the date it was, and the scan is backdated to it', async () => {
    const spy = vi
      .spyOn(client, 'call')
      .mockImplementation(((name: string, input: { itemBarcode: string }) =>
        name === 'circulation.checkin'
          ? Promise.resolve(returned(input.itemBarcode))
          : Promise.reject(new Error(`unexpected ${name}`))) as never);
    const screen = await renderInDesk(
      <Wedge>
        <Checkin />
      </Wedge>,
    );
    const date = screen.getByLabelText('Returned on (book drop)');
    await date.fill('2026-11-20');
    await date.click();
    await scanKeys('30000002');
    await expect.element(screen.getByTestId('return-row').filter({ hasText: '30000002' })).toBeVisible();
    expect(spy.mock.calls.at(-1)![1]).toEqual({ itemBarcode: '30000002', backdate: '2026-11-20' });
    await expect.element(date).toHaveValue('2026-11-20');
  });

  it('takes the scan back out of a number field and a list, never out of a password field', async () => {
    const screen = await renderInDesk(
      <Wedge>
        <label>
          Copies <input type="number" defaultValue="2" />
        </label>
        <label>
          Shelf{' '}
          <select defaultValue="a">
            <option value="a">Adult</option>
            <option value="3">3 Children</option>
          </select>
        </label>
        <label>
          Password <input type="password" />
        </label>
      </Wedge>,
    );
    const scans = () => useScans.getState().last;

    await screen.getByLabelText('Copies').click();
    await userEvent.keyboard('{End}');
    await scanKeys('30000003');
    await expect.poll(() => scans()?.barcode).toBe('30000003');
    await expect.element(screen.getByLabelText('Copies')).toHaveValue(2);

    await screen.getByLabelText('Shelf').element().focus();
    await scanKeys('30000004');
    await expect.poll(() => scans()?.barcode).toBe('30000004');
    await expect.element(screen.getByLabelText('Shelf')).toHaveValue('a');

    // Typed at a scanner's pace, as a password manager fills a field: still not a scan.
    await screen.getByLabelText('Password').click();
    await scanKeys('hunter22pass');
    await expect.element(screen.getByLabelText('Password')).toHaveValue('hunter22pass');
    expect(scans()?.barcode).toBe('30000004');
  });
});

// The check-out's item field is put back with the station's answer, not at the scan's Enter:
// clearing it at the Enter was a change the page painted, and that frame held the loan row back
// by a whole frame (docs/performance.md, "The desk in the browser").
describe('a wedge scan into the check-out item field', () => {
  async function checkoutWithLisa(answer: (barcode: string) => Promise<unknown>) {
    const asked: string[] = [];
    vi.spyOn(client, 'call').mockImplementation(((name: string, input: { itemBarcode?: string }) => {
      if (name === 'patrons.lookup') return Promise.resolve(lisa());
      if (name === 'circulation.checkout') {
        asked.push(input.itemBarcode!);
        return answer(input.itemBarcode!);
      }
      return Promise.reject(new Error(`unexpected ${name}`));
    }) as never);
    const screen = await renderInDesk(
      <Wedge>
        <Checkout />
      </Wedge>,
    );
    await screen.getByLabelText('Patron barcode').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
    await expect.element(screen.getByLabelText('Item barcode')).toHaveFocus();
    return { screen, asked };
  }

  // A barcode of the default item rule (a wedge scan is routed by the library's barcode rules).
  it('keeps the barcode in the field until the loan is shown, then the field is empty', async () => {
    let lend: () => void = () => undefined;
    const { screen, asked } = await checkoutWithLisa(
      () => new Promise((resolve) => (lend = () => resolve({ ...loan(1), itemBarcode: '30234000517861' }))),
    );
    const field = screen.getByLabelText('Item barcode');
    await scanKeys('30234000517861');
    await expect.poll(() => asked).toEqual(['30234000517861']);
    // Asked, not yet answered: the field still shows what was scanned, and no row yet.
    await expect.element(field).toHaveValue('30234000517861');
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(0);
    lend();
    await expect.element(screen.getByTestId('loan-row').filter({ hasText: '30234000517861' })).toBeVisible();
    await expect.element(field).toHaveValue('');
  });

  it('puts the field back as it was before the scan when the loan is refused', async () => {
    const { screen } = await checkoutWithLisa(() =>
      Promise.reject(
        new ApiError({
          code: 'REFUSED',
          message: 'ITEM_ON_LOAN_TO_OTHER',
          refusals: [{ code: 'ITEM_ON_LOAN_TO_OTHER', overridable: false }],
        }),
      ),
    );
    const field = screen.getByLabelText('Item barcode');
    await field.fill('12');
    await scanKeys('30234000517861');
    await expect.element(screen.getByRole('alert')).toHaveTextContent('This item is on loan to another patron.');
    await expect.element(field).toHaveValue('12');
    expect(screen.getByTestId('loan-row').elements()).toHaveLength(0);
  });
});
