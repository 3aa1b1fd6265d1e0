// Printed notices: one letter a page, the patron's address where a window envelope shows it.
//
// The address block follows the two common window envelopes: DIN 5008 / C5-C6-DL (A4 folded in
// three; window 20 mm from the left and 45 mm from the top, 85 x 45 mm) and the US #10 window
// envelope (Letter folded in three; window about 22 mm from the left, 48 mm from the top, 4 x
// 1 1/8 in). The page size follows the library's locale: Letter for the US, Canada and Mexico,
// A4 elsewhere. The library's return line sits small above the address, inside the window.
import type { NoticeTemplate } from '../domain/notices';

export interface Letter {
  id: string;
  language: string;
  addressLines: string[];
  rendered: NoticeTemplate;
  /** The date on the letter, already formatted. */
  date: string;
}

const LETTER_REGIONS = new Set(['US', 'CA', 'MX']);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function paperFor(locale: string): 'letter' | 'a4' {
  return LETTER_REGIONS.has((locale.split('-')[1] ?? '').toUpperCase()) ? 'letter' : 'a4';
}

export function lettersHtml(
  letters: Letter[],
  opts: { libraryName: string; returnAddress: string; locale: string; title: string },
): string {
  const paper = paperFor(opts.locale);
  const window =
    paper === 'letter' ? { left: 22, top: 48, width: 102, height: 29 } : { left: 20, top: 45, width: 85, height: 45 };
  const style = `
@page { size: ${paper === 'letter' ? 'letter' : 'A4'}; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #000; }
.letter { position: relative; width: ${paper === 'letter' ? '215.9mm' : '210mm'}; height: ${paper === 'letter' ? '279.4mm' : '297mm'}; page-break-after: always; break-after: page; overflow: hidden; }
.letter:last-child { page-break-after: auto; break-after: auto; }
.window { position: absolute; left: ${window.left}mm; top: ${window.top}mm; width: ${window.width}mm; height: ${window.height}mm; box-sizing: border-box; padding: 2mm 4mm; overflow: hidden; }
.return { font-size: 7pt; border-bottom: 0.2mm solid #000; margin-bottom: 1.5mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.address { white-space: pre-line; line-height: 1.25; }
.date { position: absolute; right: 20mm; top: ${window.top}mm; }
.content { position: absolute; left: 25mm; right: 20mm; top: ${window.top + window.height + 15}mm; }
.content h1 { font-size: 12pt; margin: 0 0 6mm; }
.content .body { white-space: pre-wrap; line-height: 1.4; }
`;
  const pages = letters
    .map(
      (l) => `<section class="letter" lang="${escapeHtml(l.language)}" data-notice-id="${escapeHtml(l.id)}">
<div class="window"><div class="return">${escapeHtml(opts.returnAddress)}</div><div class="address">${l.addressLines.map(escapeHtml).join('\n')}</div></div>
<div class="date">${escapeHtml(l.date)}</div>
<div class="content"><h1>${escapeHtml(l.rendered.subject)}</h1><div class="body">${escapeHtml(l.rendered.body)}</div></div>
</section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="${escapeHtml(opts.locale.slice(0, 2))}"><head><meta charset="utf-8"><title>${escapeHtml(opts.title)}</title><style>${style}</style></head><body>${pages}</body></html>`;
}
