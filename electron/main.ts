// The Electron main process: a thin shell. It starts the station core in a utility process,
// opens one locked-down window on the built renderer, and relays the station API between them.
// Everything worth testing lives in the small modules beside this file and in
// src/transports/ipc, written against stand-ins for Electron's objects.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, utilityProcess } from 'electron';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ELECTRON_BUILD_ENV, electronBuildPath, installedSqlitePackage } from '../src/store/native-binding';
import type { CorePort } from '../src/transports/ipc/protocol';
import { EVENT_CHANNEL, forwardableEvent, installIpcRelay } from '../src/transports/ipc/relay';
import { CoreSupervisor } from '../src/transports/ipc/supervisor';
import { installContentSecurityPolicy } from './csp';
import { lockDownKioskContents, lockDownKioskWindow, refuseDownloads } from './kiosk';
import { denyAllPermissions, isTrustedSender, lockDownContents } from './lockdown';
import { applyStartAtLogin } from './login-item';
import { RotatingLog } from './logs';
import { parseShellOptions } from './options';
import { readDesktopSettings } from './settings';
import { claimDataFolder } from './data-folder';
import { claimSingleInstance } from './single-instance';
import { startAutoUpdates } from './updates';
import { createMainWindowOptions } from './window';

const parsed = parseShellOptions(process.argv, process.env, app.getPath('userData'));
mkdirSync(parsed.dataDir, { recursive: true });
const desktop = readDesktopSettings(parsed.dataDir);
const kiosk = parsed.kiosk || desktop.kiosk;
const log = new RotatingLog(join(parsed.dataDir, 'logs'));
const here = __dirname;
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const pageHash = kiosk ? { hash: 'kiosk' } : {};

let window: BrowserWindow | null = null;

/**
 * A source checkout (`npm start`): the core opens the Electron build of better-sqlite3 kept
 * beside the Node build (electron/sqlite-build.ts makes it). An installed package: nothing, the
 * core uses the build electron-builder rebuilt in place.
 */
function sqliteBuildForCore(): Record<string, string> {
  const electron = process.versions.electron;
  if (app.isPackaged || !electron) return {};
  const sqlite = installedSqlitePackage(join(here, 'main.cjs'));
  return {
    [ELECTRON_BUILD_ENV]: electronBuildPath({
      nodeModulesDir: sqlite.nodeModulesDir,
      sqliteVersion: sqlite.version,
      electron,
      platform: process.platform,
      arch: process.arch,
    }),
  };
}

/**
 * The core's environment. A build path inherited from whoever started the app is dropped: it
 * names a native module the core would load, and a package must run only its own code (its
 * fuses refuse NODE_OPTIONS and ELECTRON_RUN_AS_NODE for the same reason).
 */
function coreEnvironment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, CIRCA_DATA_DIR: parsed.dataDir };
  delete env[ELECTRON_BUILD_ENV];
  return { ...env, ...sqliteBuildForCore() };
}
let quitting = false;

app.enableSandbox();

// One desktop app per machine, and the data folder this app's alone (electron/data-folder.ts).
const dataFolderShell = {
  showErrorBox: (title: string, content: string) => dialog.showErrorBox(title, content),
  exit: (code: number) => app.exit(code),
  log: (level: 'warn' | 'error', message: string) => log.write(level, message),
};
if (claimSingleInstance(app, () => window) && claimDataFolder(parsed.dataDir, dataFolderShell)) {
  if (kiosk) {
    // A kiosk that hits a bug in this process starts again rather than leaving a bare desktop.
    process.on('uncaughtException', (error) => {
      log.write('error', `main process failed: ${error.message}; relaunching`);
      app.relaunch();
      app.exit(1);
    });
  }

  const supervisor: CoreSupervisor = new CoreSupervisor({
    spawn: () => {
      const core = utilityProcess.fork(join(here, 'core-host.mjs'), [], {
        serviceName: 'Circa station core',
        env: coreEnvironment(),
        stdio: 'pipe',
      });
      // The core's own warnings go to the rotating, redacted log; its errors also to the
      // supervisor, for the failure screen if it cannot start.
      core.stdout?.on('data', (chunk: Buffer) => log.write('info', `core: ${chunk.toString().trimEnd()}`));
      core.stderr?.on('data', (chunk: Buffer) => {
        log.write('warn', `core: ${chunk.toString().trimEnd()}`);
        supervisor.noteCoreOutput(chunk.toString());
      });
      return core as unknown as CorePort;
    },
    logPath: log.path,
    onEvent: (event) => {
      if (event.type === 'core')
        log.write(
          event.state === 'failed' ? 'error' : event.state === 'restarting' ? 'warn' : 'info',
          `station core ${event.state}`,
        );
      const forwarded = forwardableEvent(event);
      if (forwarded && window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, forwarded);
    },
    onLog: (level, message) => log.write(level, message),
  });

  installIpcRelay({
    ipcMain,
    isTrustedSender: (event) => isTrustedSender(event, window?.webContents, rendererUrl),
    call: (name, input, token) => supervisor.call(name, input, token),
    core: { status: () => supervisor.status, retry: () => supervisor.retry() },
  });

  app.on('web-contents-created', (_event, contents) =>
    lockDownContents(contents, rendererUrl, (what) => log.write('warn', `refused ${what}`)),
  );

  function openWindow(): void {
    window = new BrowserWindow(createMainWindowOptions({ kiosk, preloadPath: join(here, 'preload.cjs') }));
    const shown = window;
    if (kiosk) {
      lockDownKioskWindow(shown, {
        isQuitting: () => quitting,
        reload: () => void shown.loadFile(rendererIndex, pageHash),
        relaunch: () => {
          app.relaunch();
          app.exit(0);
        },
        log: (message) => log.write('warn', message),
      });
      // Only the kiosk page; no print dialog, file chooser or download (see electron/kiosk.ts).
      void lockDownKioskContents(shown.webContents, rendererUrl, (message) => log.write('warn', message));
    }
    shown.once('ready-to-show', () => shown.show());
    shown.on('closed', () => {
      if (window === shown) window = null;
    });
    void shown.loadFile(rendererIndex, pageHash);
  }

  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession);
    installContentSecurityPolicy(session.defaultSession);
    if (kiosk) Menu.setApplicationMenu(null);
    if (kiosk) refuseDownloads(session.defaultSession, (message) => log.write('warn', message));
    supervisor.start();
    applyStartAtLogin({
      enabled: desktop.startAtLogin,
      kiosk,
      platform: process.platform,
      app,
      executable: process.env.APPIMAGE ?? process.execPath,
      autostartDir: join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart'),
    });
    void startAutoUpdates(desktop, {
      loadUpdater: async () => (await import('electron-updater')).autoUpdater,
      log: (level, message) => log.write(level, message),
    }).catch((error: unknown) => log.write('warn', `automatic updates unavailable: ${String(error)}`));
    log.write('info', `started${kiosk ? ' in kiosk mode' : ''}, data in ${parsed.dataDir}`);
    openWindow();
  });

  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    // A clean shutdown: the core finishes the current transaction, stops sync and devices and
    // closes the database before the app goes.
    void supervisor.stop().finally(() => {
      log.write('info', 'stopped');
      app.quit();
    });
  });
  process.on('SIGTERM', () => app.quit());
  app.on('window-all-closed', () => app.quit());
}
