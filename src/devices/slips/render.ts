// One layout per slip, laid out once into paper lines (already wrapped, aligned and padded to
// the paper's columns), then rendered three ways: ESC/POS bytes for the receipt printer, plain
// text for the settings preview, HTML for the system printer when no receipt printer is set.
// Alignment is done here with spaces rather than with the printer's align command, so the text
// the printer receives is character for character the preview.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { CodePage, SlipSettings } from '../config';
import type { Slip } from './types';
import { slipWords } from './i18n';

type Block =
  | { t: 'text'; text: string; align?: 'left' | 'center'; bold?: boolean; big?: boolean }
  | { t: 'pair'; left: string; right: string; bold?: boolean }
  | { t: 'rule' }
  | { t: 'blank' }
  | { t: 'barcode'; value: string };

/** A line as it comes out of the printer. Big lines are printed double width and height. */
export type PaperLine =
  { kind: 'text'; text: string; bold: boolean; big: boolean } | { kind: 'barcode'; value: string };

function layout(slip: Slip, s: SlipSettings): Block[] {
  const w = slipWords(slip.language ?? s.language);
  const head: Block[] = s.libraryName ? [{ t: 'text', text: s.libraryName, align: 'center', bold: true }] : [];
  if (s.header) head.push({ t: 'text', text: s.header, align: 'center' });
  head.push({ t: 'rule' });
  const foot: Block[] = [
    { t: 'rule' },
    ...(s.footer ? [{ t: 'text' as const, text: s.footer, align: 'center' as const }] : []),
    { t: 'text', text: w.thanks, align: 'center' },
  ];
  const patron = (p: { firstName: string; cardTail: string }, label = w.patron, bold = false): Block => ({
    t: 'pair',
    left: label,
    right: `${p.firstName} ${p.cardTail}`.trim(),
    bold,
  });
  switch (slip.kind) {
    case 'checkout':
    case 'checkin':
      return [
        ...head,
        { t: 'text', text: w[slip.kind], bold: true },
        ...(slip.kind === 'checkout' ? [patron(slip.patron)] : []),
        { t: 'pair', left: w.date, right: slip.at },
        { t: 'rule' },
        ...slip.lines.flatMap((l): Block[] => [
          { t: 'text', text: l.title, bold: true },
          { t: 'pair', left: l.barcode, right: slip.kind === 'checkout' ? `${w.due} ${l.detail}` : l.detail },
        ]),
        { t: 'rule' },
        { t: 'text', text: w.items(slip.lines.length) },
        ...foot,
      ];
    case 'hold':
      return [
        ...head,
        { t: 'text', text: w.hold, align: 'center', bold: true, big: true },
        { t: 'blank' },
        patron(slip.patron),
        { t: 'pair', left: w.pickupAt, right: slip.pickupBranch },
        { t: 'pair', left: w.keepUntil, right: slip.shelfExpires, bold: true },
        { t: 'rule' },
        { t: 'text', text: slip.title },
        { t: 'barcode', value: slip.itemBarcode },
      ];
    case 'transit':
      return [
        ...head,
        { t: 'text', text: w.transit, align: 'center', bold: true },
        { t: 'text', text: w.sendTo, align: 'center' },
        { t: 'text', text: slip.destinationBranch, align: 'center', bold: true, big: true },
        { t: 'blank' },
        ...(slip.fromBranch ? [{ t: 'pair' as const, left: w.from, right: slip.fromBranch }] : []),
        ...(slip.holdFor ? [patron(slip.holdFor, w.holdFor, true)] : []),
        { t: 'pair', left: w.date, right: slip.at },
        { t: 'rule' },
        { t: 'text', text: slip.title },
        { t: 'barcode', value: slip.itemBarcode },
      ];
    case 'payment':
      return [
        ...head,
        { t: 'text', text: w.payment, bold: true },
        patron(slip.patron),
        { t: 'pair', left: w.date, right: slip.at },
        { t: 'rule' },
        ...(slip.lines ?? []).flatMap((l): Block[] => [
          { t: 'text', text: l.title, bold: true },
          { t: 'pair', left: l.barcode, right: l.detail },
        ]),
        ...(slip.lines && slip.lines.length > 0 ? [{ t: 'rule' as const }] : []),
        { t: 'pair', left: w.paid, right: slip.paid, bold: true },
        ...(slip.method ? [{ t: 'pair' as const, left: w.paidBy, right: w.methods[slip.method] }] : []),
        ...(slip.reference ? [{ t: 'pair' as const, left: w.reference, right: slip.reference }] : []),
        // Tendered and change are cash words: a card or cheque is for the amount paid.
        ...(!slip.method || slip.method === 'cash'
          ? [
              { t: 'pair' as const, left: w.tendered, right: slip.tendered },
              { t: 'pair' as const, left: w.change, right: slip.change },
            ]
          : []),
        { t: 'pair', left: w.remaining, right: slip.remaining },
        ...foot,
      ];
    case 'ill':
      return [
        ...head,
        { t: 'text', text: w.ill, align: 'center', bold: true, big: true },
        { t: 'text', text: slip.purpose === 'lend' ? w.illLend : w.illReturn, align: 'center' },
        { t: 'text', text: w.sendTo, align: 'center' },
        { t: 'text', text: slip.toLibrary, align: 'center', bold: true, big: true },
        ...(slip.agencyId ? [{ t: 'text' as const, text: slip.agencyId, align: 'center' as const }] : []),
        { t: 'blank' },
        { t: 'pair', left: w.from, right: slip.fromLibrary },
        { t: 'pair', left: w.illRequest, right: slip.requestId },
        ...(slip.dueBack ? [{ t: 'pair' as const, left: w.illDueBack, right: slip.dueBack, bold: true }] : []),
        { t: 'pair', left: w.date, right: slip.at },
        { t: 'rule' },
        { t: 'text', text: slip.title, bold: true },
        ...(slip.itemBarcode ? [{ t: 'barcode' as const, value: slip.itemBarcode }] : []),
      ];
    case 'test':
      return [
        ...head,
        { t: 'text', text: w.testPrint, align: 'center', bold: true },
        { t: 'text', text: 'Aa Ññ 123', align: 'center', big: true },
        { t: 'pair', left: slip.printerId, right: slip.at },
        { t: 'text', text: 'áéíóú ñÑ ¿¡ ü', align: 'center' },
        { t: 'rule' },
      ];
  }
}

