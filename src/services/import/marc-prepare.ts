// What the importer needs of each record of a MARC file, made from the file's bytes: the mapped
// fields of Circa's record, the copies its holdings fields describe, and its MARC as the text the
// records.marc column keeps. Reading (iso2709.ts, MARCXML), mapping and that text are about a
// third of an import's CPU; they run in a worker thread (marc-worker.ts) on the machine's other
// core, fed the file's chunks, while the matching, the rows and the writes stay on the main
// thread with the database. Where a worker cannot start, the same code runs in this thread.
import { ReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  holdingsOf,
  mapRecord,
  type Holding,
  type HoldingsProfile,
  type MappedRecord,
} from '../../domain/marc/mapping';
import { serialiseMarc, type MarcRecord } from '../../domain/marc/record';
import { chunksOf, NotMarcError, readMarcInSlices, type ByteSource, type MarcFileKind } from './marc-reader';

/** One record as the importer plans it. */
export interface PreparedRecord {
  mapped: MappedRecord;
  holdings: Holding[];
  /** serialiseMarc of the record as read. */
  marcText: string;
  /** Its 001, for the report of a record refused. */
  field001: string | null;
}

export type PreparedRead =
  | { position: number; ok: true; record: PreparedRecord }
  | { position: number; ok: false; reason: string; controlNumber: string | null };

export interface PreparedSlice {
  kind: MarcFileKind;
  /** Where the records were read and mapped. */
  readIn: 'worker' | 'thread';
  records: PreparedRead[];
  /** The file's bytes read when this slice was made. */
  bytes: number;
}

export function prepareRecord(marc: MarcRecord, profiles: Record<string, HoldingsProfile>): PreparedRecord {
  return {
    mapped: mapRecord(marc),
    holdings: holdingsOf(marc, profiles),
    marcText: serialiseMarc(marc),
    field001: marc.fields.find((f) => f[0] === '001')?.[1] ?? null,
  };
}

/** The file's records prepared in this thread, a slice at a time. */
export async function* prepareInThread(
  source: ByteSource,
  profiles: Record<string, HoldingsProfile>,
  readIn: PreparedSlice['readIn'] = 'thread',
): AsyncGenerator<PreparedSlice> {
  let bytes = 0;
  // Counted as the reader takes each chunk: a slice is made of the chunks taken so far.
  const counted = (async function* () {
    for await (const chunk of source) {
      bytes += chunk.length;
      yield chunk;
    }
  })();
  let kind: MarcFileKind | null = null;
  let reported = 0;
  for await (const slice of readMarcInSlices(counted)) {
    kind = slice.kind;
    const records: PreparedRead[] = slice.records.map((r) =>
      r.ok ? { position: r.position, ok: true, record: prepareRecord(r.record, profiles) } : r,
    );
    reported = bytes;
    yield { kind, readIn, records, bytes };
  }
  // The file's last chunks may have ended no record: the bytes read, all of them.
  if (kind && reported !== bytes) yield { kind, readIn, records: [], bytes };
}

/** Messages between the importer and its worker (marc-worker.ts). */
export type ToWorker =
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'end' }
  /** The source failed after the chunks sent: the worker's reading fails there, as it would in this thread. */
  | { type: 'fail' }
  | { type: 'took' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'need' }
  | { type: 'slice'; slice: PreparedSlice }
  | { type: 'done' }
  | { type: 'error'; notMarc: boolean; message: string };

export interface WorkerInput {
  profiles: Record<string, HoldingsProfile>;
  /**
   * The file the source was a read stream of, not yet read: the worker reads it itself. The
   * importer's thread, busy writing, reaches its event loop only between groups of batches, and
   * a worker fed chunks from there waited for them (docs/performance.md).
   */
  file?: { path: string; start?: number; end?: number; highWaterMark: number };
  /** Slices the worker may send ahead of what the importer has taken (file mode). */
  ahead: number;
}

/**
 * Slices the worker has made and the importer has not yet taken, at most: with the chunks the
 * worker holds (six), the memory between the file and the writes is bounded whichever side is
 * slower.
 */
const MAX_QUEUED_SLICES = 6;

/** A file read stream nothing has been read from yet: its path and options, for the worker to read it. */
function unreadFile(source: ByteSource): WorkerInput['file'] | null {
  if (!(source instanceof ReadStream) || source.destroyed || source.bytesRead > 0 || source.readableDidRead)
    return null;
  if (typeof source.path !== 'string') return null;
  const { start, end } = source as unknown as { start?: number; end?: number };
  return {
    path: source.path,
    ...(typeof start === 'number' ? { start } : {}),
    ...(typeof end === 'number' && Number.isFinite(end) ? { end } : {}),
    highWaterMark: source.readableHighWaterMark,
  };
}

