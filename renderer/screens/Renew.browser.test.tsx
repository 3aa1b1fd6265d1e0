import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError, client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { useDesk } from '../state/desk';
import { useSession } from '../state/session';
import { Renew } from './Renew';
import { DAY, lisa } from './circ-fixtures';

const refused = (codes: { code: string; overridable: boolean; params?: Record<string, string> }[]) =>
  new ApiError({ code: 'REFUSED', message: 'refused', refusals: codes } as never);

beforeEach(() => {
  useDesk.getState().reset();
  useSession.setState({
    setup: { configured: true, locale: 'en-US', currency: 'USD', timeZone: 'America/New_York' } as never,
  });
});
afterEach(() => vi.restoreAllMocks());

async function scanToRenew(screen: Awaited<ReturnType<typeof renderInDesk>>, barcode: string) {
  await screen.getByLabelText('Item barcode').fill(barcode);
  await userEvent.keyboard('{Enter}');
}

describe('<Renew>: a supervisor may override a refused renewal', () => {
  it('offers Override on an overridable refusal; the supervisor signs, the item is renewed with the override', async () => {
    const calls: { name: string; input: unknown }[] = [];
    vi.spyOn(client, 'call').mockImplementation(((
      name: string,
      input: { itemBarcode?: string; override?: unknown },
    ) => {
      calls.push({ name, input });
      if (name === 'auth.verifySupervisor') return Promise.resolve({ overrideToken: 'tok-1' });
      if (name === 'circulation.renew' && !input.override)
        return Promise.reject(
          refused([
            { code: 'CARD_EXPIRED', overridable: true, params: { date: '2020-01-01' } },
            { code: 'RENEWAL_LIMIT', overridable: true, params: { limit: '2' } as never },
          ]),
        );
      if (name === 'circulation.renew')
        return Promise.resolve({
          loanId: 'L1',
          itemId: 'i3',
          itemBarcode: '30000003',
          title: 'Cien años de soledad',
          dueAt: Date.parse('2031-01-10T17:00:00Z'),
          renewals: 3,
          renewalsLeft: 0,
          renewed: true,
          notices: [],
        });
      return Promise.reject(new Error(`unexpected ${name}`));
    }) as never);
    const screen = await renderInDesk(<Renew />);
    await scanToRenew(screen, '30000003');
    const row = screen.getByTestId('renew-row');
    await expect.element(row).toHaveTextContent('The card expired on Jan 1, 2020.');

    await row.getByRole('button', { name: 'Override' }).click();
    const form = screen.getByRole('form', { name: 'A supervisor may override' });
    await expect.element(form.getByLabelText('Supervisor username')).toHaveFocus();
    await form.getByLabelText('Supervisor username').fill('skinner');
    await form.getByLabelText('Supervisor password').fill('principal pass');
    await form.getByRole('button', { name: 'Override and renew' }).click();

    await expect.poll(() => screen.getByTestId('renew-row').elements().length).toBe(2);
    const [renewed, before] = screen.getByTestId('renew-row').elements();
    expect(renewed!.textContent).toBe('Cien años de soledad30000003Renewed, due Jan 10, 2031 No renewals left');
    expect(before!.textContent).toContain('(overridden by a supervisor)');
    expect(screen.getByRole('button', { name: 'Override' }).elements()).toHaveLength(0);
    expect(screen.getByRole('form', { name: 'A supervisor may override' }).elements()).toHaveLength(0);
    expect(calls.at(-1)).toEqual({
      name: 'circulation.renew',
      input: { itemBarcode: '30000003', override: { token: 'tok-1', codes: ['CARD_EXPIRED', 'RENEWAL_LIMIT'] } },
    });
  });

  it('no Override where a reason may not be overridden, or the item is not on loan', async () => {
    vi.spyOn(client, 'call').mockImplementation(((_name: string, input: { itemBarcode: string }) =>
      Promise.reject(
        input.itemBarcode === '30000001'
          ? refused([{ code: 'NOT_ON_LOAN', overridable: false }])
          : refused([
              { code: 'RENEWAL_LIMIT', overridable: true, params: { limit: '2' } },
              { code: 'PATRON_BARRED', overridable: false },
            ]),
      )) as never);
    const screen = await renderInDesk(<Renew />);
    await scanToRenew(screen, '30000001');
    await scanToRenew(screen, '30000002');
    await expect.poll(() => screen.getByTestId('renew-row').elements().length).toBe(2);
    expect(screen.getByTestId('renew-row').first().element().textContent).toContain('The patron is barred');
    expect(screen.getByTestId('renew-row').last().element().textContent).toContain('This item is not on loan.');
    expect(screen.getByRole('button', { name: 'Override' }).elements()).toHaveLength(0);
  });

  it('a supervisor whose password is wrong is told so, and the refusal stays to override', async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string) =>
      name === 'auth.verifySupervisor'
        ? Promise.reject(new ApiError({ code: 'UNAUTHENTICATED', message: 'no' }))
        : Promise.reject(refused([{ code: 'RENEWAL_LIMIT', overridable: true, params: { limit: '1' } }]))) as never);
    const screen = await renderInDesk(<Renew />);
    await scanToRenew(screen, '30000002');
    await screen.getByRole('button', { name: 'Override' }).click();
    await screen.getByLabelText('Supervisor username').fill('bart');
    await screen.getByLabelText('Supervisor password').fill('wrong');
    await screen.getByRole('button', { name: 'Override and renew' }).click();
    await expect
      .element(screen.getByRole('form', { name: 'A supervisor may override' }).getByRole('alert'))
      .toBeVisible();
    await screen.getByRole('button', { name: 'Cancel' }).click();
    await expect.element(screen.getByRole('button', { name: 'Override' })).toBeVisible();
  });

  it('keeps the patron and the renewals after the screen is left and shown again', async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string) =>
      name === 'patrons.lookup'
        ? Promise.resolve(
            lisa({
              loans: [
                {
                  loanId: 'L1',
                  itemId: 'i1',
                  itemBarcode: '30000001',
                  title: 'T',
                  dueAt: Date.now() + DAY,
                  renewals: 0,
                  overdue: false,
                },
              ],
            }),
          )
        : Promise.resolve({
            loanId: 'L1',
            itemId: 'i1',
            itemBarcode: '30000001',
            title: 'T',
            dueAt: Date.now() + 2 * DAY,
            renewals: 1,
            renewalsLeft: 1,
            renewed: true,
            notices: [],
          })) as never);
    const first = await renderInDesk(<Renew />);
    await first.getByLabelText('Patron barcode').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(first.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
    await scanToRenew(first, '30000001');
    await expect.poll(() => first.getByTestId('renew-row').elements().length).toBe(1);
    await first.unmount();
    const again = await renderInDesk(<Renew />);
    await expect.element(again.getByRole('heading', { name: 'Lisa Simpson' })).toBeVisible();
    expect(again.getByTestId('renew-row').elements()).toHaveLength(1);
  });

  it('says how many renewals are left, and why a renewal that cannot move the due date is refused (bug 7)', async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string, input: { itemBarcode?: string }) => {
      if (name === 'circulation.renew' && input.itemBarcode === '30000001')
        return Promise.resolve({
          loanId: 'L1',
          itemId: 'i1',
          itemBarcode: '30000001',
          title: 'Dune',
          dueAt: Date.parse('2031-01-10T17:00:00Z'),
          renewals: 1,
          renewalsLeft: 2,
          renewed: true,
          notices: [],
        });
      if (name === 'circulation.renew')
        return Promise.reject(
          refused([{ code: 'RENEWAL_NO_LATER_DUE_DATE', overridable: false, params: { date: '2026-11-20' } }]),
        );
      return Promise.reject(new Error(`unexpected ${name}`));
    }) as never);
    const screen = await renderInDesk(<Renew />);
    await scanToRenew(screen, '30000001');
    await expect
      .element(screen.getByTestId('renew-row'))
      .toHaveTextContent('Renewed, due Jan 10, 2031 2 renewals left');
    await scanToRenew(screen, '30000002');
    await expect.poll(() => screen.getByTestId('renew-row').elements().length).toBe(2);
    const refusedRow = screen.getByTestId('renew-row').first();
    await expect
      .element(refusedRow)
      .toHaveTextContent(
        'Not renewed Renewing would not move the due date (Nov 20, 2026): not renewed. Return it by then.',
      );
    expect(refusedRow.element().className).toBe('refused');
    // Nothing a supervisor could change.
    expect(screen.getByRole('button', { name: 'Override' }).elements()).toHaveLength(0);
  });

  it('renewals left in Spanish', async () => {
    vi.spyOn(client, 'call').mockImplementation((() =>
      Promise.resolve({
        loanId: 'L1',
        itemId: 'i1',
        itemBarcode: '30000001',
        title: 'Dune',
        dueAt: Date.parse('2031-01-10T17:00:00Z'),
        renewals: 1,
        renewalsLeft: 1,
        renewed: true,
        notices: [],
      })) as never);
    const screen = await renderInDesk(<Renew />, 'es');
    await screen.getByLabelText('Código del ejemplar').fill('30000001');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByTestId('renew-row')).toHaveTextContent('Queda 1 renovación');
  });
});
