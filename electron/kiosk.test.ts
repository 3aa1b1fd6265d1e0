import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import {
  CrashPolicy,
  NO_PRINT_SCRIPT,
  isBlockedKioskKey,
  isKioskPage,
  lockDownKioskContents,
  lockDownKioskWindow,
  refuseDownloads,
  type DownloadSession,
  type KioskContentsLike,
  type KioskWindowLike,
} from './kiosk';

const OWN = 'file:///opt/Circa/resources/app.asar/dist/renderer/index.html';

/** A webContents reduced to what the kiosk's contents guard touches, its debugger recording the commands sent. */
function standInContents({ attachFails = false } = {}) {
  const listeners = new Map<string, (...args: never[]) => void>();
  const dbg = new Map<string, (...args: never[]) => void>();
  const commands: [string, Record<string, unknown> | undefined][] = [];
  const attached: string[] = [];
  const contents = {
    on: (e: string, l: (...args: never[]) => void) => void listeners.set(e, l),
    debugger: {
      attach: (v?: string) => {
        if (attachFails) throw new Error('Another debugger is already attached');
        attached.push(v ?? '');
      },
      sendCommand: async (method: string, params?: Record<string, unknown>) => void commands.push([method, params]),
      on: (e: string, l: (...args: never[]) => void) => void dbg.set(e, l),
    },
  } as unknown as KioskContentsLike;
  const navigate = (event: string, url: string, isMainFrame = true) => {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true), url, isMainFrame };
    const l = listeners.get(event) as (...args: unknown[]) => void;
    if (event === 'will-frame-navigate') l(e);
    else l(e, url);
    return prevented;
  };
  return { contents, navigate, commands, attached, dbg };
}

const key = (
  k: string,
  mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {},
  type = 'keyDown',
) => ({
  type,
  key: k,
  control: false,
  alt: false,
  meta: false,
  shift: false,
  ...mods,
});

/** A BrowserWindow reduced to what the kiosk lock-down touches: the one allowed stand-in. */
function standInWindow() {
  const on = new Map<string, (...args: never[]) => void>();
  const wcOn = new Map<string, (...args: never[]) => void>();
  const calls: string[] = [];
  const win = {
    setMenu: (m: null) => calls.push(`setMenu(${m})`),
    on: (e: string, l: (...args: never[]) => void) => void on.set(e, l),
    webContents: {
      on: (e: string, l: (...args: never[]) => void) => void wcOn.set(e, l),
      closeDevTools: () => calls.push('closeDevTools'),
      forcefullyCrashRenderer: () => calls.push('crashRenderer'),
    },
  } as unknown as KioskWindowLike;
  const prevented = (fire: (e: { preventDefault(): void }) => void) => {
    let p = false;
    fire({ preventDefault: () => (p = true) });
    return p;
  };
  return { win, on, wcOn, calls, prevented };
}

describe('kiosk mode', () => {
  it('blocks the keys that close, leave, reload or inspect the window', () => {
    const blocked = [
      key('F4', { alt: true }),
      key('Tab', { alt: true }),
      key('w', { control: true }),
      key('q', { control: true }),
      key('Q', { meta: true }),
      key('I', { control: true, shift: true }),
      key('J', { control: true, shift: true }),
      key('F11'),
      key('F12'),
      key('F5'),
      key('r', { control: true }),
      key('p', { control: true }),
      key('n', { control: true }),
      key('Escape', { control: true, shift: true }),
      key('Meta'),
      key('BrowserBack'),
      key('ArrowLeft', { alt: true }),
      key('+', { control: true }),
    ];
    for (const k of blocked) expect(isBlockedKioskKey(k), JSON.stringify(k)).toBe(true);
    // Print (its dialog's "print to file"), save the page, open a file: each a file chooser.
    for (const k of [
      key('p', { control: true }),
      key('P', { control: true, shift: true }),
      key('s', { control: true }),
      key('o', { control: true }),
      key('p', { meta: true }),
    ]) {
      expect(isBlockedKioskKey(k), JSON.stringify(k)).toBe(true);
    }
  });

  it('lets a patron type, scan and use the page', () => {
    for (const k of [
      key('a'),
      key('A', { shift: true }),
      key('3'),
      key('Enter'),
      key('Tab'),
      key('Backspace'),
      key('Escape'),
      key('ArrowDown'),
      key('a', { control: true }),
      key('c', { control: true }),
      key('v', { control: true }),
    ]) {
      expect(isBlockedKioskKey(k), JSON.stringify(k)).toBe(false);
    }
    expect(isBlockedKioskKey(key('F4', { alt: true }, 'keyUp'))).toBe(false);
  });

  it('locks the window: no menu, keys filtered, no closing unless the app quits, no devtools', () => {
    const s = standInWindow();
    let quitting = false;
    lockDownKioskWindow(s.win, {
      isQuitting: () => quitting,
      reload: () => undefined,
      relaunch: () => undefined,
      log: () => undefined,
    });
    expect(s.calls).toEqual(['setMenu(null)']);
    const input = s.wcOn.get('before-input-event') as (
      e: { preventDefault(): void },
      i: ReturnType<typeof key>,
    ) => void;
    expect(s.prevented((e) => input(e, key('F4', { alt: true })))).toBe(true);
    expect(s.prevented((e) => input(e, key('7')))).toBe(false);
    const close = s.on.get('close') as (e: { preventDefault(): void }) => void;
    expect(s.prevented(close)).toBe(true);
    quitting = true;
    expect(s.prevented(close)).toBe(false);
    (s.wcOn.get('devtools-opened') as () => void)();
    expect(s.calls).toContain('closeDevTools');
    expect(s.prevented(s.wcOn.get('context-menu') as (e: { preventDefault(): void }) => void)).toBe(true);
  });

  it('brings a crashed or frozen page back, and relaunches the app when it keeps crashing', () => {
    const s = standInWindow();
    const actions: string[] = [];
    let t = 0;
    lockDownKioskWindow(s.win, {
      isQuitting: () => false,
      reload: () => actions.push('reload'),
      relaunch: () => actions.push('relaunch'),
      log: () => undefined,
      now: () => t,
      policy: new CrashPolicy(2, 60_000),
    });
    const gone = s.wcOn.get('render-process-gone') as (e: unknown, d: { reason: string }) => void;
    gone({}, { reason: 'crashed' });
    gone({}, { reason: 'clean-exit' });
    t = 1_000;
    gone({}, { reason: 'oom' });
    t = 2_000;
    gone({}, { reason: 'killed' });
    expect(actions).toEqual(['reload', 'reload', 'relaunch']);
    t = 200_000;
    gone({}, { reason: 'crashed' });
    expect(actions.at(-1)).toBe('reload');
    (s.on.get('unresponsive') as () => void)();
    expect(s.calls).toContain('crashRenderer');
  });
});

