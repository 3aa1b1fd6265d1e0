// A serial scanner sends the barcode and its suffix (CR, LF, CR LF or Tab), possibly split over
// several reads, possibly with line noise. This joins partial reads, splits on the suffix, and
// drops empty lines and anything with control characters or no printable content.

export type Suffix = 'CR' | 'LF' | 'CRLF' | 'TAB';

const TERMINATORS: Record<Suffix, RegExp> = {
  CR: /\r\n?|\n/,
  LF: /\r?\n|\r/,
  CRLF: /\r\n|\r|\n/,
  TAB: /\t|\r\n?|\n/,
};

const MAX_LINE = 128;
const EDGE_NOISE = /^[^\x21-\x7e]+|[^\x21-\x7e]+$/g;

export class LineSplitter {
  private pending = '';

  constructor(private readonly suffix: Suffix) {}

  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const parts = this.pending.split(TERMINATORS[this.suffix]);
    this.pending = parts.pop() ?? '';
    // A stuck line with no terminator is noise, not a barcode.
    if (this.pending.length > MAX_LINE) this.pending = '';
    // Noise at either end (a scanner waking up, a glitch on the line) is cut off; noise inside a
    // barcode makes the whole line suspect, so it is dropped rather than guessed at.
    return parts.map((p) => p.replace(EDGE_NOISE, '')).filter(isPlausibleBarcode);
  }
}

export function isPlausibleBarcode(s: string): boolean {
  return s.length > 0 && s.length <= MAX_LINE && /^[\x21-\x7e]+$/.test(s);
}
