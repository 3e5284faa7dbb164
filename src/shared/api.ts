/**
 * The HTTP contract between the Grafana plugin and the worker.
 *
 * The worker implements these shapes and the plugin's one API client (src/api/client.ts) consumes them, so a change
 * here is a change to both sides. The file is compiled by the worker (Node, tsconfig.worker.json) and bundled into the
 * plugin (browser), which is why it holds only types and plain constants and imports nothing.
 *
 * Conventions: timestamps are Unix seconds (fractions allowed); requests that need a key carry
 * `Authorization: Bearer <key>` (Grafana's data source proxy adds it, the browser never sees the key); every non-2xx
 * answer has an {@link ErrorResponse} body.
 */

/** Paths of the worker's HTTP API, relative to the worker's base URL. */
export const API_PATHS = {
  health: '/healthz',
  ready: '/readyz',
  whoami: '/api/v1/auth/whoami',
  write: '/api/v1/write',
  read: '/api/v1/read',
} as const;

export type ApiPath = (typeof API_PATHS)[keyof typeof API_PATHS];

/** The body of every non-2xx answer. `field` names the request field at fault, `position` the offset in a text input. */
export interface ErrorResponse {
  error: string;
  field?: string;
  position?: number;
}

/** GET /healthz — the process is up and serving HTTP. Needs no key. */
export interface HealthResponse {
  status: 'ok';
}

export type ReadyStatus = 'ready' | 'starting' | 'degraded';

/** One named readiness check, for example `wal` or `catalog`. */
export interface ReadyCheck {
  ok: boolean;
  message?: string;
}

/**
 * GET /readyz — whether the store can serve reads and writes. Needs no key. Answers 200 when `status` is 'ready' and
 * 503 with this same body otherwise, so that load balancers and humans read the same thing.
 */
export interface ReadyResponse {
  status: ReadyStatus;
  checks: Record<string, ReadyCheck>;
}

/** What an API key may do: send samples, read series, change configuration. */
export const API_SCOPES = ['ingest', 'read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** GET /api/v1/auth/whoami — the key the request was made with. Any valid key may call it; 401 otherwise. */
export interface WhoAmIResponse {
  keyId: string;
  scopes: ApiScope[];
}

export type SeriesKind = 'gauge' | 'counter' | 'timer' | 'set' | 'untyped';

/**
 * One series' samples in a write. Give either `points` ([timestamp, value] pairs) or a single `value` at `timestamp`;
 * a missing timestamp means the time the worker received the request.
 */
export interface WriteItem {
  name: string;
  labels?: Record<string, string>;
  kind?: SeriesKind;
  points?: Array<[number, number]>;
  value?: number;
  timestamp?: number;
}

/**
 * POST /api/v1/write — needs the 'ingest' scope. One item or an array of items, accepted or rejected as a whole so
 * that a client can retry the request as a unit: 200 with {@link WriteResponse}, or 400 with
 * {@link WriteErrorResponse} listing every bad item.
 */
export type WriteRequest = WriteItem | WriteItem[];

export interface WriteResponse {
  /** Samples stored (an item with `points` contributes one per point). */
  accepted: number;
}

/** One rejected item: its index in the request, the field at fault when there is one, and why. */
export interface WriteItemError {
  index: number;
  field?: string;
  error: string;
}

/** The 400 answer to a write: the first problem as usual, and all of them in `errors`. */
export interface WriteErrorResponse extends ErrorResponse {
  errors: WriteItemError[];
}

/*
 * Read API — the first slice of the query path, used by the data source's panels: series selected by glob, returned
 * as evenly spaced values. Graphite's function library arrives with the query engine and will extend these shapes.
 */

/**
 * One query of a read. `glob` selects series by name as Graphite does: names are dot-separated, `*` matches within one
 * part, `{web,db}` matches either word, `[0-9]` one character (`servers.web*.cpu.{user,system}`).
 */
export interface ReadTarget {
  refId: string;
  glob: string;
}

/**
 * POST /api/v1/read — needs the 'read' scope. `from` and `until` (after `from`) bound the range; `step` asks for a
 * resolution in seconds, and the worker picks one when it is absent.
 */
export interface ReadRequest {
  targets: ReadTarget[];
  from: number;
  until: number;
  step?: number;
}

/** A series as evenly spaced values: value i is at `start + i * step`; null where there is no data. */
export interface ReadSeries {
  name: string;
  labels: Record<string, string>;
  start: number;
  step: number;
  values: Array<number | null>;
}

/** The answer to one target; `error` says why a target failed without failing the others. */
export interface ReadResult {
  refId: string;
  series: ReadSeries[];
  error?: string;
}

export interface ReadResponse {
  results: ReadResult[];
}
