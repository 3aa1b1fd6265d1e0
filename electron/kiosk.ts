// Kiosk mode's lock-down, as plain functions of Electron's objects: the escape keys do nothing,
// the window cannot be closed except by the app quitting, and a crashed page comes back by
// itself (reloaded, or the whole app relaunched if the page keeps crashing). Leaving the kiosk
// is done in the page, where staff sign in with their own credentials.

export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  meta: boolean;
  shift: boolean;
}

const WITH_CTRL = new Set([
  'w',
  'q',
  'r',
  'n',
  't',
  'p',
  'o',
  's',
  'l',
  'h',
  'j',
  'u',
  'm',
  'f',
  'g',
  '+',
  '-',
  '=',
  '0',
  'tab',
  'pageup',
  'pagedown',
  'f4',
]);
const WITH_CTRL_SHIFT = new Set(['i', 'j', 'c', 'r', 'n', 't', 'w', 'q', 'delete', 'escape']);
const ALONE = new Set([
  'f1',
  'f3',
  'f5',
  'f6',
  'f7',
  'f10',
  'f11',
  'f12',
  'browserback',
  'browserforward',
  'browserrefresh',
  'browserhome',
  'browsersearch',
  'contextmenu',
]);

/** The keys that would leave, close, reload, print, save or inspect the kiosk window. */
export function isBlockedKioskKey(input: KeyInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (input.alt && ['f4', 'tab', 'arrowleft', 'arrowright', 'home', 'escape', ' '].includes(key)) return true;
  if (mod && input.shift && WITH_CTRL_SHIFT.has(key)) return true;
  if (mod && WITH_CTRL.has(key)) return true;
  // The Windows/Super key alone opens the OS menu over the kiosk.
  if (key === 'meta' || key === 'os') return true;
  return ALONE.has(key);
}

/** Reloads a crashed page, but relaunches the app after too many crashes in a short time. */
export class CrashPolicy {
  private readonly crashes: number[] = [];

  constructor(
    private readonly maxReloads = 3,
    private readonly withinMs = 60_000,
  ) {}

  next(now: number): 'reload' | 'relaunch' {
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0]! > this.withinMs) this.crashes.shift();
    return this.crashes.length > this.maxReloads ? 'relaunch' : 'reload';
  }
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface KioskWindowLike {
  setMenu(menu: null): void;
  on(event: 'close', listener: (event: PreventableEvent) => void): void;
  on(event: 'unresponsive', listener: () => void): void;
  webContents: {
    on(event: 'before-input-event', listener: (event: PreventableEvent, input: KeyInput) => void): void;
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): void;
    on(event: 'devtools-opened', listener: () => void): void;
    on(event: 'context-menu', listener: (event: PreventableEvent) => void): void;
    closeDevTools(): void;
    forcefullyCrashRenderer(): void;
  };
}

export interface KioskHooks {
  /** True once the app itself is quitting (OS shutdown, a staff-approved exit): the only time the window may close. */
  isQuitting(): boolean;
  reload(): void;
  relaunch(): void;
  log(message: string): void;
  now?(): number;
  policy?: CrashPolicy;
}

export function lockDownKioskWindow(win: KioskWindowLike, hooks: KioskHooks): void {
  const policy = hooks.policy ?? new CrashPolicy();
  const now = hooks.now ?? Date.now;
  win.setMenu(null);
  win.webContents.on('before-input-event', (event, input) => {
    if (isBlockedKioskKey(input)) event.preventDefault();
  });
  win.webContents.on('context-menu', (event) => event.preventDefault());
  win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());
  win.on('close', (event) => {
    if (!hooks.isQuitting()) event.preventDefault();
  });
  const recover = (why: string) => {
    const action = policy.next(now());
    hooks.log(`kiosk page ${why}; ${action === 'reload' ? 'reloading it' : 'relaunching the app'}`);
    if (action === 'reload') hooks.reload();
    else hooks.relaunch();
  };
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') recover(`gone (${details.reason})`);
  });
  // A frozen page is crashed on purpose so that render-process-gone brings it back.
  win.on('unresponsive', () => win.webContents.forcefullyCrashRenderer());
}

// --- What the kiosk page may never open: the system print dialog (its "print to file" opens a
// file chooser), a file chooser, a download (a "save as" dialog, a file on the desktop), or any
// page but the kiosk's own. The page itself prints only on the receipt printer and offers none
// of these (renderer/screens/Kiosk.tsx); this is the shell's guard should it ever try. Electron
// has no event for window.print or for <input type=file>; the DevTools protocol, through
// webContents.debugger, does: a script in every frame before the page's own that makes print do
// nothing, and file choosers intercepted so that no dialog is shown.

