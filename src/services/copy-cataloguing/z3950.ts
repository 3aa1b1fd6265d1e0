// A minimal Z39.50 (ANSI/NISO Z39.50-2003, version 3) client: one connection per search, an
// Init, a Search with a type-1 (RPN) query of one term under a Bib-1 use attribute (7 ISBN, 4
// title, 1003 author), and a Present of the page asked for in MARCXML (the XML record syntax),
// or USMARC (ISO 2709) from a server that gives only that. The tags are those of the standard's
// ASN.1 module (Z39-50-APDU-1995); see ber.ts for the encoding.
import { createConnection } from 'node:net';
import type { CopyCatalogueTarget } from '../../domain/types';
import {
  BerError,
  bits,
  boolean,
  completeLength,
  CONTEXT,
  decode,
  find,
  findAll,
  integer,
  octets,
  oid,
  readInt,
  readOid,
  seq,
  sequence,
  UNIVERSAL,
  type Ber,
} from './ber';
import type { MarcRecord } from './marcxml';
import { CopyCatalogueError, type SearchBy, type SruResult } from './sru';

const BIB1 = '1.2.840.10003.3.1';
const XML_SYNTAX = '1.2.840.10003.5.109.10';
const USMARC_SYNTAX = '1.2.840.10003.5.10';
/** Bib-1 use attributes. */
const USE: Record<SearchBy, number> = { isbn: 7, title: 4, author: 1003 };

const PDU = {
  initRequest: 20,
  initResponse: 21,
  searchRequest: 22,
  searchResponse: 23,
  presentRequest: 24,
  presentResponse: 25,
  close: 48,
} as const;

function initRequest(): Buffer {
  return seq(
    CONTEXT,
    PDU.initRequest,
    bits(CONTEXT, 3, [true, true, true]), // protocol versions 1, 2 and 3
    bits(CONTEXT, 4, [true, true]), // options: search, present
    integer(CONTEXT, 5, 1_048_576),
    integer(CONTEXT, 6, 1_048_576),
    octets(CONTEXT, 110, 'Circa'),
    octets(CONTEXT, 111, 'Circa library station'),
    octets(CONTEXT, 112, '0.1'),
  );
}

function searchRequest(database: string, by: SearchBy, term: string): Buffer {
  const attribute = sequence(integer(CONTEXT, 120, 1), integer(CONTEXT, 121, USE[by]));
  const attributesPlusTerm = seq(CONTEXT, 102, seq(CONTEXT, 44, attribute), octets(CONTEXT, 45, term));
  // query [21] Query (a CHOICE, so explicitly tagged) -> type-1 [1] IMPLICIT RPNQuery { attributeSet, op [0] Operand }.
  return seq(
    CONTEXT,
    PDU.searchRequest,
    integer(CONTEXT, 13, 0), // small set upper bound: no records come with the search
    integer(CONTEXT, 14, 1),
    integer(CONTEXT, 15, 0),
    boolean(CONTEXT, 16, true),
    octets(CONTEXT, 17, 'default'),
    seq(CONTEXT, 18, octets(CONTEXT, 105, database || 'Default')),
    seq(CONTEXT, 21, seq(CONTEXT, 1, oid(UNIVERSAL, 6, BIB1), seq(CONTEXT, 0, attributesPlusTerm))),
  );
}

function presentRequest(start: number, count: number, syntax: string): Buffer {
  return seq(
    CONTEXT,
    PDU.presentRequest,
    octets(CONTEXT, 31, 'default'),
    integer(CONTEXT, 30, start),
    integer(CONTEXT, 29, count),
    // MARCXML in the server's own element set (yaz-ztest, for one, has no XML "F"); USMARC in full ("F").
    ...(syntax === USMARC_SYNTAX ? [seq(CONTEXT, 19, octets(CONTEXT, 0, 'F'))] : []),
    oid(CONTEXT, 104, syntax),
  );
}

/** One connection that sends a PDU and reads the next whole one back. */
class Connection {
  private buffer = Buffer.alloc(0);
  private waiting: { resolve(b: Ber): void; reject(e: Error): void } | null = null;
  private failure: Error | null = null;

