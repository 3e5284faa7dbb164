import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { Histogram, Registry, Summary } from 'prom-client';
import { engineQuery } from './alerting/query-adapter';
import { openCatalog, type Catalog } from './catalog/db';
import { WorkerMetrics } from './selfmetrics';
import { SelfReporter, selfSamples } from './selfreport';
import { TimeSeriesStore } from './store/db';
import type { SeriesRef } from './store/types';

const T0 = Date.UTC(2026, 10, 22, 12);
const LEVELS = [{ resolutionMs: 10_000, retentionMs: 7 * 86_400_000 }];

describe('SelfReporter', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let metrics: WorkerMetrics;
  let clock: number;

  async function open(now: () => number): Promise<void> {
    store = await TimeSeriesStore.open({
      dataDir: dir,
      db,
      rules: { schemaFor: () => ({ name: 'default', levels: LEVELS }), methodFor: () => 'avg' },
      metrics,
      now,
    });
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-selfreport-'));
    db = openCatalog(dir);
    metrics = new WorkerMetrics({ processMetrics: false });
    clock = T0;
  });

  afterEach(async () => {
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A Graphite target over the store, as an alert rule or a dashboard reads it, from T0 up to the clock. */
  async function query(target: string): Promise<Array<{ tags: Record<string, string>; values: unknown[] }>> {
    const q = engineQuery({
      reader: store,
      schemas: { schemaFor: () => ({ levels: LEVELS }), methodFor: () => 'avg' },
      limits: { maxSeriesPerQuery: 1000, maxPointsPerQuery: 100_000 },
    });
    const series = await q.query(target, T0 / 1000 - 1, clock / 1000);
    return series.map((s) => ({ tags: s.tags, values: s.values }));
  }

  const selfSeries = (): SeriesRef[] => store.find({ matchers: [{ label: 'name', op: '=~', value: '^mc\\.' }] });

  it('writes counters, gauges and histogram totals with their labels as tags, for seriesByTag and paths', async () => {
    await open(() => clock);
    const reporter = new SelfReporter({ registry: metrics.registry, sink: store, now: () => clock });
    metrics.linesReceived.inc({ protocol: 'statsd_udp' }, 100);
    metrics.linesReceived.inc({ protocol: 'http' }, 4);
    metrics.linesRejected.inc({ protocol: 'http', reason: 'bad_value' });
    metrics.statsdKeys.set(42);
    metrics.statsdFlushDuration.observe(0.25);
    clock = T0 + 1_000;
    await reporter.report();

    metrics.linesReceived.inc({ protocol: 'statsd_udp' }, 50);
    metrics.statsdFlushDuration.observe(0.75);
    clock = T0 + 11_000;
    await reporter.report();

    expect(await query("seriesByTag('name=mc.ingest_lines_received_total')")).toEqual([
      { tags: { name: 'mc.ingest_lines_received_total', protocol: 'http' }, values: [4, 4] },
      { tags: { name: 'mc.ingest_lines_received_total', protocol: 'statsd_udp' }, values: [100, 150] },
    ]);
    expect(await query('perSecond(mc.ingest_lines_received_total;protocol=statsd_udp)')).toEqual([
      expect.objectContaining({ values: [null, 5] }),
    ]);
    expect(await query("seriesByTag('name=mc.ingest_lines_rejected_total', 'reason=bad_value')")).toEqual([
      { tags: { name: 'mc.ingest_lines_rejected_total', protocol: 'http', reason: 'bad_value' }, values: [1, 1] },
    ]);
    expect(await query('mc.statsd_*')).toEqual([
      { tags: { name: 'mc.statsd_flush_seconds_count' }, values: [1, 2] },
      { tags: { name: 'mc.statsd_flush_seconds_sum' }, values: [0.25, 1] },
      { tags: { name: 'mc.statsd_keys' }, values: [42, 42] },
    ]);

    const refs = selfSeries();
    expect(refs.filter((r) => r.name.includes('bucket'))).toEqual([]);
    // One reading, one timestamp: every figure was last written by the second report.
    expect(new Set(refs.map((r) => r.lastSeen))).toEqual(new Set([T0 + 11_000]));
  });

  it('does not count its writes as samples received or accepted from senders', async () => {
    await open(() => clock);
    const reporter = new SelfReporter({ registry: metrics.registry, sink: store, now: () => clock });
    metrics.linesReceived.inc({ protocol: 'http' }, 3);
    metrics.samplesAccepted.inc({ protocol: 'http' }, 3);
    for (let i = 0; i < 3; i++) {
      clock = T0 + i * 10_000;
      await reporter.report();
    }

    expect(selfSeries().length).toBeGreaterThan(5);
    expect((await metrics.linesReceived.get()).values.map((v) => v.value)).toEqual([3]);
    expect((await metrics.samplesAccepted.get()).values.map((v) => v.value)).toEqual([3]);
    expect((await metrics.storeRejected.get()).values).toEqual([]);
  });

  it('writes a bounded set of series, the same ones every interval, process figures included', async () => {
    metrics = new WorkerMetrics();
    await open(() => clock);
    const reporter = new SelfReporter({ registry: metrics.registry, sink: store, now: () => clock });
    await reporter.report();
    const first = selfSeries().length;
    clock = T0 + 10_000;
    await reporter.report();

    expect(first).toBeGreaterThan(20);
    expect(first).toBeLessThan(100);
    expect(selfSeries().length).toBeLessThan(first + 5);
  });

  it('reports every interval until stopped, and then writes nothing more', async () => {
    await open(Date.now);
    const reporter = new SelfReporter({ registry: metrics.registry, sink: store });
    reporter.start(20);
    await waitFor(() => store.find({ glob: 'mc.statsd_keys' }).length === 1);
    const [keys] = store.find({ glob: 'mc.statsd_keys' });
    await waitFor(() => keys!.lastSeen > keys!.firstSeen);

    await reporter.stop();
    const stoppedAt = keys!.lastSeen;
    await new Promise((r) => setTimeout(r, 100));
    expect(keys!.lastSeen).toBe(stoppedAt);
  });

  it('keeps the worker running while the store refuses, with one warning until it takes the figures again', async () => {
    await open(() => clock);
    const warn = jest.fn();
    const info = jest.fn();
    const logger = { warn, info } as unknown as Logger;
    let refuse = true;
    const sink = {
      append: (batch: Parameters<TimeSeriesStore['append']>[0]) =>
        refuse ? Promise.reject(new Error('store is closed')) : store.append(batch),
      overloaded: () => false,
    };
    const reporter = new SelfReporter({ registry: metrics.registry, sink, logger, now: () => clock });
    metrics.statsdKeys.set(7);

    await expect(reporter.report()).resolves.toBeUndefined();
    await expect(reporter.report()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(selfSeries()).toEqual([]);

    refuse = false;
    await reporter.report();
    expect(info).toHaveBeenCalledTimes(1);
    expect(await query('mc.statsd_keys')).toEqual([expect.objectContaining({ values: [7] })]);
  });

  it('has finished its last write when stop resolves, so the store can close without refusing it', async () => {
    await open(() => clock);
    const warn = jest.fn();
    const logger = { warn, info: jest.fn() } as unknown as Logger;
    const reporter = new SelfReporter({ registry: metrics.registry, sink: store, logger, now: () => clock });
    reporter.start(10_000);
    void reporter.report();
    await reporter.stop();

    expect(store.find({ glob: 'mc.statsd_keys' })).toHaveLength(1);
    await store.close();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('selfSamples', () => {
  it('keeps only the count and sum of histograms and summaries, with their labels but no bucket or quantile', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'mc_h_seconds', help: 'h', labelNames: ['group'], registers: [registry] });
    const s = new Summary({ name: 'mc_s_seconds', help: 's', registers: [registry] });
    h.observe({ group: 'web' }, 0.5);
    s.observe(2);
    s.observe(4);

    const samples = selfSamples(await registry.getMetricsAsJSON(), T0);
    expect(samples.map(({ name, labels, v }) => ({ name, labels, v }))).toEqual([
      { name: 'mc.h_seconds_sum', labels: { group: 'web' }, v: 0.5 },
      { name: 'mc.h_seconds_count', labels: { group: 'web' }, v: 1 },
      { name: 'mc.s_seconds_sum', labels: {}, v: 6 },
      { name: 'mc.s_seconds_count', labels: {}, v: 2 },
    ]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
