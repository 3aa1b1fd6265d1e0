// MARCXML records as plain data, read with @xmldom/xmldom. Namespace-aware: the MARC 21 slim
// namespace with or without a prefix (`marc:record`), and records with no namespace at all, as
// some SRU servers send them. This reads only what copy cataloguing gets back (one record or a
// few in an SRU response); the bulk import reads files with a MARC library of its own.
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

export const MARC_NS = 'http://www.loc.gov/MARC21/slim';

export interface MarcSubfield {
  code: string;
  value: string;
}

export interface MarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: MarcSubfield[];
}

export interface MarcRecord {
  leader: string;
  controlFields: { tag: string; value: string }[];
  dataFields: MarcDataField[];
}

export class MarcXmlError extends Error {}

const ELEMENT_NODE = 1;

/** The child elements of `node` with this local name (in the MARC namespace or none). */
export function childElements(node: Node, localName?: string): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== ELEMENT_NODE) continue;
    const el = c as Element;
    if (localName === undefined || el.localName === localName) out.push(el);
  }
  return out;
}

const isMarcElement = (el: Element) =>
  el.namespaceURI === MARC_NS || el.namespaceURI === null || el.namespaceURI === '';

/** One `<record>` element as a MarcRecord. */
export function readMarcRecord(record: Element): MarcRecord {
  if (record.localName !== 'record' || !isMarcElement(record)) throw new MarcXmlError('not a MARCXML record');
  const leader = childElements(record, 'leader')[0]?.textContent ?? '';
  const controlFields = childElements(record, 'controlfield').map((f) => ({
    tag: f.getAttribute('tag') ?? '',
    value: f.textContent ?? '',
  }));
  const dataFields = childElements(record, 'datafield').map((f) => ({
    tag: f.getAttribute('tag') ?? '',
    ind1: f.getAttribute('ind1') ?? ' ',
    ind2: f.getAttribute('ind2') ?? ' ',
    subfields: childElements(f, 'subfield').map((sf) => ({
      code: sf.getAttribute('code') ?? '',
      value: sf.textContent ?? '',
    })),
  }));
  return { leader, controlFields, dataFields };
}

/** Parses XML text, refusing what is not well-formed (xmldom would only report some of it). */
export function parseXml(text: string): Node {
  let first: string | null = null;
  let doc;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (level, message) => {
        // A warning (an unknown entity, say) still leaves a usable document; an error does not.
        if (level !== 'warning') first ??= message;
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new MarcXmlError(`not well-formed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (first !== null || !doc.documentElement)
    throw new MarcXmlError(`not well-formed XML: ${first ?? 'no root element'}`);
  return doc;
}

/** The MARC records of a MARCXML text: one `<record>` or a `<collection>` of them. */
export function parseMarcXml(text: string): MarcRecord[] {
  const root = (parseXml(text) as unknown as { documentElement: Element }).documentElement;
  if (root.localName === 'record') return [readMarcRecord(root)];
  if (root.localName === 'collection' && isMarcElement(root)) return childElements(root, 'record').map(readMarcRecord);
  throw new MarcXmlError(`expected a MARCXML record or collection, found <${root.localName}>`);
}

/** Finds the first MARC record element at or under `node` (an SRU recordData may wrap it). */
export function findMarcRecordElement(node: Node): Element | null {
  for (const el of childElements(node)) {
    if (el.localName === 'record' && isMarcElement(el) && childElements(el, 'leader').length > 0) return el;
    const inner = findMarcRecordElement(el);
    if (inner) return inner;
  }
  return null;
}
