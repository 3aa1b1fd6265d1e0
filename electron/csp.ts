// The Content Security Policy, sent as a header on every response the app's session sees (the
// built index.html carries the same policy as a meta tag, for the file:// page itself). A page
// can only run the app's own scripts and talk to nothing on the network.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Headers = Record<string, string | string[]>;

export interface HeaderSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Headers },
        callback: (response: { responseHeaders: Headers }) => void,
      ) => void,
    ): void;
  };
}

/** Replaces any policy a response brings (whatever its header's case) with the app's own. */
export function withContentSecurityPolicy(headers: Headers = {}): Headers {
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
  );
  return { ...kept, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

export function installContentSecurityPolicy(session: HeaderSession): void {
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}
