/**
 * The inventory's rules: what may be created, changed and deleted, and the history every change leaves. The HTTP
 * API, the alias workflow, imports and the CLI all come through here, so a rule holds however the change arrives.
 *
 * - Input is validated as a whole document (a PATCH is merged into the stored one first); every fault is reported.
 * - Keys are unique per kind; references must name existing entities. Both answer 400 naming the field.
 * - An entity others refer to (a location with servers, a server that aliases point at) cannot be deleted: 409
 *   listing the references. Deployments and alias links of a deleted server or alias are dropped from the
 *   applications, and recorded as changes to them.
 * - An alias moves pending → active → deprecated; through the API it may also go back to pending (a change request)
 *   or be withdrawn while pending. An import sets whatever the file says.
 */
import type {
  AliasDetail,
  ApplicationDetail,
  InventoryHistoryAction,
  InventoryHistoryEntry,
  InventoryImportResponse,
  InventoryNote,
  InventoryRenewal,
  LocationDetail,
  ServerDetail,
} from '../../shared/api';
import { RENEWAL_SOON_DAYS } from '../../shared/api';
import type { Catalog } from '../catalog/db';
import { InventoryError, badRequest, invalid, notFound } from './errors';
import { History, type Subject } from './history';
import {
  CREATION_ORDER,
  actorLabel,
  formatRef,
  keyField,
  keyOf,
  parseRef,
  type Actor,
  type Doc,
  type Kind,
} from './model';
import { parseSeriesSelector } from './selector';
import { InventoryStore, type HistoryKind, type NoteRow, type Owner, type RenewalRow, type Stored } from './store';
import {
  isObject,
  validateEntity,
  validateNote,
  validateRenewal,
  type Checked,
  type Issue,
  type RefChecker,
} from './validation';
import { compileFilter, loadViews, type Views } from './values';

export type EntityDetail = LocationDetail | ServerDetail | ApplicationDetail | AliasDetail;
export type EntityItem = Doc & { id: number; entity: string; seriesTarget?: string };

/** An entity as an import brings it: its document and its notes and renewals. */
export interface FileEntity {
  doc: Doc;
  notes: Array<{ time: number; author: string; body: string; pinned: boolean }>;
  renewals: Array<{ name: string; start: string; end: string; notes?: string }>;
}

export type InventoryContents = Record<Kind, FileEntity[]>;

const ALIAS_TRANSITIONS: Record<string, readonly string[]> = {
  pending: ['active', 'deprecated'],
  active: ['deprecated', 'pending'],
  deprecated: ['pending'],
};

const DAY_MS = 86_400_000;
const MAX_HISTORY = 1_000;

export interface InventoryServiceOptions {
  now?: () => number;
}

/** Thrown inside a dry-run import's transaction to roll it back. */
class DryRun extends Error {}

export class InventoryService {
  readonly store: InventoryStore;
  readonly history: History;
  readonly now: () => number;
  private readonly refs: RefChecker;

  constructor(db: Catalog, opts: InventoryServiceOptions = {}) {
    this.store = new InventoryStore(db);
    this.now = opts.now ?? Date.now;
    this.history = new History(this.store, this.now);
    this.refs = { has: (kind, key) => this.store.idOf(kind, key) !== undefined };
  }

  // ---- reading

  views(): Views {
    return loadViews(this.store);
  }

  /** Entities of a kind, filtered by matchers on their fields and by words of `q` in any field. */
  list(kind: Kind, q: { filter?: readonly string[]; q?: string } = {}): EntityItem[] {
    const pass = compileFilter(kind, q.filter ?? []);
    const words = (q.q ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== '');
    const all = this.views()[kind];
    return all
      .filter(pass)
      .filter((v) => {
        const text = Object.values(v.fields).flat().join('\n').toLowerCase();
        return words.every((w) => text.includes(w));
      })
      .map((v) => this.item(kind, { id: v.id, doc: v.doc }));
  }

  get(kind: Kind, key: string): Stored {
    const found = this.store.find(kind, this.normalKey(kind, key));
    if (!found) {
      throw notFound(`${kind} "${key}"`);
    }
    return found;
  }

  detail(kind: Kind, key: string): EntityDetail {
    return this.detailOf(kind, this.get(kind, key));
  }

