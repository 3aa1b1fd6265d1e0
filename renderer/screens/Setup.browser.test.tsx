import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { i18n } from '../i18n';
import { Setup } from './Setup';

function station() {
  const calls: [string, Record<string, unknown>][] = [];
  vi.spyOn(client, 'call').mockImplementation((async (name: string, input: Record<string, unknown>) => {
    calls.push([name, input]);
    if (name === 'setup.initialize') return { branchId: 'b1', adminId: 's1' };
    throw new Error(`unexpected ${name}`);
  }) as typeof client.call);
  return calls;
}

async function fillTheRest(screen: Awaited<ReturnType<typeof renderInDesk>>) {
  await screen.getByLabelText('Library name').fill('Springfield Public Library');
  await screen.getByLabelText('Branch name').fill('Main Street');
  await screen.getByLabelText('Administrator username').fill('marge');
  await screen.getByLabelText('Administrator full name').fill('Marge Simpson');
  await screen.getByLabelText('Administrator password (8 characters or more)').fill('donut hole 42');
}

describe('Set-up: the time zone and the currency from lists', () => {
  // A desk-sized window: in the test runner's small default frame the page scrolls as the list
  // opens, and React Aria closes a popup when its page scrolls.
  beforeEach(async () => {
    await page.viewport(1280, 1000);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await i18n.changeLanguage('en');
  });

  it('finds a time zone by part of its name in a real combobox, and a currency by its ISO 4217 code', async () => {
    const calls = station();
    const screen = await renderInDesk(<Setup onDone={() => {}} />);
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('chicago');
    await expect.element(screen.getByRole('option', { name: 'America/Chicago' })).toBeVisible();
    expect(
      screen
        .getByRole('option')
        .elements()
        .map((o) => o.textContent),
    ).toEqual(['America/Chicago']);
    // Typed (or picked) whole, the zone is the one chosen.
    await zone.fill('America/Chicago');
    await userEvent.keyboard('{Tab}');
    await expect.element(zone).toHaveValue('America/Chicago');
    const currency = screen.getByRole('combobox', { name: 'Currency' });
    // Every currency with "eu" in its code or name is offered ("eur" would be a code typed whole,
    // which chooses it at once and closes the list: in CI the list was sometimes gone already).
    await currency.fill('eu');
    await expect.element(screen.getByRole('option', { name: 'EUR — Euro' })).toBeVisible();
    await currency.fill('EUR');
    await userEvent.keyboard('{Tab}');
    await expect.element(currency).toHaveValue('EUR — Euro');
    await fillTheRest(screen);
    await screen.getByRole('button', { name: 'Set up the station' }).click();
    await expect
      .poll(() => calls.find(([n]) => n === 'setup.initialize')?.[1])
      .toMatchObject({ timeZone: 'America/Chicago', currency: 'EUR' });
  });

  it('takes a zone typed whole, and refuses text that is no zone at the field, sending nothing', async () => {
    const calls = station();
    const screen = await renderInDesk(<Setup onDone={() => {}} />);
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('Europe/Madrid');
    await fillTheRest(screen);
    await screen.getByRole('button', { name: 'Set up the station' }).click();
    await expect
      .poll(() => calls.find(([n]) => n === 'setup.initialize')?.[1])
      .toMatchObject({ timeZone: 'Europe/Madrid', currency: 'USD' });
  });
});
