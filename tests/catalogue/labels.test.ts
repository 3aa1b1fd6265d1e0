// Labels as a technician checks them: the PDF the station makes is rendered to an image by
// poppler (pdftoppm), its text read back by pdftotext, and its barcodes scanned by zbar
// (zbarimg): each copy's barcode scans as that copy's number, in the label cell it should be
// in, from the start position on, and the cells before it stay blank for a partly used sheet.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBars } from '../../src/services/labels/pdf';
import { POINTS_PER_MM, SHEETS, type Sheet } from '../../src/services/labels/sheets';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode } from '../support/station';

let core: StationCore;
let token: string;
const out = mkdtempSync(join(tmpdir(), 'circa-labels-'));
const DPI = 200;

async function call(name: string, input: unknown) {
  return core.invoke(name, input, { sessionToken: token, local: true });
}
async function ok<T = Record<string, unknown>>(name: string, input: unknown): Promise<T> {
  const r = await call(name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

interface Made {
  pdfBase64: string;
  pages: number;
  labels: number;
  barcodes: string[];
}

/** Writes the PDF, and renders page `page` (1-based) as a grey image: width, height and one byte a pixel. */
function render(
  made: Made,
  name: string,
  page = 1,
): { file: string; png: string; width: number; height: number; pixels: Buffer } {
  const file = join(out, `${name}.pdf`);
  writeFileSync(file, Buffer.from(made.pdfBase64, 'base64'));
  const base = join(out, `${name}-p${page}`);
  execFileSync('pdftoppm', [
    '-r',
    String(DPI),
    '-f',
    String(page),
    '-l',
    String(page),
    '-gray',
    '-singlefile',
    file,
    base,
  ]);
  execFileSync('pdftoppm', ['-r', '60', '-f', String(page), '-l', String(page), '-png', '-singlefile', file, base]);
  // A binary PGM: "P5\n<w> <h>\n255\n" then the pixels.
  const pgm = readFileSync(`${base}.pgm`);
  const header = pgm
    .subarray(0, 40)
    .toString('latin1')
    .match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('not a PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { file, png: `${base}.png`, width, height, pixels: pgm.subarray(header[0].length) };
}

/** The share of dark pixels in label cell `position` (1-based) of a sheet. */
function inkIn(
  image: { width: number; pixels: Buffer },
  sheet: Sheet,
  position: number,
  margins = { top: sheet.topMargin, left: sheet.leftMargin },
): number {
  const index = position - 1;
  const px = (pt: number) => Math.round((pt * DPI) / 72);
  const x0 = px(margins.left + (index % sheet.columns) * sheet.pitchX);
  const y0 = px(margins.top + Math.floor(index / sheet.columns) * sheet.pitchY);
  const w = px(sheet.labelWidth);
  const h = px(sheet.labelHeight);
  let dark = 0;
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) if (image.pixels[y * image.width + x]! < 128) dark++;
  return dark / (w * h);
}

/** Each word pdftotext finds, with where it is on the page (points from the top left). */
function words(pdf: string, page = 1): { text: string; x: number; y: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/g)].map(
    (m) => ({ text: m[3]!, x: Number(m[1]), y: Number(m[2]) }),
  );
}

/** The label position (1-based) a point on the page falls in. */
function positionAt(
  sheet: Sheet,
  x: number,
  y: number,
  margins = { top: sheet.topMargin, left: sheet.leftMargin },
): number {
  const column = Math.floor((x - margins.left) / sheet.pitchX);
  const row = Math.floor((y - margins.top) / sheet.pitchY);
  return row * sheet.columns + column + 1;
}

