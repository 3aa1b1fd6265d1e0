// Starting Circa with the OS session (the "start at login" setting). Windows and macOS have a
// login-item API in Electron; Linux desktops read an XDG autostart file instead, so there the
// file is written or removed.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export interface LoginItemOptions {
  enabled: boolean;
  kiosk: boolean;
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** The program to start: process.env.APPIMAGE for an AppImage (its mount point changes), else process.execPath. */
  executable: string;
  /** ~/.config/autostart on Linux. */
  autostartDir: string;
}

const quote = (arg: string) => (/[\s"'\\$`]/.test(arg) ? `"${arg.replace(/(["\\$`])/g, '\\$1')}"` : arg);

export function autostartEntry(executable: string, kiosk: boolean): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Circa',
    'Comment=Library circulation station',
    `Exec=${[executable, ...(kiosk ? ['--kiosk'] : [])].map(quote).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export function applyStartAtLogin(o: LoginItemOptions): void {
  const args = o.kiosk ? ['--kiosk'] : [];
  if (o.platform !== 'linux') {
    o.app.setLoginItemSettings({ openAtLogin: o.enabled, args });
    return;
  }
  const file = join(o.autostartDir, 'circa.desktop');
  if (o.enabled) {
    mkdirSync(o.autostartDir, { recursive: true });
    writeFileSync(file, autostartEntry(o.executable, o.kiosk));
  } else if (existsSync(file)) {
    rmSync(file);
  }
}