/** The kiosk's page: the app's own index.html at #kiosk. The desk (no hash, #anything else) is not. */
export function isKioskPage(url: string, rendererIndexUrl: string): boolean {
  try {
    const u = new URL(url);
    const own = new URL(rendererIndexUrl);
    return (
      u.protocol === 'file:' &&
      own.protocol === 'file:' &&
      u.host === own.host &&
      u.pathname === own.pathname &&
      u.hash === '#kiosk'
    );
  } catch {
    return false;
  }
}

/** Runs in every frame of the kiosk window before its own scripts: print does nothing, and cannot be put back. */
export const NO_PRINT_SCRIPT = `(() => { try { Object.defineProperty(window, 'print', { value: () => undefined, writable: false, configurable: false }); } catch {} })();`;

export interface DebuggerLike {
  attach(protocolVersion?: string): void;
  sendCommand(method: string, params?: Record<string, unknown>): Promise<unknown>;
  on(event: 'message', listener: (event: unknown, method: string, params: unknown) => void): void;
  on(event: 'detach', listener: (event: unknown, reason: string) => void): void;
}

export interface KioskContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): void;
  on(
    event: 'will-frame-navigate',
    listener: (details: PreventableEvent & { url: string; isMainFrame: boolean }) => void,
  ): void;
  debugger: DebuggerLike;
}

export interface DownloadSession {
  on(event: 'will-download', listener: (event: PreventableEvent) => void): void;
}

/**
 * The kiosk window's contents: navigation only to the kiosk page (the desk's routes are reached
 * only by staff signing in on the kiosk page, which changes the route in the page, not by a
 * navigation), no print dialog, no file chooser. Resolves once the print and file-chooser guards
 * are in place; if the debugger cannot attach, says so in the log and keeps the rest.
 */
export async function lockDownKioskContents(
  contents: KioskContentsLike,
  rendererIndexUrl: string,
  log: (message: string) => void,
  rearmDelayMs = 500,
): Promise<boolean> {
  const guard = (event: PreventableEvent, url: string) => {
    if (isKioskPage(url, rendererIndexUrl)) return;
    event.preventDefault();
    log('kiosk: refused a navigation away from the kiosk page');
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  // A frame inside the page too (the kiosk has none): it could bring up a page that prints.
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame) guard(details, details.url);
  });
  const dbg = contents.debugger;
  dbg.on('message', (_event, method) => {
    if (method === 'Page.fileChooserOpened') log('kiosk: refused a file chooser');
  });
  // Detached (the page's process went away, say): armed again, a few times at most, so the page
  // the crash policy reloads is guarded too.
  let rearms = 0;
  dbg.on('detach', (_event, reason) => {
    log(`kiosk: the print and file chooser guards were detached (${reason})`);
    if (rearms++ < MAX_REARMS) setTimeout(() => void armProtocolGuards(dbg, log), rearmDelayMs).unref?.();
  });
  return armProtocolGuards(dbg, log);
}

const MAX_REARMS = 5;

/** Attaches to the page's DevTools protocol and sets the guards up; false (and logged) if it cannot. */
async function armProtocolGuards(dbg: DebuggerLike, log: (message: string) => void): Promise<boolean> {
  const why = (error: unknown) => (error instanceof Error ? error.message : String(error));
  try {
    dbg.attach('1.3');
  } catch (error) {
    log(`kiosk: the print and file chooser guards could not attach (${why(error)}); the page itself offers neither`);
    return false;
  }
  try {
    await dbg.sendCommand('Page.enable');
    await dbg.sendCommand('Page.setInterceptFileChooserDialog', { enabled: true });
    await dbg.sendCommand('Page.addScriptToEvaluateOnNewDocument', { source: NO_PRINT_SCRIPT, runImmediately: true });
  } catch (error) {
    log(`kiosk: the print and file chooser guards failed (${why(error)})`);
    return false;
  }
  return true;
}

/** In kiosk mode nothing is downloaded: no "save as" dialog, no file left on the machine. */
export function refuseDownloads(session: DownloadSession, log: (message: string) => void): void {
  session.on('will-download', (event) => {
    event.preventDefault();
    log('kiosk: refused a download');
  });
}
