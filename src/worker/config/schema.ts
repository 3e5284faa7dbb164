/**
 * What the worker's YAML configuration is: the file's shape and JSON schema (`RawConfig`,
 * `CONFIG_SCHEMA`), its defaults, and the resolved form every other module receives
 * (`WorkerConfig`: durations in milliseconds, retentions parsed, listen addresses split).
 * The resolved form stays plain data so it can be logged, diffed on reload and shown in
 * the UI; `compileStorageRules` turns its storage rules into the matchers the store uses.
 */
import type { SmtpSettings } from '../notify/mailer';
import { RetentionLevel, parseRetentions } from './durations';

export type { RetentionLevel } from './durations';

export type AggregationMethod = 'avg' | 'sum' | 'min' | 'max' | 'last';

/** pino's levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ListenAddress {
  /** As written, without IPv6 brackets: `127.0.0.1`, `::1`, `0.0.0.0`, `localhost`. */
  host: string;
  /** 0 asks the OS for a free port (tests). */
  port: number;
}

export interface StorageSchemaRule {
  name: string;
  /** Regular expression on the series name; the first rule that matches wins. */
  pattern: string;
  /** Finest first. */
  levels: RetentionLevel[];
}

export interface AggregationRule {
  name: string;
  pattern: string;
  method: AggregationMethod;
}

export interface StorageConfig {
  checkpointIntervalMs: number;
  /**
   * Age at which a two-hour partition of raw samples is rolled up into the coarser levels. Until then reads at a
   * coarser step aggregate the raw samples themselves, so the recent rollups never take disk or checkpoint time.
   */
  rollupAfterMs: number;
  schemas: StorageSchemaRule[];
  aggregation: AggregationRule[];
}

export interface WorkerConfig {
  /** Absolute path of the YAML file this was read from, if any. */
  configFile: string | undefined;
  /** Absolute. */
  dataDir: string;
  http: { listen: ListenAddress };
  statsd: {
    listen: ListenAddress;
    udp: boolean;
    tcp: boolean;
    flushIntervalMs: number;
    percentiles: number[];
    deleteIdleStats: boolean;
    maxKeys: number;
    /** Bytes asked of the OS for the UDP socket's receive buffer; 0 keeps the OS default. */
    recvBufferSize: number;
  };
  graphite: { listen: ListenAddress; udp: boolean; tcp: boolean; maxLineLength: number };
  storage: StorageConfig;
  limits: { maxPendingWriteBytes: number; maxSeries: number; maxSeriesPerQuery: number; maxPointsPerQuery: number };
  logLevel: LogLevel;
  /** Outgoing mail (alert notifications, hostmaster requests); undefined sends none. */
  smtp: SmtpSettings | undefined;
  inventory: { hostmasterEmail: string | undefined };
  alerting: AlertingConfig;
  /** The worker's own figures written into its store as `mc.*` series (see selfreport.ts). */
  selfReport: { enabled: boolean; intervalMs: number };
}

export interface AlertingConfig {
  /** Absolute; YAML files of rule groups, rules and notifiers, read at start and on SIGHUP. Undefined: none. */
  provisioningDir: string | undefined;
  /** How long state transitions, notification records and ended silences are kept. */
  historyRetentionMs: number;
  /** A rule whose query takes longer is in error for that evaluation. */
  queryTimeoutMs: number;
  /** Queries running at once across all rule groups. */
  maxConcurrentQueries: number;
  /** At most this many notifications per window; the rest go out as one "throttled" message per notifier. */
  throttle: { maxNotifications: number; perMs: number };
}

/** The file's shape with every key present, as the defaults are written. */
export interface RawConfig {
  dataDir: string;
  http: { listen: string };
  statsd: {
    listen: string;
    udp: boolean;
    tcp: boolean;
    flushInterval: string;
    percentiles: number[];
    deleteIdleStats: boolean;
    maxKeys: number;
    recvBufferSize: number;
  };
  graphite: { listen: string; udp: boolean; tcp: boolean; maxLineLength: number };
  storage: {
    checkpointInterval: string;
    rollupAfter: string;
    schemas: Array<{ name: string; pattern: string; retentions: string }>;
    aggregation: Array<{ name: string; pattern: string; method: AggregationMethod | 'average' }>;
  };
  limits: WorkerConfig['limits'];
  logLevel: LogLevel;
  /** Optional: without it the worker sends no mail. */
  smtp?: { host: string; port?: number; secure?: boolean; user?: string; password?: string; from: string };
  inventory?: { hostmasterEmail?: string };
  alerting: {
    /** '' for none; relative to the configuration file. */
    provisioningDir: string;
    historyRetention: string;
    queryTimeout: string;
    maxConcurrentQueries: number;
    throttle: { maxNotifications: number; per: string };
  };
  selfReport: { enabled: boolean; interval: string };
}

