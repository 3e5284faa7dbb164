/**
 * The inventory's tables in the catalog database (migration "inventory" in catalog/db.ts): documents in, documents
 * out. No rules live here: callers validate first, so references are known to exist and keys to be free, and they
 * wrap related writes in one transaction.
 *
 * Entities refer to each other by id in the tables and by key in documents; the translation happens in the SQL
 * (a sub-select per reference), so a document never carries an id it could get wrong.
 */
import type { Catalog } from '../catalog/db';
import {
  KINDS,
  LISTS,
  OWNER_COLUMNS,
  SCALARS,
  TABLES,
  formatRef,
  type Actor,
  type Doc,
  type Kind,
  type ListField,
} from './model';

export interface Stored {
  id: number;
  doc: Doc;
}

export interface Owner {
  kind: Kind;
  id: number;
}

export interface NoteRow {
  id: number;
  /** `kind:key` of the entity the note is on. */
  entity: string;
  owner: Owner;
  /** ms */
  time: number;
  author: string;
  body: string;
  pinned: boolean;
}

export interface RenewalRow {
  id: number;
  entity: string;
  owner: Owner;
  name: string;
  start: string;
  end: string;
  notes?: string;
}

export type HistoryKind = Kind | 'note' | 'renewal';

export interface HistoryRow {
  id: number;
  /** ms */
  time: number;
  actor: Actor;
  kind: HistoryKind;
  entityId: number;
  entity: string;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  related: Array<{ kind: HistoryKind; id: number; entity: string }>;
}

export interface HistoryQuery {
  /** Changes to this entity, or related to it. */
  subject?: { kind: HistoryKind; id: number };
  kinds?: readonly HistoryKind[];
  /** Only changes whose `changes` touch one of these fields (creations and deletions always do). */
  fields?: readonly string[];
  since?: number;
  until?: number;
  /** Paging: changes older than this id. */
  before?: number;
  limit: number;
}

/** Per list field: its table, the owner column and the document item's columns, in order. */
const LIST_TABLES: Record<ListField, { table: string; select: string; join?: string; columns: string[] }> = {
  addresses: {
    table: 'inv_addresses',
    select: 't.address, t.mac, t.interface',
    columns: ['address', 'mac', 'interface'],
  },
  contacts: {
    table: 'inv_contacts',
    select: 't.name, t.role, t.email, t.phone',
    columns: ['name', 'role', 'email', 'phone'],
  },
  servers: {
    table: 'inv_deployments',
    select: 's.hostname AS server, t.environment',
    join: 'JOIN inv_servers s ON s.id = t.server_id',
    columns: ['server', 'environment'],
  },
  aliases: {
    table: 'inv_application_aliases',
    select: 'a.fqdn',
    join: 'JOIN inv_aliases a ON a.id = t.alias_id',
    columns: ['fqdn'],
  },
};

/** The entity a note or renewal row belongs to, as `kind:key`, computed in SQL. */
const OWNER_REF_SQL = `CASE
  WHEN t.location_id IS NOT NULL THEN 'location:' || (SELECT name FROM inv_locations WHERE id = t.location_id)
  WHEN t.server_id IS NOT NULL THEN 'server:' || (SELECT hostname FROM inv_servers WHERE id = t.server_id)
  WHEN t.application_id IS NOT NULL THEN 'application:' || (SELECT name FROM inv_applications WHERE id = t.application_id)
  ELSE 'alias:' || (SELECT fqdn FROM inv_aliases WHERE id = t.alias_id) END AS entity,
  t.location_id, t.server_id, t.application_id, t.alias_id`;

type OwnerColumns = {
  location_id: number | null;
  server_id: number | null;
  application_id: number | null;
  alias_id: number | null;
};

function ownerOf(row: OwnerColumns): Owner {
  const kind = KINDS.find((k) => row[OWNER_COLUMNS[k] as keyof OwnerColumns] !== null)!;
  return { kind, id: row[OWNER_COLUMNS[kind] as keyof OwnerColumns]! };
}

