// Every colour pair of the design system, in each theme, computed from styles.css itself: text
// on its backgrounds at 4.5:1 (WCAG 2.2 AA, 1.4.3), control edges and the focus ring at 3:1
// (1.4.11). A new tone or a changed colour that falls short fails here, naming the pair.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, themeTokens, type ThemeName } from '../../renderer/components/ui/contrast';

const CSS = readFileSync(new URL('../../renderer/styles.css', import.meta.url), 'utf8');
const THEMES: ThemeName[] = ['light', 'dark', 'contrast'];
const TONES = ['ok', 'info', 'warning', 'refused', 'overdue', 'hold', 'transit', 'lost', 'danger'];

/** [foreground, background, the least ratio] */
const PAIRS: [string, string, number][] = [
  ...['--ink', '--muted', '--accent'].flatMap((fg) =>
    ['--paper', '--surface'].map((bg): [string, string, number] => [fg, bg, 4.5]),
  ),
  ['--accent-ink', '--accent', 4.5],
  ['--button-ink', '--button-bg', 4.5],
  ...TONES.map((tone): [string, string, number] => [`--${tone}-ink`, `--${tone}-bg`, 4.5]),
  // An error or warning inside a panel, and a field's own error under it.
  ['--danger-ink', '--paper', 4.5],
  ['--danger-ink', '--surface', 4.5],
  ['--ok-ink', '--paper', 4.5],
  // Edges of controls and the focus ring, against what is around them (1.4.11 non-text contrast).
  ...['--control-border', '--focus'].flatMap((fg) =>
    ['--paper', '--surface', '--button-bg'].map((bg): [string, string, number] => [fg, bg, 3]),
  ),
  ['--accent', '--paper', 3],
];

describe('the design tokens', () => {
  it('declare every tone the screens use, as a pair, in each theme', () => {
    for (const theme of THEMES) {
      const tokens = themeTokens(CSS, theme);
      for (const tone of TONES) {
        expect(tokens[`--${tone}-bg`], `${theme}: --${tone}-bg`).toMatch(/^#[0-9a-f]{6}$/i);
        expect(tokens[`--${tone}-ink`], `${theme}: --${tone}-ink`).toMatch(/^#[0-9a-f]{6}$/i);
      }
      for (const name of [
        '--space-1',
        '--space-6',
        '--text-sm',
        '--text-md',
        '--text-lg',
        '--text-xl',
        '--border',
        '--surface',
      ])
        expect(tokens[name], `${theme}: ${name}`).toBeTruthy();
    }
  });

  it('have light and dark values that differ, and a high-contrast theme of its own', () => {
    const [light, dark, contrast] = THEMES.map((t) => themeTokens(CSS, t));
    expect(light!['--paper']).not.toBe(dark!['--paper']);
    expect(contrast!['--ink']).toBe('#000000');
  });

  it.each(THEMES)('meet WCAG 2.2 AA in every pair, %s theme', (theme) => {
    const tokens = themeTokens(CSS, theme);
    const short = PAIRS.filter(([fg, bg, least]) => contrastRatio(tokens[fg]!, tokens[bg]!) < least).map(
      ([fg, bg, least]) =>
        `${fg} ${tokens[fg]} on ${bg} ${tokens[bg]}: ${contrastRatio(tokens[fg]!, tokens[bg]!).toFixed(2)} < ${least}`,
    );
    expect(short).toEqual([]);
  });

  it('the high-contrast theme reaches 7:1 (AAA) for all its text', () => {
    const tokens = themeTokens(CSS, 'contrast');
    const short = PAIRS.filter(([, , least]) => least === 4.5)
      .filter(([fg, bg]) => contrastRatio(tokens[fg]!, tokens[bg]!) < 7)
      .map(([fg, bg]) => `${fg} on ${bg}: ${contrastRatio(tokens[fg]!, tokens[bg]!).toFixed(2)}`);
    expect(short).toEqual([]);
  });

  it('computes ratios as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });
});
