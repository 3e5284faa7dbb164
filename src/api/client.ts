import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';

import datasourcePluginJson from '../datasource/plugin.json';
import {
  API_PATHS,
  type ErrorResponse,
  type EventsResponse,
  type HealthResponse,
  INVENTORY_API,
  type InventoryValuesResponse,
  type QueryRequest,
  type QueryResponse,
  type ReadyResponse,
  STATS_PATHS,
  type StatsResponse,
  type WhoAmIResponse,
} from '../shared/api';
import {
  GRAPHITE_PATHS,
  type CompleterNode,
  type FindNode,
  type FunctionRegistry,
  type TagDetails,
  type TagInfo,
} from './graphite';
import { AlertingApi, type HttpMethod } from './alerting';
import { InventoryApi, type InventoryMethod } from './inventory';

/**
 * The plugin's one client for the worker's HTTP API.
 *
 * Every request goes through Grafana's data source proxy: the browser calls
 * `/api/datasources/proxy/uid/<uid>/<route>/...` and Grafana forwards it to the data source's worker URL with the
 * decrypted API key added (the `routes` entry of datasource/plugin.json). So the client needs only the data source's
 * uid, and the key never reaches the browser.
 */

const WORKER_ROUTE = datasourcePluginJson.routes[0].path;

export function workerProxyUrl(datasourceUid: string): string {
  return `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}/${WORKER_ROUTE}`;
}

/** Why a request failed, in the terms a person fixing it needs. */
export type ApiErrorKind =
  /** Grafana's proxy could not connect to the worker URL (502 from the proxy). */
  | 'unreachable'
  /** Grafana's proxy gave up waiting for the worker (504). */
  | 'timeout'
  /** The worker had no valid key for the request (401). */
  | 'unauthorized'
  /** The key lacks a scope, or Grafana denies this user the data source (403). */
  | 'forbidden'
  /** No such path: an older worker, or not a worker at all (404). */
  | 'not-found'
  /** The request was rejected; the ErrorResponse says which field or position (400, 422). */
  | 'invalid'
  /** The worker is up but cannot serve yet (503). */
  | 'unavailable'
  /** Something answered 2xx with a body that is not a Mission Control JSON object. */
  | 'unexpected'
  | 'failed';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly body?: ErrorResponse
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Renders an ErrorResponse as one sentence, pointing at the field or position at fault. */
export function formatErrorResponse(body: ErrorResponse): string {
  const field = body.field ? ` (field "${body.field}")` : '';
  const position = body.position !== undefined ? ` at position ${body.position}` : '';
  return `${body.error}${field}${position}`;
}

/** Query parameters; an array value repeats the parameter (`expr=a&expr=b`), as Graphite's tag API expects. */
type Params = Record<string, string | number | string[] | undefined>;

interface RequestOptions {
  body?: unknown;
  params?: Params;
  requestId?: string;
  answerStatuses?: number[];
}

export class MissionControlClient {
  private readonly baseUrl: string;

  /** The alerting API (src/api/alerting.ts), sent through this client's own requests. */
  readonly alerting = new AlertingApi({
    object: (method, path, options) => this.request<object>(method, path, options),
    none: async (method, path) => {
      await this.send(method, path, {});
    },
  });

  /** The inventory API and its entities' graphs (src/api/inventory.ts), sent through this client's own requests. */
  readonly inventory = new InventoryApi({
    object: (method, path, options) => this.request<object>(method, path, options),
    none: async (method, path) => {
      await this.send(method, path, {});
    },
    list: (path, params) => this.requestList<unknown>(path, params),
  });

  constructor(datasourceUid: string) {
    this.baseUrl = workerProxyUrl(datasourceUid);
  }

  health(): Promise<HealthResponse> {
    return this.request<HealthResponse>('GET', API_PATHS.health);
  }

  /** Resolves for a not-ready store too: the worker answers 503 with the same body, and that is an answer. */
  ready(): Promise<ReadyResponse> {
    return this.request<ReadyResponse>('GET', API_PATHS.ready, { answerStatuses: [503] });
  }

  whoami(): Promise<WhoAmIResponse> {
    return this.request<WhoAmIResponse>('GET', API_PATHS.whoami);
  }

  /** The worker's own figures for the Overview page. */
  stats(): Promise<StatsResponse> {
    return this.request<StatsResponse>('GET', STATS_PATHS.stats);
  }

  /** `requestId` lets Grafana cancel the previous query of the same panel when a new one starts. */
  query(body: QueryRequest, requestId?: string): Promise<QueryResponse> {
    return this.request<QueryResponse>('POST', API_PATHS.query, { body, requestId });
  }

  /** Events (deploys, DNS changes) between two times having all `tags`, or any of them with `any`. */
  events(params: { from: number; until: number; tags?: string[]; any?: boolean }): Promise<EventsResponse> {
    return this.request<EventsResponse>('GET', API_PATHS.events, {
      params: {
        from: params.from,
        until: params.until,
        ...(params.tags && params.tags.length > 0 ? { tags: params.tags.join(' ') } : {}),
        ...(params.any ? { any: 1 } : {}),
      },
    });
  }

  /** The children of a path pattern (`servers.*`), branches and leaves, as Graphite's /metrics/find lists them. */
  findMetrics(query: string, range?: { from: number; until: number }): Promise<FindNode[]> {
    return this.requestList<FindNode>(GRAPHITE_PATHS.find, { query, ...range });
  }

