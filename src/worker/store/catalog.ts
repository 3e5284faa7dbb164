/**
 * The series catalog: every series' id, name, labels, kind and first/last seen times, held in
 * memory for lookups on the ingest path and persisted in the catalog database (SQLite).
 * New series are written in batches; until then the WAL's series records are the source of truth.
 */
import type { Database } from 'better-sqlite3';
import type { Labels, SeriesKind, SeriesRef } from './types';
import { formatTaggedPath } from '../ingest/labels';

/** Canonical key of a series: carbon's tagged path, name;a=1;b=2 with tags in carbon's order. */
export function seriesKey(name: string, labels: Labels): string {
  for (const _ in labels) return formatTaggedPath(name, labels);
  return name;
}

/**
 * A copy of a string that shares no memory with its source: names parsed from a network
 * chunk are slices of it, and the catalog keeps them for the life of the process.
 */
function own(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

export function parseSeriesKey(key: string): { name: string; labels: Labels } {
  const parts = key.split(';');
  const labels: Labels = {};
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i]!.indexOf('=');
    labels[parts[i]!.slice(0, eq)] = parts[i]!.slice(eq + 1);
  }
  return { name: parts[0]!, labels };
}

export class SeriesCatalog {
  private readonly byKey = new Map<string, SeriesRef>();
  private readonly byId = new Map<number, SeriesRef>();
  private readonly created: SeriesRef[] = [];
  /** Series whose first/last seen changed since the last persist; `isTouched` (by id) keeps each in it once. */
  private readonly touched: SeriesRef[] = [];
  private isTouched = new Uint8Array(1024);
  private maxId = 0;

  constructor(private readonly db: Database) {
    const rows = db.prepare('SELECT id, key, name, labels, kind, first_seen, last_seen FROM series').all() as Array<{
      id: number;
      key: string;
      name: string;
      labels: string;
      kind: SeriesKind;
      first_seen: number;
      last_seen: number;
    }>;
    for (const r of rows) {
      const ref: SeriesRef = {
        id: r.id,
        name: r.name,
        labels: JSON.parse(r.labels) as Labels,
        kind: r.kind,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
      };
      this.index(r.key, ref);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(key: string): SeriesRef | undefined {
    return this.byKey.get(key);
  }

  byIdOf(id: number): SeriesRef | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<SeriesRef> {
    return this.byId.values();
  }

  create(key: string, name: string, labels: Labels, kind: SeriesKind, t: number): SeriesRef {
    const owned: Labels = {};
    for (const l in labels) owned[own(l)] = own(labels[l]!);
    const ref: SeriesRef = { id: ++this.maxId, name: own(name), labels: owned, kind, firstSeen: t, lastSeen: t };
    // An untagged series' key is its name: one copy serves both.
    this.index(key === name ? ref.name : own(key), ref);
    this.created.push(ref);
    return ref;
  }

  /** Re-creates a series from its WAL record, keeping its id. */
  restore(id: number, key: string, kind: SeriesKind, t: number): SeriesRef {
    const existing = this.byId.get(id);
    if (existing) return existing;
    const { name, labels } = parseSeriesKey(key);
    const ref: SeriesRef = { id, name, labels, kind, firstSeen: t, lastSeen: t };
    this.index(key, ref);
    this.created.push(ref);
    return ref;
  }

  /** Called for every sample: a flag per id, not a Set lookup, marks the series for the next persist. */
  touch(ref: SeriesRef, t: number): void {
    if (t > ref.lastSeen) ref.lastSeen = t;
    else if (t < ref.firstSeen) ref.firstSeen = t;
    else return;
    const id = ref.id;
    if (id >= this.isTouched.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.isTouched.length * 2));
      grown.set(this.isTouched);
      this.isTouched = grown;
    }
    if (this.isTouched[id] === 0) {
      this.isTouched[id] = 1;
      this.touched.push(ref);
    }
  }

  /** Writes new series and changed first/last seen times in one transaction. */
  persist(): void {
    if (this.created.length === 0 && this.touched.length === 0) return;
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO series (id, key, name, labels, kind, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)'
    );
    const update = this.db.prepare('UPDATE series SET first_seen = ?, last_seen = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const r of this.created) {
        insert.run(
          r.id,
          seriesKey(r.name, r.labels),
          r.name,
          JSON.stringify(r.labels),
          r.kind,
          r.firstSeen,
          r.lastSeen
        );
      }
      for (const r of this.touched) update.run(r.firstSeen, r.lastSeen, r.id);
    })();
    this.created.length = 0;
    for (const r of this.touched) this.isTouched[r.id] = 0;
    this.touched.length = 0;
  }

  private index(key: string, ref: SeriesRef): void {
    this.byKey.set(key, ref);
    this.byId.set(ref.id, ref);
    if (ref.id > this.maxId) this.maxId = ref.id;
  }
}