export const DEFAULT_RETENTIONS = '10s:7d,1m:90d,1h:5y';

/** A statsd percentile suffix: `_90`, `_99_9`, and `_top10` for etsy's negative (lowest) percentiles. */
const PCT = '(_(top)?\\d+(_\\d+)?)?';

/**
 * Rollup methods by name, for the names statsd (etsy's, legacy and new namespaces, as
 * ingest/statsd writes them) and carbon's example configuration produce. Summing is right only
 * for per-interval counts; rates, means and levels are averaged. First match wins:
 * - `.lower`, `.lower_top10`, `.min`: min; `.upper`, `.upper_90`, `.upper_99_9`, `.max`: max.
 * - statsd sets (`stats.sets.x.count`) are distinct members per flush: adding flushes would
 *   count a member once per flush it appeared in, so they are averaged like a level.
 * - per-interval counts are summed: `.count`, `.count_90`, `.sum`, `.sum_90`, `.sum_squares`,
 *   timer histogram bins, and everything under the legacy `stats_counts.`. `.count_ps` is a
 *   per-second rate and deliberately falls through to the average.
 * - everything else, including `stats.counters.x.rate`, legacy `stats.x` rates, timer means,
 *   medians and `stats.gauges.*`: avg. Gauges follow Graphite's default rather than `last`:
 *   every rollup also keeps count, sum, min, max and last, so a query can still ask for the
 *   last value, while the average draws the level over the interval without aliasing.
 */
export const DEFAULT_AGGREGATION: RawConfig['storage']['aggregation'] = [
  { name: 'min', pattern: `\\.(lower|min)${PCT}$`, method: 'min' },
  { name: 'max', pattern: `\\.(upper|max)${PCT}$`, method: 'max' },
  { name: 'statsd_sets', pattern: '^stats\\.sets\\.', method: 'avg' },
  {
    name: 'sum',
    pattern: `\\.(count|sum|sum_squares)${PCT}$|\\.histogram\\.bin_[^.]+$|^stats_counts\\.`,
    method: 'sum',
  },
  { name: 'default', pattern: '.*', method: 'avg' },
];

export const CONFIG_DEFAULTS: RawConfig = {
  dataDir: './data',
  http: { listen: '127.0.0.1:8686' },
  statsd: {
    listen: '127.0.0.1:8125',
    udp: true,
    tcp: true,
    flushInterval: '10s',
    percentiles: [90],
    deleteIdleStats: false,
    maxKeys: 100_000,
    // 8 MiB: etsy statsd starts losing UDP lines at ~50k lines/s with the default ~212 KB.
    recvBufferSize: 8 * 1024 * 1024,
  },
  graphite: { listen: '127.0.0.1:2003', udp: true, tcp: true, maxLineLength: 65_536 },
  storage: {
    checkpointInterval: '15m',
    // Thanos waits 40 h before its first downsampling, for the same trade: dashboards of the last day or two read
    // raw samples either way, and rollups built later are built once, from merged partitions.
    rollupAfter: '40h',
    schemas: [{ name: 'default', pattern: '.*', retentions: DEFAULT_RETENTIONS }],
    aggregation: DEFAULT_AGGREGATION,
  },
  limits: {
    maxPendingWriteBytes: 64 * 1024 * 1024,
    maxSeries: 1_000_000,
    maxSeriesPerQuery: 10_000,
    maxPointsPerQuery: 10_000_000,
  },
  logLevel: 'info',
  alerting: {
    provisioningDir: '',
    historyRetention: '30d',
    queryTimeout: '30s',
    maxConcurrentQueries: 4,
    throttle: { maxNotifications: 25, per: '5min' },
  },
  // The statsd flush interval and the finest default resolution: one point per bucket.
  selfReport: { enabled: true, interval: '10s' },
};

/** Parses `HOST:PORT` or `[IPv6]:PORT`. Throws with a reason fit for a config error. */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text);
  if (!m) {
    throw new Error('expected HOST:PORT, e.g. 127.0.0.1:8125, 0.0.0.0:8125 for every interface, [::1]:8125 for IPv6');
  }
  const port = Number(m[3]);
  if (port > 65535) {
    throw new Error(`port ${port} is above 65535`);
  }
  return { host: (m[1] ?? m[2])!, port };
}

// Custom JSON-schema formats; load.ts registers them with their checks.
const duration = { type: 'string', format: 'duration' } as const;
const listen = { type: 'string', format: 'listen' } as const;
const regex = { type: 'string', format: 'regex' } as const;
const bool = { type: 'boolean' } as const;
const count = { type: 'integer', minimum: 1 } as const;
const name = { type: 'string', minLength: 1 } as const;