/**
 * The worker's heap: what it holds at once is a few chunks and slices (a few MB), and V8 sizes a
 * heap by its limits. Without them the worker's young generation and the garbage it let grow in
 * its old one were ~60 MB of the process's memory (docs/performance.md); with these, ~0. The old
 * generation's limit is a ceiling far above what a record needs, not a reservation.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/**
 * The worker's module: the bundle's marc-worker.mjs beside this code in the desktop app
 * (electron/build.ts builds it), the TypeScript file through tsx when running from the sources
 * (npm run station, the bench, vitest). A variable, so the bundler leaves the URL as it is.
 */
function startWorker(input: WorkerInput, module?: URL): Worker {
  if (module) return new Worker(module, { workerData: input, resourceLimits: WORKER_HEAP });
  const here = import.meta.url;
  const fromSources = here.endsWith('.ts');
  const file = fromSources ? './marc-worker.ts' : './marc-worker.mjs';
  const url = new URL(file, here);
  if (!fromSources) return new Worker(url, { workerData: input, resourceLimits: WORKER_HEAP });
  // tsx's ES module API (the import condition: its require build registers nothing for ES modules).
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(here)}))`;
  return new Worker(code, { eval: true, workerData: input, resourceLimits: WORKER_HEAP });
}

/**
 * The file's records prepared in a worker thread, a slice at a time, or in this thread when no
 * worker can start (its module missing, threads unavailable). The worker asks for each chunk
 * ("need"); a chunk goes to it only while fewer than MAX_QUEUED_SLICES of its slices wait here.
 */
export async function* prepareInWorker(
  source: ByteSource,
  profiles: Record<string, HoldingsProfile>,
  /** Another module for the worker (the tests: one that cannot start). */
  module?: URL,
): AsyncGenerator<PreparedSlice> {
  const file = unreadFile(source);
  // Its own error (the file missing, say) is the worker's to report, when it opens the file.
  if (file) (source as ReadStream).on('error', () => {});
  let worker: Worker;
  try {
    worker = startWorker({ profiles, file: file ?? undefined, ahead: MAX_QUEUED_SLICES }, module);
  } catch {
    yield* prepareInThread(source, profiles);
    return;
  }
  const queue: PreparedSlice[] = [];
  let wanted = 0;
  let finished = false;
  let failure: Error | null = null;
  let ready = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const iterator = chunksOf(source);
  let sourceDone = false;
  let sourceError: unknown = null;
  let pumping = false;
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (!file && wanted > 0 && queue.length < MAX_QUEUED_SLICES && !sourceDone && !failure) {
        const next = await iterator.next();
        wanted--;
        if (next.done) {
          sourceDone = true;
          worker.postMessage({ type: 'end' } satisfies ToWorker);
          break;
        }
        // A copy of exactly the chunk's bytes, handed over: a read stream's chunk may be a view of a larger buffer.
        const data = new Uint8Array(next.value);
        worker.postMessage({ type: 'chunk', data } satisfies ToWorker, [data.buffer]);
      }
    } catch (error) {
      // Delivered in order: the slices of the chunks sent before it first (the worker's error comes after them).
      sourceError = error;
      sourceDone = true;
      worker.postMessage({ type: 'fail' } satisfies ToWorker);
    } finally {
      pumping = false;
    }
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'ready') ready = true;
    else if (m.type === 'need') {
      wanted++;
      void pump();
      return;
    } else if (m.type === 'slice') queue.push(m.slice);
    else if (m.type === 'done') finished = true;
    else
      failure ??=
        sourceError !== null
          ? sourceError instanceof Error
            ? sourceError
            : new Error(String(sourceError))
          : m.notMarc
            ? new NotMarcError(m.message)
            : new Error(m.message);
    notify();
  });
  let startFailed = false;
  worker.on('error', (error) => {
    if (!ready) startFailed = true;
    else failure ??= error;
    notify();
  });
  worker.on('exit', () => {
    if (!ready) startFailed = true;
    else if (!finished) failure ??= new Error('The MARC reading thread stopped before the end of the file.');
    notify();
  });
  const wait = () => new Promise<void>((resolve) => (wake = resolve));
  try {
    while (!ready && !startFailed) await wait();
    if (startFailed) {
      // Nothing of the source has been read yet: read it all here.
      yield* prepareInThread({ [Symbol.asyncIterator]: () => iterator }, profiles);
      return;
    }
    if (file) {
      // The worker reads the file; this stream was never read.
      sourceDone = true;
      (source as ReadStream).destroy();
    }
    for (;;) {
      const slice = queue.shift();
      if (slice) {
        if (file) worker.postMessage({ type: 'took' } satisfies ToWorker);
        else void pump();
        yield slice;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await wait();
    }
  } finally {
    await worker.terminate();
    if (!sourceDone) await iterator.return?.();
  }
}
