import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, installContentSecurityPolicy } from './csp';

describe('the Content Security Policy', () => {
  it("allows only the app's own scripts and no network, no plugins, no framing", () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives['script-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('is put on every response, replacing a weaker policy whatever its header case', () => {
    let listener:
      Parameters<Parameters<typeof installContentSecurityPolicy>[0]['webRequest']['onHeadersReceived']>[0] | undefined;
    installContentSecurityPolicy({ webRequest: { onHeadersReceived: (l) => (listener = l) } });
    const answers: Record<string, string | string[]>[] = [];
    listener!(
      {
        responseHeaders: {
          'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
          'Content-Type': ['text/html'],
        },
      },
      (r) => answers.push(r.responseHeaders),
    );
    listener!({}, (r) => answers.push(r.responseHeaders));
    expect(answers[0]).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(answers[1]).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