export class InventoryStore {
  constructor(readonly db: Catalog) {}

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- entities

  /** Every entity of a kind, ordered by key, with its lists. */
  all(kind: Kind): Stored[] {
    return this.load(kind);
  }

  find(kind: Kind, key: string): Stored | undefined {
    const id = this.idOf(kind, key);
    return id === undefined ? undefined : this.load(kind, id)[0];
  }

  byId(kind: Kind, id: number): Stored | undefined {
    return this.load(kind, id)[0];
  }

  idOf(kind: Kind, key: string): number | undefined {
    const column = SCALARS[kind][0]!.column;
    const row = this.db.prepare(`SELECT id FROM ${TABLES[kind]} WHERE ${column} = ?`).get(key) as
      { id: number } | undefined;
    return row?.id;
  }

  count(kind: Kind): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${TABLES[kind]}`).get() as { n: number }).n;
  }

  insert(kind: Kind, doc: Doc): number {
    const fields = SCALARS[kind];
    const sql = `INSERT INTO ${TABLES[kind]} (${fields.map((f) => f.column).join(', ')}) VALUES (${fields
      .map((f) => placeholder(f.type))
      .join(', ')})`;
    const id = Number(this.db.prepare(sql).run(...fields.map((f) => toColumn(doc[f.name]))).lastInsertRowid);
    this.writeLists(kind, id, doc);
    return id;
  }

  update(kind: Kind, id: number, doc: Doc): void {
    const fields = SCALARS[kind];
    const sql = `UPDATE ${TABLES[kind]} SET ${fields.map((f) => `${f.column} = ${placeholder(f.type)}`).join(', ')} WHERE id = ?`;
    this.db.prepare(sql).run(...fields.map((f) => toColumn(doc[f.name])), id);
    this.writeLists(kind, id, doc);
  }

  delete(kind: Kind, id: number): void {
    this.db.prepare(`DELETE FROM ${TABLES[kind]} WHERE id = ?`).run(id);
  }

  /** What refers to an entity such that deleting it would leave a dangling reference, as `kind:key` refs. */
  referencesTo(kind: Kind, id: number): string[] {
    const refs = (sql: string, prefix: Kind) =>
      (this.db.prepare(sql).all(id) as Array<{ key: string }>).map((r) => formatRef(prefix, r.key));
    switch (kind) {
      case 'location':
        return refs('SELECT hostname AS key FROM inv_servers WHERE location_id = ? ORDER BY hostname', 'server');
      case 'server':
        return refs('SELECT fqdn AS key FROM inv_aliases WHERE server_id = ? ORDER BY fqdn', 'alias');
      default:
        return [];
    }
  }

  /** Hostnames of the servers at a location. */
  serversAt(locationId: number): string[] {
    return this.column('SELECT hostname AS v FROM inv_servers WHERE location_id = ? ORDER BY hostname', locationId);
  }

  /** FQDNs of the aliases pointing at a server. */
  aliasesTo(serverId: number): string[] {
    return this.column('SELECT fqdn AS v FROM inv_aliases WHERE server_id = ? ORDER BY fqdn', serverId);
  }

  /** The applications deployed on a server, by name and environment. */
  deploymentsOn(serverId: number): Array<{ application: string; environment: string }> {
    return this.db
      .prepare(
        `SELECT a.name AS application, d.environment FROM inv_deployments d
         JOIN inv_applications a ON a.id = d.application_id WHERE d.server_id = ? ORDER BY a.name, d.environment`
      )
      .all(serverId) as Array<{ application: string; environment: string }>;
  }

  /** Names of the applications that answer under an alias. */
  applicationsAt(aliasId: number): string[] {
    return this.column(
      `SELECT a.name AS v FROM inv_application_aliases x JOIN inv_applications a ON a.id = x.application_id
       WHERE x.alias_id = ? ORDER BY a.name`,
      aliasId
    );
  }

  private column(sql: string, ...args: unknown[]): string[] {
    return (this.db.prepare(sql).all(...args) as Array<{ v: string }>).map((r) => r.v);
  }

  private load(kind: Kind, id?: number): Stored[] {
    const fields = SCALARS[kind];
    const select = fields.map((f) => {
      if (f.type.t === 'ref') {
        const target = f.type.kind;
        return `(SELECT r.${SCALARS[target][0]!.column} FROM ${TABLES[target]} r WHERE r.id = t.${f.column}) AS "${f.name}"`;
      }
      return `t.${f.column} AS "${f.name}"`;
    });
    const rows = this.db
      .prepare(
        `SELECT t.id, ${select.join(', ')} FROM ${TABLES[kind]} t ${id === undefined ? '' : 'WHERE t.id = ?'} ORDER BY t.${fields[0]!.column}`
      )
      .all(...(id === undefined ? [] : [id])) as Array<Record<string, unknown> & { id: number }>;
    const out: Stored[] = rows.map((row) => {
      const doc: Doc = {};
      for (const f of fields) {
        if (row[f.name] !== null) {
          doc[f.name] = row[f.name];
        }
      }
      return { id: row.id, doc };
    });
    for (const list of LISTS[kind]) {
      const byOwner = this.loadList(kind, list, id);
      for (const s of out) {
        s.doc[list] = byOwner.get(s.id) ?? [];
      }
    }
    return out;
  }

  private loadList(kind: Kind, list: ListField, id: number | undefined): Map<number, unknown[]> {
    const spec = LIST_TABLES[list];
    const owner = `t.${OWNER_COLUMNS[kind]}`;
    const rows = this.db
      .prepare(
        `SELECT ${owner} AS owner, ${spec.select} FROM ${spec.table} t ${spec.join ?? ''}
         WHERE ${id === undefined ? `${owner} IS NOT NULL` : `${owner} = ?`} ORDER BY ${owner}, t.position`
      )
      .all(...(id === undefined ? [] : [id])) as Array<Record<string, unknown> & { owner: number }>;
    const out = new Map<number, unknown[]>();
    for (const row of rows) {
      let item: unknown;
      if (list === 'aliases') {
        item = row.fqdn;
      } else {
        const obj: Doc = {};
        for (const c of spec.columns) {
          if (row[c] !== null) {
            obj[c] = row[c];
          }
        }
        item = obj;
      }
      const items = out.get(row.owner);
      if (items) {
        items.push(item);
      } else {
        out.set(row.owner, [item]);
      }
    }
    return out;
  }

  private writeLists(kind: Kind, id: number, doc: Doc): void {
    const ownerColumn = OWNER_COLUMNS[kind];
    for (const list of LISTS[kind]) {
      const spec = LIST_TABLES[list];
      this.db.prepare(`DELETE FROM ${spec.table} WHERE ${ownerColumn} = ?`).run(id);
      const items = (doc[list] as unknown[] | undefined) ?? [];
      let insert: (item: unknown, position: number) => void;
      switch (list) {
        case 'servers': {
          const stmt = this.db.prepare(
            `INSERT INTO inv_deployments (application_id, server_id, environment, position)
             VALUES (?, (SELECT id FROM inv_servers WHERE hostname = ?), ?, ?)`
          );
          insert = (item, i) => {
            const d = item as { server: string; environment: string };
            stmt.run(id, d.server, d.environment, i);
          };
          break;
        }
        case 'aliases': {
          const stmt = this.db.prepare(
            `INSERT INTO inv_application_aliases (application_id, alias_id, position)
             VALUES (?, (SELECT id FROM inv_aliases WHERE fqdn = ?), ?)`
          );
          insert = (item, i) => stmt.run(id, item as string, i);
          break;
        }
        default: {
          const stmt = this.db.prepare(
            `INSERT INTO ${spec.table} (${ownerColumn}, position, ${spec.columns.join(', ')})
             VALUES (?, ?, ${spec.columns.map(() => '?').join(', ')})`
          );
          insert = (item, i) => {
            const obj = item as Doc;
            stmt.run(id, i, ...spec.columns.map((c) => toColumn(obj[c])));
          };
        }
      }
      items.forEach(insert);
    }
  }

  // ---- notes

  notes(q: { owner?: Owner; ids?: number[]; from?: number; until?: number; pinned?: boolean } = {}): NoteRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.owner) {
      where.push(`t.${OWNER_COLUMNS[q.owner.kind]} = ?`);
      args.push(q.owner.id);
    }
    if (q.ids) {
      where.push(`t.id IN (${q.ids.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...q.ids);
    }
    if (q.from !== undefined) {
      where.push('t.time >= ?');
      args.push(q.from);
    }
    if (q.until !== undefined) {
      where.push('t.time <= ?');
      args.push(q.until);
    }
    const rows = this.db
      .prepare(
        `SELECT t.id, t.time, t.author, t.body, t.pinned, ${OWNER_REF_SQL} FROM inv_notes t
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.time, t.id`
      )
      .all(...args) as Array<
      OwnerColumns & { id: number; time: number; author: string; body: string; pinned: number; entity: string }
    >;
    return rows.map((r) => ({
      id: r.id,
      entity: r.entity,
      owner: ownerOf(r),
      time: r.time,
      author: r.author,
      body: r.body,
      pinned: r.pinned === 1,
    }));
  }

  insertNote(owner: Owner, note: { time: number; author: string; body: string; pinned: boolean }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO inv_notes (${OWNER_COLUMNS[owner.kind]}, time, author, body, pinned) VALUES (?, ?, ?, ?, ?)`
        )
        .run(owner.id, note.time, note.author, note.body, note.pinned ? 1 : 0).lastInsertRowid
    );
  }

  updateNote(id: number, note: { time: number; author: string; body: string; pinned: boolean }): void {
    this.db
      .prepare('UPDATE inv_notes SET time = ?, author = ?, body = ?, pinned = ? WHERE id = ?')
      .run(note.time, note.author, note.body, note.pinned ? 1 : 0, id);
  }

  deleteNote(id: number): void {
    this.db.prepare('DELETE FROM inv_notes WHERE id = ?').run(id);
  }

  // ---- renewals

  renewals(q: { owner?: Owner; ids?: number[]; endingFrom?: string; endingUntil?: string } = {}): RenewalRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.owner) {
      where.push(`t.${OWNER_COLUMNS[q.owner.kind]} = ?`);
      args.push(q.owner.id);
    }
    if (q.ids) {
      where.push(`t.id IN (${q.ids.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...q.ids);
    }
    if (q.endingFrom !== undefined) {
      where.push('t.end_date >= ?');
      args.push(q.endingFrom);
    }
    if (q.endingUntil !== undefined) {
      where.push('t.end_date <= ?');
      args.push(q.endingUntil);
    }
    const rows = this.db
      .prepare(
        `SELECT t.id, t.name, t.start_date, t.end_date, t.notes, ${OWNER_REF_SQL} FROM inv_renewals t
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.end_date, t.id`
      )
      .all(...args) as Array<
      OwnerColumns & {
        id: number;
        name: string;
        start_date: string;
        end_date: string;
        notes: string | null;
        entity: string;
      }
    >;
    return rows.map((r) => ({
      id: r.id,
      entity: r.entity,
      owner: ownerOf(r),
      name: r.name,
      start: r.start_date,
      end: r.end_date,
      ...(r.notes !== null ? { notes: r.notes } : {}),
    }));
  }

  insertRenewal(owner: Owner, r: { name: string; start: string; end: string; notes?: string }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO inv_renewals (${OWNER_COLUMNS[owner.kind]}, name, start_date, end_date, notes) VALUES (?, ?, ?, ?, ?)`
        )
        .run(owner.id, r.name, r.start, r.end, r.notes ?? null).lastInsertRowid
    );
  }

  updateRenewal(id: number, r: { name: string; start: string; end: string; notes?: string }): void {
    this.db
      .prepare('UPDATE inv_renewals SET name = ?, start_date = ?, end_date = ?, notes = ? WHERE id = ?')
      .run(r.name, r.start, r.end, r.notes ?? null, id);
  }

  deleteRenewal(id: number): void {
    this.db.prepare('DELETE FROM inv_renewals WHERE id = ?').run(id);
  }

  // ---- history

  insertHistory(row: Omit<HistoryRow, 'id'>): number {
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO inv_history (time, actor, kind, entity_id, entity, action, changes) VALUES (?, ?, ?, ?, ?, ?, ?)'
        )
        .run(
          row.time,
          JSON.stringify(row.actor),
          row.kind,
          row.entityId,
          row.entity,
          row.action,
          JSON.stringify(row.changes)
        ).lastInsertRowid
    );
    const related = this.db.prepare(
      'INSERT OR IGNORE INTO inv_history_related (history_id, kind, entity_id, entity) VALUES (?, ?, ?, ?)'
    );
    for (const r of row.related) {
      related.run(id, r.kind, r.id, r.entity);
    }
    return id;
  }

  history(q: HistoryQuery): HistoryRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.subject) {
      where.push(
        '((h.kind = ? AND h.entity_id = ?) OR h.id IN (SELECT history_id FROM inv_history_related WHERE kind = ? AND entity_id = ?))'
      );
      args.push(q.subject.kind, q.subject.id, q.subject.kind, q.subject.id);
    }
    if (q.kinds) {
      where.push(`h.kind IN (${q.kinds.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...q.kinds);
    }
    if (q.fields) {
      where.push(
        `(h.action IN ('create', 'delete') OR EXISTS (SELECT 1 FROM json_each(h.changes) c WHERE c.key IN (${q.fields
          .map(() => '?')
          .join(', ')})))`
      );
      args.push(...q.fields);
    }
    for (const [cond, v] of [
      ['h.time >= ?', q.since],
      ['h.time <= ?', q.until],
      ['h.id < ?', q.before],
    ] as const) {
      if (v !== undefined) {
        where.push(cond);
        args.push(v);
      }
    }
    const rows = this.db
      .prepare(
        `SELECT h.*, (SELECT json_group_array(json_array(r.kind, r.entity_id, r.entity)) FROM inv_history_related r
           WHERE r.history_id = h.id) AS related
         FROM inv_history h ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY h.id DESC LIMIT ?`
      )
      .all(...args, q.limit) as Array<{
      id: number;
      time: number;
      actor: string;
      kind: HistoryKind;
      entity_id: number;
      entity: string;
      action: string;
      changes: string;
      related: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      time: r.time,
      actor: JSON.parse(r.actor) as Actor,
      kind: r.kind,
      entityId: r.entity_id,
      entity: r.entity,
      action: r.action,
      changes: JSON.parse(r.changes) as HistoryRow['changes'],
      related: (JSON.parse(r.related) as Array<[HistoryKind, number, string]>).map(([kind, id, entity]) => ({
        kind,
        id,
        entity,
      })),
    }));
  }

  /** The kind and id a `kind:key` ref last had in the history: the way to a deleted entity's changes. */
  lastSubjectNamed(entity: string): { kind: HistoryKind; id: number } | undefined {
    const row = this.db
      .prepare('SELECT kind, entity_id FROM inv_history WHERE entity = ? ORDER BY id DESC LIMIT 1')
      .get(entity) as { kind: HistoryKind; entity_id: number } | undefined;
    return row && { kind: row.kind, id: row.entity_id };
  }

  /** An API key's name, for the history's "who". */
  keyName(keyId: string): string | undefined {
    const row = this.db.prepare('SELECT name FROM api_keys WHERE id = ?').get(keyId) as
      { name: string | null } | undefined;
    return row?.name ?? undefined;
  }
}

function placeholder(type: { t: string; kind?: Kind }): string {
  if (type.t === 'ref') {
    const target = type.kind!;
    return `(SELECT id FROM ${TABLES[target]} WHERE ${SCALARS[target][0]!.column} = ?)`;
  }
  return '?';
}

function toColumn(v: unknown): unknown {
  return v === undefined ? null : v;
}
