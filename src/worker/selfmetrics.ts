/**
 * The worker's own figures (seed 001, lesson 1), exposed on /metrics in Prometheus text format.
 * One instance per worker, passed to the parts that report: no global registry, so tests and
 * several workers in one process never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Protocol = 'statsd_udp' | 'statsd_tcp' | 'graphite_tcp' | 'graphite_udp' | 'http';

export class WorkerMetrics {
  readonly registry = new Registry();

  /** Lines (or JSON items) received, per protocol. */
  readonly linesReceived = new Counter({
    name: 'mc_ingest_lines_received_total',
    help: 'Lines or items received, per protocol.',
    labelNames: ['protocol'] as const,
    registers: [this.registry],
  });

  /** Lines rejected as malformed, per protocol and reason. */
  readonly linesRejected = new Counter({
    name: 'mc_ingest_lines_rejected_total',
    help: 'Malformed lines or items skipped, per protocol and reason.',
    labelNames: ['protocol', 'reason'] as const,
    registers: [this.registry],
  });

  /** Samples handed to the store, per protocol. */
  readonly samplesAccepted = new Counter({
    name: 'mc_ingest_samples_accepted_total',
    help: 'Samples accepted into the store, per protocol.',
    labelNames: ['protocol'] as const,
    registers: [this.registry],
  });

  /** Data dropped because the worker was over capacity, per protocol and what was shed. */
  readonly shed = new Counter({
    name: 'mc_ingest_shed_total',
    help: 'Lines, packets or requests dropped because the worker was over capacity.',
    labelNames: ['protocol', 'reason'] as const,
    registers: [this.registry],
  });

  /** Samples the store refused (bad or future timestamps, non-finite values, series limit). */
  readonly storeRejected = new Counter({
    name: 'mc_store_samples_rejected_total',
    help: 'Samples refused by the store, per reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly walBytes = new Gauge({
    name: 'mc_wal_size_bytes',
    help: 'Bytes in write-ahead log segments not yet checkpointed.',
    registers: [this.registry],
  });

  readonly walFsync = new Histogram({
    name: 'mc_wal_fsync_seconds',
    help: 'Time for one WAL group commit (write and fdatasync).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly series = new Gauge({
    name: 'mc_store_series',
    help: 'Series in the catalog.',
    registers: [this.registry],
  });

  readonly headSeries = new Gauge({
    name: 'mc_store_head_series',
    help: 'Series with samples held in memory since the last checkpoint.',
    registers: [this.registry],
  });

  readonly blockFiles = new Gauge({
    name: 'mc_store_block_files',
    help: 'Live block files, all levels: grows while compaction falls behind.',
    registers: [this.registry],
  });

  readonly rollupBacklog = new Gauge({
    name: 'mc_store_rollup_backlog_partitions',
    help: 'Two-hour raw partitions old enough to be rolled up into the coarser levels and not yet rolled up.',
    registers: [this.registry],
  });

  readonly maintenanceBehind = new Gauge({
    name: 'mc_store_maintenance_behind',
    help: '1 from the start of a maintenance round (roll-up, retention, compaction) until a round finds nothing left.',
    registers: [this.registry],
  });

  readonly checkpointDuration = new Histogram({
    name: 'mc_store_checkpoint_seconds',
    help: 'Time to persist the head and rollup accumulators to block files.',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly compactionDuration = new Histogram({
    name: 'mc_store_compaction_seconds',
    help: 'Time to compact or expire one partition (rollup and retention work).',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly statsdFlushDuration = new Histogram({
    name: 'mc_statsd_flush_seconds',
    help: 'Time to compute one statsd flush.',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly statsdKeys = new Gauge({
    name: 'mc_statsd_keys',
    help: 'Distinct statsd keys held for the current flush interval.',
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    // Shedding is rare: its series start at 0, so a graph or an alert on them has data before the first loss.
    for (const protocol of ['statsd_udp', 'graphite_udp', 'http'] as const) {
      this.shed.inc({ protocol, reason: 'overloaded' }, 0);
    }
    if (opts.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'mc_' });
    }
  }
}
