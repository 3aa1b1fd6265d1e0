import { describe, expect, it } from 'vitest';
import { CrashPolicy, isBlockedKioskKey, lockDownKioskWindow, type KioskWindowLike } from './kiosk';

const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}, type = 'keyDown') => ({
  type, key: k, control: false, alt: false, meta: false, shift: false, ...mods,
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
      key('F4', { alt: true }), key('Tab', { alt: true }), key('w', { control: true }), key('q', { control: true }), key('Q', { meta: true }),
      key('I', { control: true, shift: true }), key('J', { control: true, shift: true }), key('F11'), key('F12'), key('F5'),
      key('r', { control: true }), key('p', { control: true }), key('n', { control: true }), key('Escape', { control: true, shift: true }),
      key('Meta'), key('BrowserBack'), key('ArrowLeft', { alt: true }), key('+', { control: true }),
    ];
    for (const k of blocked) expect(isBlockedKioskKey(k), JSON.stringify(k)).toBe(true);
  });

  it('lets a patron type, scan and use the page', () => {
    for (const k of [key('a'), key('A', { shift: true }), key('3'), key('Enter'), key('Tab'), key('Backspace'), key('Escape'), key('ArrowDown'), key('a', { control: true }), key('c', { control: true }), key('v', { control: true })]) {
      expect(isBlockedKioskKey(k), JSON.stringify(k)).toBe(false);
    }
    expect(isBlockedKioskKey(key('F4', { alt: true }, 'keyUp'))).toBe(false);
  });

  it('locks the window: no menu, keys filtered, no closing unless the app quits, no devtools', () => {
    const s = standInWindow();
    let quitting = false;
    lockDownKioskWindow(s.win, { isQuitting: () => quitting, reload: () => undefined, relaunch: () => undefined, log: () => undefined });
    expect(s.calls).toEqual(['setMenu(null)']);
    const input = s.wcOn.get('before-input-event') as (e: { preventDefault(): void }, i: ReturnType<typeof key>) => void;
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
