import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walDurability, type Durability } from './durability';

let db: Database.Database;
let durability: Durability;

function open() {
  const path = join(mkdtempSync(join(tmpdir(), 'circa-durable-')), 'station.db');
  db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  durability = walDurability(db, path);
}
const commit = () => db.prepare('INSERT INTO t (v) VALUES (?)').run('x'.repeat(200));

afterEach(() => {
  durability.close();
  db.close();
});

describe('the shared flush (group commit)', () => {
  it('flushes once a write is waiting, and not when nothing was written', async () => {
    open();
    await durability.durable();
    // The table was created before: that write is flushed by the first call.
    const afterSetUp = durability.flushes();
    await durability.durable();
    expect(durability.flushes()).toBe(afterSetUp);
    commit();
    await durability.durable();
    expect(durability.flushes()).toBe(afterSetUp + 1);
  });

  it('lets many commits share a flush, and never lets a commit ride on a flush that began before it', async () => {
    open();
    await durability.durable();
    const before = durability.flushes();
    // 20 callers commit one after the other in the same moment, each then waiting for the disk:
    // the first starts a flush; the 19 that committed after it began share the next one.
    const confirmed: number[] = [];
    const waits = Array.from({ length: 20 }, (_, i) => {
      commit();
      return durability.durable().then(() => confirmed.push(i));
    });
    await Promise.all(waits);
    expect(confirmed).toHaveLength(20);
    expect(durability.flushes() - before).toBe(2);
  });

  it('refuses to confirm once its file is closed', async () => {
    open();
    durability.close();
    commit();
    await expect(durability.durable()).rejects.toThrow(/closed/);
  });
});
