// Money in integer minor units; formatting and parsing follow the currency's own digits.

export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
}

/** "12.50" or "12,50" -> 1250 (for a two-digit currency); null for anything that is not an amount. */
export function parseMoney(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const m = /^\s*(\d{1,9})(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Allocates a payment to fees, oldest first. */
export function allocatePayment(
  fees: { id: string; outstanding: number; createdAt: number }[],
  amount: number,
): { allocations: { feeId: string; amount: number }[]; unallocated: number } {
  let left = amount;
  const allocations: { feeId: string; amount: number }[] = [];
  const ordered = fees
    .filter((f) => f.outstanding > 0)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  for (const fee of ordered) {
    if (left <= 0) break;
    const take = Math.min(left, fee.outstanding);
    allocations.push({ feeId: fee.id, amount: take });
    left -= take;
  }
  return { allocations, unallocated: left };
}