/** What zbar scans on the rendered page, in reading order. */
function scan(pdf: string, page = 1): string[] {
  const base = `${pdf}-scan-${page}`;
  execFileSync('pdftoppm', ['-r', '300', '-f', String(page), '-l', String(page), '-gray', '-singlefile', pdf, base]);
  const text = execFileSync(
    'zbarimg',
    ['--quiet', '--raw', '-Sdisable', '-Scode128.enable', '-Scodabar.enable', `${base}.pgm`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return text.split('\n').filter(Boolean);
}

beforeAll(async () => {
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-labels-station-')) });
  const local = { local: true };
  await core.invoke(
    'setup.initialize',
    {
      libraryName: 'Springfield Public Library',
      branchCode: 'MAIN',
      branchName: 'Main',
      timeZone: 'America/New_York',
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
    },
    local,
  );
  const signIn = await core.invoke('auth.signIn', { username: 'admin', password: 'a long password' }, local);
  if (!signIn.ok) throw new Error('sign-in failed');
  token = (signIn.value as { token: string }).token;
  const lc = await ok<{ id: string }>('catalogue.addRecord', {
    title: 'Java programming for beginners',
    author: 'Smith, Jane',
    callNumber: 'QA76.73.J38 S65 2019',
  });
  const dewey = await ok<{ id: string }>('catalogue.addRecord', {
    title: 'Reconstruction tomography in diagnostic radiology and nuclear medicine',
    callNumber: '616.07572 TER 1977 c.2',
  });
  for (const n of [1, 2, 3])
    await ok('catalogue.addItem', { barcode: itemBarcode(n), recordId: lc.id, itemTypeCode: 'BOOK' });
  for (const n of [4, 5])
    await ok('catalogue.addItem', { barcode: itemBarcode(n), recordId: dewey.id, itemTypeCode: 'BOOK' });
}, 30_000);

afterAll(async () => core?.close());

describe('barcode labels', () => {
  it('puts Code 128 labels on an Avery 5160 sheet from position 4, each scanning as its copy, the used cells left blank', async () => {
    const barcodes = [1, 2, 3, 4, 5].map(itemBarcode);
    const made = await ok<Made>('labels.pdf', {
      copies: { kind: 'barcodes', barcodes },
      sheet: 'avery5160',
      labelKind: 'barcode',
      symbology: 'code128',
      startPosition: 4,
    });
    expect(made).toMatchObject({ pages: 1, labels: 5, barcodes });
    const image = render(made, 'code128-5160');
    const sheet = SHEETS.avery5160;
    // US Letter at 200 dpi.
    expect([image.width, image.height]).toEqual([1700, 2200]);
    for (const position of [1, 2, 3, 9, 10, 30])
      expect(inkIn(image, sheet, position), `cell ${position} is blank`).toBe(0);
    for (const position of [4, 5, 6, 7, 8])
      expect(inkIn(image, sheet, position), `cell ${position} has a label`).toBeGreaterThan(0.1);
    // Each barcode's number is printed under its bars, in its cell, in order.
    const printed = words(image.file).filter((w) => barcodes.includes(w.text));
    expect(printed.map((w) => [w.text, positionAt(sheet, w.x, w.y)])).toEqual(barcodes.map((b, i) => [b, 4 + i]));
    expect(words(image.file).map((w) => w.text)).toContain('Springfield');
    // And the bars scan as the same numbers.
    expect(scan(image.file).sort()).toEqual([...barcodes].sort());
  });

  it('prints Codabar on an L7160 sheet, with moved margins, and refuses a barcode Codabar cannot carry', async () => {
    const made = await ok<Made>('labels.pdf', {
      copies: { kind: 'range', from: itemBarcode(2), to: itemBarcode(4) },
      sheet: 'l7160',
      labelKind: 'barcode',
      symbology: 'codabar',
      startPosition: 20,
      topMarginMm: 20,
      leftMarginMm: 5,
    });
    // Positions 20 and 21 end the first sheet; the third label starts a second one.
    expect(made).toMatchObject({ pages: 2, labels: 3, barcodes: [itemBarcode(2), itemBarcode(3), itemBarcode(4)] });
    const sheet = SHEETS.l7160;
    const margins = { top: 20 * POINTS_PER_MM, left: 5 * POINTS_PER_MM };
    const first = render(made, 'codabar-l7160', 1);
    expect(inkIn(first, sheet, 19, margins)).toBe(0);
    expect(inkIn(first, sheet, 20, margins)).toBeGreaterThan(0.05);
    expect(inkIn(first, sheet, 21, margins)).toBeGreaterThan(0.05);
    const second = render(made, 'codabar-l7160', 2);
    expect(inkIn(second, sheet, 1, margins)).toBeGreaterThan(0.05);
    expect(inkIn(second, sheet, 2, margins)).toBe(0);
    expect(
      words(first.file, 1)
        .filter((w) => /^\d{14}$/.test(w.text))
        .map((w) => positionAt(sheet, w.x, w.y, margins)),
    ).toEqual([20, 21]);
    // zbar reports Codabar with its start and stop characters.
    expect(scan(first.file, 1).sort()).toEqual([`A${itemBarcode(2)}B`, `A${itemBarcode(3)}B`]);

    // A barcode Codabar cannot carry (letters) is refused before any page is made; so is a copy that does not exist.
    expect(() => encodeBars('AB-100', 'codabar')).toThrow(/cannot be printed as Codabar/);
    expect(encodeBars('AB-100', 'code128').bars.length).toBeGreaterThan(10);
    const unknown = await call('labels.pdf', {
      copies: { kind: 'barcodes', barcodes: [itemBarcode(9)] },
      sheet: 'l7160',
      labelKind: 'barcode',
      symbology: 'codabar',
      startPosition: 1,
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'INVALID', issues: [{ reason: 'noSuchCopy', params: { barcodes: itemBarcode(9) } }] },
    });
  });

  it('refuses a start position off the sheet and an empty selection, clearly', async () => {
    const base = { sheet: 'l7160', labelKind: 'barcode', symbology: 'code128' };
    const reason = (r: unknown) => (r as { error?: { issues?: { reason?: string }[] } }).error?.issues?.[0]?.reason;
    expect(
      reason(
        await call('labels.pdf', {
          ...base,
          copies: { kind: 'barcodes', barcodes: [itemBarcode(1)] },
          startPosition: 22,
        }),
      ),
    ).toBe('startPosition');
    expect(
      reason(
        await call('labels.pdf', { ...base, copies: { kind: 'search', query: 'nothing like this' }, startPosition: 1 }),
      ),
    ).toBe('noCopies');
    expect(
      reason(
        await call('labels.pdf', {
          ...base,
          copies: { kind: 'range', from: '1', to: itemBarcode(1) },
          startPosition: 1,
        }),
      ),
    ).toBe('rangeLengths');
    expect(
      reason(
        await call('labels.pdf', {
          ...base,
          copies: { kind: 'range', from: itemBarcode(3), to: itemBarcode(1) },
          startPosition: 1,
        }),
      ),
    ).toBe('rangeOrder');
  });
});

describe('spine labels', () => {
  it('prints the call number a part a line, LC and Dewey, for the copies a search finds and those just added', async () => {
    const made = await ok<Made>('labels.pdf', {
      copies: { kind: 'search', query: 'Java' },
      sheet: 'avery5160',
      labelKind: 'spine',
      symbology: 'code128',
      startPosition: 1,
    });
    expect(made).toMatchObject({ pages: 1, labels: 3 });
    const image = render(made, 'spine-lc');
    const sheet = SHEETS.avery5160;
    const cell1 = words(image.file).filter((w) => positionAt(sheet, w.x, w.y) === 1);
    // One part a line, top to bottom.
    expect(cell1.map((w) => w.text)).toEqual(['QA', '76.73', '.J38', 'S65', '2019']);
    expect(cell1.every((w, i) => i === 0 || w.y > cell1[i - 1]!.y)).toBe(true);
    expect(inkIn(image, sheet, 4)).toBe(0);

    const added = await ok<Made>('labels.pdf', {
      copies: { kind: 'addedSince', since: Date.now() - 60 * 60_000 },
      sheet: 'l7160',
      labelKind: 'spine',
      symbology: 'code128',
      startPosition: 1,
    });
    expect(added.barcodes).toEqual([1, 2, 3, 4, 5].map(itemBarcode));
    const deweyPage = render(added, 'spine-added');
    const cell4 = words(deweyPage.file).filter((w) => positionAt(SHEETS.l7160, w.x, w.y) === 4);
    expect(cell4.map((w) => w.text)).toEqual(['616.07572', 'TER', '1977', 'c.2']);
    // Nothing added since a minute from now: nothing to print, said so.
    const none = await call('labels.pdf', {
      copies: { kind: 'addedSince', since: Date.now() + 60_000 },
      sheet: 'l7160',
      labelKind: 'spine',
      symbology: 'code128',
      startPosition: 1,
    });
    expect(none).toMatchObject({ ok: false, error: { code: 'INVALID', issues: [{ reason: 'noCopies' }] } });
  });
});
