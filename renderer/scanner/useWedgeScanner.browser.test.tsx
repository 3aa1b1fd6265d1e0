// #12 follow-up: a keyboard-wedge scan while the focus is in a field that is not a plain text box
// (the book-drop "Returned on" date at Check in, a number, a list) typed its digits into it and
// left them there. A scan comes back out of any field it typed into; a password field is never a
// scan (a password manager types as fast as a scanner) and keeps what was typed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { Checkin } from '../screens/Checkin';
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
    await userEvent.keyboard('30000001{Enter}');
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
    await userEvent.keyboard('30000002{Enter}');
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
    await userEvent.keyboard('{End}30000003{Enter}');
    await expect.poll(() => scans()?.barcode).toBe('30000003');
    await expect.element(screen.getByLabelText('Copies')).toHaveValue(2);

    await screen.getByLabelText('Shelf').element().focus();
    await userEvent.keyboard('30000004{Enter}');
    await expect.poll(() => scans()?.barcode).toBe('30000004');
    await expect.element(screen.getByLabelText('Shelf')).toHaveValue('a');

    await screen.getByLabelText('Password').click();
    await userEvent.keyboard('hunter22pass{Enter}');
    await expect.element(screen.getByLabelText('Password')).toHaveValue('hunter22pass');
    expect(scans()?.barcode).toBe('30000004');
  });
});
