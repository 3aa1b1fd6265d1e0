// ISBNs as cataloguers type them: ISBN-10 (the last digit may be X) or ISBN-13, with or without
// hyphens and spaces. A typo almost always breaks the check digit, so the check digit is checked.

/** The ISBN without hyphens or spaces (an x made X), or null when it is not a valid ISBN-10 or ISBN-13. */
export function normaliseIsbn(typed: string): string | null {
  const isbn = typed.replace(/[-\s]/g, '').toUpperCase();
  if (/^\d{9}[\dX]$/.test(isbn)) {
    const sum = [...isbn].reduce((acc, ch, i) => acc + (ch === 'X' ? 10 : Number(ch)) * (10 - i), 0);
    return sum % 11 === 0 ? isbn : null;
  }
  if (/^\d{13}$/.test(isbn)) {
    const sum = [...isbn].reduce((acc, ch, i) => acc + Number(ch) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0 ? isbn : null;
  }
  return null;
}

export const isValidIsbn = (typed: string): boolean => normaliseIsbn(typed) !== null;
