// The desktop window's options: a kiosk stands in a public room, so the page gets no Node, runs
// sandboxed and isolated from the preload, and in kiosk mode has no developer tools.
import type { BrowserWindowConstructorOptions } from 'electron';

export function createMainWindowOptions(opts: {
  kiosk: boolean;
  preloadPath: string;
}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Circa',
    backgroundColor: '#ffffff',
    kiosk: opts.kiosk,
    fullscreen: opts.kiosk,
    autoHideMenuBar: true,
    // A patron must not minimise, resize or drag the kiosk away.
    minimizable: !opts.kiosk,
    resizable: !opts.kiosk,
    movable: !opts.kiosk,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // No alert, confirm or leave-this-page dialog over the kiosk (its page uses none).
      disableDialogs: opts.kiosk,
      spellcheck: false,
      devTools: !opts.kiosk,
    },
  };
}