  private detailOf(kind: Kind, s: Stored): EntityDetail {
    const owner = { kind, id: s.id };
    const base = {
      ...this.item(kind, s),
      notes: this.store.notes({ owner }).map((n) => this.note(n)),
      renewals: this.store.renewals({ owner }).map((r) => this.renewal(r)),
    };
    switch (kind) {
      case 'location':
        return { ...base, servers: this.store.serversAt(s.id) } as LocationDetail;
      case 'server':
        return {
          ...base,
          applications: this.store.deploymentsOn(s.id),
          aliases: this.store.aliasesTo(s.id),
        } as ServerDetail;
      case 'application':
        return base as ApplicationDetail;
      case 'alias':
        return { ...base, applications: this.store.applicationsAt(s.id) } as AliasDetail;
    }
  }

  item(kind: Kind, s: Stored): EntityItem {
    const out: EntityItem = { id: s.id, entity: formatRef(kind, keyOf(kind, s.doc)), ...s.doc };
    if (typeof s.doc.series === 'string') {
      out.seriesTarget = parseSeriesSelector(s.doc.series).target;
    }
    return out;
  }

  // ---- entities

  create(kind: Kind, input: unknown, actor: Actor, action: InventoryHistoryAction = 'create'): EntityDetail {
    return this.store.transaction(() => {
      const { doc, issues } = validateEntity(kind, input, this.refs);
      this.checkKeyFree(kind, doc, undefined, issues);
      if (issues.length > 0) {
        throw invalid(issues);
      }
      const id = this.commit(kind, undefined, doc, actor, action);
      return this.detailOf(kind, this.store.byId(kind, id)!);
    });
  }

  /**
   * Merges `patch` into the entity (null clears a field, lists are replaced) and validates the result. The alias
   * workflow passes `workflow` to move statuses its own way.
   */
  update(
    kind: Kind,
    key: string,
    patch: unknown,
    actor: Actor,
    opts: { action?: InventoryHistoryAction; workflow?: boolean } = {}
  ): EntityDetail {
    return this.store.transaction(() => {
      const existing = this.get(kind, key);
      if (!isObject(patch)) {
        throw invalid([{ path: [], message: 'the body must be a JSON object of the fields to change' }]);
      }
      const merged: Doc = { ...existing.doc };
      for (const [field, value] of Object.entries(patch)) {
        if (value === null) {
          delete merged[field];
        } else {
          merged[field] = value;
        }
      }
      const { doc, issues } = validateEntity(kind, merged, this.refs);
      this.checkKeyFree(kind, doc, existing.id, issues);
      if (kind === 'alias' && !opts.workflow) {
        checkTransition(existing.doc.status as string, doc.status as string, issues);
      }
      if (issues.length > 0) {
        throw invalid(issues);
      }
      this.commit(kind, existing, doc, actor, opts.action ?? 'update');
      return this.detailOf(kind, this.store.byId(kind, existing.id)!);
    });
  }

  remove(kind: Kind, key: string, actor: Actor): void {
    this.store.transaction(() => {
      const existing = this.get(kind, key);
      const references = this.store.referencesTo(kind, existing.id);
      if (references.length > 0) {
        throw new InventoryError(
          `${formatRef(kind, keyOf(kind, existing.doc))} is still referred to by ${references.join(', ')}`,
          409,
          { references }
        );
      }
      if (kind === 'server' || kind === 'alias') {
        const own = keyOf(kind, existing.doc);
        const list = kind === 'server' ? 'servers' : 'aliases';
        const apps =
          kind === 'server'
            ? this.store.deploymentsOn(existing.id).map((d) => d.application)
            : this.store.applicationsAt(existing.id);
        for (const name of new Set(apps)) {
          const app = this.store.find('application', name)!;
          const items = app.doc[list] as unknown[];
          const kept = items.filter((i) => (typeof i === 'string' ? i : (i as { server: string }).server) !== own);
          this.commit('application', app, { ...app.doc, [list]: kept }, actor, 'update');
        }
      }
      this.commit(kind, existing, undefined, actor, 'delete');
    });
  }

  /** Adds an item to one of an entity's lists (an address, a deployment, an alias link) through update. */
  addToList(kind: Kind, key: string, list: string, item: unknown, actor: Actor): EntityDetail {
    return this.store.transaction(() => {
      const existing = this.get(kind, key);
      const items = (existing.doc[list] as unknown[] | undefined) ?? [];
      return this.update(kind, key, { [list]: [...items, item] }, actor);
    });
  }

