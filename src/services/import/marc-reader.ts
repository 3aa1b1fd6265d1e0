// Reads a MARC file as a stream of records, whichever of the two kinds it is: ISO 2709 (framed
// by record terminators) or MARCXML (with or without a namespace prefix), told apart by the
// file's first bytes, not by its name. Nothing but the current chunk and the record being read
// is held, so a 500,000-record file never sits in memory.
//
// Each record comes with its position in the file (1-based) and is either decoded or refused
// with the reason; a refused record never stops the reading: ISO 2709 resumes at the next
// record terminator, MARCXML at the next <record>.
import sax from 'sax';
import { decodeIso2709, RECORD_TERMINATOR } from '../../domain/marc/iso2709';
import type { MarcField, MarcRecord } from '../../domain/marc/record';

export type MarcFileKind = 'iso2709' | 'marcxml';

export type ReadRecord =
  | { position: number; ok: true; record: MarcRecord }
  | { position: number; ok: false; reason: string; controlNumber: string | null };

export class NotMarcError extends Error {}

/** A file's bytes: a read stream, or chunks already in memory. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** The source's chunks, one at a time, whether it is a stream or an array of them. */
export function chunksOf(source: ByteSource): AsyncIterator<Uint8Array> {
  return Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : (async function* () {
        yield* source;
      })();
}

/** The file's kind from its first bytes (a UTF-8 byte order mark and blank space skipped). */
export function sniffKind(head: Uint8Array): MarcFileKind {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  const b = head[i];
  if (b === 0x3c /* < */) return 'marcxml';
  if (b !== undefined && b >= 0x30 && b <= 0x39 && head.length - i >= 5) return 'iso2709';
  throw new NotMarcError(
    'This is not a MARC file: it is neither ISO 2709 (it would start with the record length) nor MARCXML.',
  );
}

export interface ReaderOptions {
  /** Called with the bytes read so far, for a progress bar. */
  onBytes?: (bytes: number) => void;
}

/** Reads a MARC file's records in order. Throws NotMarcError before any record if it is neither kind. */
export async function* readMarc(
  source: ByteSource,
  options: ReaderOptions = {},
): AsyncGenerator<ReadRecord & { kind: MarcFileKind }> {
  for await (const { kind, records } of readMarcInSlices(source, options))
    for (const r of records) yield { ...r, kind };
}

/**
 * The same records, a slice at a time (those that end in one chunk of the file): an import
 * takes them so, since an async generator's step for every record was a measurable share of
 * its reading time.
 */
