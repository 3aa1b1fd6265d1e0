// The hub's database: embedded PGlite by default (nothing to set up), PostgreSQL when
// DATABASE_URL is given. Both behind one small interface, so every query runs on both.
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findUp, readMigrations } from '../shared/migrations';
import { lockDataFolder } from './data-lock';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface HubDb extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  kind: 'pglite' | 'postgres';
}

export const HUB_MIGRATIONS_DIR = findUp(join('migrations', 'hub'), fileURLToPath(new URL('.', import.meta.url)));

export async function openHubDb(opts: {
  dataDir?: string;
  databaseUrl?: string | null;
  schema?: string;
}): Promise<HubDb> {
  if (opts.databaseUrl) {
    // A schema per hub when asked (tests run several side by side on one database).
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const db: HubDb = {
      kind: 'postgres',
      async query<T>(sql: string, params: unknown[] = []) {
        return (await pool.query(sql, params)).rows as T[];
      },
      async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn({
            query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
          });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
    if (opts.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
    return db;
  }
  if (!opts.dataDir) return pgliteDb(new PGlite(), () => undefined);
  mkdirSync(opts.dataDir, { recursive: true });
  // One process at a time (PGlite does not check); a lock left by a killed hub is taken over.
  const release = lockDataFolder(opts.dataDir);
  try {
    // What a commit has written is in the folder's files when the query returns: PGlite's Node
    // file system writes through to them as PostgreSQL writes (syncToFs has nothing to do there,
    // so relaxedDurability, which answers before syncToFs ends, would change nothing; it stays
    // off all the same), and a commit's WAL is written before the commit returns. So a hub killed
    // with SIGKILL keeps every commit and replays its WAL when it starts again. PGlite runs
    // PostgreSQL with fsync off and its file system has no fsync, though: a power cut or an
    // operating system crash may lose the last commits, or worse (docs/hub.md, "PGlite or
    // PostgreSQL").
    const lite = await PGlite.create(join(opts.dataDir, 'pglite'), { relaxedDurability: false });
    return pgliteDb(lite, release);
  } catch (error) {
    release();
    throw error;
  }
}

function pgliteDb(lite: PGlite, release: () => void): HubDb {
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await lite.query<T>(sql, params)).rows;
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return lite.transaction(async (tx) =>
        fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows }),
      );
    },
    async close() {
      try {
        await lite.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * Applies every migration of the journal not yet applied (by tag, whatever its timestamp), under
 * an advisory lock so that hub processes starting together do not race.
 */
export async function migrateHub(db: HubDb, dir = HUB_MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7400)');
    await tx.query('CREATE TABLE IF NOT EXISTS hub_migrations (tag text PRIMARY KEY, applied_at bigint NOT NULL)');
    const applied = new Set((await tx.query<{ tag: string }>('SELECT tag FROM hub_migrations')).map((r) => r.tag));
    const done: string[] = [];
    for (const { tag, statements } of migrations) {
      if (applied.has(tag)) continue;
      for (const statement of statements) await tx.query(statement);
      await tx.query('INSERT INTO hub_migrations (tag, applied_at) VALUES ($1, $2)', [tag, Date.now()]);
      done.push(tag);
    }
    return done;
  });
}
