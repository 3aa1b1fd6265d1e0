// The desktop app's own settings (not library data): a JSON file in the data folder that IT can
// deploy. Automatic updates are off unless an update URL is set.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DesktopSettings {
  kiosk: boolean;
  startAtLogin: boolean;
  /** A generic electron-updater feed (https://.../latest.yml); null: no automatic updates. */
  updateUrl: string | null;
}

export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = { kiosk: false, startAtLogin: false, updateUrl: null };

export function readDesktopSettings(dataDir: string): DesktopSettings {
  const path = join(dataDir, 'desktop.json');
  if (!existsSync(path)) return DEFAULT_DESKTOP_SETTINGS;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<DesktopSettings>;
    return {
      kiosk: raw.kiosk === true,
      startAtLogin: raw.startAtLogin === true,
      updateUrl: typeof raw.updateUrl === 'string' && /^https:\/\//.test(raw.updateUrl) ? raw.updateUrl : null,
    };
  } catch {
    return DEFAULT_DESKTOP_SETTINGS;
  }
}
