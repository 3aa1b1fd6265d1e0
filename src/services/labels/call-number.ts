// A call number as a spine label prints it: one part a line. Libraries split at the parts of
// the number, not where the line runs out:
// - Library of Congress "QA76.73.J38 S65 2019 c.2" -> QA / 76.73 / .J38 / S65 / 2019 / c.2
//   (class letters, class number, each cutter, the date, the copy);
// - Dewey "616.07572 SMI 2019 c.2" -> 616.07572 / SMI / 2019 / c.2 (a prefix such as "J" or
//   "FIC" keeps its own line, as the space in the number says).

export type CallNumberScheme = 'lc' | 'dewey' | 'other';

const LC = /^([A-Z]{1,3})\s*(\d+(?:\.\d+)?)(.*)$/;
const DEWEY = /^\d{3}(?:\.\d+)?(?:\s|$)/;

export function schemeOf(callNumber: string): CallNumberScheme {
  const s = callNumber.trim();
  if (DEWEY.test(s)) return 'dewey';
  // A Dewey number after a prefix ("J 599.75 WIL", "REF 030 ENC"), before LC would take "J 599".
  if (/^[A-Za-z]{1,4}\s+\d{3}(?:\.\d+)?(?:\s|$)/.test(s)) return 'dewey';
  if (LC.test(s)) return 'lc';
  return 'other';
}

/** "c. 2", "copy 2", "v. 3", "pt. 1": a word and its number stay on one line. */
function joinNumbered(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const previous = out[out.length - 1];
    if (previous !== undefined && /^(c|cop|copy|v|vol|pt|no|t)\.?$/i.test(previous) && /^\d+$/.test(token))
      out[out.length - 1] = `${previous} ${token}`;
    else out.push(token);
  }
  return out;
}

export function splitCallNumber(callNumber: string): string[] {
  const s = callNumber.trim().replace(/\s+/g, ' ');
  if (!s) return [];
  if (schemeOf(s) === 'lc') {
    const [, letters = '', number = '', rest = ''] = s.match(LC) ?? [];
    // Cutters start with a full stop and a capital (".J38"), or follow a space ("S65"); a
    // second cutter may be run on (".J38S65").
    const tail = rest
      .replace(/(\.?[A-Z]\d+)/g, ' $1')
      .replace(/\s+/g, ' ')
      .trim();
    const tokens = tail ? tail.split(' ') : [];
    return [letters, number, ...joinNumbered(tokens)];
  }
  return joinNumbered(s.split(' '));
}
