import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESKTOP_SETTINGS, readDesktopSettings } from './settings';

describe('desktop settings', () => {
  it('has updates off by default and accepts only an https update feed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-desk-'));
    expect(readDesktopSettings(dir)).toEqual(DEFAULT_DESKTOP_SETTINGS);
    writeFileSync(
      join(dir, 'desktop.json'),
      JSON.stringify({ kiosk: true, startAtLogin: true, updateUrl: 'http://insecure.example/' }),
    );
    expect(readDesktopSettings(dir)).toEqual({ kiosk: true, startAtLogin: true, updateUrl: null });
    writeFileSync(join(dir, 'desktop.json'), JSON.stringify({ updateUrl: 'https://updates.example.org/circa/' }));
    expect(readDesktopSettings(dir).updateUrl).toBe('https://updates.example.org/circa/');
    writeFileSync(join(dir, 'desktop.json'), '{ not json');
    expect(readDesktopSettings(dir)).toEqual(DEFAULT_DESKTOP_SETTINGS);
  });
});
