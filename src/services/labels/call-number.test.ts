import { describe, expect, it } from 'vitest';
import { schemeOf, splitCallNumber } from './call-number';

describe('spine label lines', () => {
  it('splits a Library of Congress number at class letters, class number, cutters, date and copy', () => {
    expect(splitCallNumber('QA76.73.J38 S65 2019 c.2')).toEqual(['QA', '76.73', '.J38', 'S65', '2019', 'c.2']);
    expect(splitCallNumber('RC78.7.T6 R4')).toEqual(['RC', '78.7', '.T6', 'R4']);
    expect(splitCallNumber('PS3545.I345Z46 1990')).toEqual(['PS', '3545', '.I345', 'Z46', '1990']);
    expect(schemeOf('QA76.73.J38 S65 2019')).toBe('lc');
  });

  it('splits a Dewey number at class, cutter, date and copy, keeping a prefix and "copy 2" on their lines', () => {
    expect(splitCallNumber('616.07572 SMI 2019 c.2')).toEqual(['616.07572', 'SMI', '2019', 'c.2']);
    expect(splitCallNumber('J 599.75 WIL copy 2')).toEqual(['J', '599.75', 'WIL', 'copy 2']);
    expect(schemeOf('J 599.75 WIL')).toBe('dewey');
    expect(splitCallNumber('FIC  GAR')).toEqual(['FIC', 'GAR']);
    expect(splitCallNumber('  ')).toEqual([]);
  });
});
