import { describe, expect, it } from 'vitest';
import { allocatePayment, formatMoney, parseMoney } from './money';

describe('money', () => {
  it('allocates a payment to the oldest fees first', () => {
    const fees = [
      { id: 'b', outstanding: 300, createdAt: 2 },
      { id: 'a', outstanding: 200, createdAt: 1 },
      { id: 'paid', outstanding: 0, createdAt: 0 },
    ];
    expect(allocatePayment(fees, 350)).toEqual({
      allocations: [
        { feeId: 'a', amount: 200 },
        { feeId: 'b', amount: 150 },
      ],
      unallocated: 0,
    });
    expect(allocatePayment(fees, 700).unallocated).toBe(200);
  });
  it('formats in the branch locale and the currency digits', () => {
    expect(formatMoney(1250, 'USD', 'en-US')).toBe('$12.50');
    expect(formatMoney(1250, 'EUR', 'es-ES').replace(/\s/g, ' ')).toBe('12,50 €');
    expect(formatMoney(500, 'JPY', 'ja-JP')).toMatch(/500/);
  });
  it('parses what staff type, and refuses garbage', () => {
    expect(parseMoney('12.50', 'USD')).toBe(1250);
    expect(parseMoney('12,5', 'EUR')).toBe(1250);
    expect(parseMoney('7', 'USD')).toBe(700);
    expect(parseMoney('1.234', 'USD')).toBeNull();
    expect(parseMoney('ten', 'USD')).toBeNull();
    expect(parseMoney('500', 'JPY')).toBe(500);
  });
});
