// A small SRU client: searchRetrieve over HTTP GET, versions 1.2 and 2.0, records asked for as
// MARCXML. The query is CQL built here from what staff typed (an ISBN, a title, an author), so
// no one types CQL. Every way the target can fail ends as a CopyCatalogueError with a code the
// desk says in its language: unreachable, too slow, not SRU, or a diagnostic it sent.
import type { Element, Node } from '@xmldom/xmldom';
import type { CopyCatalogueTarget } from '../../domain/types';
import { childElements, findMarcRecordElement, parseXml, readMarcRecord, type MarcRecord } from './marcxml';

export type SearchBy = 'isbn' | 'title' | 'author';

export type CopyCatalogueErrorCode =
  'TARGET_UNREACHABLE' | 'TARGET_TIMEOUT' | 'TARGET_BAD_ANSWER' | 'TARGET_DIAGNOSTIC';

export class CopyCatalogueError extends Error {
  constructor(
    readonly code: CopyCatalogueErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The CQL index for each kind of search. bath.isbn, dc.title and dc.creator are the context
 * sets most SRU servers (Koha's Zebra, LoC, yaz-ztest) answer; an ISBN is also found by
 * dc.identifier on servers without the Bath profile, so an ISBN search asks for either.
 */
const INDEXES: Record<SearchBy, string[]> = {
  isbn: ['bath.isbn', 'dc.identifier'],
  title: ['dc.title'],
  author: ['dc.creator'],
};

/** A CQL quoted term: `"` and `\` escaped, and the masking characters `*`, `?`, `^` taken literally. */
export function cqlTerm(text: string): string {
  return `"${text.replace(/[\\"*?^]/g, (ch) => `\\${ch}`)}"`;
}

export function cqlQuery(by: SearchBy, term: string): string {
  const value = by === 'isbn' ? term.replace(/[-\s]/g, '') : term.trim().replace(/\s+/g, ' ');
  return INDEXES[by].map((index) => `${index}=${cqlTerm(value)}`).join(' or ');
}

/** The searchRetrieve URL for a target. */
export function searchUrl(
  target: Pick<CopyCatalogueTarget, 'address' | 'database' | 'sruVersion'>,
  query: string,
  start: number,
  max: number,
): string {
  const base = target.database
    ? `${target.address.replace(/\/+$/, '')}/${encodeURIComponent(target.database)}`
    : target.address;
  const url = new URL(base);
  url.searchParams.set('operation', 'searchRetrieve');
  url.searchParams.set('version', target.sruVersion);
  url.searchParams.set('query', query);
  url.searchParams.set('recordSchema', 'marcxml');
  url.searchParams.set('startRecord', String(start));
  url.searchParams.set('maximumRecords', String(max));
  // 1.2 names how records are packed recordPacking; 2.0 renamed it recordXMLEscaping.
  url.searchParams.set(target.sruVersion === '2.0' ? 'recordXMLEscaping' : 'recordPacking', 'xml');
  return url.toString();
}

export interface SruRecord {
  position: number;
  marc: MarcRecord;
  /** The MARCXML of this one record as the target sent it, for the import to read again. */
  marcxml: string;
}

export interface SruResult {
  total: number;
  records: SruRecord[];
}

/** Elements under `node`, at any depth, with this local name (any namespace). */
function descendants(node: Node, localName: string): Element[] {
  const out: Element[] = [];
  for (const el of childElements(node)) {
    if (el.localName === localName) out.push(el);
    out.push(...descendants(el, localName));
  }
  return out;
}

const text = (el: Element | undefined) => (el?.textContent ?? '').trim();

/** Reads a searchRetrieveResponse (1.2 or 2.0: the element names are the same, the namespaces differ). */
export function readSearchResponse(body: string, serialise: (record: Element) => string): SruResult {
  let doc: Node;
  try {
    doc = parseXml(body);
  } catch (error) {
    throw new CopyCatalogueError('TARGET_BAD_ANSWER', `The target's answer is not XML: ${(error as Error).message}`);
  }
  const root = (doc as unknown as { documentElement: Element }).documentElement;
  if (root.localName !== 'searchRetrieveResponse') {
    // A server that is not SRU may still answer with XML: an explainResponse, a diagnostic alone.
    const diagnostic = descendants(root, 'diagnostic')[0];
    if (diagnostic) throw diagnosticError(diagnostic);
    throw new CopyCatalogueError(
      'TARGET_BAD_ANSWER',
      `The target did not answer an SRU search (it sent <${root.localName}>).`,
    );
  }
  const records: SruRecord[] = [];
  const recordsEl = childElements(root, 'records')[0];
  // A fatal diagnostic comes with no records (a bad query, an unsupported index or schema).
  const diagnostics = childElements(root, 'diagnostics')[0];
  if (diagnostics && !recordsEl) throw diagnosticError(childElements(diagnostics, 'diagnostic')[0]);
  for (const [i, rec] of (recordsEl ? childElements(recordsEl, 'record') : []).entries()) {
    const data = childElements(rec, 'recordData')[0];
    if (!data) continue;
    let marcEl = findMarcRecordElement(data);
    // recordPacking "string": the record comes as escaped text inside recordData.
    if (!marcEl && text(data).startsWith('<')) marcEl = findMarcRecordElement(parseXml(text(data)));
    // A surrogate diagnostic (one record the server could not give in MARCXML) is skipped.
    if (!marcEl) continue;
    const position = Number(text(childElements(rec, 'recordPosition')[0])) || i + 1;
    records.push({ position, marc: readMarcRecord(marcEl), marcxml: serialise(marcEl) });
  }
  const total = Number(text(childElements(root, 'numberOfRecords')[0]));
  return { total: Number.isFinite(total) ? total : records.length, records };
}

function diagnosticError(diagnostic: Element | undefined): CopyCatalogueError {
  if (!diagnostic) return new CopyCatalogueError('TARGET_DIAGNOSTIC', 'The target refused the search.');
  const message = text(childElements(diagnostic, 'message')[0]);
  const details = text(childElements(diagnostic, 'details')[0]);
  const uri = text(childElements(diagnostic, 'uri')[0]);
  return new CopyCatalogueError(
    'TARGET_DIAGNOSTIC',
    `The target refused the search: ${[message, details].filter(Boolean).join(': ') || uri}`.slice(0, 500),
  );
}

export interface SruSearchOptions {
  timeoutMs: number;
  start?: number;
  max?: number;
  /** At most this many bytes of answer are read: a target cannot make the station hold a huge body. */
  maxBytes?: number;
}

/** One searchRetrieve against a target. */
export async function sruSearch(
  target: CopyCatalogueTarget,
  by: SearchBy,
  term: string,
  opts: SruSearchOptions,
  serialise: (record: Element) => string,
): Promise<SruResult> {
  const url = searchUrl(target, cqlQuery(by, term), opts.start ?? 1, opts.max ?? 10);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: { accept: 'application/xml, text/xml' },
      redirect: 'follow',
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new CopyCatalogueError(
        'TARGET_TIMEOUT',
        `The target did not answer within ${opts.timeoutMs / 1000} seconds.`,
      );
    throw new CopyCatalogueError('TARGET_UNREACHABLE', `The target cannot be reached: ${describeNetworkError(error)}`);
  }
  let body: string;
  try {
    body = await readCapped(response, opts.maxBytes ?? 5_000_000);
  } catch (error) {
    if (error instanceof CopyCatalogueError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new CopyCatalogueError(
        'TARGET_TIMEOUT',
        `The target did not answer within ${opts.timeoutMs / 1000} seconds.`,
      );
    throw new CopyCatalogueError('TARGET_UNREACHABLE', `The target cannot be reached: ${describeNetworkError(error)}`);
  }
  // SRU servers send diagnostics with 200, some with 4xx/5xx and an XML body: read it either way.
  if (!response.ok && !body.trimStart().startsWith('<'))
    throw new CopyCatalogueError('TARGET_BAD_ANSWER', `The target answered HTTP ${response.status}.`);
  return readSearchResponse(body, serialise);
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new CopyCatalogueError('TARGET_BAD_ANSWER', `The target's answer is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND...). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