  private constructor(private readonly socket: ReturnType<typeof createConnection>) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.deliver();
    });
    socket.on('error', (e: NodeJS.ErrnoException) =>
      this.fail(new CopyCatalogueError('TARGET_UNREACHABLE', `The target cannot be reached: ${e.code ?? e.message}`)),
    );
    socket.on('close', () =>
      this.fail(new CopyCatalogueError('TARGET_UNREACHABLE', 'The target closed the connection.')),
    );
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host, port });
      const onError = (e: NodeJS.ErrnoException) =>
        reject(new CopyCatalogueError('TARGET_UNREACHABLE', `The target cannot be reached: ${e.code ?? e.message}`));
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new Connection(socket));
      });
    });
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.waiting?.reject(this.failure);
    this.waiting = null;
  }

  private deliver() {
    if (!this.waiting) return;
    let end: number | null;
    try {
      end = completeLength(this.buffer);
    } catch (e) {
      return this.fail(
        new CopyCatalogueError('TARGET_BAD_ANSWER', `The target's answer is not Z39.50: ${(e as Error).message}`),
      );
    }
    if (end === null) return;
    const pdu = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(end);
    const waiting = this.waiting;
    this.waiting = null;
    try {
      waiting.resolve(decode(pdu)[0]!);
    } catch (e) {
      waiting.reject(
        new CopyCatalogueError('TARGET_BAD_ANSWER', `The target's answer is not Z39.50: ${(e as Error).message}`),
      );
    }
  }

  ask(pdu: Buffer, expect: number): Promise<Ber> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Ber>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(pdu);
      this.deliver();
    }).then((answer) => {
      if (answer.cls !== CONTEXT || answer.tag !== expect) {
        throw new CopyCatalogueError(
          'TARGET_BAD_ANSWER',
          answer.tag === PDU.close
            ? 'The target closed the session.'
            : `The target answered with Z39.50 message ${answer.tag}, not ${expect}.`,
        );
      }
      return answer;
    });
  }

  close() {
    this.socket.destroy();
  }
}

const field = (pdu: Ber, tag: number) => pdu.children.find((c) => c.cls === CONTEXT && c.tag === tag);

function diagnosticOf(pdu: Ber): string | null {
  const diag = find(pdu, (b) => b.cls === CONTEXT && b.tag === 130);
  if (!diag) return null;
  const condition = diag.children.find((c) => c.cls === UNIVERSAL && c.tag === 2);
  const addinfo = diag.children.find((c) => c.cls === UNIVERSAL && (c.tag === 26 || c.tag === 27));
  return `Bib-1 diagnostic ${condition ? readInt(condition.content) : '?'}${addinfo ? `: ${addinfo.content.toString('utf8')}` : ''}`;
}

