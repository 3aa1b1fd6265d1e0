import { describe, expect, it } from 'vitest';
import { classifyBarcode, DEFAULT_BARCODE_RULES, luhnCheckDigit, validateBarcode } from './barcode';

describe('library barcodes', () => {
  it('computes the Codabar check digit of the worked example', () => {
    expect(luhnCheckDigit('3023400051786')).toBe(1);
  });
  it('accepts a good scan, trimming the scanner suffix', () => {
    expect(validateBarcode(DEFAULT_BARCODE_RULES.item, '30234000517861\r\n')).toEqual({
      ok: true,
      barcode: '30234000517861',
    });
  });
  it('refuses misreads with the reason', () => {
    const item = DEFAULT_BARCODE_RULES.item;
    expect(validateBarcode(item, '  ')).toEqual({ ok: false, reason: 'empty' });
    expect(validateBarcode(item, '3023400051786')).toEqual({ ok: false, reason: 'length' });
    expect(validateBarcode(item, '302340005178A1')).toEqual({ ok: false, reason: 'characters' });
    expect(validateBarcode(item, '20234000517861')).toEqual({ ok: false, reason: 'prefix' });
    expect(validateBarcode(item, '30234000517862')).toEqual({ ok: false, reason: 'check_digit' });
  });
  it('tells patron cards from items', () => {
    const patron = `2023400051786`;
    expect(classifyBarcode(DEFAULT_BARCODE_RULES, patron + luhnCheckDigit(patron))).toBe('patron');
    expect(classifyBarcode(DEFAULT_BARCODE_RULES, '30234000517861')).toBe('item');
    expect(classifyBarcode(DEFAULT_BARCODE_RULES, 'hello')).toBe('unknown');
  });
  it('follows a library that uses short alphanumeric barcodes', () => {
    const rule = { length: null, minLength: 4, maxLength: 10, prefix: 'B', numeric: false, checkDigit: false };
    expect(validateBarcode(rule, 'B12X9')).toEqual({ ok: true, barcode: 'B12X9' });
    expect(validateBarcode(rule, 'X12X9')).toEqual({ ok: false, reason: 'prefix' });
  });
});
