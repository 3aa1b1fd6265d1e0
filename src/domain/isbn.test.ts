import { describe, expect, it } from 'vitest';
import { isValidIsbn, normaliseIsbn } from './isbn';

describe('ISBNs', () => {
  it('takes ISBN-10 and ISBN-13 with their check digits, hyphens and spaces dropped', () => {
    expect(normaliseIsbn('978-0-06-088328-7')).toBe('9780060883287');
    expect(normaliseIsbn('0 06 088328 6')).toBe('0060883286');
    expect(normaliseIsbn('080442957x')).toBe('080442957X');
  });

  it('refuses a wrong check digit, letters and the wrong length', () => {
    expect(isValidIsbn('9780060883288')).toBe(false);
    expect(isValidIsbn('0060883287')).toBe(false);
    expect(isValidIsbn('not an isbn')).toBe(false);
    expect(isValidIsbn('12345')).toBe(false);
  });
});
