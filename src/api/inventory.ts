import {
  API_PATHS,
  INVENTORY_API,
  INVENTORY_COLLECTIONS,
  type AliasDetail,
  type AliasFields,
  type AliasItem,
  type ApplicationDeployment,
  type ApplicationDetail,
  type ApplicationFields,
  type ApplicationItem,
  type InventoryAliasChange,
  type InventoryAliasRequest,
  type InventoryAliasWorkflowResponse,
  type InventoryAnnotationsResponse,
  type InventoryEntityRef,
  type InventoryKind,
  type InventoryListResponse,
  type InventoryNote,
  type InventoryNoteInput,
  type InventoryRenewal,
  type InventorySearchResponse,
  type LocationDetail,
  type LocationFields,
  type LocationItem,
  type ServerDetail,
  type ServerFields,
  type ServerItem,
} from '../shared/api';

/**
 * The worker's inventory API (INVENTORY_API) and the graphs of its entities, as typed calls. Like AlertingApi it owns
 * no transport: MissionControlClient hands it its own request functions (client.inventory), so the inventory goes
 * through the same data source proxy and error handling as every other call.
 */

type Params = Record<string, string | number | string[] | undefined>;

export type InventoryMethod = 'GET' | 'POST' | 'PATCH';

export interface InventoryTransport {
  /** The answer, which must be a JSON object; failures are ApiErrors (an inventory 400 names the field at fault). */
  object(method: InventoryMethod, path: string, options?: { body?: unknown; params?: Params }): Promise<object>;
  /** For answers without a body (204 to a DELETE). */
  none(method: 'DELETE', path: string): Promise<void>;
  /** A GET answered with a JSON array, as Graphite's render API answers. */
  list(path: string, params: Params): Promise<unknown[]>;
}

/** What each kind's fields, list items and detail page are. */
export interface InventoryShapes {
  location: { fields: LocationFields; item: LocationItem; detail: LocationDetail };
  server: { fields: ServerFields; item: ServerItem; detail: ServerDetail };
  application: { fields: ApplicationFields; item: ApplicationItem; detail: ApplicationDetail };
  alias: { fields: AliasFields; item: AliasItem; detail: AliasDetail };
}

/** Filters of a list: `q` is free text, each `filter` a `field=value` matcher (`environment=production`). */
export interface InventoryListQuery {
  q?: string;
  filter?: string[];
}

/** One series of Graphite's `/render?format=json`: `[value, timestamp]` pairs, a null value being a gap. */
export interface RenderSeries {
  target: string;
  tags: Record<string, string>;
  datapoints: Array<[number | null, number]>;
}

export const RENDER_PATH = `${API_PATHS.graphite}/render`;

/** `server:web1.example.net` → kind and key; undefined for refs that are not an entity (`note:3`). */
export function parseEntityRef(ref: InventoryEntityRef): { kind: InventoryKind; key: string } | undefined {
  const colon = ref.indexOf(':');
  const kind = ref.slice(0, colon) as InventoryKind;
  return colon > 0 && kind in INVENTORY_COLLECTIONS ? { kind, key: ref.slice(colon + 1) } : undefined;
}

export function entityPath(kind: InventoryKind, key: string): string {
  return `${INVENTORY_API}/${INVENTORY_COLLECTIONS[kind]}/${encodeURIComponent(key)}`;
}

export class InventoryApi {
  constructor(private readonly transport: InventoryTransport) {}

  list<K extends InventoryKind>(
    kind: K,
    query: InventoryListQuery = {}
  ): Promise<InventoryListResponse<InventoryShapes[K]['item']>> {
    const params: Params = {};
    if (query.q) {
      params.q = query.q;
    }
    if (query.filter && query.filter.length > 0) {
      params.filter = query.filter;
    }
    return this.get(`${INVENTORY_API}/${INVENTORY_COLLECTIONS[kind]}`, params);
  }

  detail<K extends InventoryKind>(kind: K, key: string): Promise<InventoryShapes[K]['detail']> {
    return this.get(entityPath(kind, key));
  }

