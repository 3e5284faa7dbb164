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
  {
    version: 2,
    description: 'alerting: definitions, instance states, history, notifications, silences, acknowledgements',
    sql: `
      -- Definitions made through the API (provisioned ones live in YAML and are never stored). spec is the JSON the
      -- API accepted; notifier specs hold their secrets, which the API never shows back.
      CREATE TABLE alert_groups (
        name TEXT PRIMARY KEY,
        spec TEXT NOT NULL,
        updated_at INTEGER NOT NULL       -- ms since the epoch, as every time below
      );
      CREATE TABLE alert_rules (
        uid TEXT PRIMARY KEY,
        group_name TEXT NOT NULL,
        spec TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE alert_notifiers (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        spec TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- One row per alert instance: its state and what has been sent for it, so that a restart neither repeats a
      -- notification nor loses a recovery. key is '' for the rule's own instance.
      CREATE TABLE alert_instances (
        rule_uid TEXT NOT NULL,
        key TEXT NOT NULL,
        labels TEXT NOT NULL,             -- JSON object
        annotations TEXT NOT NULL,        -- JSON object, templated
        state TEXT NOT NULL,
        since INTEGER NOT NULL,
        last_breach_at INTEGER,
        value REAL,
        reason TEXT NOT NULL,
        notified_state TEXT,              -- the firing state last notified; NULL when no recovery is owed
        notify_count INTEGER NOT NULL,
        last_notified_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (rule_uid, key)
      );
      CREATE TABLE alert_transitions (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        rule_uid TEXT NOT NULL,
        key TEXT NOT NULL,
        labels TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        value REAL,
        reason TEXT NOT NULL
      );
      CREATE INDEX alert_transitions_at ON alert_transitions (at);
      CREATE INDEX alert_transitions_rule ON alert_transitions (rule_uid, at);
      CREATE TABLE alert_notifications (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        rule_uid TEXT,
        key TEXT,
        notifier TEXT NOT NULL,
        kind TEXT NOT NULL,               -- firing, recovered, throttled, test
        state TEXT,
        ok INTEGER NOT NULL,
        error TEXT
      );
      CREATE INDEX alert_notifications_at ON alert_notifications (at);
      CREATE INDEX alert_notifications_rule ON alert_notifications (rule_uid, at);
      CREATE TABLE alert_silences (
        id TEXT PRIMARY KEY,
        matchers TEXT NOT NULL,           -- JSON list of { name, op, value }
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        author TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE alert_acks (
        id TEXT PRIMARY KEY,
        rule_uid TEXT NOT NULL,
        key TEXT,                         -- NULL: every instance of the rule
        author TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'events (deploys, DNS changes) shown as annotations',
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        when_ms INTEGER NOT NULL,         -- ms since the epoch
        what TEXT NOT NULL,
        tags TEXT NOT NULL,               -- space-separated, as graphite-web keeps them
        data TEXT NOT NULL
      );
      CREATE INDEX events_when ON events (when_ms);
    `,
  },
  {
    version: 4,
    description:
      'inventory: locations, servers, addresses, applications, DNS aliases, contacts, notes, renewals, history',
    sql: `
      -- AUTOINCREMENT: a deleted entity's id is never given to a new one, so its history stays its own.
      -- Keys (names, hostname, fqdn) are stored in the normal form the inventory's validation produces.
      CREATE TABLE inv_locations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        description TEXT
      );
      CREATE TABLE inv_servers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        hostname TEXT NOT NULL UNIQUE,
        description TEXT,
        role TEXT,
        environment TEXT,
        location_id INTEGER REFERENCES inv_locations (id),
        provider TEXT,
        instance_id TEXT,
        os TEXT,
        cpus INTEGER,
        memory_gb REAL,
        disk_gb REAL,
        status TEXT NOT NULL CHECK (status IN ('active', 'deprecated')),
        series TEXT                       -- label matchers or a Graphite glob
      );
      CREATE INDEX inv_servers_location ON inv_servers (location_id);
      CREATE TABLE inv_addresses (
        server_id INTEGER NOT NULL REFERENCES inv_servers (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        address TEXT NOT NULL,
        mac TEXT,
        interface TEXT,
        PRIMARY KEY (server_id, address)
      );
      CREATE INDEX inv_addresses_address ON inv_addresses (address);
      CREATE TABLE inv_applications (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        description TEXT,
        technology TEXT,
        repository TEXT,
        owner TEXT,
        runbook TEXT,
        error_tracker TEXT,
        lifecycle TEXT NOT NULL CHECK (lifecycle IN ('planned', 'development', 'production', 'maintenance', 'retired')),
        series TEXT
      );
      CREATE TABLE inv_aliases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        fqdn TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL CHECK (type IN ('A', 'AAAA', 'CNAME', 'NS', 'TXT')),
        server_id INTEGER REFERENCES inv_servers (id),
        target TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'deprecated')),
        registrar TEXT,
        dns_managed_by TEXT,
        requested_by TEXT,
        description TEXT,
        CHECK ((server_id IS NULL) <> (target IS NULL))
      );
      CREATE INDEX inv_aliases_server ON inv_aliases (server_id);
      CREATE TABLE inv_deployments (
        application_id INTEGER NOT NULL REFERENCES inv_applications (id) ON DELETE CASCADE,
        server_id INTEGER NOT NULL REFERENCES inv_servers (id) ON DELETE CASCADE,
        environment TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (application_id, server_id, environment)
      );
      CREATE INDEX inv_deployments_server ON inv_deployments (server_id);
      CREATE TABLE inv_application_aliases (
        application_id INTEGER NOT NULL REFERENCES inv_applications (id) ON DELETE CASCADE,
        alias_id INTEGER NOT NULL REFERENCES inv_aliases (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (application_id, alias_id)
      );
      CREATE INDEX inv_application_aliases_alias ON inv_application_aliases (alias_id);
      -- Contacts of a server or an application, in the order to call them.
      CREATE TABLE inv_contacts (
        server_id INTEGER REFERENCES inv_servers (id) ON DELETE CASCADE,
        application_id INTEGER REFERENCES inv_applications (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        role TEXT,
        email TEXT,
        phone TEXT,
        CHECK ((server_id IS NULL) <> (application_id IS NULL))
      );
      CREATE INDEX inv_contacts_server ON inv_contacts (server_id, position);
      CREATE INDEX inv_contacts_application ON inv_contacts (application_id, position);
      -- Notes and renewals belong to exactly one entity of any kind; one column per kind keeps real foreign keys.
      CREATE TABLE inv_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        location_id INTEGER REFERENCES inv_locations (id) ON DELETE CASCADE,
        server_id INTEGER REFERENCES inv_servers (id) ON DELETE CASCADE,
        application_id INTEGER REFERENCES inv_applications (id) ON DELETE CASCADE,
        alias_id INTEGER REFERENCES inv_aliases (id) ON DELETE CASCADE,
        time INTEGER NOT NULL,            -- ms since the epoch
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        pinned INTEGER NOT NULL,
        CHECK ((location_id IS NOT NULL) + (server_id IS NOT NULL) + (application_id IS NOT NULL)
          + (alias_id IS NOT NULL) = 1)
      );
      CREATE INDEX inv_notes_time ON inv_notes (time);
      CREATE INDEX inv_notes_location ON inv_notes (location_id);
      CREATE INDEX inv_notes_server ON inv_notes (server_id);
      CREATE INDEX inv_notes_application ON inv_notes (application_id);
      CREATE INDEX inv_notes_alias ON inv_notes (alias_id);
      CREATE TABLE inv_renewals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        location_id INTEGER REFERENCES inv_locations (id) ON DELETE CASCADE,
        server_id INTEGER REFERENCES inv_servers (id) ON DELETE CASCADE,
        application_id INTEGER REFERENCES inv_applications (id) ON DELETE CASCADE,
        alias_id INTEGER REFERENCES inv_aliases (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        start_date TEXT NOT NULL,         -- YYYY-MM-DD
        end_date TEXT NOT NULL,
        notes TEXT,
        CHECK ((location_id IS NOT NULL) + (server_id IS NOT NULL) + (application_id IS NOT NULL)
          + (alias_id IS NOT NULL) = 1)
      );
      CREATE INDEX inv_renewals_end ON inv_renewals (end_date);
      CREATE INDEX inv_renewals_location ON inv_renewals (location_id);
      CREATE INDEX inv_renewals_server ON inv_renewals (server_id);
      CREATE INDEX inv_renewals_application ON inv_renewals (application_id);
      CREATE INDEX inv_renewals_alias ON inv_renewals (alias_id);
      -- Every change: kind and entity_id name the subject (also notes and renewals), entity its kind:key as it was.
      CREATE TABLE inv_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,            -- ms since the epoch
        actor TEXT NOT NULL,              -- JSON { keyId, name, user }
        kind TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        entity TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL             -- JSON { field: { from, to } }
      );
      CREATE INDEX inv_history_subject ON inv_history (kind, entity_id);
      CREATE INDEX inv_history_time ON inv_history (time);
      CREATE INDEX inv_history_entity ON inv_history (entity);
      -- The other entities a change concerns (a note's entity, an alias's server), so theirs show it too.
      CREATE TABLE inv_history_related (
        history_id INTEGER NOT NULL REFERENCES inv_history (id),
        kind TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        entity TEXT NOT NULL,
        PRIMARY KEY (kind, entity_id, history_id)
      ) WITHOUT ROWID;
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
