// electron-builder.yml, checked against electron-builder's own configuration schema and for the
// choices the packages depend on. (Building a package needs the Electron binary, which CI does
// not download; the schema is what electron-builder validates before it builds.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder (which reads this file with it); it ships no types.
const yaml = require('js-yaml') as { load(text: string): unknown };
interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[] };
  mac: { target: string[] };
}
const config = yaml.load(readFileSync(`${root}/electron-builder.yml`, 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('builds an AppImage and a deb, an NSIS installer and a dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('rebuilds the native modules for Electron and unpacks them from the archive', () => {
    expect(config.npmRebuild).toBe(true);
    for (const native of ['better-sqlite3', 'node-hid', '@serialport/bindings-cpp'])
      expect(config.asarUnpack).toContain(`node_modules/${native}/**`);
  });

  it('sets the production fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('ships the bundles, the renderer, the migrations and an icon, and no source maps', () => {
    expect(config.files).toEqual(
      expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'migrations/**', '!**/*.map']),
    );
    expect(readFileSync(`${root}/resources/${config.linux.icon}`).subarray(1, 4).toString()).toBe('PNG');
  });
});
