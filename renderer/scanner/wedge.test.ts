import { describe, expect, it } from 'vitest';
import { WedgeDetector } from './wedge';

const type = (d: WedgeDetector, text: string, start: number, gap: number) => {
  let t = start;
  for (const ch of text) d.key(ch, (t += gap));
  return d.key('Enter', t + gap);
};

describe('the keyboard-wedge detector', () => {
  it('recognises a scanner burst ending in Enter', () => {
    expect(type(new WedgeDetector(), '30234000517861', 0, 5)).toEqual({
      kind: 'scan',
      barcode: '30234000517861',
      length: 14,
    });
  });
  it('lets a person typing pass through', () => {
    expect(type(new WedgeDetector(), '30234000517861', 0, 120)).toEqual({ kind: 'pass' });
  });
  it('needs at least six characters, and honours a slower scanner setting', () => {
    expect(type(new WedgeDetector(), '12345', 0, 5)).toEqual({ kind: 'pass' });
    expect(type(new WedgeDetector({ maxGapMs: 100, minLength: 6 }), '20234000517862', 0, 80).kind).toBe('scan');
  });
  it('starts a new burst after a pause, keeping only the fast part', () => {
    const d = new WedgeDetector();
    d.key('x', 0);
    d.key('y', 500);
    expect(type(d, '3023400051', 1000, 4)).toEqual({ kind: 'scan', barcode: '3023400051', length: 10 });
  });
  it('accepts Tab as the suffix', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const ch of '20234000517862') d.key(ch, (t += 3));
    expect(d.key('Tab', t + 3).kind).toBe('scan');
  });
  it('still recognises a burst with one key delivered late, as a busy machine does', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const [i, ch] of [...'30234000517861'].entries()) d.key(ch, (t += i === 6 ? 90 : 5));
    expect(d.key('Enter', t + 5)).toEqual({ kind: 'scan', barcode: '30234000517861', length: 14 });
  });
  it('does not take a hand-typed run with a few quick pairs for a scan', () => {
    const d = new WedgeDetector();
    let t = 0;
    // A fast typist: some quick bigrams, most keys 60-110 ms apart.
    for (const [i, ch] of [...'30234000517861'].entries()) d.key(ch, (t += i % 3 === 0 ? 25 : 80));
    expect(d.key('Enter', t + 70)).toEqual({ kind: 'pass' });
  });
  it('refuses a burst with a key later than four times the gap', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const [i, ch] of [...'30234000517861'].entries()) d.key(ch, (t += i === 7 ? 150 : 5));
    expect(d.key('Enter', t + 5)).toEqual({ kind: 'scan', barcode: '0517861', length: 7 });
  });
});

describe('keys typed into a secret field', () => {
  it('are never a scan, however fast (a password manager types 10 ms a key, then Enter)', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const ch of 'donut hole 42') expect(d.key(ch, (t += 10), true)).toEqual({ kind: 'pass' });
    expect(d.key('Enter', t + 10, true)).toEqual({ kind: 'pass' });
  });
  it('end a burst begun outside the field, so what follows in it is not taken for one', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const ch of '3023') d.key(ch, (t += 5));
    for (const ch of '400051786') d.key(ch, (t += 5), true);
    expect(d.key('Enter', t + 5, true)).toEqual({ kind: 'pass' });
  });
  it('leave the detector ready for the next real scan', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const ch of 'secret-password') d.key(ch, (t += 10), true);
    d.key('Enter', (t += 10), true);
    expect(type(d, '30234000517861', t + 500, 5)).toEqual({ kind: 'scan', barcode: '30234000517861', length: 14 });
  });
});
