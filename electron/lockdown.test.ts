import { describe, expect, it } from 'vitest';
import {
  denyAllPermissions,
  isOwnPage,
  isTrustedSender,
  lockDownContents,
  type ContentsLike,
  type PermissionSession,
} from './lockdown';

const OWN = 'file:///opt/Circa/resources/app.asar/dist/renderer/index.html';

/** A webContents reduced to what the lock-down touches: the one allowed stand-in. */
function standInContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (event: string, l: (event: { preventDefault(): void }, url?: string) => void) => void listeners.set(event, l),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => void (openHandler = h),
  } as unknown as ContentsLike;
  const fire = (event: string, url?: string) => {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('the window lock-down', () => {
  it("recognises only the app's own page", () => {
    expect(isOwnPage(`${OWN}#kiosk`, OWN)).toBe(true);
    expect(isOwnPage('https://evil.example/', OWN)).toBe(false);
    expect(isOwnPage('file:///etc/passwd', OWN)).toBe(false);
    expect(isOwnPage('file://evil-host/opt/Circa/resources/app.asar/dist/renderer/index.html', OWN)).toBe(false);
    expect(isOwnPage('not a url', OWN)).toBe(false);
  });

  it('refuses navigation away, redirects, webviews and every new window', () => {
    const refused: string[] = [];
    const s = standInContents();
    lockDownContents(s.contents, OWN, (what) => refused.push(what));
    expect(s.fire('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(s.fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(s.fire('will-navigate', `${OWN}#desk`)).toBe(false);
    expect(s.fire('will-attach-webview')).toBe(true);
    expect(s.open('https://example.org/')).toEqual({ action: 'deny' });
    expect(s.open(OWN)).toEqual({ action: 'deny' });
    expect(refused).toEqual(['navigation', 'navigation', 'webview', 'new window', 'new window']);
  });

  it('denies every permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as unknown as PermissionSession;
    denyAllPermissions(session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'serial',
      'hid',
      'usb',
      'fullscreen',
    ]) {
      const answers: boolean[] = [];
      (handlers.request as (c: unknown, p: string, cb: (g: boolean) => void) => void)({}, permission, (g) =>
        answers.push(g),
      );
      expect(answers, permission).toEqual([false]);
      expect((handlers.check as (c: unknown, p: string) => boolean)({}, permission)).toBe(false);
    }
    expect((handlers.device as (d: unknown) => boolean)({ deviceType: 'serial' })).toBe(false);
  });

  it('trusts IPC only from the app window showing the app page', () => {
    const windowContents = { id: 1 };
    expect(isTrustedSender({ sender: windowContents, senderFrame: { url: OWN } }, windowContents, OWN)).toBe(true);
    expect(isTrustedSender({ sender: { id: 2 }, senderFrame: { url: OWN } }, windowContents, OWN)).toBe(false);
    expect(
      isTrustedSender({ sender: windowContents, senderFrame: { url: 'https://evil.example/' } }, windowContents, OWN),
    ).toBe(false);
    expect(isTrustedSender({ sender: windowContents, senderFrame: null }, windowContents, OWN)).toBe(false);
    expect(isTrustedSender({ sender: undefined, senderFrame: { url: OWN } }, undefined, OWN)).toBe(false);
  });
});
