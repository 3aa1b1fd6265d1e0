// The desk when the desktop app's station core cannot start: the core's own words, the log file
// and a Retry, in English and Spanish; and the gate that puts it in place of the desk and gives
// the desk back, loaded afresh, once the core is ready. The Electron bridge is stood in for by
// a small control object (the page's only way to the main process).
import { useEffect } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { CoreFailure, CoreStatus, StationEvent } from '../../src/api/contract';
import type { CoreControl } from '../api/client';
import { i18n } from '../i18n';
import { CoreFailed, CoreGate } from './CoreFailed';
import { renderInDesk } from './testing';

const failure: CoreFailure = {
  lines: [
    "The station's database module (better-sqlite3) has no build for Electron 45.4.1 (linux-x64, NODE_MODULE_VERSION 150): /home/ana/circa/node_modules/.cache/circa/x/better_sqlite3.node is missing.",
    'The desktop app cannot use the build npm install made for Node. Run `npm run electron:sqlite` in the project folder (npm start runs it), then start again.',
  ],
  attempts: 3,
  logPath: '/home/ana/.config/Circa/station/logs/circa.log',
};

/** The bridge's core control, driven by the test: the status it answers, the events it sends. */
function standInControl(status: CoreStatus) {
  const listeners = new Set<(event: StationEvent) => void>();
  const retries: number[] = [];
  const control: CoreControl = {
    coreStatus: async () => status,
    retryCore: async () => (retries.push(Date.now()), { state: 'restarting' }),
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
  };
  return { control, retries, send: (event: StationEvent) => listeners.forEach((l) => l(event)) };
}

let mounts = 0;
function Desk() {
  useEffect(() => void mounts++, []);
  return <p>the desk</p>;
}

describe('<CoreFailed>: a core that cannot start', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('says what the core said, how often it failed and where the log is, as an alert, with a Retry the keyboard reaches', async () => {
    let retried = 0;
    const screen = await renderInDesk(<CoreFailed failure={failure} retrying={false} onRetry={() => retried++} />);
    const alert = screen.getByRole('alert');
    await expect.element(alert).toHaveTextContent('The station could not start');
    await expect.element(alert).toHaveTextContent('3 times in a row');
    await expect.element(alert).toHaveTextContent(`${failure.lines[0]!.slice(0, 60)}`);
    await expect.element(alert).toHaveTextContent('Run `npm run electron:sqlite` in the project folder');
    await expect.element(screen.getByText(`The whole story is in the log file: ${failure.logPath}`)).toBeVisible();
    const retry = screen.getByRole('button', { name: 'Retry' });
    (retry.element() as HTMLButtonElement).focus();
    await userEvent.keyboard('{Enter}');
    expect(retried).toBe(1);
  });

  it('in Spanish too, and shows that it is starting while it retries', async () => {
    const screen = await renderInDesk(
      <CoreFailed failure={{ ...failure, attempts: 1, logPath: undefined }} retrying onRetry={() => undefined} />,
      'es',
    );
    await expect.element(screen.getByRole('heading', { name: 'El puesto no ha podido arrancar' })).toBeVisible();
    await expect.element(screen.getByRole('alert')).toHaveTextContent('1 vez');
    await expect.element(screen.getByRole('button', { name: 'Arrancando el puesto…' })).toBeDisabled();
    expect(screen.container.textContent).not.toContain('Todos los detalles están en el archivo de registro');
  });
});

describe('<CoreGate>: the failure in place of the desk', () => {
  it('shows a failure the core reported before the page loaded, retries, and gives the desk back loaded afresh', async () => {
    mounts = 0;
    const bridge = standInControl({ state: 'failed', failure });
    const screen = await renderInDesk(
      <CoreGate control={bridge.control}>
        <Desk />
      </CoreGate>,
    );
    await expect.element(screen.getByRole('heading', { name: 'The station could not start' })).toBeVisible();
    expect(screen.container.textContent).not.toContain('the desk');
    await screen.getByRole('button', { name: 'Retry' }).click();
    expect(bridge.retries).toHaveLength(1);
    await expect.element(screen.getByRole('button', { name: 'Starting the station…' })).toBeDisabled();
    // It failed again: the new failure, and Retry once more.
    bridge.send({ type: 'core', state: 'restarting' });
    bridge.send({ type: 'core', state: 'failed', failure: { ...failure, lines: ['database is locked'] } });
    await expect.element(screen.getByRole('alert')).toHaveTextContent('database is locked');
    await expect.element(screen.getByRole('button', { name: 'Retry' })).toBeEnabled();
    const before = mounts;
    bridge.send({ type: 'core', state: 'ready' });
    await expect.element(screen.getByText('the desk')).toBeVisible();
    expect(mounts).toBe(before + 1);
  });

  it('shows the desk while the core is fine, and the failure when it fails later', async () => {
    const bridge = standInControl({ state: 'ready' });
    const screen = await renderInDesk(
      <CoreGate control={bridge.control}>
        <Desk />
      </CoreGate>,
    );
    await expect.element(screen.getByText('the desk')).toBeVisible();
    bridge.send({ type: 'core', state: 'restarting' });
    await expect.element(screen.getByText('the desk')).toBeVisible();
    bridge.send({ type: 'core', state: 'failed', failure });
    await expect.element(screen.getByRole('heading', { name: 'The station could not start' })).toBeVisible();
  });
});