  /** Removes the items of a list that `match` selects; 404 when none does. */
  removeFromList(
    kind: Kind,
    key: string,
    list: string,
    match: (item: unknown) => boolean,
    what: string,
    actor: Actor
  ): EntityDetail {
    return this.store.transaction(() => {
      const existing = this.get(kind, key);
      const items = (existing.doc[list] as unknown[] | undefined) ?? [];
      const kept = items.filter((i) => !match(i));
      if (kept.length === items.length) {
        throw notFound(`${what} on ${kind} "${key}"`);
      }
      return this.update(kind, key, { [list]: kept }, actor);
    });
  }

  /** Writes one entity (insert, update or delete) and records it in the history. Returns its id. */
  private commit(
    kind: Kind,
    existing: Stored | undefined,
    doc: Doc | undefined,
    actor: Actor,
    action: InventoryHistoryAction
  ): number {
    let id: number;
    // Related entities are looked up while both the old and the new state are known.
    const related = this.relatedTo(kind, existing, doc);
    if (!existing) {
      id = this.store.insert(kind, doc!);
    } else {
      id = existing.id;
      if (doc) {
        this.store.update(kind, id, doc);
      } else {
        this.store.delete(kind, id);
      }
    }
    const key = keyOf(kind, (doc ?? existing!.doc) as Doc);
    const subject = { kind, id, entity: formatRef(kind, key) };
    this.history.record(actor, action, subject, existing?.doc, doc, related);
    return id;
  }

  /**
   * The other entities a change concerns, for their history and annotations: a server's locations, the servers and
   * aliases an application gains or loses, an alias's servers and applications.
   */
  private relatedTo(kind: Kind, existing: Stored | undefined, doc: Doc | undefined): Subject[] {
    const before = existing?.doc;
    const out: Subject[] = [];
    const add = (k: Kind, key: unknown) => {
      if (typeof key !== 'string') return;
      const id = this.store.idOf(k, key);
      if (id !== undefined) out.push({ kind: k, id, entity: formatRef(k, key) });
    };
    switch (kind) {
      case 'server':
        if (before?.location !== doc?.location) {
          add('location', before?.location);
          add('location', doc?.location);
        }
        break;
      case 'application': {
        const servers = (d: Doc | undefined) => ((d?.servers as Array<{ server: string }>) ?? []).map((s) => s.server);
        const aliases = (d: Doc | undefined) => (d?.aliases as string[]) ?? [];
        for (const [k, get] of [
          ['server', servers],
          ['alias', aliases],
        ] as const) {
          const a = new Set(get(before));
          const b = new Set(get(doc));
          for (const x of a) if (!b.has(x)) add(k, x);
          for (const x of b) if (!a.has(x)) add(k, x);
        }
        break;
      }
      case 'alias':
        add('server', before?.server);
        add('server', doc?.server);
        if (existing) {
          for (const app of this.store.applicationsAt(existing.id)) add('application', app);
        }
        break;
      case 'location':
        break;
    }
    return out;
  }

  private checkKeyFree(kind: Kind, doc: Doc, selfId: number | undefined, issues: Issue[]): void {
    const field = keyField(kind);
    const key = doc[field];
    if (typeof key !== 'string') return;
    const other = this.store.idOf(kind, key);
    if (other !== undefined && other !== selfId) {
      // First: the key is the first field, and the one the caller most needs to hear about.
      issues.unshift({ path: [field], message: `a ${kind} with ${field} "${key}" already exists` });
    }
  }

  /** Keys arrive from URLs as typed; look them up in the normal form they are stored in. */
  private normalKey(kind: Kind, key: string): string {
    return kind === 'server' || kind === 'alias' ? key.toLowerCase().replace(/\.$/, '') : key;
  }

  /** Resolves `kind:key` (or a bare kind and key) to the entity, 400 naming `field` when there is none. */
  resolve(ref: unknown, field: string): Owner & { entity: string } {
    const parsed = typeof ref === 'string' ? parseRef(ref) : undefined;
    if (!parsed) {
      throw badRequest(
        field,
        'expected kind:key, e.g. server:web1.example.com (kinds: location, server, application, alias)'
      );
    }
    const key = this.normalKey(parsed.kind, parsed.key);
    const id = this.store.idOf(parsed.kind, key);
    if (id === undefined) {
      throw badRequest(field, `no ${parsed.kind} "${parsed.key}"`);
    }
    return { kind: parsed.kind, id, entity: formatRef(parsed.kind, key) };
  }

  // ---- notes

  note(n: NoteRow): InventoryNote {
    return { id: n.id, entity: n.entity, time: n.time / 1000, author: n.author, body: n.body, pinned: n.pinned };
  }

