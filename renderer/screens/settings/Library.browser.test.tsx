import { describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../../src/api/contract';
import { ApiError } from '../../api/client';
import { renderInDesk } from '../../components/testing';
import { LibraryForm, WedgeForm } from './Library';

type Settings = ApiOutput<'settings.get'>;
const barcodes = { length: 14, minLength: 14, maxLength: 14, prefix: '', numeric: true, checkDigit: true };
const settings: Settings = {
  name: 'Springfield Public Library',
  currency: 'USD',
  locale: 'es-US',
  circControl: 'patron_home_branch',
  calendarMode: 'calendar',
  capDueDateAtCardExpiry: false,
  finesSkipClosedDays: true,
  holdShelfSkipsClosedDays: false,
  maxFeesOwed: 750,
  overdueBlockDays: 14,
  loanHistoryRetentionDays: 30,
  barcodes: { patron: barcodes, item: { ...barcodes, length: null, minLength: 8, prefix: '3' } },
  kiosk: { idleSeconds: 90, warningSeconds: 15, logo: null, sounds: true },
  lockout: { maxFailures: 3, minutes: 30 },
};
const forbidden = new ApiError({ code: 'FORBIDDEN', message: 'forbidden' });

describe('<WedgeForm>: a form that saves in place', () => {
  it('checks the field first, shows the station refusal, then says Saved once it goes through', async () => {
    const onSave = vi.fn((_w: { maxGapMs: number }) => Promise.reject<void>(forbidden));
    const screen = await renderInDesk(<WedgeForm wedge={{ maxGapMs: 30 }} onSave={onSave} />);
    await expect.element(screen.getByRole('heading', { name: 'Keyboard scanners at this station' })).toBeVisible();
    const gap = screen.getByLabelText('Longest gap between the keys of one scan (milliseconds)');
    await gap.fill('5');
    await screen.getByRole('button', { name: 'Save the scanner setting' }).click();
    await expect.element(gap).toHaveAccessibleDescription(/A whole number from 10 to 250\./);
    expect(onSave).not.toHaveBeenCalled();

    await gap.fill('80');
    await screen.getByRole('button', { name: 'Save the scanner setting' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent('Your account may not do that.');
    expect(onSave).toHaveBeenLastCalledWith({ maxGapMs: 80 });
    await expect.element(screen.getByRole('status')).toHaveTextContent('');

    onSave.mockImplementation(() => Promise.resolve());
    await screen.getByRole('button', { name: 'Save the scanner setting' }).click();
    await expect.element(screen.getByRole('status')).toHaveTextContent('Saved.');
    await expect.element(screen.getByRole('alert')).not.toBeInTheDocument();
    await expect.element(gap).not.toHaveAttribute('aria-invalid');
  });
});

describe('<LibraryForm>: the library settings', () => {
  it('reads every field into the settings it saves, the currency in capitals', async () => {
    const onSave = vi.fn((_s: Partial<Settings>) => Promise.resolve());
    const screen = await renderInDesk(<LibraryForm settings={settings} onSave={onSave} />);
    await expect.element(screen.getByRole('form', { name: 'Library' })).toBeVisible();
    await expect.element(screen.getByRole('option', { name: /\(es-MX\)$/ })).toHaveValue('es-MX');
    await screen.getByLabelText('Currency').fill('eur');
    await screen.getByLabelText('Minutes it stays locked').fill('45');
    await screen.getByRole('button', { name: 'Save library settings' }).click();
    await expect.element(screen.getByRole('status')).toHaveTextContent('Saved.');
    expect(onSave).toHaveBeenCalledWith({ ...settings, currency: 'EUR', lockout: { maxFailures: 3, minutes: 45 } });
  });
});
