import { Iso2709Parser, Marc } from 'marcjs';
import { describe, expect, it } from 'vitest';
import { decodeIso2709 } from './iso2709';
import type { MarcField } from './record';

/** What the reader made before it read the bytes itself: marcjs's parse, then cleanField. */
function throughMarcjs(raw: Buffer): { leader: string; fields: MarcField[] } {
  const parsed = Iso2709Parser.parse(raw.subarray(0, raw.length - 1));
  const fields = parsed.fields.map((field: string[]) => {
    const tag = field[0] as string;
    if (/^00\d$/.test(tag)) return [tag, field[1] ?? ''];
    if (field.length < 2) return [tag, '  '];
    return field.map((v) => v ?? '');
  });
  return { leader: parsed.leader, fields };
}

/** An ISO 2709 record from raw field values (indicators and delimiters written by hand). */
function rawRecord(fields: [string, string][]): Buffer {
  let directory = '';
  let data = Buffer.alloc(0);
  for (const [tag, value] of fields) {
    const bytes = Buffer.from(`${value}\x1e`, 'utf8');
    directory += `${tag}${String(bytes.length).padStart(4, '0')}${String(data.length).padStart(5, '0')}`;
    data = Buffer.concat([data, bytes]);
  }
  const base = 24 + directory.length + 1;
  const length = base + data.length + 1;
  return Buffer.concat([
    Buffer.from(
      `${String(length).padStart(5, '0')}nam a22${String(base).padStart(5, '0')} a 4500${directory}\x1e`,
      'latin1',
    ),
    data,
    Buffer.of(0x1d),
  ]);
}

describe('decodeIso2709', () => {
  it('reads every field as marcjs read it, odd fields included', () => {
    const samples: [string, string][][] = [
      [
        ['001', 'abc'],
        ['245', '10\x1faTitle /\x1fcSomeone'],
        ['650', ' 0\x1faLibraries\x1fxAutomation.'],
      ],
      // Subfields empty, repeated delimiters, a trailing delimiter, text before the first delimiter.
      [
        ['001', 'x'],
        ['245', '10\x1f\x1fa\x1fbB\x1f'],
        ['500', '  stray\x1faNote'],
        ['520', '\x1faNo indicators'],
      ],
      // Tags marcjs holds whole (number under 10), letters in tags, an empty data field, multibyte text.
      [
        ['00A', 'local'],
        ['1AB', 'odd'],
        ['ABC', '12\x1faX'],
        ['246', ''],
        ['245', '00\x1faÑandú — 日本\x1fbé'],
      ],
      [
        ['008', '200101s2020    xxu           000 0 eng d'],
        ['952', '  \x1faMAIN\x1fp3023400000017\x1fyBOOK'],
      ],
    ];
    for (const fields of samples) {
      const raw = rawRecord(fields);
      const decoded = decodeIso2709(raw);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decoded.record).toEqual(throughMarcjs(raw));
    }
  });

  it('reads records marcjs wrote as marcjs reads them', () => {
    const record = {
      leader: '00000nam a2200000 a 4500',
      fields: [
        ['001', 'gen1'],
        ['003', 'TEST'],
        ['020', '  ', 'a', '9780000000017 (pbk.)'],
        ['245', '10', 'a', 'Über Bücher /', 'c', 'Anon.'],
        ['952', '  ', 'a', 'MAIN', 'p', '30234000000017', 'y', 'BOOK'],
      ],
    };
    const raw = Buffer.from(Marc.format(record, 'iso2709'), 'utf8');
    const decoded = decodeIso2709(raw);
    expect(decoded.ok && decoded.record).toEqual(throughMarcjs(raw));
    expect(decoded.ok && decoded.record.fields).toEqual(record.fields);
  });
});
