import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { CATALOG_FILE, MIGRATIONS, Migration, migrate, openCatalog } from './db';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mc-catalog-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").all() as Array<{
      name: string;
    }>
  )
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_'));

describe('openCatalog', () => {
  it('creates the data directory and a migrated database in WAL mode', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const db = openCatalog(dataDir);
    try {
      expect(existsSync(path.join(dataDir, CATALOG_FILE))).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(tables(db)).toEqual(expect.arrayContaining(['api_keys', 'series', 'series_name']));
    } finally {
      db.close();
    }
  });

  it('makes every commit durable when asked', () => {
    const db = openCatalog(dir, { durableCommits: true });
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('opens an existing catalog again without touching its data', () => {
    const first = openCatalog(dir);
    first
      .prepare('INSERT INTO series (key, name, labels, kind, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)')
      .run('a.b;host=x', 'a.b', '{"host":"x"}', 'gauge', 1, 2);
    first.close();

    const again = openCatalog(dir);
    try {
      expect(migrate(again)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
      expect(again.prepare('SELECT key, labels FROM series').all()).toEqual([
        { key: 'a.b;host=x', labels: '{"host":"x"}' },
      ]);
    } finally {
      again.close();
    }
  });

  it('refuses a catalog written by a newer worker', () => {
    const raw = new Database(path.join(dir, CATALOG_FILE));
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openCatalog(dir)).toThrow(/newer than this worker's/);
  });
});

describe('migrate', () => {
  const extra: Migration = {
    version: MIGRATIONS.length + 1,
    description: 'notes',
    sql: 'CREATE TABLE notes (id INTEGER)',
  };

  it('applies only what is pending, once', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual({ from: 0, to: MIGRATIONS.length });
    expect(migrate(db, [...MIGRATIONS, extra])).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length + 1 });
    expect(migrate(db, [...MIGRATIONS, extra])).toEqual({ from: MIGRATIONS.length + 1, to: MIGRATIONS.length + 1 });
    expect(tables(db)).toContain('notes');
    db.close();
  });

  it('leaves the database as it was when a step fails', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: MIGRATIONS.length + 2, description: 'broken', sql: 'CREATE TABLE oops (' };
    expect(() => migrate(db, [...MIGRATIONS, extra, broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses a list with a gap or out of order', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ ...extra, version: MIGRATIONS.length + 2 }, ...MIGRATIONS])).toThrow(
      /has version \d+, expected 1/
    );
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });
});
