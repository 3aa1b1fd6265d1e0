// The keyword index (records_fts, kept by triggers on records: migrations/station/0010) can be
// suspended while a first MARC import fills an empty catalogue and built once at the end: one
// rebuild costs a fraction of indexing each record as it goes in (docs/performance.md).
//
// Suspending drops the three triggers and leaves a mark in station_state, in the same
// transaction; restoring rebuilds the index from records, puts the triggers back and removes
// the mark, in one transaction. A station that stopped in between (killed, power lost) finds the
// mark when it opens and restores the index then, so an interrupted import never leaves a
// catalogue the search cannot see or whose later changes go unindexed.
import type Database from 'better-sqlite3';

const MARK = 'search_index.suspended';

/** The triggers as migration 0010 makes them (tests/station/search-index.test.ts compares them). */
const TRIGGERS = [
  `CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
  INSERT INTO records_fts(rowid, title, author, isbn, issn, call_number, subjects)
  VALUES (new.rowid, new.title, new.author, new.isbn, new.issn, new.call_number, new.subjects);
END`,
  `CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, title, author, isbn, issn, call_number, subjects)
  VALUES ('delete', old.rowid, old.title, old.author, old.isbn, old.issn, old.call_number, old.subjects);
END`,
  `CREATE TRIGGER records_fts_update AFTER UPDATE OF title, author, isbn, issn, call_number, subjects ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, title, author, isbn, issn, call_number, subjects)
  VALUES ('delete', old.rowid, old.title, old.author, old.isbn, old.issn, old.call_number, old.subjects);
  INSERT INTO records_fts(rowid, title, author, isbn, issn, call_number, subjects)
  VALUES (new.rowid, new.title, new.author, new.isbn, new.issn, new.call_number, new.subjects);
END`,
];
const TRIGGER_NAMES = ['records_fts_insert', 'records_fts_delete', 'records_fts_update'];

export function searchIndexSuspended(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM station_state WHERE key = ?').get(MARK) !== undefined;
}

/** Stops indexing records as they are written. Call inside the transaction of the first writes it is for. */
export function suspendSearchIndex(db: Database.Database): void {
  for (const name of TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
  db.prepare(
    'INSERT INTO station_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(MARK, String(Date.now()));
}

/** Builds the index from every record and indexes records as they are written again. Does nothing unless suspended. */
export function restoreSearchIndex(db: Database.Database): void {
  if (!searchIndexSuspended(db)) return;
  db.transaction(() => {
    db.exec("INSERT INTO records_fts(records_fts) VALUES ('rebuild')");
    for (const name of TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
    for (const sql of TRIGGERS) db.exec(sql);
    db.prepare('DELETE FROM station_state WHERE key = ?').run(MARK);
  }).immediate();
}
