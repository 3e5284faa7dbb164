/**
 * Events: deploys, DNS changes and the like, each a time, a title (`what`), tags and free text
 * (`data`), kept in the catalog and shown in Grafana as annotations through graphite-web's
 * /events API or our own. Times are stored in milliseconds.
 */
import type { Catalog } from './db';

export interface StoredEvent {
  id: number;
  /** Unix seconds, with milliseconds as fractions. */
  when: number;
  what: string;
  tags: string[];
  data: string;
}

export interface NewEvent {
  what: string;
  tags?: string[];
  data?: string;
  /** Unix seconds; the time of the request when absent. */
  when?: number;
}

export interface EventQuery {
  /** Inclusive bounds, Unix seconds. */
  from?: number;
  until?: number;
  /** Events having every one of these tags (or, with `any`, at least one). */
  tags?: string[];
  any?: boolean;
  /** At most this many, the latest ones. */
  limit?: number;
}

/**
 * An event body as graphite-web's POST /events takes it: `what` (required), `tags` as a list or
 * a space-separated string, `data` (text; anything else is stored as its JSON) and `when` in Unix
 * seconds. Answers the event or what is wrong, naming the field.
 */
export function parseEventBody(body: unknown): { event: NewEvent } | { error: string; field?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { error: 'body must be a JSON object: {"what": ..., "tags": [...], "data": ..., "when": ...}' };
  }
  const b = body as Record<string, unknown>;
  if (typeof b.what !== 'string' || b.what.trim() === '') {
    return { error: 'what must be a non-empty string', field: 'what' };
  }
  if (b.what.length > 255) {
    return { error: 'what must be at most 255 characters', field: 'what' };
  }
  let tags: string[] = [];
  if (typeof b.tags === 'string') {
    tags = splitTags(b.tags);
  } else if (Array.isArray(b.tags) && b.tags.every((t) => typeof t === 'string')) {
    tags = splitTags((b.tags as string[]).join(' '));
  } else if (b.tags !== undefined && b.tags !== null) {
    return { error: 'tags must be an array of strings or a space-separated string', field: 'tags' };
  }
  const data =
    b.data === undefined || b.data === null ? '' : typeof b.data === 'string' ? b.data : JSON.stringify(b.data);
  if (b.when !== undefined && (typeof b.when !== 'number' || !Number.isFinite(b.when) || b.when < 0)) {
    return { error: 'when must be Unix seconds', field: 'when' };
  }
  const event: NewEvent = { what: b.what, tags, data };
  if (b.when !== undefined) event.when = b.when;
  return { event };
}

/** Tags as graphite-web stores them: whitespace-separated words, each once. */
export function splitTags(s: string): string[] {
  return [...new Set(s.split(/\s+/).filter((t) => t !== ''))];
}

interface Row {
  id: number;
  when_ms: number;
  what: string;
  tags: string;
  data: string;
}

function toEvent(r: Row): StoredEvent {
  return { id: r.id, when: r.when_ms / 1000, what: r.what, tags: splitTags(r.tags), data: r.data };
}

export class EventStore {
  constructor(
    private readonly db: Catalog,
    private readonly now: () => number = Date.now
  ) {}

  add(e: NewEvent): StoredEvent {
    const whenMs = e.when !== undefined ? Math.round(e.when * 1000) : this.now();
    const tags = (e.tags ?? []).join(' ');
    const data = e.data ?? '';
    const r = this.db
      .prepare('INSERT INTO events (when_ms, what, tags, data) VALUES (?, ?, ?, ?)')
      .run(whenMs, e.what, tags, data);
    return { id: Number(r.lastInsertRowid), when: whenMs / 1000, what: e.what, tags: splitTags(tags), data };
  }

  /** Matching events, oldest first. */
  find(q: EventQuery = {}): StoredEvent[] {
    const where: string[] = [];
    const params: number[] = [];
    if (q.from !== undefined) {
      where.push('when_ms >= ?');
      params.push(Math.ceil(q.from * 1000));
    }
    if (q.until !== undefined) {
      where.push('when_ms <= ?');
      params.push(Math.floor(q.until * 1000));
    }
    const sql = `SELECT id, when_ms, what, tags, data FROM events${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY when_ms, id`;
    const wanted = q.tags ?? [];
    let events = (this.db.prepare(sql).all(...params) as Row[]).map(toEvent).filter((e) => {
      if (wanted.length === 0) return true;
      return q.any ? wanted.some((t) => e.tags.includes(t)) : wanted.every((t) => e.tags.includes(t));
    });
    if (q.limit !== undefined && events.length > q.limit) events = events.slice(events.length - q.limit);
    return events;
  }
}
