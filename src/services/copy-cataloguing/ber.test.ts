import { describe, expect, it } from 'vitest';
import {
  bits,
  completeLength,
  CONTEXT,
  decode,
  integer,
  intContent,
  oid,
  oidContent,
  readInt,
  readOid,
  seq,
  UNIVERSAL,
} from './ber';

describe('BER as Z39.50 uses it', () => {
  it('encodes integers, object identifiers, bit strings and high tag numbers as X.690 says', () => {
    expect([...intContent(0)]).toEqual([0]);
    expect([...intContent(128)]).toEqual([0x00, 0x80]);
    expect([...intContent(1_048_576)]).toEqual([0x10, 0x00, 0x00]);
    expect([...intContent(-1)]).toEqual([0xff]);
    expect(readInt(intContent(1003))).toBe(1003);
    // Bib-1: 1.2.840.10003.3.1
    expect([...oidContent('1.2.840.10003.3.1')]).toEqual([0x2a, 0x86, 0x48, 0xce, 0x13, 0x03, 0x01]);
    expect(readOid(oidContent('1.2.840.10003.5.109.10'))).toBe('1.2.840.10003.5.109.10');
    expect([...bits(CONTEXT, 3, [true, true, true])]).toEqual([0x83, 0x02, 0x05, 0xe0]);
    // [120] IMPLICIT INTEGER 1: a high tag number in two bytes.
    expect([...integer(CONTEXT, 120, 1)]).toEqual([0x9f, 0x78, 0x01, 0x01]);
  });

  it('decodes what it encodes, waits for a value still arriving, and reads indefinite lengths', () => {
    const pdu = seq(CONTEXT, 22, integer(CONTEXT, 13, 0), oid(UNIVERSAL, 6, '1.2.840.10003.3.1'));
    expect(completeLength(pdu.subarray(0, pdu.length - 1))).toBeNull();
    expect(completeLength(pdu)).toBe(pdu.length);
    const [node] = decode(pdu);
    expect(node).toMatchObject({ cls: CONTEXT, tag: 22, constructed: true });
    expect(node!.children.map((c) => c.tag)).toEqual([13, 6]);
    // A constructed [1] of indefinite length around an OCTET STRING, then end-of-contents.
    const indefinite = Buffer.from([0xa1, 0x80, 0x04, 0x02, 0x41, 0x42, 0x00, 0x00]);
    expect(completeLength(indefinite.subarray(0, 6))).toBeNull();
    const [outer] = decode(indefinite);
    expect(outer!.children[0]!.content.toString()).toBe('AB');
    expect(() => decode(Buffer.from([0x30, 0x05, 0x02]))).toThrow(/cut short/);
  });
});
