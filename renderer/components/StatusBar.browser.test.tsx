import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { i18n } from '../i18n';
import { useStatus } from '../state/status';
import { StatusBar } from './StatusBar';
import { renderInDesk, setUpDesk } from './testing';

type Status = ApiOutput<'status.get'>;

/** The station answers status.get with `status` (and nothing else is called). */
function stationSays(status: Status) {
  vi.spyOn(client, 'call').mockImplementation(((name: string) =>
    name === 'status.get' ? Promise.resolve(status) : Promise.reject(new Error(name))) as typeof client.call);
  vi.spyOn(client, 'subscribe').mockImplementation(() => () => undefined);
}

const bar = (screen: Awaited<ReturnType<typeof renderInDesk>>) =>
  screen.getByRole('contentinfo', { name: /Station status|Estado del puesto/ });

describe('<StatusBar>: the station at a glance', () => {
  beforeEach(() => setUpDesk());
  afterEach(async () => {
    vi.restoreAllMocks();
    useStatus.setState({ status: null });
    await i18n.changeLanguage('en');
  });

  it("names each device's state in words, warns about the clock, and opens the exceptions from their count", async () => {
    stationSays({
      journalWaiting: 2,
      exceptionsOpen: 3,
      devices: [
        { id: 'front-scanner', kind: 'scanner', status: 'connected', reason: null },
        { id: 'receipts', kind: 'printer', status: 'disconnected', reason: 'ECONNREFUSED 10.0.0.9:9100', queued: 2 },
      ],
      sync: {
        state: 'configured',
        reachable: false,
        lastSuccessAt: Date.UTC(2026, 10, 22, 15, 30),
        clockWarning: true,
        clockOffsetMs: -5 * 60_000,
      },
    });
    const onOpenExceptions = vi.fn();
    const screen = await renderInDesk(<StatusBar onOpenExceptions={onOpenExceptions} />);
    await expect.element(screen.getByTestId('status-scanner')).toHaveTextContent('Scanner: connected');
    await expect
      .element(screen.getByTestId('status-printer'))
      .toHaveTextContent('Printer: disconnected (2 jobs waiting)');
    await expect.element(screen.getByTestId('status-printer')).toHaveAttribute('title', 'ECONNREFUSED 10.0.0.9:9100');
    await expect.element(bar(screen)).toHaveTextContent('Hub: not reachable');
    await expect.element(bar(screen)).toHaveTextContent('Waiting to sync: 2');
    // 15:30 UTC is 10:30 at the branch (New York), whatever this machine's zone.
    await expect.element(bar(screen)).toHaveTextContent('Last sync: 10:30 AM');
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('The station clock is off by 5 minutes: due dates may be wrong. Please fix the clock.');
    await screen.getByRole('button', { name: 'Sync exceptions: 3' }).click();
    expect(onOpenExceptions).toHaveBeenCalledOnce();
  });

  it('says when no printer is set up (a wedge scanner needs none), with no clock warning when the clock is right', async () => {
    stationSays({
      journalWaiting: 0,
      exceptionsOpen: 0,
      devices: [],
      sync: { state: 'not_configured', clockWarning: false },
    });
    const screen = await renderInDesk(<StatusBar onOpenExceptions={vi.fn()} />);
    await expect.element(screen.getByTestId('status-printer')).toHaveTextContent('Printer: No printer');
    await expect.element(screen.getByTestId('status-scanner')).toHaveTextContent('Scanner: keyboard (wedge)');
    await expect.element(bar(screen)).toHaveTextContent('Hub: no hub (stand-alone)');
    expect(screen.container.querySelector('[role="alert"]')).toBeNull();
    expect(screen.container.textContent).not.toContain('unknown');
  });

  it('speaks Spanish at a Spanish desk: device states and the time', async () => {
    stationSays({
      journalWaiting: 0,
      exceptionsOpen: 1,
      devices: [
        { id: 'usb', kind: 'scanner', status: 'unavailable', reason: 'libusb missing' },
        { id: 'receipts', kind: 'printer', status: 'connected', reason: null },
      ],
      sync: { state: 'configured', reachable: true, lastSuccessAt: Date.UTC(2026, 10, 22, 15, 30) },
    });
    const screen = await renderInDesk(<StatusBar onOpenExceptions={vi.fn()} />, 'es');
    await expect.element(screen.getByTestId('status-scanner')).toHaveTextContent('Escáner: no disponible');
    await expect.element(screen.getByTestId('status-printer')).toHaveTextContent('Impresora: conectado');
    await expect.element(bar(screen)).toHaveTextContent(/Última sincronización: 10:30/);
    await expect.element(screen.getByRole('button', { name: 'Incidencias de sincronización: 1' })).toBeVisible();
  });
});
