// The renderer as built (npm run build:renderer, into dist/renderer): the desk's first load stays
// small. What index.html loads at once (its script and the chunks it preloads) holds the sign-in
// and the circulation screens, not the kiosk nor the back-office screens, and no chunk is over
// Vite's 500 kB warning (the one bundle was 995 kB with React Aria and every screen in it).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const assets = join(dist, 'assets');
const KB = 1000;

describe('the built renderer', () => {
  it('keeps every chunk under 500 kB and the kiosk, set-up and settings out of the first load', () => {
    const chunks = readdirSync(assets).filter((f) => f.endsWith('.js'));
    for (const chunk of chunks)
      expect({ chunk, kB: Math.round(statSync(join(assets, chunk)).size / KB) }).toEqual({
        chunk,
        kB: expect.toSatisfy((kB: number) => kB <= 500),
      });
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const firstLoad = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(firstLoad.length).toBeGreaterThan(0);
    const firstLoadKb = firstLoad.reduce((sum, f) => sum + statSync(join(assets, f)).size, 0) / KB;
    expect(firstLoadKb).toBeLessThan(800);
    // The lazily loaded screens are chunks of their own, fetched when first opened.
    for (const screen of ['Kiosk', 'Setup', 'Settings', 'DeviceSettings', 'Reports', 'Catalogue']) {
      expect(chunks.some((c) => c.startsWith(`${screen}-`))).toBe(true);
      expect(firstLoad.some((c) => c.startsWith(`${screen}-`))).toBe(false);
    }
  });
});