  listNotes(q: { entity?: string; from?: number; until?: number; pinned?: boolean }): InventoryNote[] {
    const owner = q.entity === undefined ? undefined : this.resolve(q.entity, 'entity');
    return this.store
      .notes({ owner, from: q.from, until: q.until })
      .filter((n) => q.pinned === undefined || n.pinned === q.pinned)
      .map((n) => this.note(n));
  }

  getNote(id: number): NoteRow {
    const n = this.store.notes({ ids: [id] })[0];
    if (!n) throw notFound(`note ${id}`);
    return n;
  }

  addNote(input: unknown, actor: Actor): InventoryNote {
    return this.store.transaction(() => {
      const { note, issues } = validateNote(input, seconds, ['entity']);
      if (issues.length > 0) throw invalid(issues);
      const owner = this.resolve((input as { entity?: unknown }).entity, 'entity');
      const row = {
        time: note.time ?? this.now(),
        author: note.author ?? actorLabel(actor),
        body: note.body,
        pinned: note.pinned,
      };
      const id = this.store.insertNote(owner, row);
      this.history.record(actor, 'create', noteSubject(id), undefined, noteDoc(owner.entity, row), [owner]);
      return this.note(this.getNote(id));
    });
  }

  updateNote(id: number, patch: unknown, actor: Actor): InventoryNote {
    return this.store.transaction(() => {
      const before = this.getNote(id);
      if (!isObject(patch))
        throw invalid([{ path: [], message: 'the body must be a JSON object of the fields to change' }]);
      const merged = {
        time: before.time / 1000,
        author: before.author,
        body: before.body,
        pinned: before.pinned,
        ...patch,
      };
      const { note, issues } = validateNote(merged, seconds);
      if (issues.length > 0) throw invalid(issues);
      const row = { time: note.time!, author: note.author!, body: note.body, pinned: note.pinned };
      this.store.updateNote(id, row);
      this.history.record(
        actor,
        'update',
        noteSubject(id),
        noteDoc(before.entity, before),
        noteDoc(before.entity, row),
        [{ ...before.owner, entity: before.entity }]
      );
      return this.note(this.getNote(id));
    });
  }

  deleteNote(id: number, actor: Actor): void {
    this.store.transaction(() => {
      const before = this.getNote(id);
      this.store.deleteNote(id);
      this.history.record(actor, 'delete', noteSubject(id), noteDoc(before.entity, before), undefined, [
        { ...before.owner, entity: before.entity },
      ]);
    });
  }

  // ---- renewals

  renewal(r: RenewalRow): InventoryRenewal {
    const today = isoDay(this.now());
    const soon = isoDay(this.now() + RENEWAL_SOON_DAYS * DAY_MS);
    return { id: r.id, entity: r.entity, ...renewalFields(r), endingSoon: r.end >= today && r.end <= soon };
  }

  /** Renewals, soonest end first; `endingWithinMs` keeps those ending from today to that far ahead. */
  listRenewals(q: { entity?: string; endingWithinMs?: number }): InventoryRenewal[] {
    const owner = q.entity === undefined ? undefined : this.resolve(q.entity, 'entity');
    const window =
      q.endingWithinMs === undefined
        ? {}
        : { endingFrom: isoDay(this.now()), endingUntil: isoDay(this.now() + q.endingWithinMs) };
    return this.store.renewals({ owner, ...window }).map((r) => this.renewal(r));
  }

  getRenewal(id: number): RenewalRow {
    const r = this.store.renewals({ ids: [id] })[0];
    if (!r) throw notFound(`renewal ${id}`);
    return r;
  }

  addRenewal(input: unknown, actor: Actor): InventoryRenewal {
    return this.store.transaction(() => {
      const { renewal, issues } = validateRenewal(input, ['entity']);
      if (issues.length > 0) throw invalid(issues);
      const owner = this.resolve((input as { entity?: unknown }).entity, 'entity');
      const id = this.store.insertRenewal(owner, renewal);
      this.history.record(actor, 'create', renewalSubject(id), undefined, { entity: owner.entity, ...renewal }, [
        owner,
      ]);
      return this.renewal(this.getRenewal(id));
    });
  }

