// `npm run bench:import`: 100,000 generated MARC records with holdings (133,333 copies) into a
// fresh station, against marcjs's bare parse rate of the same file measured in the same run
// (the floor: an import cannot read faster than its parser). The bar: the import reaches a
// third of the bare rate, with the process's memory (RSS) under 300 MB throughout.
//
// The file is generated and the bare parse runs each in a child process of their own, so the
// memory measured is the import's alone (the bare parse leaves up to 90 MB of garbage behind).
// The peak is the kernel's high-water mark (VmHWM, /proc/self/status): the import writes
// synchronously for seconds at a time and a timer in this thread rarely fires while it does, so
// a sampled peak missed most of it (it read 245-251 MB where the kernel saw 289-355 MB).
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Iso2709Parser } from 'marcjs';
import { MarcImporter } from '../../src/services/import/marc-import';
import { generatedBooks, iso2709 } from '../support/marc-files';
import { createTestStation } from '../support/station';

const N = Number(process.env.BENCH_RECORDS ?? 100_000);
// Measured as the station ships: bundled, on plain Node (the desktop app's core process runs
// dist/electron/core-host.mjs and its import's worker marc-worker.mjs), not through tsx, whose
// loader threads and transpiled sources are ~55 MB of RSS before the import reads a byte and
// ~100 MB at its peak (docs/performance.md, "Fourth round"). BENCH_FROM_SOURCES=1 measures the
// sources under tsx, as `npm run station -- import marc` runs them.
const fromSources = import.meta.url.endsWith('.ts');
if (fromSources && process.env.BENCH_FROM_SOURCES !== '1') {
  const { buildBench } = await import('./build-bench');
  const bundle = await buildBench(fileURLToPath(import.meta.url));
  const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
if (process.argv[2] === '--generate') {
  generate(process.argv[3]!);
  process.exit(0);
}
if (process.argv[2] === '--parse') {
  console.log(JSON.stringify(await bareParse(process.argv[3]!)));
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'circa-import-bench-'));
const file = join(dir, 'bench.mrc');
const self = [...process.execArgv, fileURLToPath(import.meta.url)];
execFileSync(process.execPath, [...self, '--generate', file], { stdio: 'inherit' });
const size = statSync(file).size;

// The floor: marcjs's own stream parser over the same file, nothing else, in a process of its own.
const bare = JSON.parse(
  execFileSync(process.execPath, [...self, '--parse', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
) as { parsed: number; seconds: number; cpuSeconds: number; peakRssMB: number };

// Where the kernel's high-water mark cannot be read (not Linux), the peak is sampled instead.
const kernelCountsPeak = peakResidentBytes() !== null;
let sampledPeak = 0;
const sample = kernelCountsPeak
  ? null
  : setInterval(() => void (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 50);
const rssAtStart = process.memoryUsage().rss;
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
if (sample) clearInterval(sample);
const peakRss = peakResidentBytes() ?? Math.max(sampledPeak, process.memoryUsage().rss);
const { parsed, seconds: parseSeconds, cpuSeconds: parseCpuSeconds } = bare;

const parseRate = parsed / parseSeconds;
const importRate = report.records / importSeconds;
const result = {
  form: fromSources ? 'sources, tsx' : 'bundled, node',
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
  /** The import process's peak: the kernel's VmHWM where it can be read. */
  peakRssMB: Math.round(peakRss / 1e6),
  peakFrom: kernelCountsPeak ? 'VmHWM' : 'sampled',
  /** Its RSS before the import began (Node, the station's modules, tsx when run from the sources). */
  rssAtStartMB: Math.round(rssAtStart / 1e6),
  /** The bare parse's own process. */
  parsePeakRssMB: bare.peakRssMB,
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

/** The kernel's high-water mark of this process's resident memory, bytes; null where /proc is not there. */
function peakResidentBytes(): number | null {
  if (!existsSync('/proc/self/status')) return null;
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) * 1024 : null;
}

async function bareParse(path: string) {
  let parsed = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((done, fail) => {
    const parser = new (Iso2709Parser as unknown as new () => NodeJS.ReadWriteStream)();
    parser.on('data', () => void parsed++);
    parser.on('end', () => done());
    parser.on('error', fail);
    createReadStream(path).pipe(parser);
  });
  const seconds = (performance.now() - start) / 1000;
  return {
    parsed,
    seconds,
    cpuSeconds: cpuSecondsSince(cpu),
    peakRssMB: Math.round((peakResidentBytes() ?? process.memoryUsage().rss) / 1e6),
  };
}

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
