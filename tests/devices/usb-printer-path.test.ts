// A USB printer's path is written to from byte 0, so it must be a character device: pointed at
// station.db, a folder or a link to a file it is refused when the settings are saved (an issue
// on the path field, nothing saved) and again every time it is opened (checked on the opened
// descriptor, so swapping the path between a check and the open cannot win), and nothing is
// ever written to it, created or truncated. Real files, real links, a real pty and /dev/null.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BARCODE_RULES, classifyBarcode } from '../../src/domain/barcode';
import { DevicesConfig, type DevicesConfigInput } from '../../src/devices/config';
import { NotAPrinterDevice, openPrinterDevice } from '../../src/devices/device-file';
import { createDeviceManager } from '../../src/devices/manager';
import type { Slip } from '../../src/devices/slips/types';
import { startStationCore, type StationCore } from '../../src/station/core';
import { decodeEscPos } from './escpos-decoder';
import { ptyPrinter, until } from './support';

const slip: Slip = { kind: 'test', printerId: 'usb', at: '2026-12-01 10:00' };
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function devices(path: string, extra: Partial<DevicesConfigInput> = {}) {
  const logged: string[] = [];
  const d = createDeviceManager(
    DevicesConfig.parse({ printers: [{ id: 'usb', connection: { kind: 'usb-file', path } }], ...extra }),
    {
      classify: (b) => classifyBarcode(DEFAULT_BARCODE_RULES, b),
      log: (m) => logged.push(m),
      printerCheckMs: 100,
      maxPrintAttempts: 3,
    },
  );
  cleanups.push(() => d.stop());
  return Object.assign(d, { logged, state: () => d.states().find((s) => s.id === 'usb') });
}

/** A file that matters, with content: what a mistaken path would destroy. */
function precious(dir: string): string {
  const file = join(dir, 'station.db');
  writeFileSync(file, 'SQLite format 3\0 the library, all of it');
  return file;
}

