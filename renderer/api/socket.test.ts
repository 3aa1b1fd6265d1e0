// Where the desk opens its socket: the station that served the page, ws for http and wss for https.
import { describe, expect, it } from 'vitest';
import { socketUrl } from './socket';

describe('the desk socket address', () => {
  it("is the page's own host, with the scheme that matches the page's", () => {
    expect(socketUrl('', { protocol: 'http:', host: '127.0.0.1:7300' })).toBe('ws://127.0.0.1:7300/api/ws');
    expect(socketUrl('', { protocol: 'https:', host: 'desk.library.example' })).toBe(
      'wss://desk.library.example/api/ws',
    );
    expect(socketUrl('', { protocol: 'http:', host: '[::1]:7300' })).toBe('ws://[::1]:7300/api/ws');
    // A client made for another base (a station elsewhere) goes there.
    expect(socketUrl('https://other.example:8443', { protocol: 'http:', host: '127.0.0.1:7300' })).toBe(
      'wss://other.example:8443/api/ws',
    );
  });
});
