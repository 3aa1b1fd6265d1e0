// The connection settings the pull and the first load write other branches' rows under
// (src/sync/apply-pulled.ts, src/sync/initial-load.ts): the hub's rows can arrive child before
// parent, so references are checked at the end of a batch, or once the whole load is in.
import type { Reader } from './reader';

type Connection = Pick<Reader, 'store'>;

/** Inside a transaction: its foreign keys are checked at its commit rather than row by row. */
export function deferForeignKeys(c: Connection): void {
  c.store.db.pragma('defer_foreign_keys = ON');
}

/**
 * Runs `body` with foreign keys off (outside any transaction: SQLite ignores the setting inside
 * one), and on again after, whatever happens. Only around synchronous work: no desk command runs
 * in between.
 */
export function withoutForeignKeys<T>(c: Connection, body: () => T): T {
  c.store.db.pragma('foreign_keys = OFF');
  try {
    return body();
  } finally {
    c.store.db.pragma('foreign_keys = ON');
  }
}
