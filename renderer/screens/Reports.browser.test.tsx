import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { Reports } from './Reports';

const lentTwice: ApiOutput<'sync.exceptions'>[number] = {
  id: 'hub-7',
  kind: 'lent_twice',
  message: 'The same copy was lent at two stations while they were apart; the later borrower has it.',
  patronId: 'p1',
  patronName: 'Lisa Simpson',
  cardBarcode: '20234000000019',
  patrons: [
    { id: 'p1', name: 'Lisa Simpson', cardBarcode: '20234000000019' },
    { id: 'p2', name: 'Bart Simpson', cardBarcode: '20234000000027' },
    // Not (yet) at this station: named by its id, with nothing to open.
    { id: 'p3', name: null, cardBarcode: null },
  ],
  itemId: 'i1',
  itemBarcode: '30234000000018',
  title: 'Cien años de soledad',
  createdAt: 0,
  resolvedAt: null,
};

describe('Reports › sync exceptions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names every patron of an exception (both borrowers of a copy lent twice), each opening the patron', async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string) => {
      if (name === 'sync.exceptions') return Promise.resolve([lentTwice]);
      if (name === 'reports.overdue' || name === 'reports.inTransit' || name === 'itemTypes.list')
        return Promise.resolve([]);
      return new Promise(() => {});
    }) as typeof client.call);
    const onOpenPatron = vi.fn();
    const screen = await renderInDesk(<Reports onOpenPatron={onOpenPatron} />);
    const row = screen.getByTestId('exception-row');
    await expect.element(row).toHaveTextContent('Lisa Simpson (20234000000019), Bart Simpson (20234000000027), p3');
    await screen.getByRole('button', { name: 'Bart Simpson (20234000000027)' }).click();
    expect(onOpenPatron).toHaveBeenCalledWith('20234000000027');
    await screen.getByRole('button', { name: 'Lisa Simpson (20234000000019)' }).click();
    expect(onOpenPatron).toHaveBeenLastCalledWith('20234000000019');
    expect(screen.getByTestId('exception-patron').elements()).toHaveLength(3);
  });
});
