// Reads ESC/POS bytes back into what a person would see on the paper: text lines (with their
// bold and size), barcodes where they stand, and the commands that matter (code page, cut,
// drawer kick). No library decodes ESC/POS, so the tests carry this small one. Its code page
// tables are written out here (Epson's ESC t numbering), not taken from the encoder under test.

const CP437 =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
const CP850 =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';
const CP858 = CP850.replace('ı', '€');
// Windows-1252: its own 0x80-0x9F, then Latin-1 (Node's TextDecoder maps 0x80-0x9F as Latin-1).
const WINDOWS1252 =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ' +
  String.fromCharCode(...Array.from({ length: 96 }, (_, i) => 0xa0 + i));

/** Epson's ESC t table numbers for the code pages the tests meet. */
export const EPSON_CODEPAGES: Record<number, { name: string; high: string }> = {
  0: { name: 'cp437', high: CP437 },
  2: { name: 'cp850', high: CP850 },
  16: { name: 'windows1252', high: WINDOWS1252 },
  19: { name: 'cp858', high: CP858 },
};

export type Command =
  | { cmd: 'init' }
  | { cmd: 'codepage'; n: number }
  | { cmd: 'bold'; on: boolean }
  | { cmd: 'align'; n: number }
  | { cmd: 'size'; width: number; height: number }
  | { cmd: 'barcode'; symbology: number; data: string }
  | { cmd: 'cut' }
  | { cmd: 'drawer'; pin: number; onMs: number; offMs: number }
  | { cmd: 'other'; bytes: number[] };

export type PaperItem =
  { kind: 'text'; text: string; bold: boolean; big: boolean } | { kind: 'barcode'; value: string };

export interface Decoded {
  /** Text lines only, as printed. */
  lines: string[];
  /** Lines and barcodes in paper order, up to the cut, without the feed before it. */
  paper: PaperItem[];
  commands: Command[];
  text: string;
}

export function decodeEscPos(b: Uint8Array): Decoded {
  const commands: Command[] = [];
  const lines: string[] = [];
  const paper: PaperItem[] = [];
  let line = '';
  let codepage = 0;
  let bold = false;
  let big = false;
  let lineBold = false;
  let lineBig = false;
  let afterBarcode = false;
  const char = (x: number) =>
    x < 0x80 ? String.fromCharCode(x) : (EPSON_CODEPAGES[codepage]?.high[x - 0x80] ?? '\ufffd');
  const endLine = () => {
    lines.push(line);
    paper.push({ kind: 'text', text: line, bold: lineBold, big: lineBig });
    line = '';
    lineBold = bold;
    lineBig = big;
  };
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x === 0x0a) {
      // The line feed that ends a barcode's row prints no text line of its own.
      if (afterBarcode && line === '') afterBarcode = false;
      else endLine();
    } else if (x === 0x0d) {
      /* carriage return: nothing on paper */
    } else if (x === 0x1b) {
      const c = b[++i]!;
      if (c === 0x40) {
        commands.push({ cmd: 'init' });
        codepage = 0;
        bold = big = false;
      } else if (c === 0x74) commands.push({ cmd: 'codepage', n: (codepage = b[++i]!) });
      else if (c === 0x45) {
        bold = b[++i]! === 1;
        if (line === '') lineBold = bold;
        commands.push({ cmd: 'bold', on: bold });
      } else if (c === 0x61) commands.push({ cmd: 'align', n: b[++i]! });
      else if (c === 0x70) {
        commands.push({ cmd: 'drawer', pin: b[i + 1]!, onMs: b[i + 2]! * 2, offMs: b[i + 3]! * 2 });
        i += 3;
      } else if (c === 0x64 || c === 0x4d || c === 0x21 || c === 0x2d || c === 0x47 || c === 0x33) i++;
      else if (c === 0x32) {
        /* default line spacing */
      } else commands.push({ cmd: 'other', bytes: [0x1b, c] });
    } else if (x === 0x1d) {
      const c = b[++i]!;
      if (c === 0x21) {
        const n = b[++i]!;
        big = n !== 0;
        if (line === '') lineBig = big;
        commands.push({ cmd: 'size', width: ((n >> 4) & 0x0f) + 1, height: (n & 0x0f) + 1 });
      } else if (c === 0x56) {
        const m = b[++i]!;
        if (m === 65 || m === 66) i++;
        commands.push({ cmd: 'cut' });
      } else if (c === 0x6b) {
        const m = b[++i]!;
        let data: string;
        if (m >= 65) {
          const n = b[++i]!;
          data = Buffer.from(b.subarray(i + 1, i + 1 + n)).toString('latin1');
          i += n;
        } else {
          const end = b.indexOf(0, i + 1);
          data = Buffer.from(b.subarray(i + 1, end)).toString('latin1');
          i = end;
        }
        // Code 128 data starts with its code set selector ("{B").
        const value = m === 73 ? data.replace(/^\{[ABC]/, '') : data;
        commands.push({ cmd: 'barcode', symbology: m, data: value });
        paper.push({ kind: 'barcode', value });
        afterBarcode = true;
      } else if (c === 0x68 || c === 0x77 || c === 0x48 || c === 0x66) i++;
      else commands.push({ cmd: 'other', bytes: [0x1d, c] });
    } else if (x === 0x1c) {
      i++; // FS . (cancel Kanji) and the like
    } else if (x >= 0x20) {
      if (line === '') {
        lineBold = bold;
        lineBig = big;
      }
      line += char(x);
    }
  }
  if (line) endLine();
  // The feed before the cut is paper, not content.
  const cutAt = commands.findIndex((c) => c.cmd === 'cut');
  if (cutAt >= 0)
    while (paper.length && paper.at(-1)!.kind === 'text' && (paper.at(-1) as { text: string }).text === '') paper.pop();
  return { lines, paper, commands, text: lines.join('\n') };
}
