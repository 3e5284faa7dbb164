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
  query: '/api/v1/query',
  events: '/api/v1/events',
  /** Base of the Graphite-compatible API (render, metrics/find, tags, functions, events): Grafana's Graphite URL. */
  graphite: '/graphite',
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

/*
 * Alerting — rules (a target, a reducer over a window, a condition), their alert instances (one per series plus one
 * for the rule itself: no data, fewer than N series, query errors), state history, silences, acknowledgements and
 * notifiers. Reading needs the 'read' scope, every change the 'admin' scope. Durations are Graphite-style strings
 * (`30s`, `5min`, `1h`); times are Unix seconds.
 */

/** Paths of the alerting API; `:uid`, `:name` and `:id` are path parameters. */
export const ALERTING_PATHS = {
  rules: '/api/v1/alerting/rules',
  rule: '/api/v1/alerting/rules/:uid',
  preview: '/api/v1/alerting/preview',
  groups: '/api/v1/alerting/groups',
  group: '/api/v1/alerting/groups/:name',
  instances: '/api/v1/alerting/instances',
  history: '/api/v1/alerting/history',
  notifications: '/api/v1/alerting/notifications',
  silences: '/api/v1/alerting/silences',
  silence: '/api/v1/alerting/silences/:id',
  acks: '/api/v1/alerting/acks',
  ack: '/api/v1/alerting/acks/:id',
  notifiers: '/api/v1/alerting/notifiers',
  notifier: '/api/v1/alerting/notifiers/:name',
  notifierTest: '/api/v1/alerting/notifiers/:name/test',
} as const;

/** OK, pending (condition met, waiting for `for`), alerting, no data, error (the query failed). */
export type AlertState = 'ok' | 'pending' | 'alerting' | 'nodata' | 'error';

/** `pNN` is a percentile (p50, p95, p99.9) of the window's values. */
export type AlertReducer = 'last' | 'avg' | 'min' | 'max' | 'sum' | 'count' | `p${number}`;

/**
 * Per series: `above` fires when the reduced value is >= threshold, `below` when <= threshold (Hound's rule). With a
 * recovery threshold an alerting instance resolves only once the value is past it (below it for `above`), so a value
 * wandering around the threshold does not flap.
 */
export interface AlertThresholdCondition {
  op: 'above' | 'below';
  threshold: number;
  recoveryThreshold?: number;
}

/** A rule as written in YAML and sent to the API. Optional fields have the defaults noted. */
export interface AlertRuleSpec {
  /** Stable identifier: letters, digits, `-` and `_`. */
  uid: string;
  title: string;
  /** The rule group, which sets the evaluation interval. */
  group: string;
  /** A Graphite target expression; each series it returns is one alert instance. */
  target: string;
  /** How far back the reducer looks, e.g. `5min`. */
  window: string;
  /** Default `last`. */
  reducer?: AlertReducer;
  /** Per-series condition; without one the rule only watches for missing data and `minSeries`. */
  condition?: AlertThresholdCondition;
  /** The rule-level instance fires when fewer series than this have data in the window (Cabot's expected_num_hosts). */
  minSeries?: number;
  /** What the rule-level instance becomes when no series has data in the window. Default `nodata`. */
  noDataState?: 'nodata' | 'alerting' | 'ok';
  /** How long the condition must hold before pending becomes alerting. Default `0s`. */
  for?: string;
  /** How long an alerting instance keeps firing after the condition stops holding. Default `0s`. */
  keepFiringFor?: string;
  /** Hound's convention: an alert needs a human now, a notice is for information. Default `alert`. */
  type?: 'alert' | 'notice';
  labels?: Record<string, string>;
  /** Values may use `{{ $labels.host }}` and `{{ $value }}`. */
  annotations?: Record<string, string>;
  runbookUrl?: string;
  /** A paused rule is not evaluated and sends nothing. */
  paused?: boolean;
  /** Notifier names; default: the group's notifiers. */
  notifiers?: string[];
  /** Re-notification while firing: `backoff` (Hound's: 5min, 30min, 1h, 2h, 4h, 8h, then daily), a duration, or `never`. */
  repeat?: string;
}

