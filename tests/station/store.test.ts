import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/store/migrate';
import { openStore } from '../../src/store/open';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'circa-store-')), 'station.db');

describe('the station store', () => {
  it('opens with WAL, synchronous=NORMAL (answers await the shared flush) and foreign keys on', () => {
    const store = openStore(tempDb());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // NORMAL, never OFF: the WAL is flushed by store.durable() before any answer (durability.test.ts).
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('makes every table STRICT, so a wrong type is refused by SQLite itself', () => {
    const store = openStore(tempDb());
    const tables = store.db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(20);
    for (const t of tables) expect(t.sql, t.name).toMatch(/STRICT$/);
    expect(() =>
      store.db.prepare("INSERT INTO branches (id, code, name, time_zone) VALUES ('b', 'B', 'B', 'UTC')").run(),
    ).not.toThrow();
    expect(() =>
      store.db
        .prepare("INSERT INTO item_types (id, code, name, not_for_loan) VALUES ('X', 'X', 'X', 'not a number')")
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    store.close();
  });

  it('applies every migration of the journal, even one whose timestamp is older than one already applied', () => {
    const path = tempDb();
    const db = new Database(path);
    const [first, second] = readMigrations();
    // A branch merged later carries an older timestamp: apply "second" first, as if it had landed
    // first, then the full list. drizzle's own migrator would skip "first" here.
    applyMigrations(db, [first!]);
    const lateMigration = {
      tag: '0000a_merged_late',
      statements: ['CREATE TABLE merged_late (id TEXT PRIMARY KEY) STRICT'],
    };
    const applied = applyMigrations(db, [first!, lateMigration, second!]);
    expect(applied).toEqual(['0000a_merged_late', second!.tag]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'merged_late'").get()).toBeTruthy();
    // Nothing is applied twice.
    expect(applyMigrations(db, [first!, lateMigration, second!])).toEqual([]);
    db.close();
  });

  it('keeps the patron of a sync exception recorded before exceptions named every patron', () => {
    const db = new Database(tempDb());
    const migrations = readMigrations();
    const at = migrations.findIndex((m) => m.tag === '0002_sync_exception_patrons');
    applyMigrations(db, migrations.slice(0, at));
    const insert = db.prepare(
      `INSERT INTO sync_exceptions (id, kind, message, patron_id, item_id, entry_ids, created_at) VALUES (?, 'lent_twice', 'm', ?, NULL, '[]', 1)`,
    );
    insert.run('hub-1', 'p1');
    insert.run('pull:x', null);
    applyMigrations(db, migrations);
    expect(
      db.prepare('SELECT id, patron_id AS patronId, patron_ids AS patronIds FROM sync_exceptions ORDER BY id').all(),
    ).toEqual([
      { id: 'hub-1', patronId: 'p1', patronIds: '["p1"]' },
      { id: 'pull:x', patronId: null, patronIds: '[]' },
    ]);
    db.close();
  });

  it('indexes the phone digits of patrons registered before patron search knew them', () => {
    const db = new Database(tempDb());
    const migrations = readMigrations();
    const at = migrations.findIndex((m) => m.tag === '0004_patron_phone_digits');
    applyMigrations(db, migrations.slice(0, at));
    db.prepare("INSERT INTO branches (id, code, name, time_zone) VALUES ('b', 'B', 'B', 'UTC')").run();
    const insert = db.prepare(
      `INSERT INTO patrons (id, card_barcode, first_name, last_name, email, phone, address, home_branch_id, category_code, card_expires_on, pin_hash, notes, keep_reading_history, created_at)
       VALUES (?, ?, ?, 'Reader', NULL, ?, NULL, 'b', 'ADULT', '2030-01-01', NULL, '', 0, 1)`,
    );
    insert.run('p1', '20000000000001', 'Ana', '(555) 123-4567');
    insert.run('p2', '20000000000002', 'Ben', null);
    applyMigrations(db, migrations);
    const found = (q: string) =>
      db
        .prepare('SELECT p.id FROM patrons_fts f JOIN patrons p ON p.rowid = f.rowid WHERE patrons_fts MATCH ?')
        .pluck()
        .all(q);
    expect(found('"5551234"*')).toEqual(['p1']);
    expect(found('"ben"*')).toEqual(['p2']);
    db.close();
  });

  it('records every migration of the journal as applied after opening', () => {
    const store = openStore(tempDb());
    const tags = (store.db.prepare('SELECT tag FROM __migrations ORDER BY tag').all() as { tag: string }[]).map(
      (r) => r.tag,
    );
    expect(tags).toEqual(
      readMigrations()
        .map((m) => m.tag)
        .sort(),
    );
    store.close();
  });

  it('keeps the journal append-only', () => {
    const store = openStore(tempDb());
    store.db
      .prepare(
        "INSERT INTO journal (id, station_id, hlc, wall_time, staff_id, branch_id, command, payload) VALUES ('e1', 's', 'h', 1, NULL, 'b', 'x', '{}')",
      )
      .run();
    expect(() => store.db.prepare("DELETE FROM journal WHERE id = 'e1'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare("UPDATE journal SET payload = '{\"forged\":1}' WHERE id = 'e1'").run()).toThrow(
      /append-only/,
    );
    // Recording the hub's acknowledgement is the one update allowed.
    store.db.prepare("UPDATE journal SET acked_at = 5, outcome = 'applied' WHERE id = 'e1'").run();
    expect(store.db.prepare("SELECT outcome FROM journal WHERE id = 'e1'").get()).toEqual({ outcome: 'applied' });
    store.close();
  });
});
