// `npm run bench:import`: 100,000 generated MARC records with holdings (133,333 copies) into a
// fresh station, against marcjs's bare parse rate of the same file measured in the same run
// (the floor: an import cannot read faster than its parser). The bar: the import reaches a
// third of the bare rate, with the process's memory (RSS) under 300 MB throughout.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Iso2709Parser } from 'marcjs';
import { MarcImporter } from '../../src/services/import/marc-import';
import { generatedBooks, iso2709 } from '../support/marc-files';
import { createTestStation } from '../support/station';

const N = Number(process.env.BENCH_RECORDS ?? 100_000);
if (process.argv[2] === '--generate') {
  generate(process.argv[3]!);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'circa-import-bench-'));
const file = join(dir, 'bench.mrc');
// The file is made by a child process, so the memory measured is the import's, not the generator's.
execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--generate', file], {
  stdio: 'inherit',
});
const size = statSync(file).size;

let peakRss = 0;
/** V8's heap of this thread and the memory outside it (buffers, SQLite's), at the RSS peak: where the memory is. */
let atPeak = { heapTotal: 0, heapUsed: 0, external: 0 };
const sample = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) {
    peakRss = m.rss;
    atPeak = { heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external };
  }
}, 50);

// The floor: marcjs's own stream parser over the same file, nothing else.
let parsed = 0;
const parseStart = performance.now();
const parseCpu = process.cpuUsage();
await new Promise<void>((done, fail) => {
  const parser = new (Iso2709Parser as unknown as new () => NodeJS.ReadWriteStream)();
  parser.on('data', () => void parsed++);
  parser.on('end', () => done());
  parser.on('error', fail);
  createReadStream(file).pipe(parser);
});
const parseSeconds = (performance.now() - parseStart) / 1000;
const parseCpuSeconds = cpuSecondsSince(parseCpu);

const rssAfterParse = peakRss;
const t = createTestStation();
const importStart = performance.now();
const importCpu = process.cpuUsage();
const report = await new MarcImporter(t.s.ctx).import(createReadStream(file, { highWaterMark: 256 * 1024 }), t.staff, {
  fingerprint: 'bench',
  // BENCH_IN_THREAD=1: the reading and mapping in the importing thread, for comparison.
  inThread: process.env.BENCH_IN_THREAD === '1',
});
const importSeconds = (performance.now() - importStart) / 1000;
const importCpuSeconds = cpuSecondsSince(importCpu);
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const parseRate = parsed / parseSeconds;
const importRate = report.records / importSeconds;
const result = {
  records: report.records,
  added: report.added,
  copies: report.copies,
  skipped: report.skippedCount,
  readIn: report.readIn,
  fileMB: +(size / 1e6).toFixed(1),
  bareParsePerSecond: Math.round(parseRate),
  importPerSecond: Math.round(importRate),
  importSeconds: +importSeconds.toFixed(1),
  ratio: +(importRate / parseRate).toFixed(2),
  // The machine is shared: CPU seconds (user + system) say what each part cost whatever else ran.
  parseCpuSeconds: +parseCpuSeconds.toFixed(1),
  importCpuSeconds: +importCpuSeconds.toFixed(1),
  cpuRatio: +(parseCpuSeconds / parsed / (importCpuSeconds / report.records)).toFixed(2),
  peakRssMB: Math.round(peakRss / 1e6),
  /** The peak while only the bare parse had run. */
  parsePeakRssMB: Math.round(rssAfterParse / 1e6),
  atPeakMB: {
    heapTotal: Math.round(atPeak.heapTotal / 1e6),
    heapUsed: Math.round(atPeak.heapUsed / 1e6),
    external: Math.round(atPeak.external / 1e6),
  },
  dbMB: +(statSync(t.path).size / 1e6).toFixed(1),
};
console.log(JSON.stringify(result));
const ok = result.ratio >= 1 / 3 && result.peakRssMB < 300 && report.skippedCount === 0 && parsed === N;
console.log(
  ok
    ? 'bench:import: within the bar (a third of the bare parse rate, RSS under 300 MB)'
    : 'bench:import: OUTSIDE the bar',
);
t.close();
rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Written in slices so the generator does not hold the whole file's records at once. */
function generate(path: string): void {
  writeFileSync(path, '');
  let nextItem = 1;
  for (let from = 0; from < N; from += 10_000) {
    const books = generatedBooks(Math.min(10_000, N - from), nextItem, from + 1);
    nextItem += books.reduce((n, b) => n + b.fields.filter((f) => f[0] === '952').length, 0);
    writeFileSync(path, iso2709(books), { flag: 'a' });
  }
}
