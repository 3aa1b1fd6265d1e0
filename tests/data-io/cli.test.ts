// `npm run station -- import|export` on a stopped station's data folder, as a person runs it:
// a real process, real files, the file's kind told by its content whatever its name, and
// --json printing one JSON object with the counts as its last line.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { addPatron, addTitle, createTestStation, patronCard, type TestStation } from '../support/station';

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, '../fixtures/marc');
let t: TestStation;
afterEach(() => t?.close());

async function station(args: string[], password = 'correct horse battery') {
  try {
    const r = await run('npx', ['tsx', 'src/cli/station.ts', ...args], {
      env: { ...process.env, CIRCA_PASSWORD: password },
      cwd: join(import.meta.dirname, '../..'),
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
const lastJson = (stdout: string) => JSON.parse(stdout.trimEnd().split('\n').pop()!) as Record<string, unknown>;

it(
  'imports MARC whatever the file is called, reports broken records, exports MARC, patrons and KOC',
  { timeout: 120_000 },
  async () => {
    t = createTestStation();
    const { barcodes } = addTitle(t, 'Lent before', 1, 700);
    const p = addPatron(t, 5);
    t.s.circulation.checkout({ patronBarcode: p.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.close();
    const data = t.dir;
    // A MARCXML file named .dat, and an ISO 2709 one named .xml.
    copyFileSync(join(FIXTURES, 'books-ns.xml'), join(data, 'catalogue.dat'));
    copyFileSync(join(FIXTURES, 'truncated.mrc'), join(data, 'broken.xml'));

    const dry = await station([
      'import',
      'marc',
      join(data, 'catalogue.dat'),
      '--data',
      data,
      '--dry-run',
      '--json',
      '--item-type',
      'BOOK',
      '--mapping',
      writeMapping(data),
    ]);
    expect(dry.code).toBe(0);
    expect(lastJson(dry.stdout)).toMatchObject({
      kind: 'marcxml',
      dryRun: true,
      records: 3,
      added: 3,
      copies: 3,
      skipped: 0,
    });

    // And a MARCXML file named .mrc: its kind is its content's too.
    copyFileSync(join(FIXTURES, 'books.xml'), join(data, 'catalogue.mrc'));
    const named = await station([
      'import',
      'marc',
      join(data, 'catalogue.mrc'),
      '--data',
      data,
      '--dry-run',
      '--json',
      '--item-type',
      'BOOK',
      '--mapping',
      writeMapping(data),
    ]);
    expect(lastJson(named.stdout)).toMatchObject({ kind: 'marcxml', dryRun: true, records: 3, skipped: 0 });

    const real = await station([
      'import',
      'marc',
      join(data, 'catalogue.dat'),
      '--data',
      data,
      '--user',
      'admin',
      '--json',
      '--mapping',
      writeMapping(data),
    ]);
    expect(real.code).toBe(0);
    expect(lastJson(real.stdout)).toMatchObject({
      kind: 'marcxml',
      records: 3,
      added: 3,
      copies: 3,
      patrons: 0,
      skipped: 0,
    });

    const broken = await station(['import', 'marc', join(data, 'broken.xml'), '--data', data, '--user', 'admin']);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/3 records read \(iso2709\): 2 added/);
    expect(broken.stdout).toMatch(/skipped: Record 2 says in its leader/);

    const wrong = await station(
      ['import', 'marc', join(data, 'catalogue.dat'), '--data', data, '--user', 'admin'],
      'not the password',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Wrong username or password/);
    expect(wrong.stderr).not.toContain('not the password');

    writeFileSync(
      join(data, 'patrons.csv'),
      `cardnumber,surname,firstname,categorycode\n${patronCard(40)},Curie,Marie,ADULT\n${patronCard(40)},Curie,Again,ADULT\n`,
    );
    const patrons = await station([
      'import',
      'patrons',
      join(data, 'patrons.csv'),
      '--data',
      data,
      '--user',
      'admin',
      '--json',
    ]);
    expect(lastJson(patrons.stdout)).toMatchObject({ rows: 2, patrons: 1, added: 1, skipped: 1 });

    const mrc = await station(['export', 'marc', '--data', data, '--out', join(data, 'out.mrc'), '--json']);
    expect(lastJson(mrc.stdout)).toMatchObject({ format: 'iso2709', records: 6, copies: 6 });
    const csv = await station(['export', 'patrons', '--data', data, '--out', join(data, 'out.csv'), '--json']);
    expect(lastJson(csv.stdout)).toMatchObject({ patrons: 2 });
    expect(readFileSync(join(data, 'out.csv'), 'utf8')).toContain('Curie,Marie');

    const koc = await station([
      'export',
      'koc',
      '--data',
      data,
      '--from',
      '2026-11-16',
      '--to',
      '2026-11-16',
      '--out',
      join(data, 'out.koc'),
      '--json',
    ]);
    expect(lastJson(koc.stdout)).toMatchObject({ format: 'koc', transactions: 1 });
    expect(readFileSync(join(data, 'out.koc'), 'utf8')).toBe(
      `Version=1.0\tGenerator=Circa\tGeneratorVersion=0.1.0\n2026-11-16 10:00:00 000\tissue\t${p.cardBarcode}\t${barcodes[0]}\n`,
    );
    const again = await station([
      'export',
      'koc',
      '--data',
      data,
      '--from',
      '2026-11-16',
      '--to',
      '2026-11-16',
      '--out',
      join(data, 'again.koc'),
      '--json',
    ]);
    expect(lastJson(again.stdout)).toMatchObject({ transactions: 0 });
    // Evergreen keeps its own marks: the same check-out, once, one JSON object a line.
    const evergreen = await station([
      'export',
      'evergreen',
      '--data',
      data,
      '--from',
      '2026-11-16',
      '--to',
      '2026-11-16',
      '--out',
      join(data, 'out.evergreen'),
      '--json',
    ]);
    expect(lastJson(evergreen.stdout)).toMatchObject({ format: 'evergreen', transactions: 1 });
    expect(
      readFileSync(join(data, 'out.evergreen'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; barcode: string }),
    ).toMatchObject([{ type: 'checkout', barcode: barcodes[0] }]);

    const usage = await station(['import', 'marc', join(data, 'nope.mrc'), '--data', data]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/There is no file/);
    t = createTestStation({ dir: data });
  },
);

function writeMapping(dir: string): string {
  const path = join(dir, 'mapping.json');
  writeFileSync(path, JSON.stringify({ itemTypes: { DVD: 'BOOK' } }));
  return path;
}

it(
  'a folder for a file, an --out nowhere, a mistyped --data: one line and an exit code, never a stack trace, no folder made',
  { timeout: 120_000 },
  async () => {
    t = createTestStation();
    t.s.close();
    const data = t.dir;
    const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |node:internal|triggerUncaughtException/);

    const folder = await station(['import', 'marc', data, '--data', data, '--user', 'admin', '--dry-run']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder, not a file/);
    noStackTrace(folder.stderr);

    const nowhere = join(data, 'no-such-folder', 'out.mrc');
    const missing = await station(['export', 'marc', '--data', data, '--out', nowhere]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/There is no folder .*no-such-folder/);
    expect(missing.stdout).not.toMatch(/written/);
    noStackTrace(missing.stderr);
    const intoFolder = await station(['export', 'patrons', '--data', data, '--out', data]);
    expect(intoFolder.code).toBe(2);
    expect(intoFolder.stderr).toMatch(/is a folder: --out names the file to write/);
    noStackTrace(intoFolder.stderr);
    const letters = await station([
      'notices',
      'letters',
      '--data',
      data,
      '--out',
      join(data, 'no-such-folder', 'l.html'),
    ]);
    expect(letters.code).toBe(2);
    expect(letters.stderr).toMatch(/There is no folder/);
    noStackTrace(letters.stderr);

    // A mistyped --data is reported, and not made into an empty folder.
    const typo = join(data, 'mistyped');
    const mistyped = await station(['export', 'marc', '--data', typo, '--out', join(data, 'x.mrc')]);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toMatch(/There is no station in/);
    expect(existsSync(typo)).toBe(false);

    // A certificate authority file that is not there, for hub join.
    const noCa = await station([
      'hub',
      'join',
      '--data',
      data,
      '--hub',
      'http://127.0.0.1:9',
      '--code=x',
      '--hub-ca',
      join(data, 'none.pem'),
    ]);
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toMatch(/--hub-ca: ENOENT/);
    noStackTrace(noCa.stderr);

    // --help right after the command's name is the usage, exit 0.
    for (const command of ['notices', 'hub', 'sip2']) {
      const help = await station([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`npm run station -- ${command}`);
    }
    t = createTestStation({ dir: data });
  },
);