export interface AlertGroupSpec {
  name: string;
  /** Evaluation interval, default `1min`. */
  interval?: string;
  /** Notifiers for rules that name none. */
  notifiers?: string[];
}

/** `provisioned` objects come from the worker's provisioning folder and are read-only through the API. */
export interface AlertRuleInfo {
  spec: AlertRuleSpec;
  provisioned: boolean;
  /** Number of instances in each state. */
  states: Record<AlertState, number>;
  /** Last evaluation: when, how long it took (seconds), and the error when the query failed. */
  lastEvaluation?: { at: number; durationSeconds: number; error?: string };
}

export interface AlertGroupInfo {
  spec: AlertGroupSpec;
  provisioned: boolean;
}

/** GET rules: every group and rule. */
export interface AlertRulesResponse {
  groups: AlertGroupInfo[];
  rules: AlertRuleInfo[];
}

/** GET rules/:uid: the rule with its instances. */
export interface AlertRuleResponse extends AlertRuleInfo {
  instances: AlertInstance[];
}

/** One alert instance: a series of the rule (`key` is its label set, canonical), or the rule itself (`key` ''). */
export interface AlertInstance {
  ruleUid: string;
  key: string;
  labels: Record<string, string>;
  /** Templated annotations as of the last evaluation. */
  annotations: Record<string, string>;
  state: AlertState;
  /** When the instance entered its state. */
  since: number;
  value: number | null;
  reason: string;
  silencedBy?: string[];
  acknowledgedBy?: string;
  /** When it was last notified and how many notifications this firing episode has had. */
  lastNotifiedAt?: number;
  notifications: number;
}

/** GET instances?state=&rule=&label=k=v */
export interface AlertInstancesResponse {
  instances: AlertInstance[];
}

/** One stored state transition. */
export interface AlertTransition {
  at: number;
  ruleUid: string;
  key: string;
  labels: Record<string, string>;
  from: AlertState;
  to: AlertState;
  value: number | null;
  reason: string;
}

/** GET history?rule=&key=&from=&until=&limit= — newest first. */
export interface AlertHistoryResponse {
  transitions: AlertTransition[];
}

export type AlertNotificationKind = 'firing' | 'recovered' | 'throttled' | 'test';

/** One notification attempt, as logged. */
export interface AlertNotificationRecord {
  at: number;
  ruleUid: string | null;
  key: string | null;
  notifier: string;
  kind: AlertNotificationKind;
  state: AlertState | null;
  ok: boolean;
  error?: string;
}

/** GET notifications?rule=&from=&until=&limit= — newest first. */
export interface AlertNotificationsResponse {
  notifications: AlertNotificationRecord[];
}

/** A label matcher as Alertmanager writes them: `=`, `!=`, `=~` and `!~` (regular expressions match the whole value). */
export interface AlertLabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** POST silences: instances whose labels match every matcher send nothing between `startsAt` and `endsAt`. */
export interface AlertSilenceSpec {
  matchers: AlertLabelMatcher[];
  /** Default: now. */
  startsAt?: number;
  endsAt: number;
  author: string;
  comment: string;
}

export interface AlertSilence extends Required<AlertSilenceSpec> {
  id: string;
  createdAt: number;
  /** `pending` before startsAt, `expired` after endsAt (or once deleted early). */
  status: 'pending' | 'active' | 'expired';
}

export interface AlertSilencesResponse {
  silences: AlertSilence[];
}

/**
 * POST acks: holds re-notifications of a firing instance (`key`), or of every instance of the rule (no `key`), until
 * `expiresAt` or until the instance recovers; the recovered message is still sent.
 */
export interface AlertAckSpec {
  ruleUid: string;
  key?: string;
  expiresAt: number;
  author: string;
  comment?: string;
}

export interface AlertAck extends AlertAckSpec {
  id: string;
  createdAt: number;
}

export interface AlertAcksResponse {
  acks: AlertAck[];
}

export type AlertNotifierType = 'smtp' | 'webhook' | 'alertmanager' | 'slack' | 'sms';

