// `npm run station -- import marc <file> --data <dir> --user <name> [--dry-run] [--json] [--mapping <file.json>] [--item-type <code>] [--restart]`
// `npm run station -- import patrons <file.csv> --data <dir> --user <name> [--dry-run] [--json] [--mapping <file.json>] [--category <code>] [--restart]`
//
// Runs against a stopped station's data folder. The password of --user comes from
// CIRCA_PASSWORD or the prompt. A dry run needs no account: it writes nothing. With --json the
// last line printed is one JSON object with the counts.
import { readFileSync } from 'node:fs';
import { SYSTEM } from '../../services/command';
import { MarcImporter, type MarcMapping } from '../../services/import/marc-import';
import { importPatrons, type PatronMapping } from '../../services/import/patrons-csv';
import { fingerprint, inputFile, openDataFolder, progressPrinter, runCli, signIn, UsageError } from './common';
import { parseCommandLine, printUsage, USAGE_EXIT } from '../args';

const USAGE =
  'npm run station -- import marc <file> --data <dir> --user <name> [--dry-run] [--json] [--mapping <file.json>] [--item-type <code>] [--restart]\n' +
  '                   import patrons <file.csv> --data <dir> --user <name> [--dry-run] [--json] [--mapping <file.json>] [--category <code>] [--restart]';

export const command = {
  summary: 'import marc <file> | patrons <file.csv>: a catalogue (ISO 2709, MARCXML) or patrons (CSV)',
  run: (args: string[]) => runCli(() => run(args)),
};

async function run(args: string[]): Promise<number> {
  const parsed = parseCommandLine('npm run station', USAGE, {
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      user: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      mapping: { type: 'string' },
      'item-type': { type: 'string' },
      category: { type: 'string' },
      restart: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (!parsed) return USAGE_EXIT;
  const { values, positionals } = parsed;
  const [what, file] = positionals;
  if (values.help || !what) return printUsage(USAGE, values.help);
  if (what !== 'marc' && what !== 'patrons')
    throw new UsageError(`import ${what}? It is "import marc" or "import patrons".\n${USAGE}`);
  const input = inputFile(file);
  const mapping = values.mapping ? readMapping(values.mapping) : {};
  const dryRun = values['dry-run'];
  const s = openDataFolder(values.data);
  let token: string | null = null;
  try {
    const signed = dryRun
      ? null
      : await signIn(s, values.user, what === 'marc' ? 'manage_catalogue' : 'manage_patrons');
    token = signed?.token ?? null;
    const actor = signed?.actor ?? SYSTEM;
    const common = {
      dryRun,
      fileName: input.path,
      fingerprint: fingerprint(input.path),
      restart: values.restart,
      totalBytes: input.size,
      onProgress: progressPrinter(!values.json),
    };
    let summary: Record<string, unknown>;
    if (what === 'marc') {
      const m: MarcMapping = {
        ...(mapping as MarcMapping),
        ...(values['item-type'] ? { defaultItemType: values['item-type'] } : {}),
      };
      const r = await new MarcImporter(s.ctx).import(input.stream, actor, { ...common, mapping: m });
      summary = {
        kind: r.kind,
        dryRun,
        records: r.records,
        added: r.added,
        updated: r.updated,
        copies: r.copies,
        copiesUpdated: r.copiesUpdated,
        patrons: 0,
        skipped: r.skippedCount,
        resumedAfter: r.resumedAfter,
        skippedRecords: r.skipped,
      };
      if (!values.json) {
        console.log(
          `${dryRun ? 'Dry run, nothing written: ' : ''}${r.records} records read (${r.kind}): ${r.added} added, ${r.updated} updated, ${r.copies} copies added, ${r.copiesUpdated} copies updated, ${r.skippedCount} skipped.`,
        );
        if (r.resumedAfter > 0)
          console.log(`An earlier run had imported the first ${r.resumedAfter}; carried on from there.`);
      }
      printSkipped(r.skipped, r.skippedCount, values.json);
    } else {
      const m: PatronMapping = {
        ...(mapping as PatronMapping),
        ...(values.category ? { defaultCategory: values.category } : {}),
      };
      const r = await importPatrons(s.ctx, input.stream, actor, { ...common, mapping: m });
      summary = {
        dryRun,
        rows: r.rows,
        records: 0,
        copies: 0,
        patrons: r.added + r.updated,
        added: r.added,
        updated: r.updated,
        skipped: r.skippedCount,
        resumedAfter: r.resumedAfter,
        columns: r.columns,
        ignoredColumns: r.ignoredColumns,
        skippedRows: r.skipped,
      };
      if (!values.json) {
        console.log(
          `${dryRun ? 'Dry run, nothing written: ' : ''}${r.rows} rows read: ${r.added} patrons added, ${r.updated} updated, ${r.skippedCount} skipped.`,
        );
        if (r.ignoredColumns.length > 0) console.log(`Columns left aside: ${r.ignoredColumns.join(', ')}.`);
      }
      printSkipped(r.skipped, r.skippedCount, values.json);
    }
    if (values.json) console.log(JSON.stringify(summary));
    return 0;
  } finally {
    if (token) s.auth.signOut(token);
    s.close();
  }
}

function printSkipped(skipped: { reason: string }[], count: number, json: boolean): void {
  if (json) return;
  for (const s of skipped) console.log(`  skipped: ${s.reason}`);
  if (count > skipped.length) console.log(`  ... and ${count - skipped.length} more.`);
}

function readMapping(path: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `The mapping file ${path} is not usable: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}
