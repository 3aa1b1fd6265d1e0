import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { renderInDesk } from '../../components/testing';
import { asClosedDays, ClosedDaysEditor, type ClosedDay } from './Calendar';

const days: ClosedDay[] = [
  { id: 'd1', kind: 'date', date: '2026-12-24', description: 'Christmas Eve' },
  { id: 'd2', kind: 'weekly', weekday: 0 },
  { id: 'd3', kind: 'yearly', month: 1, day: 1, description: "New Year's Day" },
];

describe('<ClosedDaysEditor>: the calendar of closed days', () => {
  it('lists single dates, weekly and yearly repeats in words, in the branch locale', async () => {
    const screen = await renderInDesk(
      <ClosedDaysEditor days={days} locale="en-US" onAdd={vi.fn()} onRemove={vi.fn()} />,
    );
    const rows = screen.getByTestId('closed-day');
    await expect.element(rows.nth(0)).toHaveTextContent('Every Sunday');
    await expect.element(rows.nth(1)).toHaveTextContent("Every year on January 1 — New Year's Day");
    await expect.element(rows.nth(2)).toHaveTextContent('Dec 24, 2026 — Christmas Eve');
  });

  it('shows them in Spanish for a Spanish branch', async () => {
    const screen = await renderInDesk(
      <ClosedDaysEditor days={days} locale="es-ES" onAdd={vi.fn()} onRemove={vi.fn()} />,
      'es',
    );
    const rows = screen.getByTestId('closed-day');
    await expect.element(rows.nth(0)).toHaveTextContent('Cada domingo');
    await expect.element(rows.nth(1)).toHaveTextContent('Cada año el 1 de enero');
    await expect.element(rows.nth(2)).toHaveTextContent('24 dic 2026');
  });

  it('adds a single date picked in the date field, with its reason', async () => {
    const onAdd = vi.fn(() => Promise.resolve());
    const screen = await renderInDesk(<ClosedDaysEditor days={[]} locale="en-US" onAdd={onAdd} onRemove={vi.fn()} />);
    await expect.element(screen.getByText('No closed days yet.')).toBeVisible();
    await screen.getByLabelText('Date', { exact: true }).fill('2026-12-31');
    await screen.getByLabelText('Reason (optional)').fill('Inventory');
    await screen.getByRole('button', { name: 'Add the closed day' }).click();
    expect(onAdd).toHaveBeenCalledWith({ kind: 'date', date: '2026-12-31', description: 'Inventory' });
  });

  it('refuses a date left empty', async () => {
    const onAdd = vi.fn(() => Promise.resolve());
    const screen = await renderInDesk(<ClosedDaysEditor days={[]} locale="en-US" onAdd={onAdd} onRemove={vi.fn()} />);
    await screen.getByRole('button', { name: 'Add the closed day' }).click();
    await expect
      .element(screen.getByLabelText('Date', { exact: true }))
      .toHaveAccessibleDescription('Please fill this in.');
    expect(onAdd).not.toHaveBeenCalled();
  });

  it('adds a weekly closing chosen by weekday name, with the keyboard only', async () => {
    const onAdd = vi.fn(() => Promise.resolve());
    const screen = await renderInDesk(<ClosedDaysEditor days={[]} locale="en-US" onAdd={onAdd} onRemove={vi.fn()} />);
    await screen.getByRole('radio', { name: 'Every week' }).click();
    await screen.getByLabelText('Day of the week').selectOptions('Monday');
    await screen.getByLabelText('Reason (optional)').click();
    await userEvent.keyboard('{Enter}');
    expect(onAdd).toHaveBeenCalledWith({ kind: 'weekly', weekday: 1, description: undefined });
  });

  it('adds a yearly closing and refuses a day the month does not have', async () => {
    const onAdd = vi.fn(() => Promise.resolve());
    const screen = await renderInDesk(<ClosedDaysEditor days={[]} locale="en-US" onAdd={onAdd} onRemove={vi.fn()} />);
    await screen.getByRole('radio', { name: 'Every year' }).click();
    await screen.getByLabelText('Month', { exact: true }).selectOptions('February');
    await screen.getByLabelText('Day of the month').fill('30');
    await screen.getByRole('button', { name: 'Add the closed day' }).click();
    await expect
      .element(screen.getByLabelText('Day of the month'))
      .toHaveAccessibleDescription('That month has no such day.');
    expect(onAdd).not.toHaveBeenCalled();
    await screen.getByLabelText('Month', { exact: true }).selectOptions('December');
    await screen.getByLabelText('Day of the month').fill('25');
    await screen.getByRole('button', { name: 'Add the closed day' }).click();
    expect(onAdd).toHaveBeenCalledWith({ kind: 'yearly', month: 12, day: 25, description: undefined });
  });

  it('removes a closed day by its button, named for the day', async () => {
    const onRemove = vi.fn(() => Promise.resolve());
    const screen = await renderInDesk(
      <ClosedDaysEditor days={days} locale="en-US" onAdd={vi.fn()} onRemove={onRemove} />,
    );
    await screen.getByRole('button', { name: 'Remove closed day: Dec 24, 2026' }).click();
    expect(onRemove).toHaveBeenCalledWith(days[0]);
  });

  it('keeps only well-formed rows from calendar.list', () => {
    expect(
      asClosedDays([
        { id: 'x', kind: 'weekly', weekday: 6 },
        { id: 'y', kind: 'date' },
        { id: 'z', kind: 'yearly', month: 2, day: 29, description: 'Leap' },
      ]),
    ).toEqual([
      { id: 'x', kind: 'weekly', weekday: 6, description: undefined },
      { id: 'z', kind: 'yearly', month: 2, day: 29, description: 'Leap' },
    ]);
  });
});