/** What replaces a stored secret in every answer; sending it back unchanged keeps the stored value. */
export const ALERT_SECRET_MASK = '********';

/**
 * A notifier. Settings by type (secrets marked *):
 * - smtp: `to` (list), `subjectPrefix?` — sent through the worker's `smtp` configuration, which sets the sender.
 * - webhook: `url`, `format` (`json` | `alertmanager`), `username?`, `password*`, `bearerToken*`.
 * - alertmanager: `url` (the Alertmanager's base URL), `username?`, `password*`.
 * - slack: `url*` (the incoming webhook), `channel?`, `username?`.
 * - sms: `provider` (`twilio` | `vonage`), `baseUrl?`, `from`, `to` (list), `accountSid` / `apiKey`, `authToken*` / `apiSecret*`.
 */
export interface AlertNotifierSpec {
  name: string;
  type: AlertNotifierType;
  settings: Record<string, unknown>;
}

export interface AlertNotifierInfo {
  spec: AlertNotifierSpec;
  provisioned: boolean;
  /** Names of the settings that hold a stored secret (their values show as ALERT_SECRET_MASK). */
  secureFields: string[];
}

export interface AlertNotifiersResponse {
  notifiers: AlertNotifierInfo[];
}

/** POST notifiers/:name/test */
export interface AlertNotifierTestResponse {
  ok: boolean;
  error?: string;
}

/** POST preview: evaluates a rule as if now, over the last `range` seconds (default a day), without storing anything. */
export interface AlertPreviewRequest {
  rule: AlertRuleSpec;
  range?: number;
}

export interface AlertPreviewSeries {
  name: string;
  labels: Record<string, string>;
  start: number;
  step: number;
  values: Array<number | null>;
}

export interface AlertPreviewInstance {
  key: string;
  labels: Record<string, string>;
  value: number | null;
  /** The state this instance would enter from OK now (`pending` when the rule has a `for`). */
  state: AlertState;
  reason: string;
}

export interface AlertPreviewResponse {
  series: AlertPreviewSeries[];
  threshold?: number;
  recoveryThreshold?: number;
  instances: AlertPreviewInstance[];
  error?: string;
}

/*
 * Worker statistics — the app's Overview page: the worker's own figures in one answer, so the page needs no
 * Prometheus to show whether metrics are arriving.
 */

/** Paths of the statistics API. */
export const STATS_PATHS = {
  stats: '/api/v1/stats',
} as const;

/** The ingest protocols the worker counts separately (the `protocol` label of its mc_ingest_* metrics). */
export const INGEST_PROTOCOLS = ['statsd_udp', 'statsd_tcp', 'graphite_tcp', 'graphite_udp', 'http'] as const;
export type IngestProtocol = (typeof INGEST_PROTOCOLS)[number];

/** One protocol's totals since the worker started, and its rates over the last `rateWindow` seconds. */
export interface ProtocolStats {
  protocol: IngestProtocol;
  linesReceived: number;
  samplesAccepted: number;
  linesRejected: number;
  /** Lines, packets or requests dropped because the worker was over capacity. */
  shed: number;
  linesPerSecond: number;
  samplesPerSecond: number;
}

/** Malformed lines of one protocol skipped for one reason, since the worker started. */
export interface RejectedLines {
  protocol: IngestProtocol;
  reason: string;
  lines: number;
}

/**
 * Where series come from, and how recent their newest sample is. A series' source is its `source` label, else its
 * `host` label, else `servers.<host>` for names under `servers.` (the collectd and Diamond convention), else the first
 * node of its name (`stats` for everything statsd flushes, `app` for `app.signups`).
 */
export interface SourceFreshness {
  source: string;
  /** How many series the source has. */
  series: number;
  /** Time of the newest sample of any of its series. */
  lastSeen: number;
}

