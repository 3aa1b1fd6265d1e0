import { describe, expect, it } from 'vitest';
import { isBlockedKioskKey, isOwnPage, mainWindowOptions } from './security';

const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}) => ({
  type: 'keyDown', key: k, control: false, alt: false, meta: false, shift: false, ...mods,
});

describe('the desktop window', () => {
  it('is locked down: isolated, sandboxed, no Node in the page', () => {
    const o = mainWindowOptions({ preloadPath: '/app/preload.cjs', kiosk: false });
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });
  it('has no developer tools and fills the screen in kiosk mode', () => {
    const o = mainWindowOptions({ preloadPath: '/p', kiosk: true });
    expect(o.kiosk).toBe(true);
    expect(o.webPreferences?.devTools).toBe(false);
  });
  it('shows only its own page', () => {
    const own = 'file:///opt/Circa/resources/app.asar/dist/renderer/index.html';
    expect(isOwnPage(`${own}#kiosk`, own)).toBe(true);
    expect(isOwnPage('https://evil.example/', own)).toBe(false);
    expect(isOwnPage('file:///etc/passwd', own)).toBe(false);
    expect(isOwnPage('not a url', own)).toBe(false);
  });
  it('blocks the escape keys in kiosk mode, and lets typing through', () => {
    for (const k of [key('F4', { alt: true }), key('w', { control: true }), key('q', { control: true }), key('I', { control: true, shift: true }), key('F11'), key('F5'), key('r', { control: true })]) {
      expect(isBlockedKioskKey(k), JSON.stringify(k)).toBe(true);
    }
    for (const k of [key('a'), key('3'), key('Enter'), key('Tab'), key('Backspace')]) expect(isBlockedKioskKey(k)).toBe(false);
    expect(isBlockedKioskKey({ ...key('F4', { alt: true }), type: 'keyUp' })).toBe(false);
  });
});