/** ISO 2709 (USMARC), UTF-8 or plain ASCII: leader, directory, fields. */
export function readIso2709(buf: Buffer): MarcRecord {
  const text = (b: Buffer) => b.toString('utf8');
  if (buf.length < 25) throw new BerError('a MARC record shorter than its leader');
  const leader = text(buf.subarray(0, 24));
  const base = Number(leader.slice(12, 17));
  if (!Number.isInteger(base) || base < 25 || base > buf.length)
    throw new BerError('a MARC record with a bad base address');
  const record: MarcRecord = { leader, controlFields: [], dataFields: [] };
  for (let at = 24; at + 12 <= base - 1; at += 12) {
    const entry = text(buf.subarray(at, at + 12));
    const tag = entry.slice(0, 3);
    const length = Number(entry.slice(3, 7));
    const start = Number(entry.slice(7, 12));
    const data = buf.subarray(base + start, base + start + length - 1); // without the field terminator
    if (tag < '010') {
      record.controlFields.push({ tag, value: text(data) });
      continue;
    }
    const [indicators, ...subfields] = text(data).split('\x1f');
    record.dataFields.push({
      tag,
      ind1: indicators?.[0] ?? ' ',
      ind2: indicators?.[1] ?? ' ',
      subfields: subfields.map((s) => ({ code: s.slice(0, 1), value: s.slice(1) })),
    });
  }
  return record;
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** A MarcRecord as MARCXML text, for the import to read as it reads an SRU record. */
export function marcToXml(r: MarcRecord): string {
  const control = r.controlFields.map(
    (f) => `<controlfield tag="${xmlEscape(f.tag)}">${xmlEscape(f.value)}</controlfield>`,
  );
  const data = r.dataFields.map(
    (f) =>
      `<datafield tag="${xmlEscape(f.tag)}" ind1="${xmlEscape(f.ind1)}" ind2="${xmlEscape(f.ind2)}">${f.subfields.map((s) => `<subfield code="${xmlEscape(s.code)}">${xmlEscape(s.value)}</subfield>`).join('')}</datafield>`,
  );
  return `<record xmlns="http://www.loc.gov/MARC21/slim"><leader>${xmlEscape(r.leader)}</leader>${[...control, ...data].join('')}</record>`;
}

/** The records of a Present answer that the station can read (MARCXML or ISO 2709), numbered from `start`. */
function recordsOf(presented: Ber, start: number, readXml: (xml: string) => MarcRecord): SruResult['records'] {
  const externals = findAll(presented, (b) => b.cls === UNIVERSAL && b.tag === 8 && b.constructed);
  return externals.flatMap((external, i) => {
    const syntax = external.children.find((c) => c.cls === UNIVERSAL && c.tag === 6);
    // encoding: octet-aligned [1], or single-ASN1-type [0] around an OCTET STRING.
    const data = external.children.find((c) => c.cls === CONTEXT && (c.tag === 1 || c.tag === 0));
    if (!syntax || !data) return [];
    const bytes = data.constructed ? (data.children[0]?.content ?? Buffer.alloc(0)) : data.content;
    const kind = readOid(syntax.content);
    try {
      const marc =
        kind === XML_SYNTAX ? readXml(bytes.toString('utf8')) : kind === USMARC_SYNTAX ? readIso2709(bytes) : null;
      return marc ? [{ position: start + i, marc, marcxml: marcToXml(marc) }] : [];
    } catch {
      // One record the station cannot read is left out, as SRU's surrogate diagnostics are.
      return [];
    }
  });
}

export interface Z3950Options {
  timeoutMs: number;
  start?: number;
  max?: number;
  /** Reads a MARCXML record's text as SRU records are read. */
  readXml(xml: string): MarcRecord;
}

/** One search of a Z39.50 target, with the page of records asked for. */
export async function z3950Search(
  target: CopyCatalogueTarget,
  by: SearchBy,
  term: string,
  opts: Z3950Options,
): Promise<SruResult> {
  const [host, portText] = [
    target.address.slice(0, target.address.lastIndexOf(':')),
    target.address.slice(target.address.lastIndexOf(':') + 1),
  ];
  const port = Number(portText);
  let connection: Connection | null = null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CopyCatalogueError(
            'TARGET_TIMEOUT',
            `The target did not answer within ${opts.timeoutMs / 1000} seconds.`,
          ),
        ),
      opts.timeoutMs,
    );
  });
  const work = async (): Promise<SruResult> => {
    connection = await Connection.open(host, port);
    const init = await connection.ask(initRequest(), PDU.initResponse);
    const accepted = field(init, 12);
    if (!accepted || accepted.content[0] === 0)
      throw new CopyCatalogueError('TARGET_DIAGNOSTIC', 'The target refused the Z39.50 session.');
    const value = by === 'isbn' ? term.replace(/[-\s]/g, '') : term.trim().replace(/\s+/g, ' ');
    const searched = await connection.ask(searchRequest(target.database, by, value), PDU.searchResponse);
    const status = field(searched, 22);
    const diagnostic = diagnosticOf(searched);
    if ((status && status.content[0] === 0) || diagnostic)
      throw new CopyCatalogueError(
        'TARGET_DIAGNOSTIC',
        `The target refused the search: ${diagnostic ?? 'no reason given'}`,
      );
    const total = readInt(field(searched, 23)?.content ?? Buffer.from([0]));
    const start = opts.start ?? 1;
    const count = Math.min(opts.max ?? 10, total - start + 1);
    if (count <= 0) return { total, records: [] };
    const page = async (syntax: string) => {
      const presented = await connection!.ask(presentRequest(start, count, syntax), PDU.presentResponse);
      return { presented, records: recordsOf(presented, start, opts.readXml) };
    };
    // MARCXML first; a server that cannot give it (every record a surrogate diagnostic) is asked for USMARC.
    let { presented, records } = await page(XML_SYNTAX);
    if (records.length === 0) ({ presented, records } = await page(USMARC_SYNTAX));
    const presentDiagnostic = diagnosticOf(presented);
    if (records.length === 0 && presentDiagnostic)
      throw new CopyCatalogueError('TARGET_DIAGNOSTIC', `The target could not give the records: ${presentDiagnostic}`);
    return { total, records };
  };
  try {
    return await Promise.race([work(), timeout]);
  } catch (error) {
    if (error instanceof BerError)
      throw new CopyCatalogueError('TARGET_BAD_ANSWER', `The target's answer is not Z39.50: ${error.message}`);
    throw error;
  } finally {
    clearTimeout(timer);
    (connection as Connection | null)?.close();
  }
}