function section(properties: Record<string, object>, required: string[] = []): object {
  return { type: 'object', additionalProperties: false, required, properties };
}

/** JSON schema of the YAML file. Every key is optional at the top; `additionalProperties` catches typos. */
export const CONFIG_SCHEMA = section({
  dataDir: { type: 'string', minLength: 1 },
  http: section({ listen }),
  statsd: section({
    listen,
    udp: bool,
    tcp: bool,
    flushInterval: duration,
    // As etsy statsd: a negative percentile reports the lowest values (`lower_top10`).
    percentiles: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'number', minimum: -100, maximum: 100, not: { const: 0 } },
    },
    deleteIdleStats: bool,
    maxKeys: count,
    recvBufferSize: { type: 'integer', minimum: 0 },
  }),
  graphite: section({ listen, udp: bool, tcp: bool, maxLineLength: count }),
  storage: section({
    checkpointInterval: duration,
    rollupAfter: duration,
    schemas: {
      type: 'array',
      items: section({ name, pattern: regex, retentions: { type: 'string', format: 'retentions' } }, [
        'name',
        'pattern',
        'retentions',
      ]),
    },
    aggregation: {
      type: 'array',
      items: section(
        // 'average' is Graphite's spelling, accepted so storage-aggregation.conf rules copy over.
        { name, pattern: regex, method: { type: 'string', enum: ['avg', 'average', 'sum', 'min', 'max', 'last'] } },
        ['name', 'pattern', 'method']
      ),
    },
  }),
  limits: section({
    maxPendingWriteBytes: count,
    maxSeries: count,
    maxSeriesPerQuery: count,
    maxPointsPerQuery: count,
  }),
  logLevel: { type: 'string', enum: [...LOG_LEVELS] },
  smtp: section(
    {
      host: name,
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      secure: bool,
      user: name,
      password: { type: 'string' },
      from: { type: 'string', format: 'mailbox' },
    },
    ['host', 'from']
  ),
  inventory: section({ hostmasterEmail: { type: 'string', format: 'email' } }),
  alerting: section({
    provisioningDir: { type: 'string' },
    historyRetention: duration,
    queryTimeout: duration,
    maxConcurrentQueries: count,
    throttle: section({ maxNotifications: count, per: duration }),
  }),
  selfReport: section({ enabled: bool, interval: { type: 'string', format: 'reportInterval' } }),
});

export interface ResolvedSchema {
  name: string;
  levels: RetentionLevel[];
}

export interface StorageRules {
  /** Retention levels for a series name: the first matching schema, else the built-in default. */
  schemaFor(seriesName: string): ResolvedSchema;
  /** Rollup method for a series name: the first matching rule, else avg. */
  methodFor(seriesName: string): AggregationMethod;
  /** `rollupAfter`, capped at half the shortest raw retention of any schema. */
  rollupAfterMs: number;
}

/** Names looked up are remembered up to this many per table; beyond, the oldest are forgotten. */
const RULE_CACHE_SIZE = 10_000;

/**
 * Compiles the storage rules once. Lookups are cached because the same names come back on
 * every flush and a regex scan per sample would dominate ingest. A name no rule matches gets
 * the default retentions and avg, so a list without a catch-all never leaves a series unstored.
 */
export function compileStorageRules(storage: StorageConfig): StorageRules {
  const schemas = storage.schemas.map((s) => ({
    re: new RegExp(s.pattern),
    result: { name: s.name, levels: s.levels },
  }));
  const methods = storage.aggregation.map((a) => ({ re: new RegExp(a.pattern), method: a.method }));
  const fallbackSchema: ResolvedSchema = { name: 'default', levels: parseRetentions(DEFAULT_RETENTIONS) };
  // A raw partition must be rolled up well before any schema's raw retention drops it.
  const shortestRaw = Math.min(...[fallbackSchema, ...storage.schemas].map((s) => s.levels[0]!.retentionMs));
  const schemaCache = new Map<string, ResolvedSchema>();
  const methodCache = new Map<string, AggregationMethod>();
  return {
    schemaFor: (seriesName) =>
      cached(schemaCache, seriesName, () => schemas.find((s) => s.re.test(seriesName))?.result ?? fallbackSchema),
    methodFor: (seriesName) =>
      cached(methodCache, seriesName, () => methods.find((m) => m.re.test(seriesName))?.method ?? 'avg'),
    rollupAfterMs: Math.min(storage.rollupAfterMs, shortestRaw / 2),
  };
}

function cached<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) {
    return hit;
  }
  const value = compute();
  if (cache.size >= RULE_CACHE_SIZE) {
    // Maps iterate in insertion order: this drops the oldest entry.
    cache.delete(cache.keys().next().value!);
  }
  cache.set(key, value);
  return value;
}
