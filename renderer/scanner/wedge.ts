// Keyboard-wedge scanners type the barcode, fast, and press Enter (or Tab). This detector tells
// a scan from typing wherever the focus is: a burst of at least `minLength` printable keys ended
// by Enter or Tab, where the keys come within `maxGapMs` of each other. Slow typing passes
// through untouched.
//
// A few late keys are tolerated: a busy machine (or a USB hub, or a Bluetooth scanner) delivers
// the odd key of a burst late, and a scan missed for one delayed key is a scan the technician has
// to repeat. A late key may be at most `lateFactor` times the gap, and only one key in eight may
// be late; the typical (median) gap must still be a scanner's. No person types a six-key run with
// a median gap of 30 ms, so typing still passes through.
//
// A password manager types as fast as a scanner (10 ms a key, then Enter), so rhythm alone cannot
// tell them apart: a key typed into a secret field (a password or PIN input) is never part of a
// scan. It passes through and ends any burst, and nothing is taken out of that field.

export interface WedgeOptions {
  /** Longest usual gap between two keys of one scan (default 30 ms; some Zebra models need ~100). */
  maxGapMs: number;
  minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 30, minLength: 6 };

/** How much later than `maxGapMs` a late key of a burst may be. */
const LATE_FACTOR = 4;
/** One late key is allowed per this many keys of the burst. */
const KEYS_PER_LATE_KEY = 8;

export type WedgeVerdict =
  /** Not part of a scan (yet): let the key through. */
  | { kind: 'pass' }
  /** A scan ended here: swallow this Enter/Tab; `length` characters already typed belong to it. */
  | { kind: 'scan'; barcode: string; length: number };

export class WedgeDetector {
  private buffer = '';
  /** The gaps inside the current burst, one per key after its first, and the Enter's. */
  private gaps: number[] = [];
  private last = -Infinity;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /**
   * Feed every keydown: the key (as KeyboardEvent.key), its timestamp in ms, and whether it was
   * typed into a secret field (see isSecretField), which is never a scan.
   */
  key(key: string, at: number, inSecretField = false): WedgeVerdict {
    const gap = at - this.last;
    this.last = at;
    if (inSecretField) {
      this.reset();
      return { kind: 'pass' };
    }
    if (key === 'Enter' || key === 'Tab') {
      const barcode = this.buffer;
      const gaps = [...this.gaps, gap];
      this.reset();
      if (barcode.length >= this.options.minLength && this.isScannerRhythm(gaps))
        return { kind: 'scan', barcode, length: barcode.length };
      return { kind: 'pass' };
    }
    if (key.length !== 1) {
      // Shift and other modifiers arrive between characters; they neither break nor extend a burst.
      if (key === 'Shift') return { kind: 'pass' };
      this.reset();
      return { kind: 'pass' };
    }
    if (this.buffer !== '' && gap <= this.options.maxGapMs * LATE_FACTOR) {
      this.buffer += key;
      this.gaps.push(gap);
    } else {
      this.buffer = key;
      this.gaps = [];
    }
    return { kind: 'pass' };
  }

  /** How many characters the burst under way holds (1 = this key began a new one). */
  get pending(): number {
    return this.buffer.length;
  }

  private reset(): void {
    this.buffer = '';
    this.gaps = [];
  }

  private isScannerRhythm(gaps: number[]): boolean {
    const { maxGapMs } = this.options;
    if (gaps.some((g) => g > maxGapMs * LATE_FACTOR)) return false;
    const late = gaps.filter((g) => g > maxGapMs).length;
    if (late > Math.max(1, Math.floor(gaps.length / KEYS_PER_LATE_KEY))) return false;
    const sorted = [...gaps].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]! <= maxGapMs;
  }
}

/**
 * Is this the field of a secret (a password, a PIN), whose keys are never a scan? Password inputs,
 * and any field marked as one for a password manager (autocomplete current-password,
 * new-password, one-time-code), whatever its type.
 */
export function isSecretField(target: EventTarget | null): boolean {
  if (typeof HTMLInputElement === 'undefined' || !(target instanceof HTMLInputElement)) return false;
  if (target.type === 'password') return true;
  const autocomplete = target.autocomplete.toLowerCase().split(/\s+/);
  return autocomplete.some(
    (token) => token === 'current-password' || token === 'new-password' || token === 'one-time-code',
  );
}

type Editable = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function isEditable(target: EventTarget | null): target is Editable {
  if (typeof HTMLElement === 'undefined') return false;
  return (
    target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
  );
}

/**
 * The field a scan may type into, as it was before the scan's first key: call it on that key's
 * keydown (the character is not in yet), and call `restore()` when the burst turns out to be a
 * scan. A scan must come back out of whatever it typed into: a date field (the book-drop
 * "Returned on" date takes digits as a day, a month, a year), a number, a search box, a list
 * (typing picks an option), not only a plain text box. Restoring the whole value, rather than
 * cutting the barcode off its end, is what works for a field that does not keep what was typed
 * as typed. A secret field is never a scan, so never restored (null).
 */
export function fieldBeforeScan(target: EventTarget | null): { target: Editable; restore(): void } | null {
  if (!isEditable(target) || isSecretField(target)) return null;
  const value = target.value;
  let restored = false;
  return {
    target,
    restore() {
      // Once: a late second call must not undo what the screen wrote since.
      if (restored) return;
      restored = true;
      if (target.value === value) return;
      // Through the prototype's setter and an input event, so React's onChange (a controlled
      // field's state) hears of it as of any edit; setting .value alone would be undone at the
      // next render.
      const proto = Object.getPrototypeOf(target) as object;
      const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
      if (setter) setter.call(target, value);
      else target.value = value;
      target.dispatchEvent(new Event('input', { bubbles: true }));
      target.dispatchEvent(new Event('change', { bubbles: true }));
    },
  };
}
