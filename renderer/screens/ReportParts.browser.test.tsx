import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderInDesk, setUpDesk } from '../components/testing';
import { i18n } from '../i18n';
import { HourChart, ItemTypeChart, OverdueSection, TransitTable, overdueCsv, type Overdue } from './ReportParts';

// Due at the very end of the branch's day (23:59:59.999 in New York): already the next day in UTC.
const endOfDayNewYork = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d + 1, 4, 59, 59, 999);
const overdue: Overdue = [
  {
    itemBarcode: '30234000000012',
    title: 'Cien años de soledad',
    patronName: 'Lisa Simpson',
    cardBarcode: '20234000000019',
    email: null,
    dueAt: endOfDayNewYork(2026, 11, 22),
    daysOverdue: 3,
  },
  {
    itemBarcode: '30234000000020',
    title: 'Pedro Páramo',
    patronName: 'Bart Simpson',
    cardBarcode: '20234000000027',
    email: 'bart@example.org',
    dueAt: endOfDayNewYork(2026, 11, 20),
    daysOverdue: 5,
  },
  {
    itemBarcode: '30234000000038',
    title: 'Rayuela, "a novel"',
    patronName: 'Lisa Simpson',
    cardBarcode: '20234000000019',
    email: null,
    dueAt: endOfDayNewYork(2026, 11, 23),
    daysOverdue: 2,
  },
];

