/**
 * Entities as flat bags of values, for filters, search and Grafana template variables: every field of an entity,
 * plus its relations, as lists of strings. A server's `application` holds the applications deployed on it, so
 * `servers` filtered by `application=blog` are the servers of one application, and `hostname` of the servers filtered
 * by `environment=production` is the list a dashboard's `$server` variable wants.
 */
import type { InventoryStore } from './store';
import { badRequest } from './errors';
import { KINDS, SCALARS, type Doc, type Kind } from './model';
import { SelectorError, matchValue, parseMatchers } from './selector';

export interface EntityView {
  kind: Kind;
  id: number;
  key: string;
  doc: Doc;
  /** Every field and relation as strings; absent fields are missing or empty. */
  fields: Record<string, string[]>;
}

export type Views = Record<Kind, EntityView[]>;

/** Relation fields per kind, beside the scalar fields. */
const RELATIONS: Record<Kind, readonly string[]> = {
  location: ['server'],
  server: ['application', 'alias', 'address', 'contact'],
  application: ['server', 'environment', 'alias', 'contact'],
  alias: ['application'],
};

function filterableFields(kind: Kind): string[] {
  return [...SCALARS[kind].map((f) => f.name), ...RELATIONS[kind]];
}

/** Loads every entity with its relations from both sides. */
export function loadViews(store: InventoryStore): Views {
  const stored = Object.fromEntries(KINDS.map((k) => [k, store.all(k)])) as Record<
    Kind,
    ReturnType<InventoryStore['all']>
  >;
  const reverse = new Map<string, string[]>();
  const add = (kind: Kind, key: string, field: string, value: string) => {
    const k = `${kind}\0${key}\0${field}`;
    const list = reverse.get(k);
    if (list) {
      if (!list.includes(value)) list.push(value);
    } else {
      reverse.set(k, [value]);
    }
  };
  for (const { doc } of stored.server) {
    if (doc.location !== undefined) add('location', doc.location as string, 'server', doc.hostname as string);
  }
  for (const { doc } of stored.alias) {
    if (doc.server !== undefined) add('server', doc.server as string, 'alias', doc.fqdn as string);
  }
  for (const { doc } of stored.application) {
    for (const d of doc.servers as Array<{ server: string }>)
      add('server', d.server, 'application', doc.name as string);
    for (const fqdn of doc.aliases as string[]) add('alias', fqdn, 'application', doc.name as string);
  }
  const views = {} as Views;
  for (const kind of KINDS) {
    views[kind] = stored[kind].map(({ id, doc }) => {
      const key = doc[SCALARS[kind][0]!.name] as string;
      const fields: Record<string, string[]> = {};
      for (const f of SCALARS[kind]) {
        if (doc[f.name] !== undefined) fields[f.name] = [String(doc[f.name])];
      }
      for (const rel of RELATIONS[kind]) {
        fields[rel] = reverse.get(`${kind}\0${key}\0${rel}`) ?? [];
      }
      const contacts = (doc.contacts as Array<{ name: string }> | undefined) ?? [];
      if (kind === 'server') {
        fields.address = (doc.addresses as Array<{ address: string }>).map((a) => a.address);
        fields.contact = contacts.map((c) => c.name);
      } else if (kind === 'application') {
        const deployments = doc.servers as Array<{ server: string; environment: string }>;
        fields.server = unique(deployments.map((d) => d.server));
        fields.environment = unique(deployments.map((d) => d.environment));
        fields.alias = [...(doc.aliases as string[])];
        fields.contact = contacts.map((c) => c.name);
      }
      return { kind, id, key, doc, fields };
    });
  }
  return views;
}

/**
 * Compiles `filter` parameters (seriesByTag matchers, comma-separated, each parameter ANDed) into a test. A field
 * with several values passes `=` and `=~` when one of them does, `!=` and `!=~` when all do; a field without values
 * is tested as ''. Throws a 400 naming `filter` for unknown fields and malformed matchers.
 */
export function compileFilter(kind: Kind, filters: readonly string[]): (v: EntityView) => boolean {
  const known = filterableFields(kind);
  const tests = filters
    .filter((f) => f.trim() !== '')
    .flatMap((f) => {
      try {
        return parseMatchers(f);
      } catch (e) {
        if (e instanceof SelectorError) throw badRequest('filter', e.message);
        throw e;
      }
    })
    .map((m) => {
      if (!known.includes(m.label)) {
        throw badRequest('filter', `${kind}s have no field "${m.label}" (known: ${known.join(', ')})`);
      }
      const test = matchValue(m);
      const positive = m.op === '=' || m.op === '=~';
      return (v: EntityView) => {
        const values = v.fields[m.label] ?? [];
        if (values.length === 0) return test('');
        return positive ? values.some(test) : values.every(test);
      };
    });
  return (v) => tests.every((t) => t(v));
}

/** The distinct values of `field` over the entities of `kind` that pass the filters, in natural order. */
export function fieldValues(views: Views, kind: Kind, field: string, filters: readonly string[]): string[] {
  if (!filterableFields(kind).includes(field)) {
    throw badRequest('field', `${kind}s have no field "${field}" (known: ${filterableFields(kind).join(', ')})`);
  }
  const pass = compileFilter(kind, filters);
  const out = new Set<string>();
  for (const v of views[kind]) {
    if (pass(v)) {
      for (const value of v.fields[field] ?? []) out.add(value);
    }
  }
  return [...out].sort(naturalOrder);
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
