import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStartAtLogin } from './login-item';

describe('start at login', () => {
  it('uses the OS login item on Windows and macOS, with --kiosk for a kiosk', () => {
    const settings: unknown[] = [];
    const app = { setLoginItemSettings: (s: unknown) => void settings.push(s) };
    applyStartAtLogin({
      enabled: true,
      kiosk: true,
      platform: 'win32',
      app,
      executable: 'C:\\Circa\\Circa.exe',
      autostartDir: '/unused',
    });
    applyStartAtLogin({
      enabled: false,
      kiosk: false,
      platform: 'darwin',
      app,
      executable: '/Applications/Circa.app',
      autostartDir: '/unused',
    });
    expect(settings).toEqual([
      { openAtLogin: true, args: ['--kiosk'] },
      { openAtLogin: false, args: [] },
    ]);
  });

  it('writes and removes an XDG autostart entry on Linux', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'circa-autostart-')), 'autostart');
    const app = { setLoginItemSettings: () => expect.unreachable('not on Linux') };
    applyStartAtLogin({
      enabled: true,
      kiosk: true,
      platform: 'linux',
      app,
      executable: '/home/desk/Apps/Circa 1.0.AppImage',
      autostartDir: dir,
    });
    const entry = readFileSync(join(dir, 'circa.desktop'), 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\n/);
    expect(entry).toContain('Exec="/home/desk/Apps/Circa 1.0.AppImage" --kiosk\n');
    applyStartAtLogin({ enabled: false, kiosk: true, platform: 'linux', app, executable: '/x', autostartDir: dir });
    expect(existsSync(join(dir, 'circa.desktop'))).toBe(false);
  });
});
