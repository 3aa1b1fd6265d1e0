// The desktop window's security, as plain functions of Electron's objects so they can be tested
// without Electron: a kiosk stands in a public room.
import type { BrowserWindowConstructorOptions } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function mainWindowOptions(opts: { preloadPath: string; kiosk: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    show: false,
    kiosk: opts.kiosk,
    fullscreen: opts.kiosk,
    autoHideMenuBar: true,
    title: 'Circa',
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
      spellcheck: false,
      devTools: !opts.kiosk,
    },
  };
}

/** The app only ever shows its own files: any other URL is refused. */
export function isOwnPage(url: string, rendererIndexUrl: string): boolean {
  try {
    const u = new URL(url);
    const own = new URL(rendererIndexUrl);
    return u.protocol === 'file:' && u.pathname === own.pathname;
  } catch {
    return false;
  }
}

interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  meta: boolean;
  shift: boolean;
}

/** In kiosk mode, the keys that would leave, close, reload or inspect the window do nothing. */
export function isBlockedKioskKey(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (input.alt && (key === 'f4' || key === 'tab' || key === 'arrowleft' || key === 'arrowright')) return true;
  if (mod && ['w', 'q', 'r', 'n', 't', 'p', 'o', 's', 'l', 'h', 'j', 'u', '+', '-', '=', '0'].includes(key)) return true;
  if (mod && input.shift && ['i', 'j', 'c', 'r', 'delete'].includes(key)) return true;
  return ['f1', 'f3', 'f5', 'f6', 'f7', 'f11', 'f12', 'browserback', 'browserforward', 'browserrefresh'].includes(key);
}
