import { describe, expect, it } from 'vitest';
import { createMainWindowOptions } from './window';

describe('the desktop window', () => {
  it('is locked down: isolated, sandboxed, no Node in the page, web security on', () => {
    for (const kiosk of [false, true]) {
      const o = createMainWindowOptions({ kiosk, preloadPath: '/app/preload.cjs' });
      expect(o.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        preload: '/app/preload.cjs',
      });
    }
  });
  it('keeps developer tools for the desk, and fills the screen without them at the kiosk', () => {
    expect(createMainWindowOptions({ kiosk: false, preloadPath: '/p' })).toMatchObject({
      kiosk: false,
      fullscreen: false,
      webPreferences: { devTools: true },
    });
    expect(createMainWindowOptions({ kiosk: true, preloadPath: '/p' })).toMatchObject({
      kiosk: true,
      fullscreen: true,
      minimizable: false,
      resizable: false,
      webPreferences: { devTools: false, disableDialogs: true },
    });
    expect(createMainWindowOptions({ kiosk: false, preloadPath: '/p' }).webPreferences).toMatchObject({
      disableDialogs: false,
    });
  });
});