describe('reports: charts, the overdue CSV and printable notices', () => {
  beforeEach(() => setUpDesk({ libraryName: 'Springfield Public Library', branchName: 'Main Street' }));
  afterEach(() => i18n.changeLanguage('en'));

  it("writes the CSV's due date as the branch's day, not the UTC day", () => {
    const csv = overdueCsv(overdue, 'America/New_York').split('\r\n');
    expect(csv[0]).toBe('"itemBarcode","title","patronName","cardBarcode","email","dueAt","daysOverdue"');
    expect(csv[1]).toBe('"30234000000012","Cien años de soledad","Lisa Simpson","20234000000019","","2026-11-22","3"');
    expect(csv[3]).toContain('"Rayuela, ""a novel""","Lisa Simpson"');
    expect(csv[3]).toContain('"2026-11-23"');
    // The same instant in UTC is the next day: the CSV used to say so.
    expect(overdueCsv(overdue, 'UTC').split('\r\n')[1]).toContain('"2026-11-23"');
  });

  it('links the CSV with branch dates, and prints one notice per patron with a page break between', async () => {
    const print = vi.fn<(html: string) => void>();
    const screen = await renderInDesk(
      <OverdueSection overdue={overdue} print={print} now={() => Date.UTC(2026, 10, 25, 15)} />,
    );
    const href = (await screen.getByRole('link', { name: 'Download as CSV' }).element().getAttribute('href')) ?? '';
    expect(decodeURIComponent(href.replace(/^data:text\/csv;charset=utf-8,/, ''))).toContain('"2026-11-22"');
    // A table, most overdue first; the days column sorts the other way when its header is pressed.
    const cells = (r: Element) => [...r.querySelectorAll('td')].map((c) => c.textContent);
    await expect.element(screen.getByTestId('overdue-row').first()).toBeVisible();
    expect(screen.getByTestId('overdue-row').elements().map(cells)).toEqual([
      ['Bart Simpson', 'Pedro Páramo', '30234000000020', 'Nov 20, 2026', '5 days'],
      ['Lisa Simpson', 'Cien años de soledad', '30234000000012', 'Nov 22, 2026', '3 days'],
      ['Lisa Simpson', 'Rayuela, "a novel"', '30234000000038', 'Nov 23, 2026', '2 days'],
    ]);
    expect(
      screen
        .getByRole('columnheader', { name: /Overdue/ })
        .element()
        .getAttribute('aria-sort'),
    ).toBe('descending');
    await screen.getByRole('button', { name: /Overdue/ }).click();
    await expect
      .poll(() =>
        screen
          .getByTestId('overdue-row')
          .elements()
          .map((r) => r.querySelector('td')?.textContent),
      )
      .toEqual(['Lisa Simpson', 'Lisa Simpson', 'Bart Simpson']);
    await screen.getByRole('button', { name: /Patron/ }).click();
    expect(
      screen
        .getByTestId('overdue-row')
        .elements()
        .map((r) => r.querySelectorAll('td')[1]?.textContent),
    ).toEqual(['Pedro Páramo', 'Cien años de soledad', 'Rayuela, "a novel"']);

    await screen.getByRole('button', { name: 'Print overdue notices' }).click();
    expect(print).toHaveBeenCalledOnce();
    const doc = new DOMParser().parseFromString(print.mock.calls[0]![0], 'text/html');
    const notices = [...doc.querySelectorAll('section.notice')];
    // One per patron (Lisa's two loans on one notice), in name order.
    expect(notices.map((n) => n.getAttribute('data-card'))).toEqual(['20234000000027', '20234000000019']);
    expect(notices[0]!.textContent).toContain('Dear Bart Simpson,');
    expect(notices[1]!.querySelectorAll('tbody tr').length).toBe(2);
    expect(notices[1]!.textContent).toContain('Rayuela, "a novel"');
    expect(notices[1]!.textContent).toContain('Nov 22, 2026');
    expect(notices[1]!.textContent).toContain('Library card ending in 0019');
    expect(notices[1]!.textContent).not.toContain('20234000000019');
    expect(notices[0]!.textContent).toContain('Springfield Public Library · Main Street');
    expect(notices[0]!.textContent).toContain('Nov 25, 2026');
    // A page break between notices, none before the first.
    expect(doc.querySelector('style')!.textContent).toContain(
      '.notice+.notice{break-before:page;page-break-before:always}',
    );
    expect(doc.documentElement.lang).toBe('en');
  });

  it('shows Spanish dates at a Spanish desk (an en-US library: es-US), on screen and on the notices', async () => {
    const print = vi.fn<(html: string) => void>();
    const screen = await renderInDesk(
      <OverdueSection overdue={overdue} print={print} now={() => Date.UTC(2026, 10, 25, 15)} />,
      'es',
    );
    await expect
      .element(screen.getByTestId('overdue-row').first())
      .toHaveTextContent(/^Bart SimpsonPedro Páramo3023400000002020 nov 20265 días$/);
    await expect.element(screen.getByRole('columnheader', { name: /Retraso/ })).toBeVisible();
    await screen.getByRole('button', { name: /Imprimir/ }).click();
    const doc = new DOMParser().parseFromString(print.mock.calls[0]![0], 'text/html');
    expect(doc.documentElement.lang).toBe('es');
    expect(doc.body.textContent).toContain('22 nov 2026');
    expect(doc.body.textContent).not.toContain('Nov 22');
  });

  it('lists the items in transit as a table, and says so when there are none', async () => {
    const screen = await renderInDesk(
      <TransitTable transit={[{ itemBarcode: '30234000000046', title: 'Pedro Páramo', toBranch: 'North' }]} />,
    );
    expect(
      screen
        .getByTestId('transit-row')
        .elements()
        .map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)),
    ).toEqual([['Pedro Páramo', '30234000000046', 'North']]);
    const none = await renderInDesk(<TransitTable transit={[]} />, 'es');
    await expect.element(none.getByText('Ningún ejemplar está en tránsito.')).toBeVisible();
  });

  it('offers no notices when nothing is overdue', async () => {
    const screen = await renderInDesk(<OverdueSection overdue={[]} print={vi.fn()} />);
    await expect.element(screen.getByRole('button', { name: 'Print overdue notices' })).toBeDisabled();
    await expect.element(screen.getByText('No loan is overdue.')).toBeVisible();
  });

  it('draws all 24 hours, and loans by item type as a chart with its numbers in a table', async () => {
    const byHour = [
      { hour: 9, checkouts: 2, checkins: 1, renewals: 0 },
      { hour: 23, checkouts: 0, checkins: 1, renewals: 0 },
    ];
    const screen = await renderInDesk(
      <>
        <HourChart today={{ date: '2026-11-25', byHour, byItemType: [] }} />
        <ItemTypeChart
          byItemType={[
            { itemType: 'BOOK', loans: 7 },
            { itemType: 'DVD', loans: 2 },
          ]}
          names={new Map([['BOOK', 'Book']])}
        />
      </>,
    );
    expect(screen.container.querySelectorAll('[data-testid="hour-bar"]').length).toBe(24);
    expect(
      screen
        .getByTestId('hour-row')
        .elements()
        .map((r) => r.textContent),
    ).toEqual(['9:00210', '23:00010']);
    // The key names each bar's colour in words; the axis labels take the page's ink (readable in the dark theme).
    expect(screen.container.querySelector('.chart-legend')!.textContent).toBe('Check-outsReturnsRenewals');
    const label = screen.container.querySelector('svg.chart text')!;
    expect(getComputedStyle(label).fill).toBe(getComputedStyle(screen.container).color);
    await expect.element(screen.getByRole('img', { name: 'Loans today by item type' })).toBeVisible();
    expect(
      screen
        .getByTestId('type-bar')
        .elements()
        .map((g) => g.textContent),
    ).toEqual(['Book7', 'DVD2']);
    expect(
      screen
        .getByTestId('type-row')
        .elements()
        .map((r) => r.textContent),
    ).toEqual(['Book7', 'DVD2']);
    const widths = [...screen.container.querySelectorAll('.bar-type')].map((r) => Number(r.getAttribute('width')));
    expect(widths[0]).toBeGreaterThan(widths[1]!);
  });
});
