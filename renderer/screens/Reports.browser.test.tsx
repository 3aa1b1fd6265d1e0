import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { renderInDesk, setUpDesk } from '../components/testing';
import { deskFormat, deskLocale } from '../format';
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

  it('words each exception in the desk’s language: a Spanish desk shows them in Spanish, times in its locale', async () => {
    setUpDesk();
    const tooClose: ApiOutput<'sync.exceptions'>[number] = {
      ...lentTwice,
      id: 'hub-8',
      message:
        "The same copy was lent at two stations while they were apart, at check-outs too close to tell which came first (7 ms apart, within the clocks' combined uncertainty of 36 ms). By the stated rule, the check-out at the station with the lower id keeps the copy.",
      params: {
        decidedBy: 'too_close',
        apartMs: 7,
        uncertaintyMs: 36,
        rule: 'lower_station_id',
        keptByStationId: 's1',
      },
    };
    const wentBack: ApiOutput<'sync.exceptions'>[number] = {
      ...lentTwice,
      id: 'hub-9',
      kind: 'time_went_back',
      message: 'A loan was returned 590 s before it was checked out by the station’s clock.',
      // 10:30 on 2 December 2026 in New York, the branch's zone.
      params: { field: 'returnedAt', byMs: 590_000, checkedOutAt: Date.UTC(2026, 11, 2, 15, 30) },
    };
    // A kind this desk does not know (a newer hub): its English message, under a generic heading.
    const newer: ApiOutput<'sync.exceptions'>[number] = {
      ...lentTwice,
      id: 'hub-10',
      kind: 'shelved_twice',
      message: 'Shelved twice, as a newer hub says.',
      params: { times: 2 },
    };
    vi.spyOn(client, 'call').mockImplementation(((name: string) => {
      if (name === 'sync.exceptions') return Promise.resolve([tooClose, wentBack, newer]);
      if (name === 'reports.overdue' || name === 'reports.inTransit' || name === 'itemTypes.list')
        return Promise.resolve([]);
      return new Promise(() => {});
    }) as typeof client.call);
    const screen = await renderInDesk(<Reports />, 'es');
    const rows = screen.getByTestId('exception-row');
    await expect
      .element(rows.nth(0))
      .toHaveTextContent(/^Prestado dos veces: El mismo ejemplar se prestó en dos puestos con 7 ms de diferencia/);
    await expect.element(rows.nth(0)).toHaveTextContent('(incertidumbre 36 ms)');
    await expect.element(rows.nth(0)).not.toHaveTextContent('too close');
    const spanishTime = deskFormat(deskLocale('en-US', 'es'), 'America/New_York').dateTime(
      Date.UTC(2026, 11, 2, 15, 30),
    );
    expect(spanishTime).toMatch(/^2 dic 2026/);
    await expect
      .element(rows.nth(1))
      .toHaveTextContent(`La hora retrocedió: Un préstamo hecho el ${spanishTime} se devolvió 590 s antes`);
    await expect.element(rows.nth(2)).toHaveTextContent(/^Incidencia: Shelved twice, as a newer hub says\./);
    await expect.element(screen.getByRole('button', { name: 'Marcar resuelta' }).first()).toBeVisible();
  });

  it('links each exception to its copy, which opens in the catalogue', async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string) => {
      if (name === 'sync.exceptions') return Promise.resolve([lentTwice]);
      if (name === 'reports.overdue' || name === 'reports.inTransit' || name === 'itemTypes.list')
        return Promise.resolve([]);
      return new Promise(() => {});
    }) as typeof client.call);
    const onOpenCopy = vi.fn();
    const screen = await renderInDesk(<Reports onOpenCopy={onOpenCopy} />);
    await screen.getByRole('button', { name: 'Cien años de soledad (30234000000018)' }).click();
    expect(onOpenCopy).toHaveBeenCalledWith('30234000000018');
  });
});
