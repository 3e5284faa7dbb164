/**
 * The inventory as one document, the shape of the YAML file (and of its JSON equivalent):
 *
 *   locations:    [ { name, description, notes: [...], renewals: [...] } ]
 *   servers:      [ { hostname, ..., addresses: [...], contacts: [...], notes, renewals } ]
 *   applications: [ { name, ..., servers: [{ server, environment }], aliases: [fqdn], contacts, notes, renewals } ]
 *   aliases:      [ { fqdn, type, server | target, status, ..., notes, renewals } ]
 *
 * Notes are `{ time, author, body, pinned }` with `time` in ISO 8601 (`2025-03-01T09:30:00Z`); renewals
 * `{ name, start, end, notes }` with days as `YYYY-MM-DD`. The file is the whole inventory and refers only within
 * itself, so it is validated on its own, every fault at once, before anything is written.
 *
 * The canonical form (what `toFileValue` writes) lists entities by key, every section present, fields in document
 * order, empty ones left out, notes by time, renewals by start, `pinned` only when true; reading a canonical file and
 * writing it gives the same text.
 */
import { COLLECTIONS, KINDS, LISTS, keyField, type Doc, type Kind } from './model';
import type { FileEntity, InventoryContents } from './service';
import {
  checkFqdn,
  checkHostname,
  checkText,
  isObject,
  validateEntity,
  validateNote,
  validateRenewal,
  type Checked,
  type Issue,
  type Path,
} from './validation';

/** Sections in file order: readers meet locations before the servers in them, servers before applications. */
const FILE_ORDER: readonly Kind[] = KINDS;

export function validateContents(value: unknown): { contents: InventoryContents; issues: Issue[] } {
  const issues: Issue[] = [];
  const contents = Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as InventoryContents;
  if (value === null || value === undefined) {
    return { contents, issues };
  }
  if (!isObject(value)) {
    return {
      contents,
      issues: [
        { path: [], message: 'the inventory must be a mapping of locations, servers, applications and aliases' },
      ],
    };
  }
  const sections = FILE_ORDER.map((k) => COLLECTIONS[k] as string);
  for (const key of Object.keys(value)) {
    if (!sections.includes(key)) {
      issues.push({ path: [key], message: `unknown section (known: ${sections.join(', ')})`, atKey: true });
    }
  }

  // Keys first, so that references can point forwards and backwards alike.
  const lists = {} as Record<Kind, unknown[]>;
  const keys = {} as Record<Kind, Map<string, number>>;
  for (const kind of FILE_ORDER) {
    const section = COLLECTIONS[kind];
    const raw = value[section];
    lists[kind] = [];
    keys[kind] = new Map();
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      issues.push({ path: [section], message: 'must be a list' });
      continue;
    }
    lists[kind] = raw;
    raw.forEach((item, i) => {
      const key = isObject(item) ? normalKey(kind, item[keyField(kind)]) : undefined;
      if (key === undefined) return;
      const first = keys[kind].get(key);
      if (first !== undefined) {
        issues.push({
          path: [section, i, keyField(kind)],
          message: `"${key}" is already defined at ${section}[${first}]`,
        });
      } else {
        keys[kind].set(key, i);
      }
    });
  }
  const refs = { has: (kind: Kind, key: string) => keys[kind].has(key) };

  for (const kind of FILE_ORDER) {
    const section = COLLECTIONS[kind];
    lists[kind].forEach((item, i) => {
      const at: Path = [section, i];
      const { notes, renewals, ...fields } = isObject(item) ? item : { notes: undefined, renewals: undefined };
      const { doc, issues: found } = validateEntity(kind, isObject(item) ? fields : item, refs);
      issues.push(...found.map((f) => ({ ...f, path: [...at, ...f.path] })));
      const entity: FileEntity = { doc, notes: [], renewals: [] };
      eachItem(notes, [...at, 'notes'], issues, (n, path) => {
        const { note, issues: bad } = validateNote(n, isoTime);
        for (const field of ['time', 'author'] as const) {
          if (isObject(n) && (n[field] === undefined || n[field] === null))
            bad.push({ path: [field], message: 'is required' });
        }
        issues.push(...bad.map((b) => ({ ...b, path: [...path, ...b.path] })));
        if (bad.length === 0)
          entity.notes.push({ time: note.time!, author: note.author!, body: note.body, pinned: note.pinned });
      });
      eachItem(renewals, [...at, 'renewals'], issues, (r, path) => {
        const { renewal, issues: bad } = validateRenewal(r);
        issues.push(...bad.map((b) => ({ ...b, path: [...path, ...b.path] })));
        if (bad.length === 0) entity.renewals.push(renewal);
      });
      contents[kind].push(entity);
    });
  }
  return { contents, issues };
}

function eachItem(v: unknown, path: Path, issues: Issue[], fn: (item: unknown, path: Path) => void): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) {
    issues.push({ path, message: 'must be a list' });
    return;
  }
  v.forEach((item, i) => fn(item, [...path, i]));
}

function normalKey(kind: Kind, v: unknown): string | undefined {
  const c = kind === 'server' ? checkHostname(v) : kind === 'alias' ? checkFqdn(v) : checkText(v);
  return c.value;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 with a zone, as the file writes times; Unix seconds are accepted too. */
function isoTime(v: unknown): Checked<number> {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
    return { value: Math.round(v * 1000) };
  }
  const ms = typeof v === 'string' && ISO_TIME.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(ms) ? { error: 'must be a time such as 2025-03-01T09:30:00Z' } : { value: ms };
}

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The canonical document for an export. */
export function toFileValue(contents: InventoryContents): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const kind of FILE_ORDER) {
    out[COLLECTIONS[kind]] = contents[kind].map((e) => {
      const item: Doc = {};
      for (const [field, value] of Object.entries(e.doc)) {
        if (!(LISTS[kind] as readonly string[]).includes(field) || (value as unknown[]).length > 0) {
          item[field] = value;
        }
      }
      if (e.notes.length > 0) {
        item.notes = e.notes.map((n) => ({
          time: formatTime(n.time),
          author: n.author,
          body: n.body,
          ...(n.pinned ? { pinned: true } : {}),
        }));
      }
      if (e.renewals.length > 0) {
        item.renewals = e.renewals;
      }
      return item;
    });
  }
  return out;
}
