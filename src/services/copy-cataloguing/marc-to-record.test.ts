import { describe, expect, it } from 'vitest';
import { cleanIsbn, marcToRecord } from './marc-to-record';
import { parseMarcXml } from './marcxml';

// One of yaz-ztest's sample records (YAZ, BSD licence; the record itself is the Library of
// Congress's), cut to the fields the mapping reads, with ISBD punctuation as catalogued.
const SAMPLE = `<record xmlns="http://www.loc.gov/MARC21/slim">
  <leader>01000pam a2200229 i 4500</leader>
  <controlfield tag="001">   77000348 </controlfield>
  <controlfield tag="008">770112s1977    mdua     b    10110 eng  </controlfield>
  <datafield tag="020" ind1=" " ind2=" "><subfield code="a">0839108826</subfield></datafield>
  <datafield tag="050" ind1="0" ind2="0"><subfield code="a">RC78.7.T6</subfield><subfield code="b">R4</subfield></datafield>
  <datafield tag="082" ind1="0" ind2="0"><subfield code="a">616.07/572</subfield></datafield>
  <datafield tag="245" ind1="0" ind2="0">
    <subfield code="a">Reconstruction tomography in diagnostic radiology and nuclear medicine :</subfield>
    <subfield code="b">proceedings of the workshop ... /</subfield>
    <subfield code="c">edited by Michel M. Ter-Pogossian ... [et al.]</subfield>
  </datafield>
  <datafield tag="260" ind1="0" ind2=" "><subfield code="a">Baltimore :</subfield><subfield code="b">University Park Press,</subfield><subfield code="c">c1977.</subfield></datafield>
  <datafield tag="700" ind1="2" ind2="0"><subfield code="a">Ter-Pogossian, Michel M.</subfield></datafield>
</record>`;

describe('MARC 21 to a Circa record', () => {
  it('takes title, author, ISBN, publisher, year and call number as a catalogue shows them', () => {
    const [marc] = parseMarcXml(SAMPLE);
    expect(marcToRecord(marc!)).toEqual({
      title: 'Reconstruction tomography in diagnostic radiology and nuclear medicine : proceedings of the workshop ...',
      author: 'Ter-Pogossian, Michel M.',
      isbn: '0839108826',
      issn: null,
      publisher: 'University Park Press',
      year: 1977,
      callNumber: '616.07572',
      controlNumber: '77000348',
    });
  });

  it('reads a marc: prefixed collection the same, and prefers the local call number and the main entry', () => {
    const xml = `<?xml version="1.0"?><marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:record>
      <marc:leader>00000nam a2200000 a 4500</marc:leader>
      <marc:datafield tag="020" ind1=" " ind2=" "><marc:subfield code="a">978-0-13-110362-7 (pbk.)</marc:subfield></marc:datafield>
      <marc:datafield tag="082" ind1="0" ind2="4"><marc:subfield code="a">005.13/3</marc:subfield></marc:datafield>
      <marc:datafield tag="092" ind1=" " ind2=" "><marc:subfield code="a">005.133</marc:subfield><marc:subfield code="b">KER</marc:subfield></marc:datafield>
      <marc:datafield tag="100" ind1="1" ind2=" "><marc:subfield code="a">Kernighan, Brian W.,</marc:subfield><marc:subfield code="e">author.</marc:subfield></marc:datafield>
      <marc:datafield tag="245" ind1="1" ind2="4"><marc:subfield code="a">The C programming language /</marc:subfield><marc:subfield code="c">Brian W. Kernighan.</marc:subfield></marc:datafield>
      <marc:datafield tag="264" ind1=" " ind2="1"><marc:subfield code="b">Prentice Hall,</marc:subfield><marc:subfield code="c">[1988]</marc:subfield></marc:datafield>
      <marc:datafield tag="700" ind1="1" ind2=" "><marc:subfield code="a">Ritchie, Dennis M.</marc:subfield></marc:datafield>
    </marc:record></marc:collection>`;
    const records = parseMarcXml(xml);
    expect(records).toHaveLength(1);
    expect(marcToRecord(records[0]!)).toMatchObject({
      title: 'The C programming language',
      author: 'Kernighan, Brian W.',
      isbn: '9780131103627',
      publisher: 'Prentice Hall',
      year: 1988,
      callNumber: '005.133 KER',
    });
  });

  it('refuses what is not MARCXML', () => {
    expect(() => parseMarcXml('<record><leader>')).toThrow(/well-formed/);
    expect(() => parseMarcXml('<rss/>')).toThrow(/MARCXML/);
  });

  it('keeps only a 10- or 13-character ISBN', () => {
    expect(cleanIsbn('0-8044-2957-X (pbk.)')).toBe('080442957X');
    expect(cleanIsbn('(invalid)')).toBeNull();
  });
});
