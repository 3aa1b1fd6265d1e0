import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { renderInDesk, setUpDesk } from '../components/testing';
import { i18n } from '../i18n';
import { Catalogue } from './Catalogue';
import { catalogueCopy } from './circ-fixtures';

type RecordView = ApiOutput<'catalogue.record'>;
const DUE = Date.UTC(2026, 11, 22, 17);
const record: RecordView = {
  record: {
    id: 'r1',
    title: 'Pedro Páramo',
    author: 'Juan Rulfo',
    isbn: '9780060883287',
    issn: null,
    publisher: null,
    year: 1955,
    callNumber: 'F RUL',
  },
  items: [
    catalogueCopy({ barcode: '30234000000012', status: 'on_loan', replacementPrice: 2500, dueAt: DUE }),
    catalogueCopy({ id: 'i2', barcode: '30234000000020' }),
  ],
};
const hit = {
  id: 'r1',
  title: 'Pedro Páramo',
  author: 'Juan Rulfo',
  isbn: '9780060883287',
  callNumber: 'F RUL',
  year: 1955,
  copies: 3,
  available: 2,
  nextDueAt: DUE,
};

/** A station answering the catalogue's calls; `answer` may take over any call (return undefined to fall through). */
function station(answer: (name: string, input: Record<string, unknown>) => unknown = () => undefined) {
  const calls: [string, Record<string, unknown>][] = [];
  vi.spyOn(client, 'call').mockImplementation((async (name: string, input: Record<string, unknown>) => {
    calls.push([name, input]);
    const own = await answer(name, input);
    if (own !== undefined) return own;
    if (name === 'itemTypes.list')
      return [
        { code: 'BOOK', name: 'Book', notForLoan: false },
        { code: 'DVD', name: 'DVD', notForLoan: false },
      ];
    if (name === 'catalogue.search') return String(input.query).includes('nothing') ? [] : [hit];
    if (name === 'catalogue.record') return record;
    if (name === 'catalogue.findIsbn') return [];
    if (name === 'copyCatalogue.targets') return [];
    if (name === 'branches.list')
      return [
        { id: 'b1', code: 'MAIN', name: 'Main', timeZone: 'America/New_York' },
        { id: 'b2', code: 'N', name: 'North', timeZone: 'America/New_York' },
      ];
    throw new Error(`unexpected ${name}`);
  }) as typeof client.call);
  return calls;
}

