// Reads ESC/POS bytes back into what a person would see on the paper: text lines, and the
// commands that matter (code page, bold, size, barcode, cut, drawer kick). No library decodes
// ESC/POS, so the tests carry this small one.

const CP437_HIGH: Record<number, string> = {
  0x80: 'Ç', 0x81: 'ü', 0x82: 'é', 0x83: 'â', 0x84: 'ä', 0x85: 'à', 0x87: 'ç', 0x88: 'ê', 0x8a: 'è', 0x8b: 'ï', 0x90: 'É',
  0xa0: 'á', 0xa1: 'í', 0xa2: 'ó', 0xa3: 'ú', 0xa4: 'ñ', 0xa5: 'Ñ', 0xa8: '¿', 0xad: '¡', 0x9a: 'Ü',
  0xc4: '─', 0xcd: '═', 0xb3: '│',
};

export type Command =
  | { cmd: 'init' }
  | { cmd: 'codepage'; n: number }
  | { cmd: 'bold'; on: boolean }
  | { cmd: 'align'; n: number }
  | { cmd: 'size'; n: number }
  | { cmd: 'barcode'; symbology: number; data: string }
  | { cmd: 'cut' }
  | { cmd: 'drawer'; pin: number }
  | { cmd: 'other'; bytes: number[] };

export interface Decoded {
  lines: string[];
  commands: Command[];
  text: string;
}

export function decodeEscPos(input: Uint8Array): Decoded {
  const b = input;
  const commands: Command[] = [];
  const lines: string[] = [];
  let line = '';
  let codepage = 0;
  const char = (x: number) => (x < 0x80 ? String.fromCharCode(x) : codepage === 0 ? (CP437_HIGH[x] ?? '?') : Buffer.from([x]).toString('latin1'));
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x === 0x0a) {
      lines.push(line);
      line = '';
    } else if (x === 0x0d) {
      /* carriage return: nothing on paper */
    } else if (x === 0x1b) {
      const c = b[++i]!;
      if (c === 0x40) commands.push({ cmd: 'init' });
      else if (c === 0x74) commands.push({ cmd: 'codepage', n: (codepage = b[++i]!) });
      else if (c === 0x45) commands.push({ cmd: 'bold', on: b[++i]! === 1 });
      else if (c === 0x61) commands.push({ cmd: 'align', n: b[++i]! });
      else if (c === 0x70) {
        commands.push({ cmd: 'drawer', pin: b[++i]! });
        i += 2;
      } else if (c === 0x64 || c === 0x4d || c === 0x21 || c === 0x2d || c === 0x47) {
        i++;
      } else commands.push({ cmd: 'other', bytes: [0x1b, c] });
    } else if (x === 0x1d) {
      const c = b[++i]!;
      if (c === 0x21) commands.push({ cmd: 'size', n: b[++i]! });
      else if (c === 0x56) {
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
        commands.push({ cmd: 'barcode', symbology: m, data: m === 73 ? data.replace(/^\{[ABC]/, '') : data });
      } else if (c === 0x68 || c === 0x77 || c === 0x48 || c === 0x66) i++;
      else commands.push({ cmd: 'other', bytes: [0x1d, c] });
    } else if (x === 0x1c) {
      i++; // FS . (cancel Kanji) and the like
    } else if (x >= 0x20) {
      line += char(x);
    }
  }
  if (line) lines.push(line);
  return { lines, commands, text: lines.join('\n') };
}