  /**
   * The series and branches a glob names, each with its full path (find's `completer` format): `*.*cpu*` answers
   * `servers.web1.cpu.`, a branch, where the tree format would answer `*.cpu`.
   */
  completeMetrics(query: string): Promise<CompleterNode[]> {
    return this.request<{ metrics: CompleterNode[] }>('GET', GRAPHITE_PATHS.find, {
      params: { query, format: 'completer' },
    }).then((answer) => answer.metrics);
  }

  /** Tag names, optionally only those matching a regular expression. */
  tags(filter?: string): Promise<TagInfo[]> {
    return this.requestList<TagInfo>(GRAPHITE_PATHS.tags, filter ? { filter } : {});
  }

  /** Tag names of the series matching the tag expressions, starting with `prefix`. */
  tagKeys(expressions: string[], prefix = ''): Promise<string[]> {
    return this.requestList<string>(GRAPHITE_PATHS.autoCompleteTags, { expr: expressions, tagPrefix: prefix });
  }

  /** Values of `tag` on the series matching the tag expressions, starting with `prefix`. */
  tagValues(tag: string, expressions: string[], prefix = ''): Promise<string[]> {
    return this.requestList<string>(GRAPHITE_PATHS.autoCompleteValues, { tag, expr: expressions, valuePrefix: prefix });
  }

  /** A tag's values with how many series have each, optionally only those matching a regular expression. */
  async tagDetails(tag: string, filter?: string): Promise<TagDetails> {
    const path = `${GRAPHITE_PATHS.tags}/${encodeURIComponent(tag)}`;
    const data = await this.send('GET', path, { params: filter ? { filter } : {} });
    // graphite-web answers null for a tag no series has.
    if (data === null) {
      return { tag, values: [] };
    }
    if (!isJsonObject(data)) {
      throw new ApiError(`${path} did not answer with a JSON object`, 'unexpected', 200);
    }
    return data as TagDetails;
  }

  /**
   * The distinct values of one field of the inventory's entities (`servers`, `hostname`) that pass the filters
   * (seriesByTag's matcher syntax: `environment=production`).
   */
  inventoryValues(entity: string, field: string, filters: string[] = []): Promise<InventoryValuesResponse> {
    return this.request<InventoryValuesResponse>('GET', `${INVENTORY_API}/values`, {
      params: { entity, field, filter: filters },
    });
  }

  /** The function library, with each function's parameters, as Graphite's /functions describes it. */
  functions(): Promise<FunctionRegistry> {
    return this.request<FunctionRegistry>('GET', GRAPHITE_PATHS.functions);
  }

  private async request<T extends object>(
    method: HttpMethod | InventoryMethod,
    path: string,
    options: RequestOptions = {}
  ): Promise<T> {
    const data = await this.send(method, path, options);
    if (!isJsonObject(data)) {
      throw new ApiError(`${path} did not answer with a Mission Control JSON object`, 'unexpected', 200);
    }
    return data as T;
  }

  /** Graphite's listing endpoints answer with a JSON array where our own API answers with an object. */
  private async requestList<T>(path: string, params: Params): Promise<T[]> {
    const data = await this.send('GET', path, { params });
    if (!Array.isArray(data)) {
      throw new ApiError(`${path} did not answer with a JSON array`, 'unexpected', 200);
    }
    return data as T[];
  }

  /** The answer's body; an error status becomes an ApiError, except those listed in `answerStatuses`. */
  private async send(method: HttpMethod | InventoryMethod, path: string, options: RequestOptions): Promise<unknown> {
    let data: unknown;
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<unknown>({
          method,
          url: this.baseUrl + path,
          data: options.body,
          params: options.params,
          requestId: options.requestId,
          // Callers show failures in context (the health check, the panel), so Grafana's global toast would repeat them.
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      data = response.data;
    } catch (err) {
      if (!(isFetchError(err) && options.answerStatuses?.includes(err.status) && isJsonObject(err.data))) {
        throw toApiError(err, path);
      }
      data = err.data;
    }
    return data;
  }
}

function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  return isJsonObject(value) && typeof (value as Partial<ErrorResponse>).error === 'string';
}

/** Grafana's own API errors (data source missing, access denied) carry `message` and no `error`. */
function grafanaMessage(value: unknown): string | undefined {
  const message = isJsonObject(value) ? (value as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function kindOf(status: number): ApiErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 502:
      return 'unreachable';
    case 503:
      return 'unavailable';
    case 504:
      return 'timeout';
    default:
      return 'failed';
  }
}

/** What to say when the answer has no body to quote, which is how Grafana's proxy reports transport failures. */
const SILENT_STATUS_TEXT: Partial<Record<number, string>> = {
  401: 'the worker requires a valid API key',
  404: 'the worker has no such path',
  502: 'Grafana could not connect to the worker',
  504: 'the worker did not answer Grafana in time',
};

function toApiError(err: unknown, path: string): ApiError {
  if (!isFetchError(err)) {
    const reason = err instanceof Error ? err.message : String(err);
    return new ApiError(`request to ${path} failed: ${reason}`, 'failed', 0);
  }
  const body = isErrorResponse(err.data) ? err.data : undefined;
  const fromGrafana = grafanaMessage(err.data);
  const detail =
    (body && formatErrorResponse(body)) ??
    (fromGrafana && `Grafana: ${fromGrafana}`) ??
    SILENT_STATUS_TEXT[err.status] ??
    (err.statusText || 'request failed');
  return new ApiError(`${detail} (HTTP ${err.status} on ${path})`, kindOf(err.status), err.status, body);
}
