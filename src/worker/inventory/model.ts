/**
 * The inventory's shape, shared by the store, validation, the YAML file and the HTTP API: the four kinds of entity,
 * their fields in the order they are written, which field is each kind's natural key, and how entities refer to one
 * another. Documents (`Doc`) are the entities as the YAML file and the API bodies spell them; the store maps them to
 * rows and back.
 */
import {
  ALIAS_STATUSES,
  APPLICATION_LIFECYCLES,
  DNS_RECORD_TYPES,
  INVENTORY_COLLECTIONS,
  INVENTORY_KINDS,
  SERVER_STATUSES,
  type InventoryKind,
} from '../../shared/api';

export type Kind = InventoryKind;
export const KINDS = INVENTORY_KINDS;

/** An entity as a plain document: scalar fields and, for servers and applications, their lists. */
export type Doc = Record<string, unknown>;

/** How a scalar field's value is checked and normalized (see validation.ts). */
export type FieldType =
  | { t: 'text' }
  | { t: 'longtext' }
  | { t: 'token' }
  | { t: 'hostname' }
  | { t: 'fqdn' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'integer'; min: number }
  | { t: 'number'; min: number }
  | { t: 'url' }
  | { t: 'repository' }
  | { t: 'email' }
  | { t: 'selector' }
  | { t: 'target' }
  | { t: 'ref'; kind: Kind };

export interface ScalarField {
  name: string;
  column: string;
  type: FieldType;
  required?: boolean;
  /** Filled in when a new entity leaves the field out. */
  default?: string;
}

const text = { t: 'text' } as const;
const longtext = { t: 'longtext' } as const;
const token = { t: 'token' } as const;

/** Scalar fields per kind, in document order; the first is the natural key. */
export const SCALARS: Record<Kind, readonly ScalarField[]> = {
  location: [
    { name: 'name', column: 'name', type: text, required: true },
    { name: 'description', column: 'description', type: longtext },
  ],
  server: [
    { name: 'hostname', column: 'hostname', type: { t: 'hostname' }, required: true },
    { name: 'description', column: 'description', type: longtext },
    { name: 'role', column: 'role', type: text },
    { name: 'environment', column: 'environment', type: token },
    { name: 'location', column: 'location_id', type: { t: 'ref', kind: 'location' } },
    { name: 'provider', column: 'provider', type: text },
    { name: 'instanceId', column: 'instance_id', type: text },
    { name: 'os', column: 'os', type: text },
    { name: 'cpus', column: 'cpus', type: { t: 'integer', min: 1 } },
    { name: 'memoryGb', column: 'memory_gb', type: { t: 'number', min: 0 } },
    { name: 'diskGb', column: 'disk_gb', type: { t: 'number', min: 0 } },
    { name: 'status', column: 'status', type: { t: 'enum', values: SERVER_STATUSES }, default: 'active' },
    { name: 'series', column: 'series', type: { t: 'selector' } },
  ],
  application: [
    { name: 'name', column: 'name', type: text, required: true },
    { name: 'description', column: 'description', type: longtext },
    { name: 'technology', column: 'technology', type: text },
    { name: 'repository', column: 'repository', type: { t: 'repository' } },
    { name: 'owner', column: 'owner', type: text },
    { name: 'runbook', column: 'runbook', type: { t: 'url' } },
    { name: 'errorTracker', column: 'error_tracker', type: text },
    {
      name: 'lifecycle',
      column: 'lifecycle',
      type: { t: 'enum', values: APPLICATION_LIFECYCLES },
      default: 'production',
    },
    { name: 'series', column: 'series', type: { t: 'selector' } },
  ],
  alias: [
    { name: 'fqdn', column: 'fqdn', type: { t: 'fqdn' }, required: true },
    { name: 'type', column: 'type', type: { t: 'enum', values: DNS_RECORD_TYPES }, required: true },
    { name: 'server', column: 'server_id', type: { t: 'ref', kind: 'server' } },
    { name: 'target', column: 'target', type: { t: 'target' } },
    { name: 'status', column: 'status', type: { t: 'enum', values: ALIAS_STATUSES }, default: 'pending' },
    { name: 'registrar', column: 'registrar', type: text },
    { name: 'dnsManagedBy', column: 'dns_managed_by', type: text },
    { name: 'requestedBy', column: 'requested_by', type: { t: 'email' } },
    { name: 'description', column: 'description', type: longtext },
  ],
};

/** List fields per kind, after the scalars in document order. */
export const LISTS: Record<Kind, readonly ListField[]> = {
  location: [],
  server: ['addresses', 'contacts'],
  application: ['servers', 'aliases', 'contacts'],
  alias: [],
};
export type ListField = 'addresses' | 'contacts' | 'servers' | 'aliases';

export const TABLES: Record<Kind, string> = {
  location: 'inv_locations',
  server: 'inv_servers',
  application: 'inv_applications',
  alias: 'inv_aliases',
};

/** The column of inv_notes and inv_renewals that points at an entity of each kind. */
export const OWNER_COLUMNS: Record<Kind, string> = {
  location: 'location_id',
  server: 'server_id',
  application: 'application_id',
  alias: 'alias_id',
};

export const COLLECTIONS = INVENTORY_COLLECTIONS;

/** The kinds in an order where each refers only to kinds before it: an import creates them in it. */
export const CREATION_ORDER: readonly Kind[] = ['location', 'server', 'alias', 'application'];

export function keyField(kind: Kind): string {
  return SCALARS[kind][0]!.name;
}

export function keyOf(kind: Kind, doc: Doc): string {
  return doc[keyField(kind)] as string;
}

/** A kind from its name or its collection's (`server` or `servers`). */
export function kindNamed(name: string): Kind | undefined {
  return KINDS.find((k) => k === name || COLLECTIONS[k] === name);
}

export interface EntityRef {
  kind: Kind;
  key: string;
}

export function formatRef(kind: Kind, key: string): string {
  return `${kind}:${key}`;
}

/** Parses `server:web1`; undefined when the kind is unknown or the key empty. */
export function parseRef(text: string): EntityRef | undefined {
  const colon = text.indexOf(':');
  const kind = colon > 0 ? kindNamed(text.slice(0, colon)) : undefined;
  const key = text.slice(colon + 1);
  return kind && key !== '' ? { kind, key } : undefined;
}

/** Who made a change: the API key, and the person Grafana says is behind it. */
export interface Actor {
  keyId?: string;
  name?: string;
  user?: string;
}

/** The name a person would recognize: the Grafana user, else the key's name, else its id. */
export function actorLabel(actor: Actor): string {
  return actor.user ?? actor.name ?? actor.keyId ?? 'unknown';
}
