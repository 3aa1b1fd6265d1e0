// The Electron main process: a thin shell. It starts the station core in a utility process,
// opens one locked-down window on the built renderer, and relays the station API between them,
// checking every message against the contract. All logic worth testing lives in src/ and in the
// small modules beside this file.
import { app, BrowserWindow, ipcMain, session, utilityProcess } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkRendererCall } from '../src/transports/ipc/relay';
import type { CorePort } from '../src/transports/ipc/protocol';
import { CoreSupervisor } from '../src/transports/ipc/supervisor';
import { RotatingLog } from './logs';
import { parseShellOptions } from './options';
import { readDesktopSettings } from './settings';
import { CONTENT_SECURITY_POLICY, isBlockedKioskKey, isOwnPage, mainWindowOptions } from './security';

const parsed = parseShellOptions(process.argv, process.env, app.getPath('userData'));
const desktop = readDesktopSettings(parsed.dataDir);
const options = { ...parsed, kiosk: parsed.kiosk || desktop.kiosk };
const log = new RotatingLog(join(options.dataDir, 'logs'));
const here = __dirname;
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  mkdirSync(options.dataDir, { recursive: true });

  const supervisor = new CoreSupervisor({
    spawn: () =>
      utilityProcess.fork(join(here, 'core-host.mjs'), [], {
        serviceName: 'Circa station core',
        env: { ...process.env, CIRCA_DATA_DIR: options.dataDir },
        stdio: 'inherit',
      }) as unknown as CorePort,
    onEvent: (event) => {
      if (event.type === 'core') log.write(event.state === 'ready' ? 'info' : 'warn', `station core ${event.state}`);
      window?.webContents.send('circa:event', event);
    },
  });

  ipcMain.handle('circa:call', async (event, name: unknown, input: unknown, token: unknown) => {
    if (!window || event.sender !== window.webContents || !isOwnPage(event.senderFrame?.url ?? '', rendererUrl)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Not from this app.' } };
    }
    const checked = checkRendererCall(name, input, token);
    if (!checked.ok) return checked;
    return supervisor.call(checked.name, checked.input, checked.sessionToken);
  });

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isOwnPage(url, rendererUrl)) e.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
    );
    supervisor.start();
    app.setLoginItemSettings({ openAtLogin: desktop.startAtLogin, args: options.kiosk ? ['--kiosk'] : [] });
    if (desktop.updateUrl) {
      // Off unless IT sets an update feed: libraries decide when their desks change.
      void import('electron-updater').then(({ autoUpdater }) => {
        autoUpdater.setFeedURL({ provider: 'generic', url: desktop.updateUrl! });
        autoUpdater.on('error', (e) => log.write('warn', `update check failed: ${e.message}`));
        void autoUpdater.checkForUpdatesAndNotify();
      });
    }
    log.write('info', `started${options.kiosk ? ' in kiosk mode' : ''}`);
    window = new BrowserWindow(mainWindowOptions({ preloadPath: join(here, 'preload.cjs'), kiosk: options.kiosk }));
    if (options.kiosk) {
      window.setMenu(null);
      window.webContents.on('before-input-event', (e, input) => {
        if (isBlockedKioskKey(input)) e.preventDefault();
      });
      // A crashed kiosk page comes back by itself.
      window.webContents.on('render-process-gone', () => void window?.loadFile(rendererIndex, { hash: 'kiosk' }));
    }
    window.once('ready-to-show', () => window?.show());
    void window.loadFile(rendererIndex, options.kiosk ? { hash: 'kiosk' } : {});
  });

  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting) return;
    e.preventDefault();
    quitting = true;
    // A clean shutdown: the core finishes its transaction and closes the database first.
    void supervisor.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
}
