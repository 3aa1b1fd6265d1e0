// #12 bug 9: every screen says a date through the one formatter (renderer/format.ts). A Spanish
// desk at an en-US library reads "Vence el 22 dic 2026" at Check out, Renew and the kiosk alike,
// never "Dec 22, 2026".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { useDesk } from '../state/desk';
import { useSession } from '../state/session';
import { Checkout } from './Checkout';
import { Renew } from './Renew';
import { lisa, loan } from './circ-fixtures';
import { BorrowStep } from './kiosk/BorrowStep';

const DUE = Date.UTC(2026, 11, 22, 17);
const SPANISH_DUE = '22 dic 2026';

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

describe('dates in Spanish, the same on every screen', () => {
  it('shows the due date at Check out, Renew and the kiosk as the one formatter says it', async () => {
    const lent = { ...loan(1), dueAt: DUE };
    vi.spyOn(client, 'call').mockImplementation(((name: string) => {
      if (name === 'patrons.lookup')
        return Promise.resolve(
          lisa({ loans: [{ ...lent, checkedOutAt: DUE - 21 * 86_400_000, overdue: false } as never] }),
        );
      if (name === 'circulation.checkout') return Promise.resolve(lent);
      if (name === 'circulation.renew') return Promise.resolve({ ...lent, renewed: true, renewals: 1 });
      return Promise.reject(new Error(`unexpected call ${name}`));
    }) as never);

    const checkout = await renderInDesk(<Checkout />, 'es');
    await checkout.getByLabelText('Código del lector').fill('20000001');
    await userEvent.keyboard('{Enter}');
    await checkout.getByLabelText('Código del ejemplar').fill(lent.itemBarcode);
    await userEvent.keyboard('{Enter}');
    const row = checkout.getByTestId('loan-row').filter({ hasText: lent.itemBarcode });
    await expect.element(row).toHaveTextContent(SPANISH_DUE);
    expect(row.element().textContent).not.toContain('Dec');
    await checkout.unmount();

    const renew = await renderInDesk(<Renew />, 'es');
    await renew.getByLabelText('Código del ejemplar').fill(lent.itemBarcode);
    await userEvent.keyboard('{Enter}');
    await expect.element(renew.getByText(`Renovado, vence el ${SPANISH_DUE}`, { exact: false }).first()).toBeVisible();
    await renew.unmount();

    const kiosk = await renderInDesk(
      <BorrowStep
        summary={lisa()}
        borrowed={[{ loanId: lent.loanId, title: lent.title, dueAt: DUE }]}
        error={null}
        onBorrow={async () => undefined}
        onAccount={() => undefined}
        onDone={() => undefined}
      />,
      'es',
    );
    await expect.element(kiosk.getByTestId('kiosk-borrowed')).toHaveTextContent(SPANISH_DUE);
  });
});
