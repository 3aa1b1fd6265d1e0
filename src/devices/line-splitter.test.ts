import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';

describe('a serial scanner line', () => {
  it('joins a barcode split over several reads', () => {
    const s = new LineSplitter('CR');
    expect(s.push('3123')).toEqual([]);
    expect(s.push('40000')).toEqual([]);
    expect(s.push('00070\r')).toEqual(['31234000000070']);
  });

  it('splits a burst of several barcodes in one read, for every suffix', () => {
    expect(new LineSplitter('CR').push('A1\rB2\rC3\r')).toEqual(['A1', 'B2', 'C3']);
    expect(new LineSplitter('LF').push('A1\nB2\n')).toEqual(['A1', 'B2']);
    expect(new LineSplitter('CRLF').push('A1\r\nB2\r\n')).toEqual(['A1', 'B2']);
    expect(new LineSplitter('TAB').push('A1\tB2\t')).toEqual(['A1', 'B2']);
  });

  it('takes a CR LF split between two reads as one end of line', () => {
    const s = new LineSplitter('CRLF');
    expect(s.push('A1\r')).toEqual(['A1']);
    expect(s.push('\nB2\r\n')).toEqual(['B2']);
  });

  it('ignores empty lines and lines of noise, and trims noise off the ends', () => {
    const s = new LineSplitter('CRLF');
    expect(s.push('\r\n\r\n  \r\n')).toEqual([]);
    expect(s.push(Buffer.from([0x00, 0x07, 0xff, 0x0d, 0x0a]))).toEqual([]);
    expect(s.push(Buffer.concat([Buffer.from([0x00, 0xff]), Buffer.from('A1\r\n')]))).toEqual(['A1']);
    expect(s.push(Buffer.concat([Buffer.from('A'), Buffer.from([0x07]), Buffer.from('1\r\n')]))).toEqual([]);
  });

  it('drops a runaway line that never ends, then reads the next barcode', () => {
    const s = new LineSplitter('CR');
    expect(s.push('x'.repeat(200))).toEqual([]);
    expect(s.push('\rA1\r')).toEqual(['A1']);
  });
});
