import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { I18nextProvider } from 'react-i18next';
import { i18n } from '../i18n';
import { Problem } from './Problem';
import type { ApiErrorBody } from '../../src/api/contract';

const onHold: ApiErrorBody = {
  code: 'REFUSED',
  message: 'refused',
  refusals: [{ code: 'ITEM_ON_HOLD_FOR_OTHER', overridable: true }],
};

describe('<Problem>: a refusal in words', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('tells staff why, as an alert a screen reader announces', async () => {
    await i18n.changeLanguage('en');
    const screen = await render(
      <I18nextProvider i18n={i18n}>
        <Problem error={onHold} />
      </I18nextProvider>,
    );
    await expect.element(screen.getByRole('alert')).toHaveTextContent('This item is on hold for another patron.');
  });

  it('tells a patron at the kiosk to see the desk, in plain words, in Spanish too', async () => {
    await i18n.changeLanguage('es');
    const screen = await render(
      <I18nextProvider i18n={i18n}>
        <Problem error={onHold} kiosk />
      </I18nextProvider>,
    );
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('Por favor, acuda al mostrador: este ejemplar está reservado para otro lector.');
  });

  it("writes a refusal's date the way the branch reads dates", async () => {
    await i18n.changeLanguage('en');
    const expired: ApiErrorBody = {
      code: 'REFUSED',
      message: 'refused',
      refusals: [{ code: 'CARD_EXPIRED', overridable: true, params: { date: '2020-01-01' } }],
    };
    const screen = await render(
      <I18nextProvider i18n={i18n}>
        <Problem error={expired} />
      </I18nextProvider>,
    );
    await expect.element(screen.getByRole('alert')).toHaveTextContent('The card expired on Jan 1, 2020.');
  });

  it('renders nothing when there is nothing wrong', async () => {
    const screen = await render(<Problem error={null} />);
    expect(screen.container.textContent).toBe('');
  });
});
