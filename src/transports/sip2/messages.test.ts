// SIP2 message text: checksums (the spec's own examples), fixed widths, fields in any order,
// unknown fields ignored, dates in the branch's zone.
import { describe, expect, it } from 'vitest';
import {
  checksum,
  parseRequest,
  parseSipDate,
  sipDate,
  SipResponse,
  count4,
  languageOf,
  languageCode,
} from './messages';

describe('SIP2 messages', () => {
  it('computes the checksums the specification prints', () => {
    expect(checksum('97AZ')).toBe('FEF5');
    expect(checksum('96AZ')).toBe('FEF6');
  });

  it('reads fixed fields by width and tagged fields in any order, ignoring unknown ones', () => {
    const r = parseRequest('11YN20261116    100000                  ZZjunk|AB3001|AOMAIN|AA2001|AC|');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.code).toBe('11');
    expect(r.request.fixed).toMatchObject({ scRenewalPolicy: 'Y', noBlock: 'N', date: '20261116    100000' });
    expect(r.request.fields.get('AA')).toBe('2001');
    expect(r.request.fields.get('AB')).toBe('3001');
    expect(r.request.hasChecksum).toBe(false);
  });

  it('accepts space-padded numbers and a short fixed part', () => {
    const r = parseRequest('990 802.00');
    expect(r.ok && r.request.fixed).toEqual({ statusCode: '0', maxPrintWidth: ' 80', protocolVersion: '2.00' });
    const short = parseRequest('23001');
    expect(short.ok && short.request.fixed.date).toBe(' '.repeat(18));
  });

  it('verifies AY/AZ and refuses a wrong checksum', () => {
    const body = '9900802.00AY3AZ';
    const good = parseRequest(body + checksum(body));
    expect(good.ok && good.request.sequence).toBe('3');
    expect(parseRequest(body + 'FFFF')).toEqual({ ok: false, reason: 'checksum' });
    expect(parseRequest('hello')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('formats responses with a lone CR, AY echoed and AZ last', () => {
    const text = new SipResponse('94', '1').toString({ sequence: '5' });
    expect(text).toBe(`941AY5AZ${checksum('941AY5AZ')}\r`);
    expect(new SipResponse('24').field('AF', 'a|b\r\nc').toString()).toBe('24AFa b  c|\r');
    expect(count4(7)).toBe('0007');
  });

  it('writes and reads dates as local time with a blank zone', () => {
    const ms = Date.UTC(2026, 10, 16, 15, 0, 0);
    expect(sipDate(ms, 'America/New_York')).toBe('20261116    100000');
    expect(parseSipDate('20261116    100000', 'America/New_York')).toBe(ms);
    expect(parseSipDate('20261116   Z150000', 'America/New_York')).toBe(ms);
    expect(parseSipDate(' '.repeat(18), 'UTC')).toBeNull();
  });

  it('knows the SIP2 codes of the languages Circa speaks', () => {
    expect(languageOf('008')).toBe('es');
    expect(languageOf('001')).toBe('en');
    expect(languageOf('003')).toBeNull();
    expect(languageCode('es-ES')).toBe('008');
  });
});
