// ISO 18626 (the interlibrary loan protocol) messages for a request: the request itself, the
// supplying agency's message (the lender's answer and its shipments) and the requesting agency's
// message (the borrower's received / shipped back / cancel), written as the standard's XML
// (schema version 1.2, resources/iso18626/ISO-18626-v1_2.xsd) and read back. Circa keeps no
// ISO 18626 connection of its own: staff export a message to send it by whatever the partner
// uses (a broker, email), and read one that arrived.
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { parseAgencyId, type IllRequest, type IllStatus } from '../domain/ill';
import { invalid } from './errors';

export const ISO18626_NS = 'http://illtransactions.org/2013/iso18626';
export const ISO18626_VERSION = '1.2';

export type Iso18626MessageKind = 'request' | 'supplyingAgencyMessage' | 'requestingAgencyMessage';

/** What a message says, as Circa reads it. */
export interface Iso18626Message {
  kind: Iso18626MessageKind;
  requestingAgencyId: string;
  supplyingAgencyId: string;
  requestingAgencyRequestId: string;
  timestamp: string;
  title?: string;
  author?: string;
  isbn?: string;
  needBeforeDate?: string;
  /** supplyingAgencyMessage: the lender's status, and the due date it set. */
  status?: string;
  dueDate?: string;
  /** requestingAgencyMessage: what the borrower did. */
  action?: string;
  note?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, content: string) => `<${name}>${content}</${name}>`;
