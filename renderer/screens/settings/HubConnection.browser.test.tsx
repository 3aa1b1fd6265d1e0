import { afterEach, describe, expect, it } from 'vitest';
import { renderInDesk, setUpDesk } from '../../components/testing';
import { useStatus } from '../../state/status';
import { HubConnectionSettings } from './HubConnection';
import { mayUseSettings } from './Settings';

describe('Settings › Hub connection', () => {
  afterEach(() => useStatus.setState({ status: null }));

  it("shows the hub's address, whether it answers, what waits, the last sync and error, and the clock", async () => {
    setUpDesk();
    useStatus.getState().set({
      journalWaiting: 3,
      exceptionsOpen: 0,
      devices: [],
      sync: {
        state: 'configured',
        hubUrl: 'https://hub.example:7400',
        reachable: false,
        waiting: 3,
        lastSuccessAt: Date.UTC(2026, 10, 22, 15, 30),
        lastError: 'connect ECONNREFUSED',
        clockOffsetMs: -2400,
      },
    });
    const screen = await renderInDesk(<HubConnectionSettings />);
    const facts = screen.getByTestId('hub-facts');
    await expect.element(facts).toHaveTextContent('Hub addresshttps://hub.example:7400');
    await expect.element(facts).toHaveTextContent('Hub answersno');
    await expect.element(facts).toHaveTextContent('Entries waiting to sync3');
    await expect.element(facts).toHaveTextContent('Last syncNov 22, 2026, 10:30 AM');
    await expect.element(facts).toHaveTextContent('Last errorconnect ECONNREFUSED');
    await expect.element(facts).toHaveTextContent('Clock difference with the hub-2 seconds');
    // It syncs by itself; staff may also ask for a round at once.
    await expect.element(screen.getByRole('button', { name: 'Sync now' })).toBeEnabled();
  });

  it('says a stand-alone station has no hub', async () => {
    useStatus.getState().set({ journalWaiting: 0, exceptionsOpen: 0, devices: [], sync: { state: 'not_configured' } });
    const screen = await renderInDesk(<HubConnectionSettings />);
    await expect.element(screen.getByText('This station works on its own: it has not joined a hub.')).toBeVisible();
    expect(screen.container.querySelectorAll('button').length).toBe(0);
  });

  it('Settings shows to roles that may change something there, not to technicians or supervisors', () => {
    expect(mayUseSettings(['circulate', 'manage_patrons'])).toBe(false);
    expect(mayUseSettings(['circulate', 'manage_patrons', 'override', 'waive_fees', 'manage_catalogue'])).toBe(false);
    expect(mayUseSettings(['edit_rules'])).toBe(true);
    expect(mayUseSettings(['manage_staff'])).toBe(true);
  });
});
