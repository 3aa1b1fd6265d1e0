// What the window may do besides showing the app: nothing. Navigation away, new windows,
// webviews and every permission request (camera, notifications, USB, serial...) are refused;
// devices are the core's business, never the page's.

/** The app only ever shows its own index.html (with any #route): any other URL is refused. */
export function isOwnPage(url: string, rendererIndexUrl: string): boolean {
  try {
    const u = new URL(url);
    const own = new URL(rendererIndexUrl);
    return u.protocol === 'file:' && own.protocol === 'file:' && u.host === own.host && u.pathname === own.pathname;
  } catch {
    return false;
  }
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface ContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function lockDownContents(
  contents: ContentsLike,
  rendererIndexUrl: string,
  onRefused: (what: string) => void = () => undefined,
): void {
  const guard = (event: PreventableEvent, url: string) => {
    if (isOwnPage(url, rendererIndexUrl)) return;
    event.preventDefault();
    onRefused('navigation');
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onRefused('webview');
  });
  contents.setWindowOpenHandler(() => {
    onRefused('new window');
    return { action: 'deny' };
  });
}

export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** An IPC message counts only if it comes from the app's window, showing the app's page. */
export function isTrustedSender(
  event: { sender: unknown; senderFrame?: { url: string } | null },
  windowContents: unknown,
  rendererIndexUrl: string,
): boolean {
  return (
    windowContents !== undefined &&
    event.sender === windowContents &&
    !!event.senderFrame &&
    isOwnPage(event.senderFrame.url, rendererIndexUrl)
  );
}
