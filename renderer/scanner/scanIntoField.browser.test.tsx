// A desk walk (Chromium against a real station): a barcode scanned into a field that takes a
// barcode as its value (the card of a patron being registered, the copy being added, the card a
// hold is for) was taken back out of it as a scan for the screen: the new card's field emptied
// with "No patron has this card.", a new copy's scan did nothing at all. Such fields keep the
// scan (data-scan-field); the catalogue's search opens a scanned copy's record. And the focus
// goes where the next step is when the form that had it goes away.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { renderInDesk, scanKeys, setUpDesk } from '../components/testing';
import { Catalogue } from '../screens/Catalogue';
import { Holds } from '../screens/Holds';
import { Patrons } from '../screens/Patrons';
import { catalogueCopy, lisa } from '../screens/circ-fixtures';
import { useScans } from '../state/scans';
import { useWedgeScanner } from './useWedgeScanner';

type RecordView = ApiOutput<'catalogue.record'>;

const record: RecordView = {
  record: {
    id: 'r1',
    title: 'Don Quixote',
    author: 'Cervantes, Miguel de',
    isbn: null,
    issn: null,
    publisher: null,
    year: 1605,
    callNumber: '863 CER',
  },
  items: [],
};
const copy = catalogueCopy();
/** Bart, registered with the card scanned into the form. */
const bart = lisa({}, { id: 'p9', cardBarcode: '20234000000043', firstName: 'Bart', cardExpiresOn: '2029-12-02' });

function Wedge({ children }: { children: React.ReactNode }) {
  useWedgeScanner();
  return <>{children}</>;
}

function station(answer: (name: string, input: Record<string, unknown>) => unknown) {
  const calls: [string, Record<string, unknown>][] = [];
  vi.spyOn(client, 'call').mockImplementation((async (name: string, input: Record<string, unknown>) => {
    calls.push([name, input]);
    const own = await answer(name, input);
    if (own !== undefined) return own;
    if (name === 'itemTypes.list') return [{ code: 'BOOK', name: 'Book', notForLoan: false }];
    if (name === 'copyCatalogue.targets') return [];
    if (name === 'catalogue.findIsbn') return [];
    if (name === 'categories.list') return [{ code: 'ADULT', name: 'Adult', cardValidityDays: 365 }];
    if (name === 'branches.list') return [{ id: 'b1', code: 'MAIN', name: 'Main', timeZone: 'America/New_York' }];
    if (name === 'holds.toPull' || name === 'holds.shelf') return [];
    throw new Error(`unexpected ${name}`);
  }) as typeof client.call);
  return calls;
}

beforeEach(() => {
  useScans.setState({ last: null });
  setUpDesk();
});
afterEach(() => vi.restoreAllMocks());

describe('a scan into a field that takes a barcode as its value', () => {
  it("registering: the new card scanned into the card field stays there, and no patron is looked up; saved, the focus is on the patron's name", async () => {
    const calls = station((name) => {
      if (name === 'patrons.lookup') throw new Error('looked up');
      if (name === 'patrons.register') return bart;
      return undefined;
    });
    const screen = await renderInDesk(
      <Wedge>
        <Patrons />
      </Wedge>,
    );
    await screen.getByRole('button', { name: 'Register a patron' }).click();
    const form = screen.getByRole('form', { name: 'Register a patron' });
    await form.getByLabelText('Patron barcode').click();
    await scanKeys('20234000000043');
    await expect.element(form.getByLabelText('Patron barcode')).toHaveValue('20234000000043');
    // Its Enter did not submit the form half filled in.
    expect(form.getByLabelText('First name').element()).not.toHaveAttribute('aria-invalid');
    await form.getByLabelText('First name').fill('Bart');
    await form.getByLabelText('Last name').fill('Simpson');
    await form.getByRole('button', { name: 'Save the patron' }).click();
    const name = screen.getByRole('heading', { name: 'Bart Simpson', level: 2 });
    await expect.element(name).toBeVisible();
    await expect.element(name).toHaveFocus();
    expect(calls.map(([n]) => n)).not.toContain('patrons.lookup');
    expect(calls.find(([n]) => n === 'patrons.register')![1]).toMatchObject({ cardBarcode: '20234000000043' });
  });

  it('cataloguing: a record added puts the focus on its first copy, and scanned copies are added one after another', async () => {
    let items: RecordView['items'] = [];
    const calls = station((name, input) => {
      if (name === 'catalogue.addRecord') return { ...record.record, title: String(input.title) };
      if (name === 'catalogue.record') return { ...record, items };
      if (name === 'catalogue.addItem') {
        const added = { ...copy, id: `i${items.length + 1}`, barcode: String(input.barcode) };
        items = [...items, added];
        return added;
      }
      return undefined;
    });
    const screen = await renderInDesk(
      <Wedge>
        <Catalogue />
      </Wedge>,
    );
    const form = screen.getByRole('form', { name: 'Add a record' });
    await form.getByLabelText('Title').fill('Don Quixote');
    await form.getByRole('button', { name: 'Add a record' }).click();
    const copyForm = screen.getByRole('form', { name: 'Add a copy' });
    await expect.element(copyForm.getByLabelText('Item barcode')).toHaveFocus();
    await scanKeys('30234000000017');
    await expect.element(screen.getByTestId('copy-row')).toHaveTextContent('30234000000017');
    await expect.element(copyForm.getByLabelText('Item barcode')).toHaveFocus();
    await scanKeys('30234000000025');
    await expect.poll(() => screen.getByTestId('copy-row').elements().length).toBe(2);
    expect(calls.filter(([n]) => n === 'catalogue.addItem').map(([, i]) => i.barcode)).toEqual([
      '30234000000017',
      '30234000000025',
    ]);
  });

  it('cataloguing: a copy scanned into the search opens its record (a search does not look at barcodes)', async () => {
    station((name, input) => {
      if (name === 'catalogue.item') return input.barcode === copy.barcode ? copy : undefined;
      if (name === 'catalogue.record') return { ...record, items: [copy] };
      return undefined;
    });
    const screen = await renderInDesk(
      <Wedge>
        <Catalogue />
      </Wedge>,
    );
    await screen.getByLabelText(/Search the catalogue/).click();
    await scanKeys('30234000000017');
    await expect.element(screen.getByRole('heading', { name: 'Don Quixote', level: 2 })).toBeVisible();
    await expect.element(screen.getByTestId('copy-row')).toHaveTextContent('30234000000017');
  });

  it('holds: the card scanned into "For the patron with card" stays there', async () => {
    station(() => undefined);
    const screen = await renderInDesk(
      <Wedge>
        <Holds />
      </Wedge>,
    );
    await screen.getByLabelText('For the patron with card').click();
    await scanKeys('20234000000035');
    await expect.element(screen.getByLabelText('For the patron with card')).toHaveValue('20234000000035');
  });
});