/** An optional element: the schema refuses empty ones, so an absent value writes nothing. */
const opt = (name: string, value: string | null | undefined) => (value ? el(name, esc(value)) : '');
const agency = (name: string, id: string) => {
  const { type, value } = parseAgencyId(id || 'ISIL:UNKNOWN');
  return el(name, el('agencyIdType', esc(type)) + el('agencyIdValue', esc(value || 'UNKNOWN')));
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A branch-local day as an xs:dateTime: its noon in UTC, a time no zone moves to another day. */
const dayTime = (day: string) => `${day}T12:00:00Z`;

/** Which side each library is: the borrowing library requests, the lending one supplies. */
function agencies(request: IllRequest, ownAgencyId: string) {
  return request.direction === 'borrowing'
    ? { requesting: ownAgencyId, supplying: request.partnerAgencyId }
    : { requesting: request.partnerAgencyId, supplying: ownAgencyId };
}

function header(request: IllRequest, ownAgencyId: string, now: number): string {
  const a = agencies(request, ownAgencyId);
  return el(
    'header',
    agency('supplyingAgencyId', a.supplying) +
      agency('requestingAgencyId', a.requesting) +
      // Required by the schema even for a single item: empty says "not part of a multiple-item request".
      '<multipleItemRequestId></multipleItemRequestId>' +
      el('timestamp', iso(now)) +
      el('requestingAgencyRequestId', esc(request.requestingRequestId)) +
      (request.direction === 'lending' ? el('supplyingAgencyRequestId', esc(request.id)) : ''),
  );
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ISO18626Message xmlns="${ISO18626_NS}" xmlns:ill="${ISO18626_NS}" ill:version="${ISO18626_VERSION}">${body}</ISO18626Message>\n`;
}

/** The lender's ISO 18626 status for a lending request's state (or a borrowing one's, as the lender said it). */
function supplierStatus(status: IllStatus): string {
  switch (status) {
    case 'requested':
      return 'RequestReceived';
    case 'pulled':
    case 'checked_out':
      return 'WillSupply';
    case 'shipped':
    case 'received':
    case 'on_loan':
      return 'Loaned';
    case 'returned':
    case 'shipped_back':
      return 'LoanCompleted';
    case 'unfilled':
      return 'Unfilled';
    case 'cancelled':
      return 'Cancelled';
    default:
      return 'ExpectToSupply';
  }
}

/** The borrower's ISO 18626 action for a borrowing request's state. */
function requesterAction(status: IllStatus): string {
  switch (status) {
    case 'received':
    case 'on_loan':
    case 'returned':
      return 'Received';
    case 'shipped_back':
      return 'ShippedReturn';
    case 'cancelled':
      return 'Cancel';
    default:
      return 'StatusRequest';
  }
}

export function writeIso18626(
  kind: Iso18626MessageKind,
  request: IllRequest,
  ownAgencyId: string,
  now: number,
): string {
  const head = header(request, ownAgencyId, now);
  if (kind === 'request') {
    const bib = el(
      'bibliographicInfo',
      el('title', esc(request.title)) +
        opt('author', request.author) +
        (request.isbn
          ? el(
              'bibliographicItemId',
              el('bibliographicItemIdentifier', esc(request.isbn)) + el('bibliographicItemIdentifierCode', 'ISBN'),
            )
          : ''),
    );
    const service = el(
      'serviceInfo',
      el('requestType', 'New') +
        el('serviceType', 'Loan') +
        (request.needBy ? el('needBeforeDate', dayTime(request.needBy)) : '') +
        opt('note', request.note),
    );
    return envelope(el('request', head + bib + service));
  }
  if (kind === 'supplyingAgencyMessage') {
    const status = supplierStatus(request.status);
    const reason = request.status === 'requested' ? 'RequestResponse' : 'StatusChange';
    const message = el('messageInfo', el('reasonForMessage', reason) + opt('note', request.note));
    const statusInfo = el(
      'statusInfo',
      el('status', status) +
        (request.lenderDueOn ? el('dueDate', dayTime(request.lenderDueOn)) : '') +
        el('lastChange', iso(request.updatedAt)),
    );
    const shippedStep = request.status === 'shipped' || request.status === 'returned';
    const delivery = shippedStep ? el('deliveryInfo', el('dateSent', iso(request.updatedAt))) : '';
    return envelope(el('supplyingAgencyMessage', head + message + statusInfo + delivery));
  }
  return envelope(
    el('requestingAgencyMessage', head + el('action', requesterAction(request.status)) + opt('note', request.note)),
  );
}

const text = (parent: XmlElement | null | undefined, name: string): string | undefined => {
  if (!parent) return undefined;
  const found = parent.getElementsByTagNameNS(ISO18626_NS, name)[0];
  const value = found?.textContent?.trim();
  return value ? value : undefined;
};

function agencyText(parent: XmlElement, name: string): string {
  const node = parent.getElementsByTagNameNS(ISO18626_NS, name)[0];
  const type = text(node, 'agencyIdType');
  const value = text(node, 'agencyIdValue');
  return value ? `${type ?? 'ISIL'}:${value}` : '';
}

/** Reads a message; a document that is not one of the three ISO 18626 messages is refused with why. */
export function readIso18626(xml: string): Iso18626Message {
  const problems: string[] = [];
  let root: XmlElement | null = null;
  try {
    root = new DOMParser({
      onError: (level, message) => void (level !== 'warning' && problems.push(message)),
    }).parseFromString(xml, 'text/xml').documentElement;
  } catch (error) {
    // xmldom throws on a fatal error (a document cut short) after reporting it.
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (problems.length > 0 || !root) throw invalid(`That is not well-formed XML: ${problems[0] ?? 'no document'}.`);
  if (root.localName !== 'ISO18626Message' || root.namespaceURI !== ISO18626_NS)
    throw invalid('That is not an ISO 18626 message.');
  const body = Array.from(root.childNodes).find((n): n is XmlElement => n.nodeType === 1) as XmlElement | undefined;
  const kind = body?.localName;
  if (!body || (kind !== 'request' && kind !== 'supplyingAgencyMessage' && kind !== 'requestingAgencyMessage')) {
    throw invalid('Only ISO 18626 request, supplyingAgencyMessage and requestingAgencyMessage messages are read.');
  }
  const head = body.getElementsByTagNameNS(ISO18626_NS, 'header')[0];
  if (!head) throw invalid('The message has no header.');
  const requestId = text(head, 'requestingAgencyRequestId');
  if (!requestId) throw invalid('The message names no requesting agency request id.');
  const out: Iso18626Message = {
    kind,
    requestingAgencyId: agencyText(head, 'requestingAgencyId'),
    supplyingAgencyId: agencyText(head, 'supplyingAgencyId'),
    requestingAgencyRequestId: requestId,
    timestamp: text(head, 'timestamp') ?? '',
  };
  const put = <K extends keyof Iso18626Message>(key: K, value: Iso18626Message[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  if (kind === 'request') {
    const bib = body.getElementsByTagNameNS(ISO18626_NS, 'bibliographicInfo')[0];
    put('title', text(bib, 'title'));
    put('author', text(bib, 'author'));
    const ids = bib ? Array.from(bib.getElementsByTagNameNS(ISO18626_NS, 'bibliographicItemId')) : [];
    put(
      'isbn',
      ids
        .map((i) =>
          text(i, 'bibliographicItemIdentifierCode') === 'ISBN' ? text(i, 'bibliographicItemIdentifier') : undefined,
        )
        .find(Boolean),
    );
    const service = body.getElementsByTagNameNS(ISO18626_NS, 'serviceInfo')[0];
    put('needBeforeDate', text(service, 'needBeforeDate')?.slice(0, 10));
    put('note', text(service, 'note'));
  } else if (kind === 'supplyingAgencyMessage') {
    const status = body.getElementsByTagNameNS(ISO18626_NS, 'statusInfo')[0];
    put('status', text(status, 'status'));
    put('dueDate', text(status, 'dueDate')?.slice(0, 10));
    put('note', text(body.getElementsByTagNameNS(ISO18626_NS, 'messageInfo')[0], 'note'));
  } else {
    put('action', text(body, 'action'));
    put('note', text(body, 'note'));
  }
  return out;
}
