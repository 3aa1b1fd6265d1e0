// How SRU answers are read, in the shapes servers send that yaz-ztest does not: a `marc:` prefix
// declared on the response, records escaped as strings (SRU 2.0), and a fatal diagnostic.
import { XMLSerializer } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { parseMarcXml } from './marcxml';
import { cqlTerm, CopyCatalogueError, readSearchResponse, searchUrl } from './sru';

const serialise = (el: Parameters<XMLSerializer['serializeToString']>[0]) => new XMLSerializer().serializeToString(el);

describe('reading an SRU answer', () => {
  it('keeps a record whose marc: prefix is declared on the response readable on its own', () => {
    const body = `<srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/" xmlns:marc="http://www.loc.gov/MARC21/slim"><srw:numberOfRecords>1</srw:numberOfRecords><srw:records><srw:record><srw:recordData><marc:record><marc:leader>00000nam a2200000 a 4500</marc:leader><marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a">Prefixed</marc:subfield></marc:datafield></marc:record></srw:recordData><srw:recordPosition>1</srw:recordPosition></srw:record></srw:records></srw:searchRetrieveResponse>`;
    const result = readSearchResponse(body, serialise);
    expect(result.total).toBe(1);
    // The record alone, as the import gets it back, still parses (its namespace travels with it).
    expect(parseMarcXml(result.records[0]!.marcxml)[0]!.dataFields[0]!.subfields).toEqual([
      { code: 'a', value: 'Prefixed' },
    ]);
  });

  it('reads records packed as escaped strings', () => {
    const body = `<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse"><numberOfRecords>1</numberOfRecords><records><record><recordSchema>marcxml</recordSchema><recordXMLEscaping>string</recordXMLEscaping><recordData>&lt;record xmlns="http://www.loc.gov/MARC21/slim"&gt;&lt;leader&gt;00000nam a2200000 a 4500&lt;/leader&gt;&lt;datafield tag="245" ind1="0" ind2="0"&gt;&lt;subfield code="a"&gt;Escaped&lt;/subfield&gt;&lt;/datafield&gt;&lt;/record&gt;</recordData></record></records></searchRetrieveResponse>`;
    expect(readSearchResponse(body, serialise).records[0]!.marc.dataFields[0]!.subfields).toEqual([
      { code: 'a', value: 'Escaped' },
    ]);
  });

  it('turns a fatal diagnostic, or an answer that is not SRU, into a refusal with the server words', () => {
    const diagnostic = `<zs:searchRetrieveResponse xmlns:zs="http://www.loc.gov/zing/srw/"><zs:numberOfRecords>0</zs:numberOfRecords><zs:diagnostics><diag:diagnostic xmlns:diag="http://www.loc.gov/zing/srw/diagnostic/"><diag:uri>info:srw/diagnostic/1/16</diag:uri><diag:message>Unsupported index</diag:message><diag:details>bath.isbn</diag:details></diag:diagnostic></zs:diagnostics></zs:searchRetrieveResponse>`;
    expect(() => readSearchResponse(diagnostic, serialise)).toThrow(
      new CopyCatalogueError('TARGET_DIAGNOSTIC', 'The target refused the search: Unsupported index: bath.isbn'),
    );
    expect(() => readSearchResponse('<html><body>Welcome</body></html>', serialise)).toThrow(
      /did not answer an SRU search/,
    );
    expect(() => readSearchResponse('not xml at all', serialise)).toThrow(/not XML/);
  });

  it('quotes a term so CQL takes it literally, and names the database after the address', () => {
    expect(cqlTerm('Say "hi" *now* \\ ok?')).toBe('"Say \\"hi\\" \\*now\\* \\\\ ok\\?"');
    expect(
      searchUrl(
        { address: 'http://koha.example.org:9998/', database: 'biblios', sruVersion: '2.0' },
        'dc.title="x"',
        1,
        10,
      ),
    ).toBe(
      'http://koha.example.org:9998/biblios?operation=searchRetrieve&version=2.0&query=dc.title%3D%22x%22&recordSchema=marcxml&startRecord=1&maximumRecords=10&recordXMLEscaping=xml',
    );
  });
});