describe("the kiosk window's contents", () => {
  it('knows the kiosk page from the desk: the same file, at #kiosk only', () => {
    expect(isKioskPage(`${OWN}#kiosk`, OWN)).toBe(true);
    expect(isKioskPage(OWN, OWN)).toBe(false);
    expect(isKioskPage(`${OWN}#checkout`, OWN)).toBe(false);
    expect(isKioskPage(`${OWN}?x=1#kiosk`, OWN)).toBe(true);
    expect(isKioskPage('file:///etc/passwd#kiosk', OWN)).toBe(false);
    expect(isKioskPage('https://example.org/index.html#kiosk', OWN)).toBe(false);
    expect(isKioskPage('not a url', OWN)).toBe(false);
  });

  it("navigates only to the kiosk page: not the desk's routes, not another page, not in a frame", async () => {
    const s = standInContents();
    const logged: string[] = [];
    await lockDownKioskContents(s.contents, OWN, (m) => logged.push(m));
    expect(s.navigate('will-navigate', OWN)).toBe(true);
    expect(s.navigate('will-navigate', `${OWN}#settings`)).toBe(true);
    expect(s.navigate('will-navigate', 'https://example.org/')).toBe(true);
    expect(s.navigate('will-redirect', 'file:///home/kiosk/')).toBe(true);
    expect(s.navigate('will-navigate', `${OWN}#kiosk`)).toBe(false);
    expect(s.navigate('will-frame-navigate', 'about:srcdoc', false)).toBe(true);
    expect(s.navigate('will-frame-navigate', 'file:///etc/', false)).toBe(true);
    // The main frame is will-navigate's (the same rule, said once).
    expect(s.navigate('will-frame-navigate', `${OWN}#kiosk`, true)).toBe(false);
    expect(logged.filter((m) => m.includes('refused a navigation'))).toHaveLength(6);
  });

  it("has every frame's print do nothing and intercepts file choosers, through the DevTools protocol", async () => {
    const s = standInContents();
    const logged: string[] = [];
    expect(await lockDownKioskContents(s.contents, OWN, (m) => logged.push(m))).toBe(true);
    expect(s.attached).toEqual(['1.3']);
    expect(s.commands).toEqual([
      ['Page.enable', undefined],
      ['Page.setInterceptFileChooserDialog', { enabled: true }],
      ['Page.addScriptToEvaluateOnNewDocument', { source: NO_PRINT_SCRIPT, runImmediately: true }],
    ]);
    (s.dbg.get('message') as (e: unknown, method: string, params: unknown) => void)({}, 'Page.fileChooserOpened', {
      mode: 'selectSingle',
    });
    expect(logged).toEqual(['kiosk: refused a file chooser']);
  });

  it('arms the guards again when the protocol is detached (a crashed page reloaded), a few times at most', async () => {
    const s = standInContents();
    const logged: string[] = [];
    await lockDownKioskContents(s.contents, OWN, (m) => logged.push(m), 0);
    const detach = s.dbg.get('detach') as (e: unknown, reason: string) => void;
    for (let i = 0; i < 7; i++) {
      detach({}, 'target closed');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(s.attached).toHaveLength(1 + 5);
    expect(s.commands.filter(([m]) => m === 'Page.addScriptToEvaluateOnNewDocument')).toHaveLength(6);
    expect(logged.filter((m) => m.includes('were detached (target closed)'))).toHaveLength(7);
  });

  it('keeps the navigation guard and says so when the protocol cannot attach', async () => {
    const s = standInContents({ attachFails: true });
    const logged: string[] = [];
    expect(await lockDownKioskContents(s.contents, OWN, (m) => logged.push(m))).toBe(false);
    expect(logged[0]).toMatch(/could not attach \(Another debugger is already attached\)/);
    expect(s.navigate('will-navigate', OWN)).toBe(true);
  });

  it('the script makes print do nothing, for good', () => {
    let printed = 0;
    const window = { print: () => void printed++ };
    runInNewContext(NO_PRINT_SCRIPT, { window, Object });
    window.print();
    expect(() => Object.assign(window, { print: () => void printed++ })).toThrow();
    window.print();
    expect(printed).toBe(0);
  });

  it('refuses every download', () => {
    let listener: ((e: { preventDefault(): void }) => void) | undefined;
    const session = {
      on: (_e: string, l: (e: { preventDefault(): void }) => void) => void (listener = l),
    } as unknown as DownloadSession;
    const logged: string[] = [];
    refuseDownloads(session, (m) => logged.push(m));
    let prevented = false;
    listener!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(logged).toEqual(['kiosk: refused a download']);
  });
});
