// The station's own names, case by case (tests/http/own-host.test.ts drives a real station).
import { describe, expect, it } from 'vitest';
import {
  allowedHostsFrom,
  isLocalCaller,
  isLoopbackName,
  judgeRequest,
  splitHost,
  type RequestFacts,
} from './own-host';

const facts = (over: Partial<RequestFacts>): RequestFacts => ({
  method: 'GET',
  path: '/api/health',
  host: '127.0.0.1:7300',
  origin: undefined,
  secFetchSite: undefined,
  localAddress: '127.0.0.1',
  localPort: 7300,
  ...over,
});

describe("the station's own names", () => {
  it('reads a Host header, and refuses one that is not a host', () => {
    expect(splitHost('Desk.Library.Example.:8080')).toEqual({ name: 'desk.library.example', port: 8080 });
    expect(splitHost('[::1]:7300')).toEqual({ name: '::1', port: 7300 });
    expect(splitHost('[::1]')).toEqual({ name: '::1', port: null });
    for (const bad of ['', ':7300', 'a:b', 'host:0', 'host:65536', '[not-ip]:1', '::1', 'a b', 'a:1:2'])
      expect(splitHost(bad), bad).toBeNull();
  });

  it('counts only real loopback addresses as loopback', () => {
    for (const name of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])
      expect(isLoopbackName(name), name).toBe(true);
    for (const name of [
      '127.0.0.1.evil.example',
      '127.evil',
      'localhost.evil.example',
      '128.0.0.1',
      '::2',
      '::ffff:10.0.0.1',
      '',
    ])
      expect(isLoopbackName(name), name).toBe(false);
  });

  it('takes the listed names, and the --host it listens on unless that is a wildcard or loopback', () => {
    expect(
      allowedHostsFrom(['Desk.Example', 'kiosk.example:8443'], ' a.example , ,b.example:1 ', 'station.lan'),
    ).toEqual([
      { name: 'desk.example', port: null },
      { name: 'kiosk.example', port: 8443 },
      { name: 'a.example', port: null },
      { name: 'b.example', port: 1 },
      { name: 'station.lan', port: null },
    ]);
    for (const host of ['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'])
      expect(allowedHostsFrom([], undefined, host), host).toEqual([]);
    expect(allowedHostsFrom([], undefined, 'fd00::2')).toEqual([{ name: 'fd00::2', port: null }]);
    for (const bad of ['http://a/', 'a/b', 'u@a', 'a:99999'])
      expect(() => allowedHostsFrom([bad], undefined), bad).toThrow(/not a host name/);
  });

  it('answers at the address a connection arrived at, however it is written', () => {
    const policy = { allowed: [] };
    expect(judgeRequest(policy, facts({ host: '192.0.2.2:7300', localAddress: '::ffff:192.0.2.2' }))).toEqual({
      ok: true,
    });
    expect(judgeRequest(policy, facts({ host: '[fd00:0::2]:7300', localAddress: 'fd00::2' }))).toEqual({ ok: true });
    expect(judgeRequest(policy, facts({ host: '192.0.2.3:7300', localAddress: '192.0.2.2' }))).toMatchObject({
      ok: false,
      status: 421,
    });
    expect(judgeRequest(policy, facts({ host: '192.0.2.2:7301', localAddress: '192.0.2.2' }))).toMatchObject({
      ok: false,
      status: 421,
    });
  });

  it("judges a POST's origin: its own pages, a listed name over https, nothing else", () => {
    const policy = { allowed: [{ name: 'circa.library.example', port: null }] };
    const post = (origin: string | undefined, secFetchSite?: string) =>
      judgeRequest(policy, facts({ method: 'POST', path: '/api/call/setup.status', origin, secFetchSite })).ok;
    expect([
      post(undefined),
      post('http://127.0.0.1:7300'),
      post('http://localhost:7300', 'same-origin'),
      post('https://circa.library.example'),
      post('http://circa.library.example:8080'),
    ]).toEqual([true, true, true, true, true]);
    expect([
      post('null'),
      post('http://evil.example'),
      post('https://127.0.0.1:7300'),
      post('http://127.0.0.1:7301'),
      post('file:///'),
      post('http://127.0.0.1:7300', 'cross-site'),
      post('http://user@127.0.0.1:7300'),
    ]).toEqual([false, false, false, false, false, false, false]);
  });

  it('calls a caller local only from a loopback socket with no proxy in between', () => {
    expect(isLocalCaller('127.0.0.1', {})).toBe(true);
    expect(isLocalCaller('::ffff:127.0.0.1', {})).toBe(true);
    expect(isLocalCaller('192.0.2.2', {})).toBe(false);
    expect(isLocalCaller(undefined, {})).toBe(false);
    for (const h of ['x-forwarded-for', 'forwarded', 'x-real-ip'])
      expect(isLocalCaller('127.0.0.1', { [h]: '203.0.113.9' }), h).toBe(false);
  });

  it("judges a WebSocket handshake's origin as a POST's: a GET that opens a socket for calls", () => {
    const ws = (over: Partial<RequestFacts>) =>
      judgeRequest({ allowed: [] }, facts({ path: '/api/ws', webSocket: true, ...over }));
    expect(ws({ origin: 'http://127.0.0.1:7300' })).toEqual({ ok: true });
    expect(ws({})).toEqual({ ok: true });
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:7301', 'https://127.0.0.1:7300'])
      expect(ws({ origin }), origin).toMatchObject({ ok: false, status: 403 });
    expect(ws({ origin: 'http://127.0.0.1:7300', secFetchSite: 'cross-site' })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(ws({ host: 'evil.example:7300', origin: 'http://evil.example:7300' })).toMatchObject({
      ok: false,
      status: 421,
    });
    // The same GET without the upgrade is a page load: another site's Origin does not matter there.
    expect(judgeRequest({ allowed: [] }, facts({ path: '/', origin: 'http://evil.example' }))).toEqual({ ok: true });
  });
});