/** GET /api/v1/stats — needs the 'read' scope. */
export interface StatsResponse {
  /** When the figures were taken. */
  time: number;
  /** Seconds since the worker started. */
  uptime: number;
  store: {
    /** As /readyz says. */
    status: ReadyStatus;
    checks: Record<string, ReadyCheck>;
    series: number;
    /** Series with samples in memory since the last checkpoint. */
    headSeries: number;
    /** Write-ahead log not yet checkpointed. */
    walBytes: number;
  };
  /** Every protocol in INGEST_PROTOCOLS order, including those that have received nothing. */
  ingest: ProtocolStats[];
  /** The seconds over which `linesPerSecond` and `samplesPerSecond` are averaged (shorter just after start). */
  rateWindow: number;
  /** Most lines first. */
  rejected: RejectedLines[];
  sources: {
    /** Number of distinct sources. */
    total: number;
    /** Up to five, newest sample first. */
    freshest: SourceFreshness[];
    /** Up to five, oldest newest-sample first. */
    stalest: SourceFreshness[];
  };
}

/*
 * Inventory — Plexus grown up: locations, servers (with IP addresses and contacts), applications (deployed on servers
 * per environment, reachable under DNS aliases, with contacts) and DNS aliases, plus notes and renewals on any of the
 * four. Everything lives under INVENTORY_API; reading needs the 'read' scope, every change the 'admin' scope.
 *
 * Entities are addressed by their natural key: a location's and an application's `name`, a server's `hostname`, an
 * alias's `fqdn` (`GET /api/v1/inventory/servers/web1.example.net`). Bodies refer to other entities by the same keys,
 * exactly as the YAML file does. Notes, renewals and history refer to an entity as an {@link InventoryEntityRef}
 * (`server:web1.example.net`). Optional fields are omitted when empty; send `null` in a PATCH to clear one.
 *
 * Errors: every invalid field, unknown reference and duplicate key answers 400 with `field` naming the first fault
 * and `errors` listing all of them ({@link InventoryErrorResponse}); an unknown entity in the path 404; deleting an
 * entity others still refer to 409 with the references.
 */

export const INVENTORY_API = '/api/v1/inventory';

