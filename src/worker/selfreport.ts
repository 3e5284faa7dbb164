/**
 * The worker's own figures written into its own store (seed 001, lesson 1: monitor yourself), so that dashboards and
 * alert rules read them with the same Graphite targets as any other series. Every interval, one reading of the
 * prom-client registry that /metrics shows becomes samples at one timestamp:
 *
 * - `mc_<figure>` on /metrics is the series `mc.<figure>`, its labels as tags: one node at the root of the metric
 *   tree. `seriesByTag('name=mc.ingest_lines_received_total')` finds it with every tag combination, the tagged path
 *   `mc.ingest_lines_received_total;protocol=http` one of them; a figure without labels is a plain path
 *   (`mc.wal_size_bytes`) that globs such as `mc.*` find.
 * - Counters and gauges as they are; counters are totals since the worker started, so `perSecond` draws the rate.
 * - Histograms and summaries only as `<figure>_count` and `<figure>_sum`: one series per bucket would multiply the
 *   series count for little, and their ratio is the mean. The underscore matters: the default aggregation sums names
 *   ending in `.count` or `.sum` when rolling up, which is wrong for running totals.
 *
 * Store.append does not touch the ingest counters, so these writes never show as lines or samples received from
 * senders.
 */
import type { Logger } from 'pino';
import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import type { Labels, Sample, SampleSink } from './store/types';

/** Where the figures live in the store. */
export const SELF_REPORT_ROOT = 'mc';
const PROM_PREFIX = 'mc_';

/** The store's name for a figure named `name` on /metrics. */
export function selfSeriesName(name: string): string {
  return `${SELF_REPORT_ROOT}.${name.startsWith(PROM_PREFIX) ? name.slice(PROM_PREFIX.length) : name}`;
}

/** One registry reading as samples at time `t` (ms). */
export function selfSamples(metrics: Array<MetricObjectWithValues<MetricValue<string>>>, t: number): Sample[] {
  const samples: Sample[] = [];
  for (const metric of metrics) {
    // prom-client's typings declare a numeric enum; at run time the type is its name.
    const type = metric.type as unknown as string;
    const kind = type === 'gauge' ? 'gauge' : 'counter';
    const totalsOnly = type === 'histogram' || type === 'summary';
    for (const value of metric.values) {
      const { metricName } = value as { metricName?: string };
      if (totalsOnly && !(metricName?.endsWith('_count') || metricName?.endsWith('_sum'))) continue;
      // The store would count a NaN as a refused sample, which is an alarm meant for senders.
      if (!Number.isFinite(value.value)) continue;
      samples.push({
        name: selfSeriesName(metricName ?? metric.name),
        labels: tags(value.labels),
        t,
        v: value.value,
        kind,
      });
    }
  }
  return samples;
}

function tags(labels: Partial<Record<string, string | number>>): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) {
    if (v !== undefined && v !== '') out[k] = String(v);
  }
  return out;
}

export interface SelfReporterOptions {
  registry: Registry;
  sink: SampleSink;
  logger?: Logger;
  now?: () => number;
}

/** Writes the registry into the store every interval, from `start` until `stop`. */
export class SelfReporter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private failing = false;
  private readonly now: () => number;

  constructor(private readonly opts: SelfReporterOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Reports every `intervalMs` from now on; called again, it changes the interval. */
  start(intervalMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.report(), intervalMs);
    this.timer.unref();
  }

  /** Stops reporting and waits for a write under way, so that the store can be closed after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.writing;
  }

  /**
   * Writes one reading now. Never rejects: a store that refuses (closed, a failed WAL write) is logged once and the next interval
   * tries again. While a write waits for its fsync, further calls join it rather than queue up behind it.
   */
  report(): Promise<void> {
    this.writing ??= this.write().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async write(): Promise<void> {
    try {
      const metrics = await this.opts.registry.getMetricsAsJSON();
      await this.opts.sink.append({ samples: selfSamples(metrics, this.now()) });
      if (this.failing) this.opts.logger?.info('the worker’s own figures are written to the store again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) {
        this.opts.logger?.warn(
          { err: e },
          'could not write the worker’s own figures to the store; retrying each interval'
        );
      }
      this.failing = true;
    }
  }
}
