import { describe, expect, it } from 'vitest';
import { callNumberSortKey, compareCallNumbers, inCallNumberRange, parseCallNumber } from './call-number';

/** Sorts a shuffled copy of the list and expects the list back: the list is in shelf order. */
function expectShelfOrder(list: string[]) {
  const shuffled = [...list].reverse();
  for (let i = 0; i < shuffled.length; i += 2) shuffled.push(shuffled.shift()!);
  expect([...shuffled].sort(compareCallNumbers)).toEqual(list);
  expect([...shuffled].sort((a, b) => (callNumberSortKey(a) < callNumberSortKey(b) ? -1 : 1))).toEqual(list);
}

describe('Dewey call numbers', () => {
  it('file the class number as a number with decimals, not as characters', () => {
    // As characters "599.8" < "599.75" is false and "5" < "50" < "500" would hold by luck only.
    expectShelfOrder([
      '5 ABC',
      '20 BRO',
      '158.1 CAR',
      '500 SCI',
      '599.7 ATT',
      '599.75 WIL',
      '599.757 SCH',
      '599.8 GOO',
      '616.07572 SMI',
      '616.1 ZEE',
    ]);
  });

  it('file cutters letter by letter, then their digits as a decimal (.B47 before .B5)', () => {
    expectShelfOrder(['641.5 .B47', '641.5 .B5', '641.5 .B512', '641.5 .C2', '641.5 .C21']);
    expectShelfOrder(['813.54 KIN', '813.54 KING', '813.54 KIR']);
  });

  it('nothing before something: the bare number, then the number with a cutter, then a date', () => {
    expectShelfOrder(['813', '813 ADA', '813.5', '813.54', '813.54 SMI', '813.54 SMI 1999', '813.54 SMI 2019']);
  });

  it('file copy and volume numbers as whole numbers', () => {
    expectShelfOrder(['030 ENC v.2', '030 ENC v.9', '030 ENC v.10', '030 ENC v.10 c.2']);
    expectShelfOrder(['616.07572 SMI 2019 c.2', '616.07572 SMI 2019 c.10']);
  });

  it('keep each prefix a section of its own: no prefix, then B, E, FIC, J, J FIC, REF', () => {
    expectShelfOrder([
      '599.75 WIL',
      '972 PAZ',
      'B LIN',
      'E CAR',
      'FIC ADA',
      'FIC SMI',
      'J 398.2 GRI',
      'J 599.75 WIL',
      'J FIC ROW',
      'REF 030 ENC',
      'REF 423 OXF',
    ]);
  });

  it('read a prefix before a Dewey number, even one it does not know', () => {
    expect(parseCallNumber('J 599.75 WIL')).toMatchObject({
      scheme: 'dewey',
      prefixes: ['J'],
      classNumber: '599.75',
      rest: ['WIL'],
    });
    expect(parseCallNumber('REF 030 ENC')).toMatchObject({ scheme: 'dewey', prefixes: ['REF'], classNumber: '030' });
    expect(parseCallNumber('CAS 947.08 SOL')).toMatchObject({
      scheme: 'dewey',
      prefixes: ['CAS'],
      classNumber: '947.08',
    });
    expect(parseCallNumber('FIC SMI')).toMatchObject({ scheme: 'other', prefixes: ['FIC'], rest: ['SMI'] });
    expect(parseCallNumber('J FIC ROW')).toMatchObject({ scheme: 'other', prefixes: ['J', 'FIC'], rest: ['ROW'] });
  });

  it('ignore case, extra spaces and trailing zeros of a decimal', () => {
    expect(callNumberSortKey('j  599.750 wil')).toBe(callNumberSortKey('J 599.75 WIL'));
    expect(compareCallNumbers('fic smi', 'FIC SMI')).toBe(0);
  });
});

describe('Library of Congress call numbers', () => {
  it('file class letters alphabetically, shorter first (Q before QA before QB)', () => {
    expectShelfOrder(['Q180.55 .M4', 'QA1 .A47', 'QA76.73 .J38', 'QB43.3 .H38', 'QC21.3 .H35', 'R726.8 .K8']);
  });

  it('file the class number as a number with decimals', () => {
    expectShelfOrder([
      'QA9 .L63',
      'QA76 .C3',
      'QA76.5 .S4',
      'QA76.73 .J38',
      'QA76.9 .D3',
      'QA77 .B4',
      'QA100 .A1',
      'QA303.2 .S75',
    ]);
  });

  it('file cutters as decimals, first cutter then second, then the date', () => {
    expectShelfOrder(['PS3545 .I345', 'PS3545 .I345 Z5', 'PS3545 .I345 Z5 1990', 'PS3545 .I345 Z52', 'PS3545 .I35']);
    expectShelfOrder(['QA76.73 .J38 2019', 'QA76.73 .J38 S65 2019', 'QA76.73 .J38 S7', 'QA76.73 .J4']);
    expectShelfOrder([
      'HF5415.13 .K67 1999',
      'HF5415.13 .K67 2005',
      'HF5415.13 .K67 2005 c.2',
      'HF5415.13 .K67 2005 c.10',
    ]);
  });

  it('read run-on cutters and a space before the number as the same call number', () => {
    expect(callNumberSortKey('QA76.73.J38S65 2019')).toBe(callNumberSortKey('QA76.73 .J38 S65 2019'));
    expect(callNumberSortKey('QA 76.73 .J38')).toBe(callNumberSortKey('QA76.73 .J38'));
    expect(parseCallNumber('QA76.73.J38 S65 2019')).toMatchObject({
      scheme: 'lc',
      classLetters: 'QA',
      classNumber: '76.73',
      rest: ['J38', 'S65', '2019'],
    });
  });

  it('keep Dewey and LC apart on a mixed shelf: Dewey first, then LC, then anything else', () => {
    expectShelfOrder(['599.75 WIL', '813.54 SMI', 'PS3545 .I345', 'QA76.73 .J38', 'ZZZ', 'ZZZ ABC']);
  });
});

describe('ranges and missing call numbers', () => {
  it('include both ends and everything filed between them', () => {
    expect(inCallNumberRange('599.75 WIL', '500', '599.8')).toBe(true);
    expect(inCallNumberRange('599.8', '500', '599.8')).toBe(true);
    expect(inCallNumberRange('599.81 ABC', '500', '599.8')).toBe(false);
    expect(inCallNumberRange('50 ABC', '500', '599.8')).toBe(false);
    expect(inCallNumberRange('J 599.75 WIL', '500', '599.8')).toBe(false);
    expect(inCallNumberRange('QA76.73 .J38', 'QA76', 'QA77')).toBe(true);
    expect(inCallNumberRange('QA76.73 .J38', null, null)).toBe(true);
  });

  it('file a copy without a call number after every other', () => {
    expectShelfOrder(['999.9 ZZZ', 'ZZZ', '']);
    expect(callNumberSortKey(null)).toBe(callNumberSortKey('   '));
  });
});