/** Wraps a string to the paper's width; a word longer than a line is cut. */
function wrap(text: string, columns: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= columns) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
    while (line.length > columns) {
      out.push(line.slice(0, columns));
      line = line.slice(columns);
    }
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

function pairLines(left: string, right: string, columns: number): string[] {
  if (left.length + 1 + right.length <= columns)
    return [left + ' '.repeat(columns - left.length - right.length) + right];
  // Too long for one line: the label, then the value against the right edge.
  return [...wrap(left, columns), ...wrap(right, columns).map((r) => r.padStart(columns))];
}

const center = (s: string, columns: number) => ' '.repeat(Math.max(0, Math.floor((columns - s.length) / 2))) + s;

/** The slip as paper lines for a printer of this many columns. */
export function layoutSlip(slip: Slip, settings: SlipSettings, columns: number): PaperLine[] {
  const out: PaperLine[] = [];
  const text = (t: string, bold = false, big = false) => out.push({ kind: 'text', text: t, bold, big });
  for (const b of layout(slip, settings)) {
    if (b.t === 'rule') text('-'.repeat(columns));
    else if (b.t === 'blank') text('');
    else if (b.t === 'pair') for (const l of pairLines(b.left, b.right, columns)) text(l, !!b.bold);
    else if (b.t === 'barcode') out.push({ kind: 'barcode', value: b.value });
    else {
      // Double-width characters: half as many fit on a line.
      const width = b.big ? Math.floor(columns / 2) : columns;
      for (const l of wrap(b.text, width)) text(b.align === 'center' ? center(l, width) : l, !!b.bold, !!b.big);
    }
  }
  return out;
}

