/**
 * The catalog: one SQLite database, `<dataDir>/catalog.db`, for what the worker knows about
 * rather than the samples themselves (series, API keys, and later rules and inventory).
 *
 * Schema changes are numbered migrations in MIGRATIONS, applied in order and recorded in
 * SQLite's `user_version`. Add a migration by appending an entry with the next number; never
 * edit one that has shipped, since databases in the field have already run it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

export type Catalog = Database.Database;

export interface Migration {
  /** 1, 2, 3, ... without gaps: the `user_version` the database has once it has run. */
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'API keys and the series catalog',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        hash TEXT UNIQUE NOT NULL,      -- hex SHA-256 of the whole key; the key itself is never stored
        scopes TEXT NOT NULL,           -- comma-separated: ingest, read, admin
        name TEXT,
        created_at INTEGER NOT NULL,    -- ms since the epoch
        last_used_at INTEGER
      );
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        key TEXT UNIQUE NOT NULL,       -- canonical name plus sorted labels
        name TEXT NOT NULL,
        labels TEXT NOT NULL,           -- JSON object
        kind TEXT NOT NULL,
        first_seen INTEGER NOT NULL,    -- ms since the epoch
        last_seen INTEGER NOT NULL
      );
      CREATE INDEX series_name ON series (name);
    `,
  },
];

export const CATALOG_FILE = 'catalog.db';

export interface OpenCatalogOptions {
  /**
   * Make every commit durable before it returns (synchronous=FULL) instead of at checkpoints.
   * For short-lived processes writing things no replay can restore, like `keys create`.
   */
  durableCommits?: boolean;
}

/** Opens `<dataDir>/catalog.db`, creating the directory and the database if needed, and migrates it. */
export function openCatalog(dataDir: string, opts: OpenCatalogOptions = {}): Catalog {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, CATALOG_FILE));
  try {
    // Another process (the CLI beside a running worker) may hold the write lock briefly:
    // wait for it rather than fail with SQLITE_BUSY.
    db.pragma('busy_timeout = 5000');
    // WAL: readers (queries, the HTTP API) never block the writer (series registration) and
    // a commit is one sequential append.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new Error(`${db.name}: SQLite refused WAL journal mode (got "${String(mode)}")`);
    }
    // NORMAL under WAL never corrupts the database; a power cut can only lose the last commits
    // since a checkpoint. That is safe here because samples are made durable by the store's own
    // write-ahead log, not by the catalog: series rows are registered again when that log is
    // replayed. Operator writes that nothing replays ask for durableCommits.
    db.pragma(`synchronous = ${opts.durableCommits ? 'FULL' : 'NORMAL'}`);
    // SQLite enforces REFERENCES only when each connection asks for it.
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Brings the database to the newest version in `migrations`, all pending steps in one
 * transaction: a failure leaves it exactly as it was. The write lock is taken first
 * (IMMEDIATE), so two processes opening a new data directory at once migrate it once.
 * Returns the versions before and after.
 */
export function migrate(db: Catalog, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration "${m.description}" has version ${m.version}, expected ${i + 1}`);
    }
  });
  const latest = migrations.length;
  return db
    .transaction(() => {
      const from = db.pragma('user_version', { simple: true }) as number;
      if (from > latest) {
        // Written by a newer worker: running old code on it could corrupt what it added.
        throw new Error(
          `${db.name} is at schema version ${from}, newer than this worker's ${latest}; upgrade the worker`
        );
      }
      for (const m of migrations.slice(from)) {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }
      return { from, to: latest };
    })
    .immediate();
}