  updateRenewal(id: number, patch: unknown, actor: Actor): InventoryRenewal {
    return this.store.transaction(() => {
      const before = this.getRenewal(id);
      if (!isObject(patch))
        throw invalid([{ path: [], message: 'the body must be a JSON object of the fields to change' }]);
      const { entity, owner } = before;
      const fields = renewalFields(before);
      const merged: Record<string, unknown> = { ...fields, ...patch };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      const { renewal, issues } = validateRenewal(merged);
      if (issues.length > 0) throw invalid(issues);
      this.store.updateRenewal(id, renewal);
      this.history.record(actor, 'update', renewalSubject(id), { entity, ...fields }, { entity, ...renewal }, [
        { ...owner, entity },
      ]);
      return this.renewal(this.getRenewal(id));
    });
  }

  deleteRenewal(id: number, actor: Actor): void {
    this.store.transaction(() => {
      const before = this.getRenewal(id);
      const { entity, owner } = before;
      const fields = renewalFields(before);
      this.store.deleteRenewal(id);
      this.history.record(actor, 'delete', renewalSubject(id), { entity, ...fields }, undefined, [
        { ...owner, entity },
      ]);
    });
  }

  // ---- history

  /** Changes newest first; with `entity`, those to it or concerning it, also after it was deleted. */
  changes(q: {
    entity?: string;
    kind?: string;
    since?: number;
    until?: number;
    before?: number;
    limit?: number;
  }): InventoryHistoryEntry[] {
    let subject: { kind: HistoryKind; id: number } | undefined;
    if (q.entity !== undefined) {
      const parsed = parseRef(q.entity);
      const special = /^(note|renewal):(\d+)$/.exec(q.entity);
      if (special) {
        subject = { kind: special[1] as HistoryKind, id: Number(special[2]) };
      } else if (parsed) {
        const key = this.normalKey(parsed.kind, parsed.key);
        const id = this.store.idOf(parsed.kind, key);
        subject =
          id !== undefined ? { kind: parsed.kind, id } : this.store.lastSubjectNamed(formatRef(parsed.kind, key));
        if (!subject) throw notFound(`${parsed.kind} "${parsed.key}", now or in the history`);
      } else {
        throw badRequest('entity', 'expected kind:key, e.g. server:web1.example.com, or note:ID, renewal:ID');
      }
    }
    const kinds = q.kind === undefined ? undefined : [q.kind as HistoryKind];
    return this.history.query({
      subject,
      kinds,
      since: q.since === undefined ? undefined : q.since * 1000,
      until: q.until === undefined ? undefined : q.until * 1000,
      before: q.before,
      limit: Math.min(q.limit ?? 100, MAX_HISTORY),
    });
  }

  // ---- the whole inventory