describe('Catalogue', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await i18n.changeLanguage('en');
  });

  it('adds a record and says so, empties the form for the next one, with no "Something went wrong" (#12 bug 1)', async () => {
    setUpDesk();
    station((name, input) =>
      name === 'catalogue.addRecord' ? { ...record.record, id: 'r1', title: String(input.title) } : undefined,
    );
    const screen = await renderInDesk(<Catalogue />);
    const form = screen.getByRole('form', { name: 'Add a record' });
    await form.getByLabelText('Title').fill('Pedro Páramo');
    await form.getByRole('button', { name: 'Add a record' }).click();
    await expect.element(screen.getByTestId('catalogue-message')).toHaveTextContent('Record “Pedro Páramo” added.');
    await expect.element(screen.getByRole('heading', { name: 'Pedro Páramo', level: 2 })).toBeVisible();
    await expect.element(form.getByLabelText('Title')).toHaveValue('');
    expect(screen.container.querySelector('[role="alert"]')).toBeNull();
  });

  it('refuses a text year, a non-ISBN and a negative price at their fields, sending nothing (#12 bug 5)', async () => {
    setUpDesk();
    const calls = station();
    const screen = await renderInDesk(<Catalogue />);
    const form = screen.getByRole('form', { name: 'Add a record' });
    await form.getByLabelText('Title').fill('Rayuela');
    await form.getByLabelText('ISBN').fill('not an isbn');
    await form.getByLabelText('Year').fill('nineteen sixty-three');
    await form.getByRole('button', { name: 'Add a record' }).click();
    await expect.element(form.getByLabelText('ISBN')).toHaveAccessibleDescription(/Not an ISBN/);
    await expect.element(form.getByLabelText('Year')).toHaveAccessibleDescription('A year, as a number: 1955.');
    expect(calls.some(([n]) => n === 'catalogue.addRecord')).toBe(false);

    await screen.getByLabelText(/Search the catalogue/).fill('paramo');
    await screen.getByRole('button', { name: 'Search' }).click();
    await screen.getByRole('button', { name: 'Open Pedro Páramo' }).click();
    const copy = screen.getByRole('form', { name: 'Add a copy' });
    await copy.getByLabelText('Item barcode').fill('30234000000038');
    for (const price of ['-5', 'abc']) {
      await copy.getByLabelText('Replacement price').fill(price);
      await copy.getByRole('button', { name: 'Add a copy' }).click();
      await expect
        .element(copy.getByLabelText('Replacement price'))
        .toHaveAccessibleDescription('An amount, like 1.50.');
    }
    expect(calls.some(([n]) => n === 'catalogue.addItem')).toBe(false);
  });

  it('shows the station refusing a field under that field', async () => {
    setUpDesk();
    station((name) => {
      if (name === 'catalogue.addRecord')
        throw new ApiError({
          code: 'INVALID',
          message: 'bad',
          issues: [{ path: 'isbn', message: 'not an ISBN', reason: 'isbn' }],
        });
      return undefined;
    });
    const screen = await renderInDesk(<Catalogue />);
    const form = screen.getByRole('form', { name: 'Add a record' });
    await form.getByLabelText('Title').fill('Rayuela');
    await form.getByLabelText('ISBN').fill('978-0-06-088328-7');
    await form.getByRole('button', { name: 'Add a record' }).click();
    await expect.element(form.getByLabelText('ISBN')).toHaveAccessibleDescription(/Not an ISBN/);
  });

  it('lists results as a table with their availability in Spanish dates, and says aloud when nothing is found', async () => {
    setUpDesk();
    station();
    const screen = await renderInDesk(<Catalogue />, 'es');
    await screen.getByLabelText(/Buscar en el catálogo/).fill('paramo');
    await screen.getByRole('button', { name: 'Buscar' }).click();
    const row = screen.getByTestId('catalogue-hit');
    await expect.element(row).toHaveTextContent('2 de 3 en la estantería');
    await expect.element(row).toHaveTextContent('el próximo vence el 22 dic 2026');
    await expect.element(screen.getByRole('columnheader', { name: /Título/ })).toHaveAttribute('aria-sort', 'none');
    await screen.getByRole('button', { name: /^Título/ }).click();
    await expect
      .element(screen.getByRole('columnheader', { name: /Título/ }))
      .toHaveAttribute('aria-sort', 'ascending');

    await screen.getByLabelText(/Buscar en el catálogo/).fill('nothing at all');
    await screen.getByRole('button', { name: 'Buscar' }).click();
    const live = screen.getByTestId('result-count');
    await expect.element(live).toHaveTextContent('No se ha encontrado ningún título para «nothing at all».');
    await expect.element(live).toHaveAttribute('aria-live', 'polite');
  });

  it('keeps the copy form ready for the next barcode, and shows a refused deletion in its dialog', async () => {
    setUpDesk();
    const calls = station((name, input) => {
      if (name === 'catalogue.addItem') return { ...record.items[1], id: 'i3', barcode: String(input.barcode) };
      if (name === 'catalogue.deleteItem')
        throw new ApiError({
          code: 'REFUSED',
          message: 'COPY_ON_LOAN',
          refusals: [{ code: 'COPY_ON_LOAN', overridable: false, params: { barcode: '30234000000012' } }],
        });
      return undefined;
    });
    const screen = await renderInDesk(<Catalogue />);
    await screen.getByLabelText(/Search the catalogue/).fill('paramo');
    await screen.getByRole('button', { name: 'Search' }).click();
    await screen.getByRole('button', { name: 'Open Pedro Páramo' }).click();
    await expect.element(screen.getByTestId('copy-row').first()).toHaveTextContent('Due Dec 22, 2026');
    const copy = screen.getByRole('form', { name: 'Add a copy' });
    await copy.getByLabelText('Item type').selectOptions('DVD');
    await copy.getByLabelText('Replacement price').fill('12.50');
    await copy.getByLabelText('Item barcode').fill('30234000000038');
    await copy.getByRole('button', { name: 'Add a copy' }).click();
    await expect
      .element(screen.getByTestId('catalogue-message'))
      .toHaveTextContent('Copy 30234000000038 added. Scan the next one.');
    await expect.element(copy.getByLabelText('Item barcode')).toHaveValue('');
    await expect.element(copy.getByLabelText('Item barcode')).toHaveFocus();
    await expect.element(copy.getByLabelText('Item type')).toHaveValue('DVD');
    await expect.element(copy.getByLabelText('Replacement price')).toHaveValue('12.50');
    expect(calls.find(([n]) => n === 'catalogue.addItem')![1]).toMatchObject({
      barcode: '30234000000038',
      itemTypeCode: 'DVD',
      replacementPrice: 1250,
      recordId: 'r1',
    });

    await screen.getByRole('button', { name: 'Delete copy 30234000000012' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Delete copy 30234000000012' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect
      .element(dialog.getByRole('alert'))
      .toHaveTextContent('Copy 30234000000012 is on loan: it cannot be deleted until it is checked in.');
  });

  it('places a hold from a result, for a card, at the branch chosen in the list', async () => {
    setUpDesk();
    const calls = station((name) => {
      if (name === 'patrons.lookup') return { patron: { id: 'p1', firstName: 'Lisa', lastName: 'Simpson' } };
      if (name === 'holds.place') return { id: 'h1' };
      return undefined;
    });
    const screen = await renderInDesk(<Catalogue />);
    await screen.getByLabelText(/Search the catalogue/).fill('paramo');
    await screen.getByRole('button', { name: 'Search' }).click();
    await screen.getByRole('button', { name: 'Place a hold on Pedro Páramo' }).click();
    const form = screen.getByRole('form', { name: 'Place a hold on Pedro Páramo' });
    await form.getByLabelText('For the patron with card').fill('20234000000019');
    await form.getByRole('button', { name: /Pick up at/ }).click();
    await screen.getByRole('option', { name: 'North' }).click();
    await form.getByLabelText('One particular copy').click();
    await form.getByRole('button', { name: 'Place a hold', exact: true }).click();
    await expect.element(screen.getByTestId('catalogue-message')).toHaveTextContent('Pedro Páramo');
    expect(calls.find(([n]) => n === 'holds.place')![1]).toEqual({
      patronId: 'p1',
      recordId: 'r1',
      pickupBranchId: 'b2',
      itemId: 'i1',
    });
  });
});
