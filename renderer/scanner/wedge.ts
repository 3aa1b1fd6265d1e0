// Keyboard-wedge scanners type the barcode, fast, and press Enter (or Tab). This detector tells
// a scan from typing wherever the focus is: a burst of at least `minLength` printable keys, each
// within `maxGapMs` of the one before, ended by Enter or Tab. Slow typing passes through untouched.

export interface WedgeOptions {
  /** Longest gap between two keys of one scan (default 30 ms; some Zebra models need ~100). */
  maxGapMs: number;
  minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 30, minLength: 6 };

export type WedgeVerdict =
  /** Not part of a scan (yet): let the key through. */
  | { kind: 'pass' }
  /** A scan ended here: swallow this Enter/Tab; `length` characters already typed belong to it. */
  | { kind: 'scan'; barcode: string; length: number };

export class WedgeDetector {
  private buffer = '';
  private last = -Infinity;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /** Feed every keydown: the key (as KeyboardEvent.key) and its timestamp in ms. */
  key(key: string, at: number): WedgeVerdict {
    const gap = at - this.last;
    this.last = at;
    if (key === 'Enter' || key === 'Tab') {
      const barcode = this.buffer;
      this.buffer = '';
      if (barcode.length >= this.options.minLength && gap <= this.options.maxGapMs) return { kind: 'scan', barcode, length: barcode.length };
      return { kind: 'pass' };
    }
    if (key.length !== 1) {
      // Shift and other modifiers arrive between characters; they neither break nor extend a burst.
      if (key === 'Shift') return { kind: 'pass' };
      this.buffer = '';
      return { kind: 'pass' };
    }
    this.buffer = gap <= this.options.maxGapMs ? this.buffer + key : key;
    return { kind: 'pass' };
  }
}