describe('a USB printer path, when printing', () => {
  it('refuses a regular file: the job fails at once with the reason, the file is unchanged, the status says why', async () => {
    const file = precious(tmp('circa-usb-file-'));
    const before = { hash: sha(file), size: statSync(file).size, mtime: statSync(file).mtimeMs };
    const d = devices(file);
    await d.start();
    await until(() => d.state()?.status === 'error');
    expect(d.state()!.reason).toBe(
      `${file} is a regular file, not a printer's device file (a character device such as /dev/usb/lp0); nothing was written to it`,
    );

    const result = await d.print(slip);
    expect(result).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('is a regular file'),
    });
    expect(await d.testPrint()).toMatchObject({ status: 'failed' });
    expect(d.state()).toMatchObject({ status: 'error' });
    expect({ hash: sha(file), size: statSync(file).size, mtime: statSync(file).mtimeMs }).toEqual(before);
  });

  it('refuses a directory, and a link to a regular file (the file it points at unchanged)', async () => {
    const dir = tmp('circa-usb-dir-');
    const folder = join(dir, 'lp-folder');
    mkdirSync(folder);
    const d1 = devices(folder);
    expect(await d1.print(slip)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining(`${folder} is a directory`),
    });

    const file = precious(dir);
    const hash = sha(file);
    const link = join(dir, 'lp0');
    symlinkSync(file, link);
    const d2 = devices(link);
    await d2.start();
    await until(() => d2.state()?.status === 'error');
    expect(d2.state()!.reason).toContain(`${link} is a link to a regular file`);
    expect(await d2.print(slip)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('a link to a regular file'),
    });
    expect(sha(file)).toBe(hash);
  });

  it('never creates a missing device file: the printer is disconnected, and the path stays absent', async () => {
    const path = join(tmp('circa-usb-gone-'), 'lp0');
    const d = devices(path);
    await d.start();
    await until(() => d.state()?.status === 'disconnected');
    expect(await d.print(slip)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: expect.stringContaining('ENOENT'),
    });
    expect(existsSync(path)).toBe(false);
  });

  it('prints on a character device: a pty (through a link, as socat and udev name devices) and /dev/null', async () => {
    const lp = await ptyPrinter();
    cleanups.push(() => lp.close());
    const d = devices(lp.path);
    await d.start();
    await until(() => d.state()?.status === 'connected');
    expect(await d.print(slip)).toMatchObject({ status: 'printed', attempts: 1 });
    expect(decodeEscPos(await lp.take()).text).toContain('usb');

    const sink = devices('/dev/null');
    await sink.start();
    await until(() => sink.state()?.status === 'connected');
    expect(await sink.print(slip)).toMatchObject({ status: 'printed' });
  });

  it('checks the opened descriptor: a path swapped between a device and a file while it is opened never gets a byte into the file', async () => {
    const dir = tmp('circa-usb-race-');
    const file = precious(dir);
    const hash = sha(file);
    const path = join(dir, 'lp0');
    symlinkSync('/dev/null', path);
    // Another process flips the link between /dev/null and the file as fast as it can.
    const flipper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'); const [path, file] = process.argv.slice(1); let n = 0;
         for (;;) { const t = path + '.' + (n % 2); try { fs.unlinkSync(t); } catch {} fs.symlinkSync(n++ % 2 ? file : '/dev/null', t); fs.renameSync(t, path); }`,
        path,
        file,
      ],
      { stdio: 'ignore' },
    );
    cleanups.push(() => flipper.kill('SIGKILL'));
    let opened = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      try {
        const handle = await openPrinterDevice(path);
        // What a print would do next: write. It must only ever be the device.
        await handle.write(Buffer.from('overwritten!'), 0, 12, null);
        await handle.close();
        opened++;
      } catch (error) {
        if (!(error instanceof NotAPrinterDevice) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        refused++;
      }
    }
    flipper.kill('SIGKILL');
    // Both sides of the flip were seen, and the file was never written.
    expect(opened).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(sha(file)).toBe(hash);
  }, 60_000);
});

describe('a USB printer path, in the settings (devices.configure)', () => {
  let core: StationCore;
  let token: string;
  let dataDir: string;
  let dir: string;

  beforeAll(async () => {
    dataDir = tmp('circa-usb-station-');
    dir = tmp('circa-usb-paths-');
    core = await startStationCore({ dataDir });
    await core.invoke(
      'setup.initialize',
      {
        libraryName: 'Springfield',
        branchCode: 'MAIN',
        branchName: 'Main',
        timeZone: 'UTC',
        currency: 'USD',
        locale: 'en-US',
        admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
      },
      { local: true },
    );
    token = (
      (await core.invoke('auth.signIn', { username: 'admin', password: 'a long password' }, {})) as {
        value: { token: string };
      }
    ).value.token;
  });
  afterAll(async () => {
    await core?.close();
  });

  const configure = (path: string) =>
    core.invoke(
      'devices.configure',
      { printers: [{ id: 'usb', connection: { kind: 'usb-file', path } }] },
      { sessionToken: token },
    );
  const saved = async () =>
    ((await core.invoke('devices.get', {}, { sessionToken: token })) as { value: { config: { printers: unknown[] } } })
      .value.config.printers;

  it("refuses the station's own database, with an issue on the path field saying what it is; nothing is saved or written", async () => {
    const db = join(dataDir, 'station.db');
    const size = statSync(db).size;
    const r = await configure(db);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'INVALID',
        message: expect.stringContaining(`${db} is a regular file, not a printer's device file`),
        issues: [
          {
            path: 'printers.0.connection.path',
            message: expect.stringContaining('is a regular file'),
            reason: 'notCharacterDevice',
            params: { path: db, found: 'file', link: 0 },
          },
        ],
      },
    });
    expect(await saved()).toEqual([]);
    expect(statSync(db).size).toBeGreaterThanOrEqual(size);
    // The station is whole and working.
    expect((await core.invoke('setup.status', {}, {})) as { ok: boolean }).toMatchObject({
      ok: true,
      value: { configured: true, libraryName: 'Springfield' },
    });
  });

  it('refuses a directory and a link to a regular file; takes a path not there yet, a pty and /dev/null', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(await configure(folder)).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID',
        issues: [{ path: 'printers.0.connection.path', params: { found: 'directory', link: 0 } }],
      },
    });
    const file = precious(dir);
    const hash = sha(file);
    const link = join(dir, 'lp-link');
    symlinkSync(file, link);
    expect(await configure(link)).toMatchObject({
      ok: false,
      error: { code: 'INVALID', issues: [{ path: 'printers.0.connection.path', params: { found: 'file', link: 1 } }] },
    });
    expect(sha(file)).toBe(hash);
    expect(await saved()).toEqual([]);

    // Not plugged in yet: taken (the device file appears when the printer is), never created.
    const absent = join(dir, 'lp-absent');
    expect(await configure(absent)).toMatchObject({ ok: true });
    expect(existsSync(absent)).toBe(false);
    const receipts = async () =>
      ((await core.invoke('setup.status', {}, {})) as { value: { receiptPrinter?: boolean } }).value.receiptPrinter;
    expect(await receipts()).toBe(true);
    // A file appears there instead: refused when opened, and the kiosk is told no receipt can be printed.
    writeFileSync(absent, 'not a printer');
    expect(await core.invoke('devices.testPrint', {}, { sessionToken: token })).toMatchObject({ ok: true });
    await expect.poll(receipts, { timeout: 10_000 }).toBe(false);
    expect(readFileSync(absent, 'utf8')).toBe('not a printer');

    const lp = await ptyPrinter();
    cleanups.push(() => lp.close());
    expect(await configure(lp.path)).toMatchObject({ ok: true });
    const status = async () =>
      (
        (await core.invoke('status.get', {}, { sessionToken: token })) as {
          value: { devices: { id: string; status: string }[] };
        }
      ).value.devices.find((x) => x.id === 'usb')?.status;
    await expect.poll(status, { timeout: 10_000 }).toBe('connected');
    expect(await core.invoke('devices.testPrint', {}, { sessionToken: token })).toMatchObject({ ok: true });
    expect(decodeEscPos(await lp.take()).text).toContain('usb');

    expect(await configure('/dev/null')).toMatchObject({ ok: true });
    expect(await saved()).toMatchObject([{ connection: { kind: 'usb-file', path: '/dev/null' } }]);
  });
});
