// Reads a submitted form and checks it field by field, before anything goes to the station:
// each problem is kept under the field's name, in words the desk shows under that field.
import type { TFunction } from 'i18next';
import { parseMoney } from '../../src/domain/money';
import { isMultiLineText, isSingleLineText } from '../../src/domain/text';
import { isValidLocalDate } from '../../src/domain/time';

export type FieldErrors = Record<string, string>;

export class FormReader {
  readonly errors: FieldErrors = {};
  private readonly data: FormData;

  constructor(
    form: HTMLFormElement,
    private readonly t: TFunction,
  ) {
    this.data = new FormData(form);
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  text(name: string): string {
    return String(this.data.get(name) ?? '').trim();
  }

  /** Text that must be there: one line (a name, a title, a code), as the station takes it. */
  required(name: string, max = 200): string {
    const v = this.text(name);
    if (!v) this.errors[name] = this.t('form.required');
    else this.checkText(name, v, max, isSingleLineText);
    return v;
  }

  /** One line of text, or null when left empty. */
  optional(name: string, max = 200): string | null {
    const v = this.text(name);
    this.checkText(name, v, max, isSingleLineText);
    return v || null;
  }

  /** Text that may span lines (notes): line breaks allowed, no other control characters. */
  multiLine(name: string, max = 4000): string {
    const v = this.text(name);
    this.checkText(name, v, max, isMultiLineText);
    return v;
  }

  /** The station refuses control and text-direction characters (pasted ones too): said under the field. */
  private checkText(name: string, v: string, max: number, allowed: (s: string) => boolean): void {
    if (v.length > max) this.errors[name] = this.t('form.tooLong', { max });
    else if (!allowed(v)) this.errors[name] = this.t('form.controlCharacters');
  }

  bool(name: string): boolean {
    return this.data.get(name) === 'on';
  }

  /** A whole number in [min, max]; empty is an error. */
  int(name: string, min: number, max = 1_000_000): number {
    const v = this.optInt(name, min, max);
    if (v === null && !this.errors[name]) this.errors[name] = this.t('form.wholeNumber', { min, max });
    return v ?? min;
  }

  /** A whole number in [min, max], or null when left empty. */
  optInt(name: string, min: number, max = 1_000_000): number | null {
    const v = this.text(name);
    if (!v) return null;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.errors[name] = this.t('form.wholeNumber', { min, max });
      return null;
    }
    return n;
  }

  /** An amount of money typed as 1.50 or 1,50, in minor units; empty is an error. */
  money(name: string, currency: string): number {
    const v = this.optMoney(name, currency);
    if (v === null && !this.errors[name]) this.errors[name] = this.t('form.money');
    return v ?? 0;
  }

  optMoney(name: string, currency: string): number | null {
    const v = this.text(name);
    if (!v) return null;
    const n = parseMoney(v, currency);
    if (n === null) this.errors[name] = this.t('form.money');
    return n;
  }

  /** A date from <input type="date"> (the browser hands it over as 2026-12-25), or null. */
  date(name: string): string | null {
    const v = this.text(name);
    if (!v) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) this.errors[name] = this.t('form.date');
    else if (!isValidLocalDate(v)) this.errors[name] = this.t('form.notADate');
    return v;
  }

  /** A date that must be there. */
  requiredDate(name: string): string {
    const v = this.date(name);
    if (v === null && !this.errors[name]) this.errors[name] = this.t('form.required');
    return v ?? '';
  }

  fail(name: string, message: string): void {
    this.errors[name] = message;
  }
}

/** Money in minor units as it is typed back into a field (1.50), for a form's default value. */
export function moneyInput(amount: number | null, currency: string): string {
  if (amount === null) return '';
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (amount / 10 ** digits).toFixed(digits);
}
