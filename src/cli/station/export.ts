// `npm run station -- export marc --data <dir> --out <file> [--xml]`
// `npm run station -- export patrons --data <dir> --out <file.csv>`
// `npm run station -- export koc|evergreen --data <dir> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --out <file> [--again]`
//
// Runs against a stopped station's data folder. The file is written beside its name and moved
// into place when complete, so a half-written export never stands as a whole one; a KOC or
// Evergreen export marks its entries exported only then. With --json the last line printed is
// one JSON object with the counts.
import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { exportMarc } from '../../services/import/marc-export';
import { buildOfflineExport, markExported } from '../../services/import/offline-export';
import { exportPatrons } from '../../services/import/patrons-csv';
import { STATION_VERSION } from '../../station/services';
import { openDataFolder, outputFile, runCli, UsageError } from './common';
import { parseCommandLine, printUsage, USAGE_EXIT } from '../args';

const USAGE =
  'npm run station -- export marc --data <dir> --out <file> [--xml]\n' +
  '                   export patrons --data <dir> --out <file.csv>\n' +
  '                   export koc|evergreen --data <dir> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --out <file> [--again]';

export const command = {
  summary:
    'export marc | patrons | koc | evergreen: the catalogue, the patrons, offline circulation for Koha or Evergreen',
  run: (args: string[]) => runCli(() => run(args)),
};

async function run(args: string[]): Promise<number> {
  const parsed = parseCommandLine('npm run station', USAGE, {
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      xml: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      again: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (!parsed) return USAGE_EXIT;
  const { values, positionals } = parsed;
  const [what] = positionals;
  if (values.help || !what) return printUsage(USAGE, values.help);
  if (!['marc', 'patrons', 'koc', 'evergreen'].includes(what))
    throw new UsageError(`export ${what}? It is marc, patrons, koc or evergreen.\n${USAGE}`);
  const out = outputFile(values.out);
  const partial = `${out}.partial`;
  const s = openDataFolder(values.data);
  try {
    let summary: Record<string, unknown>;
    if (what === 'koc' || what === 'evergreen') {
      if (!values.from || !values.to)
        throw new UsageError(
          "--from and --to are required: days like 2026-12-01, in the branch's time zone, both included.",
        );
      const result = buildOfflineExport(s.ctx, what, {
        from: values.from,
        to: values.to,
        again: values.again,
        generatorVersion: STATION_VERSION,
      });
      writeFileSync(partial, result.text);
      renameSync(partial, out);
      markExported(s.ctx, what, result.entries);
      summary = {
        format: what,
        transactions: result.transactions,
        entries: result.entries.length,
        skipped: result.skipped.length,
        skippedEntries: result.skipped,
      };
      if (!values.json) {
        console.log(
          `${result.transactions} transactions from ${result.entries.length} journal entries written to ${out}.`,
        );
        for (const k of result.skipped) console.log(`  left out: journal entry ${k.seq}: ${k.reason}`);
      }
    } else {
      const stream = createWriteStream(partial);
      const write = async (chunk: Buffer | string) => {
        if (!stream.write(chunk)) await once(stream, 'drain');
      };
      try {
        if (what === 'marc') {
          const r = await exportMarc(s.ctx, values.xml ? 'marcxml' : 'iso2709', write);
          summary = {
            format: values.xml ? 'marcxml' : 'iso2709',
            records: r.records,
            copies: r.copies,
            patrons: 0,
            skipped: 0,
          };
        } else {
          const r = await exportPatrons(s.ctx, write);
          summary = { format: 'csv', records: 0, copies: 0, patrons: r.patrons, skipped: 0 };
        }
        stream.end();
        await once(stream, 'finish');
        renameSync(partial, out);
        // Said once the file is whole and in place.
        if (!values.json)
          console.log(
            what === 'marc'
              ? `${String(summary.records)} records with ${String(summary.copies)} copies written to ${out}.`
              : `${String(summary.patrons)} patrons written to ${out}.`,
          );
      } catch (error) {
        stream.destroy();
        rmSync(partial, { force: true });
        throw error;
      }
    }
    if (values.json) console.log(JSON.stringify(summary));
    return 0;
  } finally {
    s.close();
  }
}
