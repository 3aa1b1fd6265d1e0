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

const WITH_CTRL = new Set(['w', 'q', 'r', 'n', 't', 'p', 'o', 's', 'l', 'h', 'j', 'u', 'm', 'f', 'g', '+', '-', '=', '0', 'tab', 'pageup', 'pagedown', 'f4']);
const WITH_CTRL_SHIFT = new Set(['i', 'j', 'c', 'r', 'n', 't', 'w', 'q', 'delete', 'escape']);
const ALONE = new Set(['f1', 'f3', 'f5', 'f6', 'f7', 'f10', 'f11', 'f12', 'browserback', 'browserforward', 'browserrefresh', 'browserhome', 'browsersearch', 'contextmenu']);

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
