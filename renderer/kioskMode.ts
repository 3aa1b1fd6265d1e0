// Which screen a window shows: the kiosk at /kiosk (the browser kiosk) or #kiosk (the Electron
// kiosk shell). Once a window has shown the kiosk it stays the kiosk, whatever address is typed,
// link followed or hash changed (the desk's address, a new tab of the same browser), until staff
// leave kiosk mode with their own credentials ("Staff: leave kiosk mode"). Kept in localStorage
// in a browser, so a new tab or a restarted browser is still the kiosk; in the Electron shell,
// which itself decides whether the app is a kiosk, in sessionStorage, so a machine switched back
// to a desk is not held in kiosk mode by an old flag.
const KEY = 'circa.kioskMode';

function store(): Storage | null {
  try {
    return window.circa ? window.sessionStorage : window.localStorage;
  } catch {
    return null; // storage refused (a locked-down profile): the address alone decides
  }
}

/** Does this address ask for the kiosk? */
export const asksForKiosk = (url: URL): boolean =>
  url.pathname
    .replace(/\/index\.html$/, '')
    .replace(/\/$/, '')
    .endsWith('/kiosk') || url.hash === '#kiosk';

/** Is this window the kiosk? Asking for it once makes it so. */
export function isKioskWindow(url: URL): boolean {
  if (asksForKiosk(url)) {
    store()?.setItem(KEY, '1');
    return true;
  }
  return store()?.getItem(KEY) === '1';
}

/** Staff have signed in to leave the kiosk: the window is the desk again. */
export function leaveKioskMode(): void {
  store()?.removeItem(KEY);
}

/**
 * Keys that open a system dialog from the page itself in a browser: print (and from it "print
 * to file"), save the page and open a file each bring up a file chooser. The kiosk cancels them;
 * the Electron shell blocks them before the page too (electron/kiosk.ts).
 */
export function isDialogShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && ['p', 's', 'o'].includes(e.key.toLowerCase());
}
