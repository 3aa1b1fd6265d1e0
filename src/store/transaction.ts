// Transactions on the station's connection, for the services that write (runCommand) and for
// bookkeeping that rewrites the local copy (journal redaction, statistics, the sync's batches).
import type Database from 'better-sqlite3';

interface Connection {
  store: { db: Database.Database };
}

/**
 * BEGIN IMMEDIATE, the body, COMMIT; ROLLBACK if anything throws. better-sqlite3's
 * db.transaction() does the same but builds its wrapper functions anew on every call, which at
 * one transaction per check-out is measurable; these statements are prepared once per
 * connection. A command run inside another's transaction (none does today) nests as a savepoint
 * through db.transaction(), as before.
 */
export function inImmediateTransaction<T>(c: Connection, body: () => T): T {
  const db = c.store.db;
  if (db.inTransaction) return db.transaction(body).immediate();
  let s = transactionStatements.get(db);
  if (!s) {
    s = { begin: db.prepare('BEGIN IMMEDIATE'), commit: db.prepare('COMMIT'), rollback: db.prepare('ROLLBACK') };
    transactionStatements.set(db, s);
  }
  s.begin.run();
  try {
    const result = body();
    s.commit.run();
    return result;
  } catch (error) {
    // A failed COMMIT may have ended the transaction already.
    if (db.inTransaction) s.rollback.run();
    throw error;
  }
}

const transactionStatements = new WeakMap<
  Database.Database,
  Record<'begin' | 'commit' | 'rollback', Database.Statement>
>();

/** better-sqlite3's own transaction, BEGIN IMMEDIATE (a savepoint when nested). */
export function immediateTransaction<T>(c: Connection, body: () => T): T {
  return c.store.db.transaction(body).immediate();
}

/** better-sqlite3's own transaction, deferred (a savepoint when nested). */
export function deferredTransaction<T>(c: Connection, body: () => T): T {
  return c.store.db.transaction(body)();
}
