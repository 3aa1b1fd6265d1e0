import Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdleCheckpointer } from './checkpoint';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A WAL database with SQLite's own checkpoint off: only the checkpointer moves pages. */
function open(): { db: Database.Database; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'circa-ckpt-')), 'x.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (v TEXT)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, path };
}

describe('checkpoints when the desk is quiet', () => {
  const dbs: Database.Database[] = [];
  afterEach(() => dbs.splice(0).forEach((d) => d.close()));

  it('copies the WAL into the database file once commits stop for the idle time, not while they go on', async () => {
    const { db, path } = open();
    dbs.push(db);
    const emptySize = statSync(path).size;
    const c = new IdleCheckpointer(db, { idleMs: 150 });
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    // A commit every 40 ms: each restarts the quiet period, so the pages stay in the WAL.
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) insert.run('x'.repeat(3000));
      c.touch();
      await sleep(40);
    }
    expect(statSync(path).size).toBe(emptySize);
    // Quiet: the pages go into the database file (100 rows of 3 kB is at least 300 kB).
    await sleep(400);
    expect(statSync(path).size).toBeGreaterThan(emptySize + 300_000);
    c.stop();
  });

  it('does nothing after stop', async () => {
    const { db, path } = open();
    dbs.push(db);
    const c = new IdleCheckpointer(db, { idleMs: 10 });
    c.stop();
    db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(30_000));
    c.touch();
    await sleep(100);
    expect(statSync(path).size).toBeLessThan(30_000);
    expect(c.checkpointNow()).toEqual({ walPages: 0, checkpointed: 0 });
  });
});
