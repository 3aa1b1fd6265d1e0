// One layout per slip, written once as a list of blocks, rendered three ways: ESC/POS bytes for
// the receipt printer, plain text for the settings preview (exactly the printed lines), and HTML
// for the system printer when no receipt printer is set.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { SlipSettings } from '../config';
import type { Slip } from './types';
import { SLIP_WORDS } from './words';

type Block =
  | { t: 'text'; text: string; align?: 'left' | 'center'; bold?: boolean; big?: boolean }
  | { t: 'pair'; left: string; right: string }
  | { t: 'rule' }
  | { t: 'barcode'; value: string };

function layout(slip: Slip, s: SlipSettings): Block[] {
  const w = SLIP_WORDS[s.language];
  const head: Block[] = [{ t: 'text', text: s.libraryName, align: 'center', bold: true }];
  if (s.header) head.push({ t: 'text', text: s.header, align: 'center' });
  head.push({ t: 'rule' });
  const foot: Block[] = [{ t: 'rule' }, ...(s.footer ? [{ t: 'text' as const, text: s.footer, align: 'center' as const }] : []), { t: 'text', text: w.thanks, align: 'center' }];
  const patron = (p: { firstName: string; cardTail: string }): Block => ({ t: 'pair', left: w.patron, right: `${p.firstName} ${p.cardTail}`.trim() });
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
          { t: 'pair', left: l.barcode, right: l.detail },
        ]),
        ...foot,
      ];
    case 'hold':
      return [
        ...head,
        { t: 'text', text: w.hold, align: 'center', bold: true, big: true },
        patron(slip.patron),
        { t: 'pair', left: w.pickupAt, right: slip.pickupBranch },
        { t: 'pair', left: w.keepUntil, right: slip.shelfExpires },
        { t: 'text', text: slip.title },
        { t: 'barcode', value: slip.itemBarcode },
      ];
    case 'transit':
      return [
        ...head,
        { t: 'text', text: w.transit, align: 'center', bold: true },
        { t: 'text', text: w.sendTo, align: 'center' },
        { t: 'text', text: slip.destinationBranch, align: 'center', bold: true, big: true },
        { t: 'text', text: slip.title },
        { t: 'pair', left: slip.itemBarcode, right: slip.at },
        { t: 'barcode', value: slip.itemBarcode },
      ];
    case 'payment':
      return [
        ...head,
        { t: 'text', text: w.payment, bold: true },
        patron(slip.patron),
        { t: 'pair', left: w.date, right: slip.at },
        { t: 'pair', left: w.paid, right: slip.paid },
        { t: 'pair', left: w.tendered, right: slip.tendered },
        { t: 'pair', left: w.change, right: slip.change },
        { t: 'pair', left: w.remaining, right: slip.remaining },
        ...foot,
      ];
  }
}

/** Wraps a string to the paper's width. */
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

function pairLine(left: string, right: string, columns: number): string[] {
  if (left.length + 1 + right.length <= columns) return [left + ' '.repeat(columns - left.length - right.length) + right];
  return [...wrap(left, columns), ...wrap(right, columns).map((r) => r.padStart(columns))];
}

const center = (s: string, columns: number) => ' '.repeat(Math.max(0, Math.floor((columns - s.length) / 2))) + s;

/** The text lines exactly as they print: the settings preview. Big text takes double width. */
export function renderSlipText(slip: Slip, settings: SlipSettings, columns: number): string[] {
  const lines: string[] = [];
  for (const b of layout(slip, settings)) {
    if (b.t === 'rule') lines.push('-'.repeat(columns));
    else if (b.t === 'pair') lines.push(...pairLine(b.left, b.right, columns));
    else if (b.t === 'barcode') lines.push(center(`||| ${b.value} |||`, columns));
    else {
      const width = b.big ? Math.floor(columns / 2) : columns;
      for (const l of wrap(b.text, width)) lines.push(b.align === 'center' ? center(l, width) : l);
    }
  }
  return lines;
}

export function encodeSlip(slip: Slip, settings: SlipSettings, columns: number, opts: { kickDrawer?: boolean } = {}): Uint8Array {
  const e = new ReceiptPrinterEncoder({ language: 'esc-pos', columns, printerModel: 'epson-tm-t88vi' });
  // "auto" picks a code page that has every character of the text (Spanish names print right).
  e.initialize().codepage('auto');
  for (const b of layout(slip, settings)) {
    if (b.t === 'rule') e.rule();
    else if (b.t === 'pair') for (const l of pairLine(b.left, b.right, columns)) e.line(l);
    else if (b.t === 'barcode') e.align('center').barcode(b.value, 'code128', 60).newline().align('left');
    else {
      e.align(b.align ?? 'left').bold(!!b.bold);
      if (b.big) e.size(2, 2);
      for (const l of wrap(b.text, b.big ? Math.floor(columns / 2) : columns)) e.line(l);
      if (b.big) e.size(1, 1);
      e.bold(false).align('left');
    }
  }
  e.newline(3).cut();
  if (opts.kickDrawer) e.pulse();
  return e.encode();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** For the system printer when the desk has no receipt printer: the same layout as HTML. */
export function renderSlipHtml(slip: Slip, settings: SlipSettings): string {
  const body = layout(slip, settings)
    .map((b) => {
      if (b.t === 'rule') return '<hr>';
      if (b.t === 'pair') return `<p class="pair"><span>${escapeHtml(b.left)}</span><span>${escapeHtml(b.right)}</span></p>`;
      if (b.t === 'barcode') return `<p class="barcode">${escapeHtml(b.value)}</p>`;
      const tag = b.big ? 'h1' : 'p';
      return `<${tag} style="text-align:${b.align ?? 'left'};${b.bold ? 'font-weight:bold' : ''}">${escapeHtml(b.text)}</${tag}>`;
    })
    .join('\n');
  return `<!doctype html><html lang="${settings.language}"><meta charset="utf-8"><style>body{font-family:monospace;width:72mm}.pair{display:flex;justify-content:space-between}</style><body>${body}</body></html>`;
}
