import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reserveWalSpace } from './wal-reserve';

const MiB = 1024 * 1024;

function wal(): { db: Database.Database; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'circa-walres-')), 'x.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return { db, path };
}

describe('the WAL gets its working size at open', () => {
  it('grows the WAL once; commits then write into that space and the file does not grow', () => {
    const { db, path } = wal();
    expect(reserveWalSpace(db, path, 4 * MiB)).toBeGreaterThan(3 * MiB);
    const reserved = statSync(`${path}-wal`).size;
    expect(reserved).toBe(4 * MiB);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(`row ${i}`);
    expect(statSync(`${path}-wal`).size).toBe(reserved);
    // Already that big: nothing to do.
    expect(reserveWalSpace(db, path, 4 * MiB)).toBe(0);
    db.close();
  });

  it('loses no committed row when the files are taken as they are on disk mid-run (a power cut) and opened again', () => {
    const { db, path } = wal();
    db.pragma('wal_autocheckpoint = 0');
    reserveWalSpace(db, path, 2 * MiB);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 300; i++) insert.run(`row ${i}`);
    // The database and its WAL as a crash would leave them: valid frames, then reserved zeros.
    const copy = join(mkdtempSync(join(tmpdir(), 'circa-walres-crash-')), 'x.db');
    copyFileSync(path, copy);
    copyFileSync(`${path}-wal`, `${copy}-wal`);
    db.close();
    expect(statSync(`${copy}-wal`).size).toBe(2 * MiB);
    const reopened = new Database(copy);
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(reopened.prepare('SELECT count(*) AS n, max(v) AS last FROM t').get()).toEqual({ n: 300, last: 'row 99' });
    reopened.close();
  });

  it('keeps every commit of a process killed with SIGKILL after reserving', () => {
    const { db, path } = wal();
    db.close();
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const { reserveWalSpace } = require(${JSON.stringify(require.resolve('./wal-reserve.ts'))});
         const db = new D(${JSON.stringify(path)}); db.pragma('synchronous = FULL');
         reserveWalSpace(db, ${JSON.stringify(path)}, 2 * 1024 * 1024);
         const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
         for (let i = 0; i < 500; i++) insert.run('row ' + i);
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--import tsx' } },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(statSync(`${path}-wal`).size).toBe(2 * MiB);
    const reopened = new Database(path);
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((reopened.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(500);
    reopened.close();
  });

  it('does nothing for a store in memory', () => {
    const db = new Database(':memory:');
    expect(reserveWalSpace(db, ':memory:', MiB)).toBe(0);
    db.close();
  });
});
