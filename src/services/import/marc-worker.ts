// The worker thread of a MARC import (marc-prepare.ts): reads the file (or the chunks the
// importer sends, when its source is not a file), prepares each record (the reader, the
// mapping, the MARC text) and sends them back a slice at a time, never more than `ahead` slices
// before the importer has taken them. Fed chunks, it asks for one whenever it takes one,
// keeping CHUNKS_IN_HAND in hand.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { NotMarcError } from './marc-reader';
import { prepareInThread, type FromWorker, type ToWorker, type WorkerInput } from './marc-prepare';

/**
 * Chunks asked for ahead: the importer's thread sends them only between its writes (each group
 * of batches is ~50-100 ms of synchronous work), so the worker holds enough to go on meanwhile.
 */
const CHUNKS_IN_HAND = 6;
const port = parentPort!;
const { profiles, file, ahead } = workerData as WorkerInput;
const post = (m: FromWorker) => port.postMessage(m);

const chunks: Uint8Array[] = [];
let ended = false;
let failed = false;
let wake: (() => void) | null = null;
/** Slices sent that the importer has not yet taken (file mode). */
let unacknowledged = 0;
port.on('message', (m: ToWorker) => {
  if (m.type === 'chunk') chunks.push(m.data);
  else if (m.type === 'took') unacknowledged--;
  else if (m.type === 'fail') failed = true;
  else ended = true;
  const w = wake;
  wake = null;
  w?.();
});

async function* received(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = chunks.shift();
    if (chunk) {
      post({ type: 'need' });
      yield chunk;
      continue;
    }
    if (failed) throw new Error('The file could not be read to its end.');
    if (ended) return;
    await wait();
  }
}

const wait = () => new Promise<void>((resolve) => (wake = resolve));

post({ type: 'ready' });
if (!file) for (let i = 0; i < CHUNKS_IN_HAND; i++) post({ type: 'need' });
try {
  const source = file
    ? createReadStream(file.path, { start: file.start, end: file.end, highWaterMark: file.highWaterMark })
    : received();
  for await (const slice of prepareInThread(source, profiles, 'worker')) {
    // Reading the file itself, the worker waits while `ahead` slices are not yet taken.
    while (file && unacknowledged >= ahead) await wait();
    post({ type: 'slice', slice });
    if (file) unacknowledged++;
  }
  post({ type: 'done' });
} catch (error) {
  post({
    type: 'error',
    notMarc: error instanceof NotMarcError,
    message: error instanceof Error ? error.message : String(error),
  });
}
port.close();
