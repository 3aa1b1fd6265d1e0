// Automatic updates through electron-updater, off unless IT sets an update feed in
// desktop.json: libraries decide when their desks change. electron-updater is not even loaded
// when updates are off.
import type { DesktopSettings } from './settings';

export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface UpdateHooks {
  loadUpdater(): Promise<UpdaterLike>;
  log(level: 'info' | 'warn', message: string): void;
  /** Re-checks this often while the app runs (ms); 0: only at start. */
  everyMs?: number;
  setInterval?(fn: () => void, ms: number): unknown;
}

export async function startAutoUpdates(
  settings: Pick<DesktopSettings, 'updateUrl'>,
  hooks: UpdateHooks,
): Promise<'off' | 'on'> {
  if (!settings.updateUrl) return 'off';
  const updater = await hooks.loadUpdater();
  updater.autoDownload = true;
  // Installed when the desk is closed at the end of the day, never in the middle of a loan.
  updater.autoInstallOnAppQuit = true;
  updater.setFeedURL({ provider: 'generic', url: settings.updateUrl });
  updater.on('error', (error) => hooks.log('warn', `update check failed: ${error.message}`));
  const check = () =>
    void updater
      .checkForUpdatesAndNotify()
      .catch((error: unknown) => hooks.log('warn', `update check failed: ${String(error)}`));
  check();
  const every = hooks.everyMs ?? 6 * 60 * 60 * 1000;
  if (every > 0) (hooks.setInterval ?? setInterval)(check, every);
  hooks.log('info', `automatic updates on from ${settings.updateUrl}`);
  return 'on';
}
