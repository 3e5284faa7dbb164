import type { DataSourceInstanceSettings, DataSourcePluginMeta } from '@grafana/data';

import type { CompleterNode, FindNode, FunctionRegistry, TagDetails, TagInfo } from '../api/graphite';
import type {
  AliasItem,
  ApplicationItem,
  ErrorResponse,
  EventsResponse,
  HealthResponse,
  InventoryAnnotationsResponse,
  InventoryListResponse,
  InventoryValuesResponse,
  QueryRequest,
  QueryResponse,
  ReadyResponse,
  ServerItem,
  StatsResponse,
  WhoAmIResponse,
} from '../shared/api';
import type { MissionControlOptions } from '../datasource/types';
import { DATASOURCE_ID } from '../constants';
import { recording as completeCpuRecording } from './recorded/complete-cpu';
import { recording as eventsRecording } from './recorded/events';
import { recording as findRootRecording } from './recorded/find-root';
import { recording as inventoryAliasesRecording } from './recorded/inventory-aliases';
import { recording as inventoryAnnotationsRecording } from './recorded/inventory-annotations';
import { recording as inventoryApplicationsRecording } from './recorded/inventory-applications';
import { recording as inventoryServersRecording } from './recorded/inventory-servers';
import { recording as inventoryValuesRecording } from './recorded/inventory-values';
import { recording as findServersRecording } from './recorded/find-servers';
import { recording as findWeb1Recording } from './recorded/find-web1';
import { recording as functionsRecording } from './recorded/functions';
import { recording as queryInvalidRecording } from './recorded/query-invalid';
import { recording as queryRecording } from './recorded/query';
import { recording as statsRecording } from './recorded/stats';
import { recording as tagEnvRecording } from './recorded/tag-env';
import { recording as tagKeysRecording } from './recorded/tag-keys';
import { recording as tagNameRequestRecording } from './recorded/tag-name-request';
import { recording as tagValuesEnvRecording } from './recorded/tag-values-env';
import { recording as tagValuesNameRecording } from './recorded/tag-values-name';
import { recording as tagsRecording } from './recorded/tags';

/**
 * Worker answers for tests. Those marked "recorded" were taken from the worker of this repository (serve with a fresh
 * data directory, keys made with `mission-control keys create`); the others are states the contract allows that are
 * hard to provoke on a test machine. All are typed against shared/api.ts, so a contract change breaks them first.
 *
 * The modules under recorded/ are written by tests/browser/record-fixtures.ts from a worker running `serve --demo`
 * (a few hosts over Graphite, an application over statsd), with one malformed line per protocol, two events and three
 * servers in the inventory, each with a note.
 */

/** Recorded: GET /healthz. */
export const health: HealthResponse = { status: 'ok' };

/** Recorded: GET /readyz, 200. */
export const ready: ReadyResponse = {
  status: 'ready',
  checks: { store: { ok: true, message: '0 series' }, ingest: { ok: true, message: 'accepting' } },
};

/** GET /readyz, 503, while the write backlog is over its limit (the worker's own wording). */
export const degraded: ReadyResponse = {
  status: 'degraded',
  checks: {
    store: { ok: true, message: '48211 series' },
    ingest: { ok: false, message: 'write backlog above its limit: shedding load' },
  },
};

/** GET /readyz, 503, for a worker that answers HTTP before its store has opened. */
export const starting: ReadyResponse = {
  status: 'starting',
  checks: {
    store: { ok: false, message: 'replaying write-ahead log, segment 412 of 1280' },
    ingest: { ok: true, message: 'accepting' },
  },
};

/** Recorded: whoami with a key made with `--scopes read`. */
export const readerKey: WhoAmIResponse = { keyId: 'ef73ac322b94b4a2', scopes: ['read'] };

/** Recorded: whoami with a key made with `--scopes ingest`. */
export const ingestOnlyKey: WhoAmIResponse = { keyId: '152982d9205fa0f7', scopes: ['ingest'] };

