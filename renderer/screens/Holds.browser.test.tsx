import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { renderInDesk, setUpDesk } from '../components/testing';
import { i18n } from '../i18n';
import { expiredCopies, Holds } from './Holds';

type Shelf = ApiOutput<'holds.shelf'>;
type Cleared = ApiOutput<'holds.clearExpired'>;

const shelf: Shelf = [
  {
    holdId: 'h1',
    title: 'Cien años de soledad',
    itemBarcode: '30234000000012',
    patronName: 'Lisa Simpson',
    shelfExpiresOn: '2026-11-20',
    expired: true,
  },
  {
    holdId: 'h2',
    title: 'Pedro Páramo',
    itemBarcode: '30234000000020',
    patronName: 'Bart Simpson',
    shelfExpiresOn: '2026-12-02',
    expired: false,
  },
];

/** A station that answers the holds screen's calls; `clear` is what clearing expired holds does. */
function station(clear: () => Promise<Cleared>) {
  let shelfNow = shelf;
  vi.spyOn(client, 'call').mockImplementation((async (name: string) => {
    if (name === 'holds.toPull') return [];
    if (name === 'holds.shelf') return shelfNow;
    if (name === 'holds.clearExpired') {
      const r = await clear();
      shelfNow = shelf.filter((s) => !r.expired.some((x) => x.holdId === s.holdId));
      return r;
    }
    throw new Error(name);
  }) as typeof client.call);
}

describe('Holds › clear expired holds', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await i18n.changeLanguage('en');
  });

  it('names the copies to take off the shelf: from the answer, or from the shelf as it was', () => {
    const told = {
      expired: [
        {
          holdId: 'h1',
          itemBarcode: '30234000000012',
          title: 'Cien años de soledad',
          patronId: 'p1',
          patronName: 'Lisa Simpson',
        },
      ],
    } as unknown as Cleared;
    expect(expiredCopies(told, [])).toEqual([
      { holdId: 'h1', itemBarcode: '30234000000012', title: 'Cien años de soledad', patronName: 'Lisa Simpson' },
    ]);
    const bare = { expired: [{ holdId: 'h1', itemBarcode: '30234000000012' }] } as unknown as Cleared;
    expect(expiredCopies(bare, shelf)).toEqual([
      { holdId: 'h1', itemBarcode: '30234000000012', title: 'Cien años de soledad', patronName: 'Lisa Simpson' },
    ]);
  });

  it('lists the copies to take off the hold shelf, with their dates in the desk language', async () => {
    setUpDesk();
    station(() => Promise.resolve({ expired: [{ holdId: 'h1', itemBarcode: '30234000000012' }] } as Cleared));
    const screen = await renderInDesk(<Holds />, 'es');
    await expect.element(screen.getByTestId('shelf-row').first()).toHaveTextContent('20 nov 2026');
    await screen.getByRole('button', { name: 'Retirar reservas caducadas' }).click();
    await expect
      .element(screen.getByTestId('cleared-holds'))
      .toHaveTextContent('Retire este ejemplar del estante de reservas');
    await expect
      .element(screen.getByTestId('cleared-row'))
      .toHaveTextContent('Cien años de soledad (30234000000012), reservado para Lisa Simpson');
    await expect.poll(() => screen.getByTestId('shelf-row').elements().length).toBe(1);
  });

  it('shows why clearing failed instead of saying nothing', async () => {
    station(() => Promise.reject(new ApiError({ code: 'FORBIDDEN', message: 'no' })));
    const screen = await renderInDesk(<Holds />);
    await screen.getByRole('button', { name: 'Clear expired holds' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent('Your account may not do that.');
    expect(screen.container.querySelector('[data-testid="cleared-holds"]')).toBeNull();
  });
});
