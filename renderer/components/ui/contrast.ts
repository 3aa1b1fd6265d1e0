// WCAG 2.2 contrast, computed from the design tokens in styles.css: which colour each token has
// in each theme, and the contrast ratio of a pair. Used by tests/design/contrast.test.ts (and handy for anyone
// choosing a new colour: run it and it names the pair that falls short).

export type ThemeName = 'light' | 'dark' | 'contrast';

/** The custom properties declared in one rule of `css` whose selector is exactly `selector`. */
function declarations(css: string, selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  const uncommented = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of uncommented.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    if (m[1]!.trim() !== selector) continue;
    for (const d of m[2]!.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) out[d[1]!] = d[2]!.trim();
  }
  return out;
}

/** Every token of the theme as the browser resolves it: light-dark(a, b) is a in light, b in dark. */
export function themeTokens(css: string, theme: ThemeName): Record<string, string> {
  const base = declarations(css, ':root');
  const over = theme === 'contrast' ? declarations(css, ":root[data-theme='contrast']") : {};
  const merged = { ...base, ...over };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) {
    const ld = /^light-dark\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)$/.exec(value);
    out[name] = ld ? (theme === 'dark' ? ld[2]! : ld[1]!) : value;
  }
  return out;
}

/** #rgb or #rrggbb as 0..255 channels. */
export function parseHex(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** Relative luminance (WCAG 2.2, 1.4.3). */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