export const INVENTORY_KINDS = ['location', 'server', 'application', 'alias'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

/** The collection path segment of each kind: `/api/v1/inventory/servers`. */
export const INVENTORY_COLLECTIONS = {
  location: 'locations',
  server: 'servers',
  application: 'applications',
  alias: 'aliases',
} as const satisfies Record<InventoryKind, string>;

/** `kind:key`, e.g. `server:web1.example.net`, `application:blog`, `alias:www.example.com`, `location:nyc1`. */
export type InventoryEntityRef = string;

export const SERVER_STATUSES = ['active', 'deprecated'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

/** pending (requested, not yet in DNS) → active (confirmed by the hostmaster) → deprecated. */
export const ALIAS_STATUSES = ['pending', 'active', 'deprecated'] as const;
export type AliasStatus = (typeof ALIAS_STATUSES)[number];

export const APPLICATION_LIFECYCLES = ['planned', 'development', 'production', 'maintenance', 'retired'] as const;
export type ApplicationLifecycle = (typeof APPLICATION_LIFECYCLES)[number];

/**
 * An alias's record type and what it points at: A and AAAA a server (its addresses) or an IPv4 or IPv6 address;
 * CNAME and NS a server (its hostname) or a domain name; TXT a text value.
 */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'TXT'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** A renewal whose end date is this many days away or fewer (and not yet past) is "ending soon". */
export const RENEWAL_SOON_DAYS = 28;

/** People to call about a server or an application, in the order to call them. */
export interface InventoryContact {
  name: string;
  role?: string;
  email?: string;
  phone?: string;
}

/** An IPv4 or IPv6 address of a server (written in canonical form), with its MAC and interface name when known. */
export interface InventoryAddress {
  address: string;
  mac?: string;
  interface?: string;
}

export interface LocationFields {
  name: string;
  description?: string;
}

/**
 * `series` ties the entity to its series (and the alert instances on them): label matchers as seriesByTag takes them,
 * comma-separated (`host=web1`, `host=~web[0-9]+,env=prod`), or a Graphite glob (`servers.web1.*`).
 */
export interface ServerFields {
  hostname: string;
  description?: string;
  role?: string;
  environment?: string;
  location?: string;
  provider?: string;
  instanceId?: string;
  os?: string;
  cpus?: number;
  memoryGb?: number;
  diskGb?: number;
  status: ServerStatus;
  series?: string;
  addresses: InventoryAddress[];
  contacts: InventoryContact[];
}

/** An application runs on a server in an environment; the same pair may appear once per environment. */
export interface ApplicationDeployment {
  server: string;
  environment: string;
}

export interface ApplicationFields {
  name: string;
  description?: string;
  technology?: string;
  /** Where the code lives: a URL, or scp-like `git@host:org/repo.git`. */
  repository?: string;
  owner?: string;
  /** An http(s) URL. */
  runbook?: string;
  /** The project's id in the error tracker (Sentry and the like). */
  errorTracker?: string;
  lifecycle: ApplicationLifecycle;
  series?: string;
  servers: ApplicationDeployment[];
  /** FQDNs of the aliases the application answers under. */
  aliases: string[];
  contacts: InventoryContact[];
}

/** Exactly one of `server` and `target` is set. */
export interface AliasFields {
  fqdn: string;
  type: DnsRecordType;
  server?: string;
  target?: string;
  status: AliasStatus;
  registrar?: string;
  /** Who makes changes to this name's DNS records (a team, a provider's console). */
  dnsManagedBy?: string;
  /** The address the request mails went to. */
  requestedBy?: string;
  description?: string;
}

export interface InventoryNote {
  id: number;
  entity: InventoryEntityRef;
  time: number;
  author: string;
  body: string;
  pinned: boolean;
}

/** A contract, certificate or registration that runs out. Dates are calendar days, `YYYY-MM-DD` (UTC). */
export interface InventoryRenewal {
  id: number;
  entity: InventoryEntityRef;
  name: string;
  start: string;
  end: string;
  notes?: string;
  /** The end date is today or within the next RENEWAL_SOON_DAYS days. */
  endingSoon: boolean;
}

/** What lists answer per entity: its fields plus id and ref. Servers and applications add their series target. */
export type InventoryItem<F> = F & { id: number; entity: InventoryEntityRef };

export type LocationItem = InventoryItem<LocationFields>;
/** `seriesTarget` is the Graphite target for the entity's series (`seriesByTag('host=web1')` or the glob). */
export type ServerItem = InventoryItem<ServerFields> & { seriesTarget?: string };
export type ApplicationItem = InventoryItem<ApplicationFields> & { seriesTarget?: string };
export type AliasItem = InventoryItem<AliasFields>;

interface Annotated {
  notes: InventoryNote[];
  renewals: InventoryRenewal[];
}

/** GET .../locations/:name */
export type LocationDetail = LocationItem & Annotated & { servers: string[] };
/** GET .../servers/:hostname — with the applications deployed on it and the aliases pointing at it. */
export type ServerDetail = ServerItem &
  Annotated & { applications: Array<{ application: string; environment: string }>; aliases: string[] };
/** GET .../applications/:name */
export type ApplicationDetail = ApplicationItem & Annotated;
/** GET .../aliases/:fqdn — with the applications that answer under it. */
export type AliasDetail = AliasItem & Annotated & { applications: string[] };

/** GET .../{collection}?q=text&filter=field=value — see {@link InventoryValuesRequest} for `filter`. */
export interface InventoryListResponse<T> {
  items: T[];
}

/** The body of an inventory 400: the first fault as usual, and every fault in `errors`. */
export interface InventoryErrorResponse extends ErrorResponse {
  errors?: Array<{ field: string; error: string }>;
}

/** A 400 answer to an import: faults carry the file's line and column when the body was YAML. */
export interface InventoryImportErrorResponse extends ErrorResponse {
  line?: number;
  column?: number;
  errors: Array<{ field: string; error: string; line?: number; column?: number }>;
}

/** POST .../notes. `author` defaults to the Grafana user (X-Grafana-User), else the API key's name; `time` to now. */
export interface InventoryNoteInput {
  entity: InventoryEntityRef;
  body: string;
  author?: string;
  time?: number;
  pinned?: boolean;
}

/** POST .../renewals */
export interface InventoryRenewalInput {
  entity: InventoryEntityRef;
  name: string;
  start: string;
  end: string;
  notes?: string;
}

export type InventoryHistoryAction = 'create' | 'update' | 'delete' | 'request' | 'confirm' | 'change';

/** One change: who made it (the API key, and the Grafana user when the proxy names one), when, and what changed. */
export interface InventoryHistoryEntry {
  id: number;
  time: number;
  actor: { keyId?: string; name?: string; user?: string };
  /** The entity as it was named then; notes and renewals are `note:ID` and `renewal:ID`. */
  entity: string;
  action: InventoryHistoryAction;
  /** Field by field; absent values are null. Creation lists every field set, deletion every field cleared. */
  changes: Record<string, { from: unknown; to: unknown }>;
  /** The entities the change concerns besides its own: a note's entity, an alias's server and applications. */
  related: InventoryEntityRef[];
}

/** GET .../history?entity=ref&since=&until=&limit=&before=id (newest first), or GET .../{collection}/:key/history */
export interface InventoryHistoryResponse {
  items: InventoryHistoryEntry[];
}

/** GET .../search?q=text — every word must appear; results rank exact and prefix key matches first. */
export interface InventorySearchResult {
  entity: InventoryEntityRef;
  kind: InventoryKind;
  key: string;
  /** Where the words matched, e.g. `{ field: 'notes', value: 'replaced the disk' }`. */
  matches: Array<{ field: string; value: string }>;
}

export interface InventorySearchResponse {
  results: InventorySearchResult[];
}

/**
 * GET .../values?entity=servers&field=hostname&filter=environment=production — the distinct values of one field of
 * the entities that pass the filter, sorted, for template variables. `filter` is seriesByTag's matcher syntax,
 * comma-separated and repeatable: `field=value`, `field!=value`, `field=~regex`, `field!=~regex` (regexes anchored at
 * the start, as seriesByTag's); `field=` matches entities without the field. Besides every field of the kind, filters
 * and `field` know relations: servers `application`, `alias`, `address`, `contact`; applications `server`, `alias`,
 * `environment` (of their deployments), `contact`; aliases `application`; locations `server`. A multi-valued field
 * matches `=` when any of its values does, `!=` when all do.
 */
export interface InventoryValuesRequest {
  entity: string;
  field: string;
  filter?: string | string[];
}

export interface InventoryValuesResponse {
  values: string[];
}

/**
 * GET .../annotations?from=&until=&entity=ref (repeatable)&tags=t1,t2 — notes, and status changes (alias requests,
 * confirmations and re-pointings, server status, application lifecycle), as Grafana annotations. An entity's
 * annotations include those of aliases pointing at it (a server) or it answers under (an application).
 */
export interface InventoryAnnotation {
  time: number;
  title: string;
  text: string;
  tags: string[];
  entity: InventoryEntityRef;
}

export interface InventoryAnnotationsResponse {
  annotations: InventoryAnnotation[];
}

/** POST .../aliases/request — creates the alias pending and mails the hostmaster, copying the requester. */
export type InventoryAliasRequest = Omit<AliasFields, 'status' | 'requestedBy'> & {
  requestedBy: string;
  /** Applications that will answer under the alias; linked at once. */
  applications?: string[];
  reason?: string;
};

/** POST .../aliases/:fqdn/change — re-points the alias (back to pending) and mails the hostmaster again. */
export interface InventoryAliasChange {
  type?: DnsRecordType;
  server?: string;
  target?: string;
  requestedBy: string;
  reason?: string;
}

/** The answer to request, change and confirm (POST .../aliases/:fqdn/confirm): the alias and what was mailed. */
export interface InventoryAliasWorkflowResponse {
  alias: AliasDetail;
  mail: { sent: boolean; to: string[]; cc: string[]; subject?: string; error?: string };
}

/**
 * POST .../import (admin) with the YAML (application/yaml, text/yaml) or its JSON equivalent, `?dryRun=true` to only
 * compare. The file is the whole inventory: entities missing from it are deleted. All or nothing.
 * GET .../export answers the canonical YAML (application/yaml), which imports back unchanged.
 */
export interface InventoryImportResponse {
  dryRun: boolean;
  changes: Array<{ entity: InventoryEntityRef; action: 'create' | 'update' | 'delete' }>;
  unchanged: number;
}

/*
 * Query API — the Graphite target language (paths with globs, seriesByTag, the function library) evaluated by the
 * worker, answering one data frame per series.
 */

/** One target. A hidden target is not answered but others may use it: `#A` in a target stands for target A's text. */
export interface QueryTarget {
  refId: string;
  target: string;
  hide?: boolean;
}

/**
 * POST /api/v1/query — needs the 'read' scope. `from` and `until` are Unix seconds or Graphite time expressions
 * (`-24h`, `now-7d`, `20261121`); defaults `-1d` and `now`. With `maxDataPoints`, series with more points are
 * consolidated as Graphite's render API does (consolidateBy picks the function). `intervalMs` is accepted as Grafana
 * sends it; the step comes from the stored resolution and maxDataPoints.
 */
export interface QueryRequest {
  targets: QueryTarget[];
  from?: number | string;
  until?: number | string;
  maxDataPoints?: number;
  intervalMs?: number;
  /** IANA time zone for wall-clock times in `from`/`until` (`midnight`, `20261121`); UTC by default. */
  tz?: string;
}

/** One series as a data frame: a time field (value i at `start + i * step`) and a value field named `name` with `tags` as labels. */
export interface QuerySeries {
  name: string;
  tags: Record<string, string>;
  start: number;
  step: number;
  values: Array<number | null>;
}

/** Why one target failed: `position` is the offset in the target text, `limit` the limit it would exceed. */
export interface QueryTargetError {
  message: string;
  position?: number;
  limit?: string;
}

export interface QueryResult {
  series: QuerySeries[];
  error?: QueryTargetError;
}

/** One result per target that is not hidden, keyed by refId; one target's error does not fail the others. */
export interface QueryResponse {
  results: Record<string, QueryResult>;
}

/** A query error's body: `position` in `target` for a malformed one, `limit` for one over a limit (422). */
export interface QueryErrorResponse extends ErrorResponse {
  target?: string;
  limit?: string;
}

/*
 * Events — deploys, DNS changes and the like, drawn as annotations. Also served as graphite-web's /events API under
 * /graphite (POST /graphite/events, GET /graphite/events/get_data).
 */

/** POST /api/v1/events — needs the 'ingest' scope. `tags`: a list or a space-separated string; `when` defaults to now. */
export interface EventRequest {
  what: string;
  tags?: string[] | string;
  data?: string;
  when?: number;
}

export interface EventItem {
  id: number;
  when: number;
  what: string;
  tags: string[];
  data: string;
}

/** The answer to POST /api/v1/events. */
export interface EventCreatedResponse {
  id: number;
  when: number;
}

/**
 * GET /api/v1/events?from=&until=&tags=&any=&limit= — needs the 'read' scope. Times as in queries (default: the
 * last day); `tags` space- or comma-separated, events having all of them (any of them with `any=1`); oldest first,
 * the latest `limit` (default 1000).
 */
export interface EventsResponse {
  events: EventItem[];
}

/** One parameter of a function in graphite-web's `/functions`, as its Param.toJSON writes it. */
export interface FunctionParam {
  name: string;
  /** seriesList, seriesLists, series, string, integer, float, boolean, node, nodeOrTag, tag, interval, ... */
  type: string;
  required?: boolean;
  default?: string | number | boolean;
  multiple?: boolean;
  options?: Array<string | number>;
  suggestions?: Array<string | number>;
}

/** One function of `/functions`, as graphite-web's functionInfo writes it (Grafana's function picker reads it). */
export interface FunctionInfo {
  name: string;
  /** The Python-style signature: `movingAverage(seriesList, windowSize, xFilesFactor=None)`. */
  function: string;
  description: string;
  module?: string;
  group: string;
  params: FunctionParam[];
}

/** The parameter types that take series. */
export const SERIES_PARAM_TYPES: ReadonlySet<string> = new Set(['seriesList', 'seriesLists', 'series']);