  /** Everything, for an export: entities by kind in key order, with their notes by time and renewals by start. */
  contents(): InventoryContents {
    const notes = groupBy(this.store.notes(), (n) => n.entity);
    const renewals = groupBy(
      [...this.store.renewals()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id - b.id)),
      (r) => r.entity
    );
    const out = {} as InventoryContents;
    for (const kind of CREATION_ORDER) {
      out[kind] = this.store.all(kind).map(({ doc }) => {
        const entity = formatRef(kind, keyOf(kind, doc));
        return {
          doc,
          notes: (notes.get(entity) ?? []).map((n) => ({
            time: n.time,
            author: n.author,
            body: n.body,
            pinned: n.pinned,
          })),
          renewals: (renewals.get(entity) ?? []).map(renewalFields),
        };
      });
    }
    return out;
  }

  /**
   * Makes the inventory what `contents` says, in one transaction: entities are matched by key, created, changed or
   * deleted as needed, and notes and renewals matched by content. Each change is recorded in the history. With
   * `dryRun`, everything is rolled back and only the summary is returned. `contents` must be valid as a whole
   * (see file.ts): its references point within itself.
   */
  replaceAll(contents: InventoryContents, actor: Actor, dryRun = false): InventoryImportResponse {
    const result: InventoryImportResponse = { dryRun, changes: [], unchanged: 0 };
    try {
      this.store.transaction(() => {
        for (const kind of CREATION_ORDER) {
          for (const entity of contents[kind]) {
            const key = keyOf(kind, entity.doc);
            const existing = this.store.find(kind, key);
            const same = existing && JSON.stringify(existing.doc) === JSON.stringify(entity.doc);
            if (!same) {
              this.commit(kind, existing, entity.doc, actor, existing ? 'update' : 'create');
            }
            const id = existing?.id ?? this.store.idOf(kind, key)!;
            const attached = this.syncAttached({ kind, id, entity: formatRef(kind, key) }, entity, actor);
            if (!same || attached) {
              result.changes.push({ entity: formatRef(kind, key), action: existing ? 'update' : 'create' });
            } else {
              result.unchanged++;
            }
          }
        }
        for (const kind of [...CREATION_ORDER].reverse()) {
          const wanted = new Set(contents[kind].map((e) => keyOf(kind, e.doc)));
          for (const s of this.store.all(kind)) {
            const key = keyOf(kind, s.doc);
            if (!wanted.has(key)) {
              this.commit(kind, s, undefined, actor, 'delete');
              result.changes.push({ entity: formatRef(kind, key), action: 'delete' });
            }
          }
        }
        if (dryRun) {
          throw new DryRun();
        }
      });
    } catch (e) {
      if (!(e instanceof DryRun)) throw e;
    }
    return result;
  }

  /** Brings an entity's notes and renewals to the wanted ones, keeping those that are identical. */
  private syncAttached(owner: Owner & { entity: string }, wanted: FileEntity, actor: Actor): boolean {
    let changed = false;
    const notes = this.store.notes({ owner });
    const noteKey = (n: { time: number; author: string; body: string; pinned: boolean }) =>
      JSON.stringify([n.time, n.author, n.body, n.pinned]);
    const [keepNotes, addNotes] = match(notes, wanted.notes, noteKey);
    for (const n of notes) {
      if (!keepNotes.has(n)) {
        this.store.deleteNote(n.id);
        this.history.record(actor, 'delete', noteSubject(n.id), noteDoc(owner.entity, n), undefined, [owner]);
        changed = true;
      }
    }
    for (const n of addNotes) {
      const id = this.store.insertNote(owner, n);
      this.history.record(actor, 'create', noteSubject(id), undefined, noteDoc(owner.entity, n), [owner]);
      changed = true;
    }
    const renewals = this.store.renewals({ owner });
    const renewalKey = (r: { name: string; start: string; end: string; notes?: string }) =>
      JSON.stringify([r.name, r.start, r.end, r.notes ?? null]);
    const [keepRenewals, addRenewals] = match(renewals, wanted.renewals, renewalKey);
    for (const r of renewals) {
      if (!keepRenewals.has(r)) {
        this.store.deleteRenewal(r.id);
        this.history.record(
          actor,
          'delete',
          renewalSubject(r.id),
          { entity: r.entity, ...renewalFields(r) },
          undefined,
          [owner]
        );
        changed = true;
      }
    }
    for (const r of addRenewals) {
      const id = this.store.insertRenewal(owner, r);
      this.history.record(actor, 'create', renewalSubject(id), undefined, { entity: owner.entity, ...r }, [owner]);
      changed = true;
    }
    return changed;
  }
}

function checkTransition(from: string, to: string, issues: Issue[]): void {
  if (from !== to && !ALIAS_TRANSITIONS[from]?.includes(to)) {
    issues.push({
      path: ['status'],
      message: `an alias cannot go from ${from} to ${to} (pending → active → deprecated; request it again to revive it)`,
    });
  }
}

/** Pairs existing rows with wanted items of the same content; returns the rows kept and the items left to add. */
function match<R, W>(rows: readonly R[], wanted: readonly W[], key: (x: R | W) => string): [Set<R>, W[]] {
  const pool = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    pool.set(k, [...(pool.get(k) ?? []), r]);
  }
  const keep = new Set<R>();
  const add: W[] = [];
  for (const w of wanted) {
    const r = pool.get(key(w))?.shift();
    if (r) keep.add(r);
    else add.push(w);
  }
  return [keep, add];
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

function renewalFields(r: RenewalRow): { name: string; start: string; end: string; notes?: string } {
  return { name: r.name, start: r.start, end: r.end, ...(r.notes !== undefined ? { notes: r.notes } : {}) };
}

function noteSubject(id: number): Subject {
  return { kind: 'note', id, entity: `note:${id}` };
}

function renewalSubject(id: number): Subject {
  return { kind: 'renewal', id, entity: `renewal:${id}` };
}

/** A note as its history shows it, in the API's units. */
function noteDoc(entity: string, n: { time: number; author: string; body: string; pinned: boolean }): Doc {
  return { entity, time: n.time / 1000, author: n.author, body: n.body, pinned: n.pinned };
}

/** The API's note times: Unix seconds (fractions allowed), as everywhere in the HTTP API. */
function seconds(v: unknown): Checked<number> {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0
    ? { value: Math.round(v * 1000) }
    : { error: 'must be Unix seconds' };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
