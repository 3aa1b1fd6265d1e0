import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, validateBarcode } from './barcode';
import {
  canMove,
  isClosed,
  moved,
  nextAction,
  nextRangeBarcode,
  nextSteps,
  parseAgencyId,
  stepsOf,
  type IllRequest,
} from './ill';

const base: IllRequest = {
  id: 'r1',
  direction: 'borrowing',
  status: 'requested',
  branchId: 'b',
  patronId: 'p',
  title: 'T',
  author: null,
  isbn: null,
  partnerName: 'L',
  partnerAgencyId: 'ISIL:X',
  needBy: null,
  requestingRequestId: 'r1',
  recordId: null,
  itemId: null,
  lenderDueOn: null,
  note: null,
  history: '[]',
  createdAt: 1,
  updatedAt: 1,
};

describe('the ILL life cycles', () => {
  it('walks borrowing in order, dating each step, and refuses a step out of order', () => {
    let r = base;
    for (const [i, s] of (['sent', 'shipped', 'received', 'on_loan', 'returned', 'shipped_back'] as const).entries())
      r = moved(r, s, 10 + i, 'staff');
    expect(stepsOf(r).map((s) => [s.status, s.at])).toEqual([
      ['sent', 10],
      ['shipped', 11],
      ['received', 12],
      ['on_loan', 13],
      ['returned', 14],
      ['shipped_back', 15],
    ]);
    expect(isClosed('borrowing', r.status)).toBe(true);
    expect(() => moved(base, 'on_loan', 1, null)).toThrow(/cannot go from requested to on_loan/);
    expect(canMove('borrowing', 'on_loan', 'cancelled')).toBe(false);
  });

  it('walks lending and says what to do next', () => {
    expect(nextSteps('lending', 'requested')).toEqual(['pulled', 'cancelled', 'unfilled']);
    expect(
      ['requested', 'pulled', 'checked_out', 'shipped'].map((s) => nextAction('lending', s as IllRequest['status'])),
    ).toEqual(['pull', 'check_out_to_library', 'ship', 'await_lender']);
    expect(canMove('lending', 'shipped', 'returned')).toBe(true);
    expect(canMove('lending', 'checked_out', 'cancelled')).toBe(false);
  });

  it('takes barcodes from the range in order, each with its own check digit, skipping used ones', () => {
    const range = {
      first: `3999999000001${luhnCheckDigit('3999999000001')}`,
      last: `3999999000003${luhnCheckDigit('3999999000003')}`,
    };
    const first = nextRangeBarcode(range, new Set(), luhnCheckDigit)!;
    expect(
      validateBarcode({ length: 14, minLength: 14, maxLength: 14, prefix: '3', numeric: true, checkDigit: true }, first)
        .ok,
    ).toBe(true);
    const second = nextRangeBarcode(range, new Set([first]), luhnCheckDigit)!;
    expect(second.slice(0, 13)).toBe('3999999000002');
    const all = new Set([first, second, nextRangeBarcode(range, new Set([first, second]), luhnCheckDigit)!]);
    expect(nextRangeBarcode(range, all, luhnCheckDigit)).toBeNull();
  });

  it('reads agency ids with and without a type', () => {
    expect(parseAgencyId('ISIL:US-ABC')).toEqual({ type: 'ISIL', value: 'US-ABC' });
    expect(parseAgencyId('US-ABC')).toEqual({ type: 'ISIL', value: 'US-ABC' });
  });
});
