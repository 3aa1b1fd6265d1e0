import { describe, expect, it } from 'vitest';
import { holdingsOf } from './mapping';
import type { MarcRecord } from './record';

// marcjs's field arrays: tag, indicators, then code and value pairs.
const record = (...fields: string[][]): MarcRecord => ({
  leader: '00000nam a2200000 a 4500',
  fields: [['245', '10', 'a', 'Cien años de soledad'], ...fields],
});

describe("a copy's shelving location from its holdings field", () => {
  it("is Koha's 952 $c and MARC 852 $c; absent, it is null", () => {
    const [koha, marc852, none] = holdingsOf(
      record(
        ['952', '  ', 'p', '30234000000012', 'o', '863 GAR', 'c', 'JUV', 'y', 'BOOK'],
        ['852', '  ', 'p', '30234000000020', 'h', '863', 'c', 'REF'],
        ['952', '  ', 'p', '30234000000038', 'o', '863 GAR'],
      ),
    );
    expect(koha).toMatchObject({ barcode: '30234000000012', callNumber: '863 GAR', location: 'JUV' });
    expect(marc852).toMatchObject({ barcode: '30234000000020', location: 'REF' });
    expect(none!.location).toBeNull();
  });
});