  create<K extends InventoryKind>(
    kind: K,
    fields: InventoryShapes[K]['fields']
  ): Promise<InventoryShapes[K]['detail']> {
    return this.post(`${INVENTORY_API}/${INVENTORY_COLLECTIONS[kind]}`, fields);
  }

  /**
   * Changes the fields given and answers the entity as stored: `null` clears a field, a list replaces the stored one.
   * A changed key (hostname, name, FQDN) renames the entity.
   */
  update<K extends InventoryKind>(
    kind: K,
    key: string,
    patch: { [F in keyof InventoryShapes[K]['fields']]?: InventoryShapes[K]['fields'][F] | null }
  ): Promise<InventoryShapes[K]['detail']> {
    return this.transport.object('PATCH', entityPath(kind, key), { body: patch }) as Promise<
      InventoryShapes[K]['detail']
    >;
  }

  /** Deletes the entity; one that others still refer to is refused with 409 naming them. */
  remove(kind: InventoryKind, key: string): Promise<void> {
    return this.transport.none('DELETE', entityPath(kind, key));
  }

  /** Every entity, note and renewal where all words of `q` appear. */
  search(q: string): Promise<InventorySearchResponse> {
    return this.get(`${INVENTORY_API}/search`, { q });
  }

  /** Deploys an application on a server in an environment; answers the application. */
  deploy(application: string, deployment: ApplicationDeployment): Promise<ApplicationDetail> {
    return this.post(`${entityPath('application', application)}/servers`, deployment);
  }

  /** Links an application to an alias it answers under; answers the application. */
  linkAlias(application: string, fqdn: string): Promise<ApplicationDetail> {
    return this.post(`${entityPath('application', application)}/aliases`, { alias: fqdn });
  }

  /** The note as stored; its author is the Grafana user the proxy names. */
  addNote(note: InventoryNoteInput): Promise<InventoryNote> {
    return this.post(`${INVENTORY_API}/notes`, note);
  }

  /** Every renewal, soonest end first; `endingWithin` (`4w`) keeps those ending that soon. */
  renewals(
    query: { entity?: InventoryEntityRef; endingWithin?: string } = {}
  ): Promise<InventoryListResponse<InventoryRenewal>> {
    return this.get(`${INVENTORY_API}/renewals`, { entity: query.entity, endingWithin: query.endingWithin });
  }

  /**
   * The entities' notes and status changes (their aliases' too) between two Unix times, oldest first; every entity's
   * when none is given. With `tags`, only annotations having all of them.
   */
  annotations(
    entity: InventoryEntityRef | InventoryEntityRef[],
    range: { from: number; until: number },
    tags: string[] = []
  ): Promise<InventoryAnnotationsResponse> {
    return this.get(`${INVENTORY_API}/annotations`, {
      entity,
      from: range.from,
      until: range.until,
      tags: tags.length > 0 ? tags.join(',') : undefined,
    });
  }

  /** Creates the alias pending and mails the hostmaster; the answer says what was mailed. */
  requestAlias(request: InventoryAliasRequest): Promise<InventoryAliasWorkflowResponse> {
    return this.post(`${INVENTORY_API}/aliases/request`, request);
  }

  /** The hostmaster made the DNS change: the alias becomes active. */
  confirmAlias(fqdn: string): Promise<InventoryAliasWorkflowResponse> {
    return this.post(`${entityPath('alias', fqdn)}/confirm`, {});
  }

  /** Re-points the alias, which goes back to pending, and mails the hostmaster again. */
  changeAlias(fqdn: string, change: InventoryAliasChange): Promise<InventoryAliasWorkflowResponse> {
    return this.post(`${entityPath('alias', fqdn)}/change`, change);
  }

  /** The series of a Graphite target between two Graphite times (`-24h`, `now`), at most `maxDataPoints` each. */
  async render(target: string, range: { from: string; until: string; maxDataPoints: number }): Promise<RenderSeries[]> {
    const series = await this.transport.list(RENDER_PATH, { format: 'json', target, ...range });
    return series as RenderSeries[];
  }

  private get<T>(path: string, params?: Params): Promise<T> {
    return this.transport.object('GET', path, params ? { params } : undefined) as Promise<T>;
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.transport.object('POST', path, { body }) as Promise<T>;
  }
}