export async function* readMarcInSlices(
  source: ByteSource,
  options: ReaderOptions = {},
): AsyncGenerator<{ kind: MarcFileKind; records: ReadRecord[] }> {
  const iterator = chunksOf(source);
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw new NotMarcError('The file is empty.');
  const kind = sniffKind(first.value.subarray(0, 64));
  const chunks = (async function* () {
    yield first.value as Uint8Array;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
  const inner = kind === 'iso2709' ? readIso2709(chunks, options) : readMarcXml(chunks, options);
  for await (const records of inner) if (records.length > 0) yield { kind, records };
}

async function* readIso2709(chunks: AsyncIterable<Uint8Array>, options: ReaderOptions): AsyncGenerator<ReadRecord[]> {
  let carry: Buffer = Buffer.alloc(0);
  let position = 0;
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.length;
    const data: Buffer =
      carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    const records: ReadRecord[] = [];
    for (let end = data.indexOf(RECORD_TERMINATOR, start); end !== -1; end = data.indexOf(RECORD_TERMINATOR, start)) {
      let from = start;
      // Line breaks between records (some tools write them) are not part of a record.
      while (from < end && (data[from] === 0x0a || data[from] === 0x0d)) from++;
      start = end + 1;
      if (from === end) continue;
      position++;
      const decoded = decodeIso2709(data.subarray(from, end + 1));
      records.push(
        decoded.ok
          ? { position, ok: true, record: decoded.record }
          : { position, ok: false, reason: decoded.reason, controlNumber: decoded.controlNumber },
      );
    }
    carry = Buffer.from(data.subarray(start));
    yield records;
    options.onBytes?.(bytes);
  }
  if (carry.toString('latin1').trim().length > 0) {
    position++;
    const decoded = decodeIso2709(Buffer.concat([carry, Buffer.of(RECORD_TERMINATOR)]));
    const controlNumber = decoded.ok
      ? (decoded.record.fields.find((f) => f[0] === '001')?.[1] ?? null)
      : decoded.controlNumber;
    yield [{ position, ok: false, reason: 'ends without a record terminator: the file was cut short', controlNumber }];
  }
}

/** Element names without their namespace prefix (marc:record and record alike). */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

async function* readMarcXml(chunks: AsyncIterable<Uint8Array>, options: ReaderOptions): AsyncGenerator<ReadRecord[]> {
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false });
  let ready: ReadRecord[] = [];
  const take = () => {
    const out = ready;
    ready = [];
    return out;
  };
  let position = 0;
  let record: MarcRecord | null = null;
  let broken: string | null = null;
  let field: MarcField | null = null;
  let text: string | null = null;
  let subfieldCode: string | null = null;
  let fatal: string | null = null;

  const finish = () => {
    if (!record) return;
    const control = record.fields.find((f) => f[0] === '001')?.[1] ?? null;
    if (broken) ready.push({ position, ok: false, reason: broken, controlNumber: control });
    else if (record.fields.length === 0)
      ready.push({ position, ok: false, reason: 'has no fields', controlNumber: null });
    else
      ready.push({
        position,
        ok: true,
        record: {
          ...record,
          leader: `${record.leader.padEnd(24, ' ').slice(0, 9)}a${record.leader.padEnd(24, ' ').slice(10, 24)}`,
        },
      });
    record = null;
    broken = null;
  };
  parser.onopentag = (node) => {
    const name = local(node.name);
    const attr = (a: string) => {
      const v = (node.attributes as Record<string, string>)[a];
      return typeof v === 'string' ? v : '';
    };
    if (name === 'record') {
      finish();
      position++;
      record = { leader: '', fields: [] };
      return;
    }
    if (!record) return;
    if (name === 'leader') text = '';
    else if (name === 'controlfield') {
      field = [attr('tag').padStart(3, '0')];
      text = '';
    } else if (name === 'datafield') {
      const tag = attr('tag');
      if (!/^[0-9A-Za-z]{3}$/.test(tag)) broken = `has a datafield with the tag "${tag}"`;
      field = [tag, `${attr('ind1') || ' '}${attr('ind2') || ' '}`.slice(0, 2)];
    } else if (name === 'subfield') {
      subfieldCode = attr('code') || ' ';
      text = '';
    }
  };
  parser.ontext = (t) => {
    if (text !== null) text += t;
  };
  parser.oncdata = (t) => {
    if (text !== null) text += t;
  };
  parser.onclosetag = (tagName) => {
    const name = local(tagName);
    if (!record) return;
    if (name === 'leader') {
      record.leader = text ?? '';
      text = null;
    } else if (name === 'controlfield' && field) {
      field.push(text ?? '');
      record.fields.push(field);
      field = null;
      text = null;
    } else if (name === 'subfield' && field) {
      field.push(subfieldCode ?? ' ', text ?? '');
      text = null;
    } else if (name === 'datafield' && field) {
      record.fields.push(field);
      field = null;
    } else if (name === 'record') finish();
  };
  parser.onerror = (error) => {
    const message = error.message.split('\n')[0] ?? 'bad XML';
    if (record) broken ??= `is not well-formed XML (${message})`;
    else fatal ??= `The MARCXML file is not well-formed XML (${message}).`;
    // sax stops at an error unless told to carry on; the record it was in is refused.
    (parser as unknown as { error: unknown }).error = null;
  };

  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.length;
    parser.write(decoder.decode(chunk, { stream: true }));
    yield take();
    options.onBytes?.(bytes);
  }
  parser.write(decoder.decode());
  parser.close();
  if (record) {
    broken ??= 'ends without </record>: the file was cut short';
    finish();
  }
  yield take();
  if (fatal && position === 0) throw new NotMarcError(fatal);
}