/** How a barcode shows in the text preview (on paper: the bars, with its number under them). */
export const barcodePreview = (value: string, columns: number) => center(`||| ${value} |||`, columns);

/** The text lines exactly as they print: the settings preview. */
export function renderSlipText(slip: Slip, settings: SlipSettings, columns: number): string[] {
  return layoutSlip(slip, settings, columns).map((l) =>
    l.kind === 'barcode' ? barcodePreview(l.value, columns) : l.text,
  );
}

export interface EncodeOptions {
  columns: number;
  codePage?: CodePage;
  model?: string;
  kickDrawer?: boolean;
}

// What "auto" may switch to, Western European first: left to itself the encoder reaches for
// Turkish PC857 for the euro sign, a table some printers lack; PC858 has it and every accented
// letter of Spanish, so a Spanish slip stays on two well-supported tables.
const AUTO_CODEPAGES = ['cp437', 'cp858', 'cp852', 'cp866', 'cp862', 'windows1252'];

function encoderFor(o: EncodeOptions): ReceiptPrinterEncoder {
  const model = o.model ?? 'epson-tm-t88vi';
  if (!ReceiptPrinterEncoder.printerModels.some((m) => m.id === model))
    throw new Error(`unknown receipt printer model "${model}"`);
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: o.columns,
    printerModel: model as never,
    codepageCandidates: AUTO_CODEPAGES as never,
  });
}

/** ESC/POS bytes for a slip: initialize, code page, the lines, the feed and the cut, then the drawer kick if asked. */
export function encodeSlip(slip: Slip, settings: SlipSettings, o: EncodeOptions): Uint8Array {
  const e = encoderFor(o);
  // "auto" switches code page for characters the current one lacks, so "Muñoz" prints right on any model.
  e.initialize().codepage(o.codePage ?? 'auto');
  for (const l of layoutSlip(slip, settings, o.columns)) {
    if (l.kind === 'barcode') {
      e.align('center').barcode(l.value, 'code128', { height: 60, text: 'below' }).align('left');
      continue;
    }
    if (l.bold) e.bold(true);
    if (l.big) e.size(2, 2);
    e.line(l.text);
    if (l.big) e.size(1, 1);
    if (l.bold) e.bold(false);
  }
  // The encoder feeds the paper past the cutter by itself (per printer model) before cutting.
  e.cut();
  if (o.kickDrawer) e.pulse();
  return e.encode();
}

/** Only the drawer kick (pin 2), for opening the drawer without a slip. */
export function encodeDrawerKick(o: Pick<EncodeOptions, 'columns' | 'model'>): Uint8Array {
  return encoderFor(o).initialize().pulse().encode();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** For the system printer when the desk has no receipt printer: the same lines as HTML, sized for 80 mm paper. The
 * barcode shows as its number (no bars: a system printer slip is read by people, not scanned). */
export function renderSlipHtml(slip: Slip, settings: SlipSettings, columns = 42): string {
  const body = layoutSlip(slip, settings, columns)
    .map((l) => {
      if (l.kind === 'barcode') return `<pre class="barcode">${escapeHtml(barcodePreview(l.value, columns))}</pre>`;
      const cls = [l.bold ? 'b' : '', l.big ? 'big' : ''].filter(Boolean).join(' ');
      return `<pre${cls ? ` class="${cls}"` : ''}>${escapeHtml(l.text) || ' '}</pre>`;
    })
    .join('\n');
  const style = [
    '@page{size:80mm auto;margin:4mm}',
    `body{margin:0;width:${columns}ch;font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:10pt}`,
    'pre{margin:0;font:inherit;white-space:pre}',
    '.b{font-weight:bold}',
    '.big{font-size:200%}',
    '.barcode{margin:2mm 0;font-weight:bold}',
  ].join('');
  return `<!doctype html><html lang="${escapeHtml(slip.language ?? settings.language)}"><head><meta charset="utf-8"><title>${escapeHtml(slip.kind)}</title><style>${style}</style></head><body>${body}</body></html>`;
}
