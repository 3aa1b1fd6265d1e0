// Label sheets as PDF: barcode labels (Codabar or Code 128, drawn as vector bars so they scan
// at any printer resolution) and spine labels (the call number a part a line), laid out on a
// sheet from a start position. bwip-js encodes the symbol (it checks what a symbology can
// carry); pdfkit writes the page.
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { splitCallNumber } from './call-number';
import { layoutCells, POINTS_PER_MM, type Sheet } from './sheets';

export type Symbology = 'codabar' | 'code128';
export type LabelKind = 'barcode' | 'spine';

export interface LabelCopy {
  barcode: string;
  title: string;
  callNumber: string | null;
}

export interface LabelPdfOptions {
  sheet: Sheet;
  kind: LabelKind;
  symbology: Symbology;
  /** Position (1-based) of the first free label on the first sheet. */
  startPosition: number;
  margins: { top: number; left: number };
  /** Printed small on a barcode label (the library's name). */
  libraryName: string;
}

export class LabelError extends Error {
  constructor(
    message: string,
    readonly barcode?: string,
  ) {
    super(message);
  }
}

/** Inside a label, clear of its edges: a label sheet's die cut is not exact. */
const PADDING = 1.5 * POINTS_PER_MM;

interface Bar {
  x: number;
  width: number;
}

/** The bars of a 1-D symbol, in modules from its left edge, and its width in modules (quiet zones included). */
export function encodeBars(barcode: string, symbology: Symbology): { bars: Bar[]; width: number } {
  let svg: string;
  try {
    svg =
      symbology === 'codabar'
        ? // Codabar carries its start and stop characters in the data; A...B is the usual library pair.
          bwipjs.toSVG({
            bcid: 'rationalizedCodabar',
            text: `A${barcode}B`,
            scale: 1,
            height: 10,
            includetext: false,
            paddingwidth: 10,
          })
        : bwipjs.toSVG({ bcid: 'code128', text: barcode, scale: 1, height: 10, includetext: false, paddingwidth: 10 });
  } catch {
    const why =
      symbology === 'codabar'
        ? 'Codabar carries only digits and - $ : / . +'
        : 'Code 128 carries only ASCII characters';
    throw new LabelError(
      `The barcode ${barcode} cannot be printed as ${symbology === 'codabar' ? 'Codabar' : 'Code 128'} (${why}).`,
      barcode,
    );
  }
  // bwip-js draws each bar as a vertical stroke "Mx y1Ly2" of a stroke width; the bars are those strokes' rectangles.
  const width = Number(svg.match(/viewBox="0 0 ([\d.]+) [\d.]+"/)?.[1]);
  const bars: Bar[] = [];
  for (const path of svg.matchAll(/<path[^>]*stroke-width="([\d.]+)"[^>]*d="([^"]+)"/g)) {
    const stroke = Number(path[1]);
    for (const seg of (path[2] ?? '').matchAll(/M([\d.]+) [\d.]+L[\d.]+ [\d.]+/g))
      bars.push({ x: Number(seg[1]) - stroke / 2, width: stroke });
  }
  if (!width || bars.length === 0) throw new LabelError(`The barcode ${barcode} could not be drawn.`, barcode);
  return { bars: bars.sort((a, b) => a.x - b.x), width };
}

type Doc = InstanceType<typeof PDFDocument>;

/** Text cut with an ellipsis to fit `width` at the current font and size. */
function fitText(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

function drawBarcodeLabel(
  doc: Doc,
  copy: LabelCopy,
  x: number,
  y: number,
  sheet: Sheet,
  opts: LabelPdfOptions,
  encoded: { bars: Bar[]; width: number },
): void {
  const inner = sheet.labelWidth - 2 * PADDING;
  const small = Math.min(7, sheet.labelHeight / 10);
  const human = Math.min(9, sheet.labelHeight / 8);
  // Bars no taller than 15 mm (a scanner needs no more), the whole block centred in the label.
  const barsHeight = Math.min(15 * POINTS_PER_MM, sheet.labelHeight - 2 * PADDING - small * 2.5 - human * 1.3);
  const block = small * 2.5 + barsHeight + human * 1.3;
  let top = y + (sheet.labelHeight - block) / 2;
  doc.font('Helvetica').fontSize(small);
  doc.text(fitText(doc, opts.libraryName, inner), x + PADDING, top, {
    width: inner,
    align: 'center',
    lineBreak: false,
  });
  top += small * 1.2;
  doc.font('Helvetica-Bold').fontSize(small);
  doc.text(fitText(doc, copy.title, inner), x + PADDING, top, { width: inner, align: 'center', lineBreak: false });
  top += small * 1.3;
  // A module no wider than 0.5 mm: a long label gets a symbol of a normal size, centred.
  const module = Math.min(inner / encoded.width, 0.5 * POINTS_PER_MM);
  const left = x + (sheet.labelWidth - encoded.width * module) / 2;
  for (const bar of encoded.bars) doc.rect(left + bar.x * module, top, bar.width * module, barsHeight);
  doc.fill('black');
  doc.font('Helvetica').fontSize(human);
  doc.text(copy.barcode, x + PADDING, top + barsHeight + human * 0.2, {
    width: inner,
    align: 'center',
    lineBreak: false,
  });
}

function drawSpineLabel(doc: Doc, copy: LabelCopy, x: number, y: number, sheet: Sheet): void {
  const lines = splitCallNumber(copy.callNumber ?? '');
  const inner = sheet.labelWidth - 2 * PADDING;
  const height = sheet.labelHeight - 2 * PADDING;
  if (lines.length === 0) return;
  doc.font('Helvetica-Bold');
  // As large as the lines allow, up to 14 pt: a spine label is read from across the room.
  let size = Math.min(14, height / (lines.length * 1.15));
  doc.fontSize(size);
  const widest = Math.max(...lines.map((l) => doc.widthOfString(l)));
  if (widest > inner) size = (size * inner) / widest;
  doc.fontSize(size);
  const blockHeight = lines.length * size * 1.15;
  let top = y + PADDING + (height - blockHeight) / 2;
  for (const line of lines) {
    doc.text(line, x + PADDING, top, { width: inner, align: 'center', lineBreak: false });
    top += size * 1.15;
  }
}

/** The PDF of labels for `copies`, in their order, from the start position on. */
export async function renderLabelsPdf(
  copies: LabelCopy[],
  opts: LabelPdfOptions,
): Promise<{ pdf: Buffer; pages: number }> {
  const { sheet } = opts;
  // Encode first: one copy that cannot be printed stops the print before any page is made.
  const encoded = opts.kind === 'barcode' ? copies.map((c) => encodeBars(c.barcode, opts.symbology)) : [];
  const doc = new PDFDocument({
    size: [sheet.pageWidth, sheet.pageHeight],
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'Labels', Creator: 'Circa' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const cells = layoutCells(sheet, copies.length, opts.startPosition, opts.margins);
  let page = -1;
  cells.forEach((cell, i) => {
    const copy = copies[i]!;
    while (page < cell.page) {
      doc.addPage({ size: [sheet.pageWidth, sheet.pageHeight], margin: 0 });
      page++;
    }
    if (opts.kind === 'barcode') drawBarcodeLabel(doc, copy, cell.x, cell.y, sheet, opts, encoded[i]!);
    else drawSpineLabel(doc, copy, cell.x, cell.y, sheet);
  });
  if (page < 0) doc.addPage({ size: [sheet.pageWidth, sheet.pageHeight], margin: 0 });
  doc.end();
  return { pdf: await done, pages: page + 1 || 1 };
}