/** Recorded: 401 for a key the worker does not know. */
export const unknownKey: ErrorResponse = { error: 'unknown or revoked API key' };

/** Recorded: 401 for `Authorization: Bearer ` with nothing after it, which the proxy sends when no key is saved. */
export const missingKey: ErrorResponse = {
  error: 'missing API key: send "Authorization: Bearer <key>" (create one with `mission-control keys create`)',
};

export const WORKER_URL = 'http://mission-control.internal:8686';

export function datasourceSettings(
  overrides: Partial<DataSourceInstanceSettings<MissionControlOptions>> = {}
): DataSourceInstanceSettings<MissionControlOptions> {
  return {
    uid: 'mc-prod',
    name: 'Mission Control (prod)',
    type: DATASOURCE_ID,
    access: 'proxy',
    readOnly: false,
    jsonData: { url: WORKER_URL },
    meta: { id: DATASOURCE_ID, name: 'Mission Control' } as DataSourcePluginMeta,
    ...overrides,
  };
}

/** Recorded: GET /api/v1/stats after 12 s of demo traffic and three malformed lines. */
export const stats = statsRecording.body as StatsResponse;

/** Recorded: GET /graphite/functions, the worker's whole function library. */
export const functions = functionsRecording.body as unknown as FunctionRegistry;

/** Recorded: GET /graphite/metrics/find for `*`, `servers.*` and `servers.web1.*`. */
export const findRoot = findRootRecording.body as FindNode[];
export const findServers = findServersRecording.body as FindNode[];
export const findWeb1 = findWeb1Recording.body as FindNode[];

/** Recorded: GET /graphite/metrics/find?format=completer for `*.*.*cpu*`, the third-level nodes containing "cpu". */
export const completeCpu = (completeCpuRecording.body as { metrics: CompleterNode[] }).metrics;

/** Recorded: GET /graphite/tags/env, and /graphite/tags/name with the filter `.*request` (the request timers). */
export const envDetails: TagDetails = tagEnvRecording.body;
export const requestNames: TagDetails = tagNameRequestRecording.body;

/** Recorded: GET /graphite/tags, and the autoComplete answers for tag names and the values of `env` and `name`. */
export const tags: TagInfo[] = tagsRecording.body;
export const tagKeys: string[] = tagKeysRecording.body;
export const envValues: string[] = tagValuesEnvRecording.body;
export const timerNames: string[] = tagValuesNameRecording.body;

/**
 * Recorded: POST /api/v1/query over five minutes: A draws four hosts, B does not parse, C has too many arguments, D is
 * hidden, E sums tagged statsd counters.
 */
export const queryRequest = queryRecording.request.body as QueryRequest;
export const queryResponse = queryRecording.body as QueryResponse;

/** Recorded: 400 for a query whose targets are not an array. */
export const queryInvalid = queryInvalidRecording.body as ErrorResponse;

/** Recorded: the hostnames of the production servers, after adding two production servers and a staging one. */
export const productionHostnames = inventoryValuesRecording.body as InventoryValuesResponse;

/** Recorded: GET /api/v1/events with the tag `shop`: a deploy and a DNS change. */
export const events = eventsRecording.body as EventsResponse;

/** Recorded: the inventory's lists: the three servers, no applications, no aliases. */
export const inventoryServers = inventoryServersRecording.body as InventoryListResponse<ServerItem>;
export const inventoryApplications = inventoryApplicationsRecording.body as InventoryListResponse<ApplicationItem>;
export const inventoryAliases = inventoryAliasesRecording.body as InventoryListResponse<AliasItem>;

/**
 * Recorded: GET /api/v1/inventory/annotations tagged `note` for web1.example.net and web2.example.net, leaving out the
 * note on db1.example.net; `path` is the request as recorded.
 */
export const inventoryAnnotations = {
  path: inventoryAnnotationsRecording.request.path,
  ...(inventoryAnnotationsRecording.body as InventoryAnnotationsResponse),
};
