/**
 * GET /api/v1/stats: the worker's own figures in one JSON answer for the app's Overview page — store health, ingest
 * totals and rates per protocol, rejected lines, and how fresh each source's data is. The counters come from the
 * worker's prom-client registry (the same numbers /metrics shows), the freshness from the series catalog.
 */
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import {
  INGEST_PROTOCOLS,
  STATS_PATHS,
  type IngestProtocol,
  type ProtocolStats,
  type ReadyResponse,
  type RejectedLines,
  type SourceFreshness,
  type StatsResponse,
} from '../../shared/api';
import type { WorkerMetrics } from '../selfmetrics';
import type { SeriesReader, SeriesRef } from '../store/types';

export interface StatsDeps {
  metrics: WorkerMetrics;
  reader: SeriesReader;
  ready: () => ReadyResponse;
  /** Checks the key and its 'read' scope. */
  requireRead: preHandlerAsyncHookHandler;
  now?: () => number;
  /** How often the rate sampler reads the counters, ms. */
  sampleIntervalMs?: number;
  /** The span rates are averaged over, ms. */
  rateWindowMs?: number;
}

/** Counter totals per protocol at one moment. */
interface Sample {
  t: number;
  lines: Map<string, number>;
  samples: Map<string, number>;
}

const TOP_SOURCES = 5;
/** Walking the catalog is linear in the number of series; the Overview page polls, so one walk serves a while. */
const SOURCES_CACHE_MS = 5_000;

/** The source a series belongs to; see SourceFreshness in shared/api.ts. */
export function sourceOf(ref: Pick<SeriesRef, 'name' | 'labels'>): string {
  const label = ref.labels['source'] ?? ref.labels['host'];
  if (label) return label;
  const nodes = ref.name.split('.');
  if (nodes[0] === 'servers' && nodes.length > 2) return `servers.${nodes[1]}`;
  return nodes[0]!;
}

/** Groups series by source and keeps the newest sample time of each (seconds). */
function sourceFreshness(refs: Iterable<Pick<SeriesRef, 'name' | 'labels' | 'lastSeen'>>): SourceFreshness[] {
  const bySource = new Map<string, SourceFreshness>();
  for (const ref of refs) {
    const source = sourceOf(ref);
    const entry = bySource.get(source);
    if (entry) {
      entry.series++;
      entry.lastSeen = Math.max(entry.lastSeen, ref.lastSeen / 1000);
    } else {
      bySource.set(source, { source, series: 1, lastSeen: ref.lastSeen / 1000 });
    }
  }
  return [...bySource.values()];
}

function valuesOf(all: MetricObjectWithValues<MetricValue<string>>[], name: string): MetricValue<string>[] {
  return all.find((m) => m.name === name)?.values ?? [];
}

function byProtocol(values: MetricValue<string>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const protocol = String(v.labels['protocol'] ?? '');
    out.set(protocol, (out.get(protocol) ?? 0) + v.value);
  }
  return out;
}

function single(values: MetricValue<string>[]): number {
  return values[0]?.value ?? 0;
}

export const statsRoutes: FastifyPluginAsync<StatsDeps> = async (app, deps) => {
  const now = deps.now ?? Date.now;
  const sampleIntervalMs = deps.sampleIntervalMs ?? 5_000;
  const rateWindowMs = deps.rateWindowMs ?? 60_000;
  const startedAt = now();

  const readAll = () => deps.metrics.registry.getMetricsAsJSON();
  const sampleOf = (all: MetricObjectWithValues<MetricValue<string>>[], t: number): Sample => ({
    t,
    lines: byProtocol(valuesOf(all, 'mc_ingest_lines_received_total')),
    samples: byProtocol(valuesOf(all, 'mc_ingest_samples_accepted_total')),
  });

  // Counters only grow, so a rate needs an earlier reading: keep one every sampleIntervalMs for the last window. The
  // registry is the worker's own and starts at zero with it, so "all zero at start-up" is the first reading.
  const history: Sample[] = [{ t: startedAt, lines: new Map(), samples: new Map() }];
  const sampler = setInterval(() => {
    void readAll().then((all) => {
      const t = now();
      history.push(sampleOf(all, t));
      // Keep the newest reading that is at least a window old, as the base of the rate.
      while (history.length > 2 && history[1]!.t <= t - rateWindowMs) history.shift();
    });
  }, sampleIntervalMs);
  sampler.unref();
  app.addHook('onClose', async () => clearInterval(sampler));

  let sourcesCache: { t: number; sources: SourceFreshness[] } | undefined;
  const sources = (t: number): SourceFreshness[] => {
    if (!sourcesCache || t - sourcesCache.t >= SOURCES_CACHE_MS) {
      // An empty selector selects every series.
      sourcesCache = { t, sources: sourceFreshness(deps.reader.find({})) };
    }
    return sourcesCache.sources;
  };

  app.get(STATS_PATHS.stats, { preHandler: deps.requireRead }, async (): Promise<StatsResponse> => {
    const all = await readAll();
    const t = now();
    const current = sampleOf(all, t);
    const base = history.find((s) => s.t >= t - rateWindowMs) ?? history[0]!;
    const seconds = Math.max((t - base.t) / 1000, 1e-3);
    const rejectedByProtocol = byProtocol(valuesOf(all, 'mc_ingest_lines_rejected_total'));
    const shedByProtocol = byProtocol(valuesOf(all, 'mc_ingest_shed_total'));
    const rate = (latest: Map<string, number>, earlier: Map<string, number>, p: string): number =>
      Math.max(0, (latest.get(p) ?? 0) - (earlier.get(p) ?? 0)) / seconds;

    const ingest: ProtocolStats[] = INGEST_PROTOCOLS.map((protocol) => ({
      protocol,
      linesReceived: current.lines.get(protocol) ?? 0,
      samplesAccepted: current.samples.get(protocol) ?? 0,
      linesRejected: rejectedByProtocol.get(protocol) ?? 0,
      shed: shedByProtocol.get(protocol) ?? 0,
      linesPerSecond: rate(current.lines, base.lines, protocol),
      samplesPerSecond: rate(current.samples, base.samples, protocol),
    }));

    const rejected: RejectedLines[] = valuesOf(all, 'mc_ingest_lines_rejected_total')
      .filter((v) => v.value > 0)
      .map((v) => ({
        protocol: String(v.labels['protocol']) as IngestProtocol,
        reason: String(v.labels['reason'] ?? ''),
        lines: v.value,
      }))
      .sort((a, b) => b.lines - a.lines);

    const bySource = sources(t);
    const newestFirst = [...bySource].sort((a, b) => b.lastSeen - a.lastSeen || a.source.localeCompare(b.source));
    const oldestFirst = [...bySource].sort((a, b) => a.lastSeen - b.lastSeen || a.source.localeCompare(b.source));
    const ready = deps.ready();

    return {
      time: t / 1000,
      uptime: (t - startedAt) / 1000,
      store: {
        status: ready.status,
        checks: ready.checks,
        series: single(valuesOf(all, 'mc_store_series')),
        headSeries: single(valuesOf(all, 'mc_store_head_series')),
        walBytes: single(valuesOf(all, 'mc_wal_size_bytes')),
      },
      ingest,
      rateWindow: seconds,
      rejected,
      sources: {
        total: bySource.length,
        freshest: newestFirst.slice(0, TOP_SOURCES),
        stalest: oldestFirst.slice(0, TOP_SOURCES),
      },
    };
  });
};
