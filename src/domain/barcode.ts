// Library barcodes. Most US libraries use 14-digit Codabar: 2 (patron) or 3 (item), four digits
// of institution, eight of sequence, and a Luhn check digit. Each library sets its own rules, so
// a misread scan is refused before any state changes.
import type { BarcodeRule, BarcodeRules } from './types';

export type BarcodeProblem = 'empty' | 'length' | 'prefix' | 'characters' | 'check_digit';

/** The check digit over the first 13 digits (Luhn over all 14): "3023400051786" gives 1. */
export function luhnCheckDigit(first13: string): number {
  let sum = 0;
  for (let i = 0; i < first13.length; i++) {
    let d = Number(first13[i]);
    // Odd positions counted from the left (1st, 3rd, ...) are doubled.
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function validateBarcode(
  rule: BarcodeRule,
  raw: string,
): { ok: true; barcode: string } | { ok: false; reason: BarcodeProblem } {
  // Scanners add CR, LF, Tab and sometimes Codabar start/stop letters' control noise.
  // eslint-disable-next-line no-control-regex
  const barcode = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (barcode.length === 0) return { ok: false, reason: 'empty' };
  if (rule.numeric ? !/^\d+$/.test(barcode) : !/^[\x21-\x7e]+$/.test(barcode))
    return { ok: false, reason: 'characters' };
  if (
    rule.length !== null
      ? barcode.length !== rule.length
      : barcode.length < rule.minLength || barcode.length > rule.maxLength
  ) {
    return { ok: false, reason: 'length' };
  }
  if (rule.prefix && !barcode.startsWith(rule.prefix)) return { ok: false, reason: 'prefix' };
  if (rule.checkDigit) {
    if (!/^\d+$/.test(barcode) || barcode.length < 2) return { ok: false, reason: 'check_digit' };
    if (luhnCheckDigit(barcode.slice(0, -1)) !== Number(barcode.at(-1))) return { ok: false, reason: 'check_digit' };
  }
  return { ok: true, barcode };
}

export function classifyBarcode(rules: BarcodeRules, raw: string): 'patron' | 'item' | 'unknown' {
  if (validateBarcode(rules.patron, raw).ok) return 'patron';
  if (validateBarcode(rules.item, raw).ok) return 'item';
  return 'unknown';
}

const codabar14 = (prefix: string): BarcodeRule => ({
  length: 14,
  minLength: 14,
  maxLength: 14,
  prefix,
  numeric: true,
  checkDigit: true,
});

export const DEFAULT_BARCODE_RULES: BarcodeRules = { patron: codabar14('2'), item: codabar14('3') };
